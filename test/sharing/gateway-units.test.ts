import { describe, expect, it } from 'vitest';
import { createGatewayCache } from '../../src/modules/sharing/gateway/gateway-cache.js';
import { andThen } from '../../src/shared/maybe-promise.js';
import { openCursor, sealCursor } from '../../src/modules/sharing/gateway/gateway-cursor.js';
import { purposeOf } from '../../src/modules/sharing/gateway/purpose.js';

const KEY = 'cd'.repeat(32);

describe('the X-Purpose header', () => {
  it('reads plain, URL-encoded and raw UTF-8 text, trimmed', () => {
    expect(purposeOf({ 'x-purpose': ' tax audit ' })).toBe('tax audit');
    expect(purposeOf({ 'x-purpose': encodeURIComponent('企业开办核验') })).toBe('企业开办核验');
    // Raw UTF-8 bytes reach Node as Latin-1 characters.
    expect(purposeOf({ 'x-purpose': Buffer.from('不动产登记', 'utf8').toString('latin1') })).toBe('不动产登记');
  });

  it('refuses a missing, blank, too short, too long, badly encoded or control-character purpose', () => {
    for (const value of [undefined, '', '   ', 'a', 'x'.repeat(501), '%E4%B8', encodeURIComponent('a\nb')]) {
      expect(() => purposeOf({ 'x-purpose': value })).toThrow(expect.objectContaining({ code: 'GATEWAY_PURPOSE_REQUIRED' }));
    }
  });
});

describe('sealed gateway cursors', () => {
  it('open only for the interface and consumer they were sealed for, and never show the key', () => {
    const inner = Buffer.from(JSON.stringify({ k: ['T00000000000000001'] })).toString('base64url');
    const sealed = sealCursor(inner, KEY, 'iface:consumer')!;
    expect(Buffer.from(sealed, 'base64url').toString('utf8')).not.toContain(inner);
    expect(openCursor(sealed, KEY, 'iface:consumer')).toBe(inner);
    expect(() => openCursor(sealed, KEY, 'iface:other')).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR' }));
    expect(() => openCursor(inner, KEY, 'iface:consumer')).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR' }));
    expect(sealCursor(null, KEY, 'x')).toBeNull();
    expect(openCursor(undefined, KEY, 'x')).toBeUndefined();
  });
});

describe('the gateway cache', () => {
  it('shares one load, keeps it at most ttlMs, drops everything on clear, and never keeps a failed load', async () => {
    let t = 0;
    let loads = 0;
    const cache = createGatewayCache({ ttlMs: 1000, now: () => t });
    const load = async () => ++loads;
    expect(await Promise.all([cache.get('i', 'a', load), cache.get('i', 'a', load)])).toEqual([1, 1]);
    t = 999;
    expect(await cache.get('i', 'a', load)).toBe(1);
    t = 1000;
    expect(await cache.get('i', 'a', load)).toBe(2);
    cache.clear();
    expect(await cache.get('i', 'a', load)).toBe(3);
    await expect(cache.get('i', 'b', () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(await cache.get('i', 'b', load)).toBe(4);
  });

  it('answers a finished load at once, not as a promise; a load still under way, or cleared under it, as its promise', async () => {
    const cache = createGatewayCache({ ttlMs: 1000, now: () => 0 });
    let release: (v: string) => void = () => undefined;
    const slow = () => new Promise<string>((resolve) => (release = resolve));
    const first = cache.get('i', 'a', slow);
    expect(first).toBeInstanceOf(Promise);
    expect(cache.get('i', 'a', async () => 'other')).toBe(first);
    release('v1');
    expect(await first).toBe('v1');
    expect(cache.get('i', 'a', async () => 'other')).toBe('v1');
    // A load that finishes after a clear fills nothing: the next call loads afresh.
    const pending = cache.get('i', 'b', slow);
    cache.clear();
    release('stale');
    await pending;
    const fresh = cache.get('i', 'b', async () => 'fresh');
    expect(fresh).toBeInstanceOf(Promise);
    expect(await fresh).toBe('fresh');
    expect(cache.get('i', 'b', async () => 'other')).toBe('fresh');
  });
});

describe('andThen (maybe-promise.ts)', () => {
  it('runs the next step at once on a value, after the promise on a promise, and throws at once or rejects accordingly', async () => {
    const order: string[] = [];
    const now = andThen(2, (n) => {
      order.push('ran');
      return n * 2;
    });
    expect(now).toBe(4);
    expect(order).toEqual(['ran']);
    const later = andThen(Promise.resolve(3), (n) => n + 1);
    expect(later).toBeInstanceOf(Promise);
    expect(await later).toBe(4);
    expect(() =>
      andThen(1, () => {
        throw new Error('refused');
      }),
    ).toThrow('refused');
    await expect(
      andThen(Promise.resolve(1), () => {
        throw new Error('refused later');
      }),
    ).rejects.toThrow('refused later');
  });
});
