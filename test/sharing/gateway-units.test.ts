import { describe, expect, it } from 'vitest';
import { createGatewayCache } from '../../src/modules/sharing/gateway/gateway-cache.js';
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
});
