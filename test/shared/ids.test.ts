import { describe, expect, it } from 'vitest';
import { newId } from '../../src/shared/ids.js';

describe('newId: UUIDv7 from a pooled random source', () => {
  it('gives version 7 and the RFC 9562 variant, with the time in the first 48 bits', () => {
    const at = Date.parse('2026-12-02T04:00:00Z');
    const id = newId(at + 10_000_000);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at + 10_000_000);
  });

  it('stays unique and in creation order across many pool refills, also within one millisecond', () => {
    const ids: string[] = [];
    // 20,000 ids draw 360,000 random bytes: about 88 refills of the 4 KiB pool.
    for (let i = 0; i < 20_000; i++) ids.push(newId());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    const sameMs = Date.now() + 60_000;
    const burst = Array.from({ length: 1000 }, () => newId(sameMs));
    expect(new Set(burst).size).toBe(1000);
    expect([...burst].sort()).toEqual(burst);
  });

  it('does not repeat the random tail: no two ids share their last 62 random bits', () => {
    const tails = new Set(Array.from({ length: 5000 }, () => newId().slice(19)));
    expect(tails.size).toBe(5000);
  });
});
