import { describe, expect, it } from 'vitest';
import { createCircuitBreaker } from '../../src/modules/sharing/upstream/circuit-breaker.js';
import { createRequestSecrets } from '../../src/modules/sharing/upstream/request-secrets.js';
import { readRefreshAnswer, saysSecretStale, zhejiangSign } from '../../src/modules/sharing/upstream/zhejiang-scheme.js';

describe('circuit breaker', () => {
  const setup = (threshold = 3, cooldownMs = 1000) => {
    let t = 0;
    const b = createCircuitBreaker({ threshold, cooldownMs, now: () => t });
    return { b, advance: (ms: number) => (t += ms) };
  };

  it('opens after N consecutive failures only', () => {
    const { b } = setup(3);
    b.admit('x')!.failure();
    b.admit('x')!.failure();
    b.admit('x')!.success(); // a success in between resets the count
    b.admit('x')!.failure();
    b.admit('x')!.failure();
    expect(b.stateOf('x')).toBe('closed');
    b.admit('x')!.failure();
    expect(b.stateOf('x')).toBe('open');
    expect(b.admit('x')).toBeNull();
    expect(b.admit('y')).not.toBeNull();
  });

  it('lets one trial through once the cooldown has passed; its outcome closes or reopens', () => {
    const { b, advance } = setup(1, 1000);
    b.admit('x')!.failure();
    advance(999);
    expect(b.admit('x')).toBeNull();
    expect(b.retryAfterMs('x')).toBe(1);
    advance(1);
    const trial = b.admit('x')!;
    expect(trial).not.toBeNull();
    expect(b.admit('x')).toBeNull(); // one trial at a time
    trial.failure();
    expect(b.stateOf('x')).toBe('open');
    expect(b.retryAfterMs('x')).toBe(1000);
    advance(1000);
    b.admit('x')!.success();
    expect(b.stateOf('x')).toBe('closed');
    expect(b.admit('x')).not.toBeNull();
  });

  it('counts an outcome once, and an abandoned trial frees the way for the next', () => {
    const { b, advance } = setup(2, 1000);
    const a = b.admit('x')!;
    a.failure();
    a.failure();
    expect(b.stateOf('x')).toBe('closed');
    b.admit('x')!.failure();
    advance(1000);
    b.admit('x')!.abandon();
    expect(b.stateOf('x')).toBe('half-open');
    expect(b.admit('x')).not.toBeNull();
  });
});

describe('the Zhejiang scheme', () => {
  it('signs md5(appKey + secret + requestTime) in lowercase hex', () => {
    // md5("ak" + "sk" + "1700000000000"), computed independently (python hashlib).
    expect(zhejiangSign('ak', 'sk', 1700000000000)).toBe('7b719edc31938ec1705e21f4d6ae8545');
  });

  it('reads a refresh answer, trusting its end time only when it is plausible', () => {
    const now = 1_700_000_000_000;
    const body = (v: unknown) => Buffer.from(JSON.stringify(v));
    expect(readRefreshAnswer(200, body({ code: '00', datas: { requestSecret: 's1', requestSecretEndTime: now + 600_000 } }), now)).toEqual({
      value: 's1',
      expiresAt: now + 600_000,
    });
    expect(readRefreshAnswer(200, body({ code: '00', datas: { requestSecret: 's1', requestSecretEndTime: now - 1 } }), now).expiresAt).toBe(now + 900_000);
    expect(readRefreshAnswer(200, body({ data: { requestSecret: 's2' } }), now)).toEqual({ value: 's2', expiresAt: now + 900_000 });
    expect(() => readRefreshAnswer(200, body({ code: '01', msg: '签名错误' }), now)).toThrow(/签名错误/);
    expect(() => readRefreshAnswer(500, body({}), now)).toThrow(/500/);
    expect(() => readRefreshAnswer(200, Buffer.from('<html>'), now)).toThrow();
  });

  it('tells a stale-secret answer from other refusals', () => {
    const j = (v: unknown) => Buffer.from(JSON.stringify(v));
    expect(saysSecretStale(200, j({ code: '14', msg: 'requestSecret已过期' }))).toBe(true);
    expect(saysSecretStale(200, j({ code: 'E1', message: 'sign invalid' }))).toBe(true);
    expect(saysSecretStale(401, j({}))).toBe(true);
    expect(saysSecretStale(200, j({ code: '00', msg: 'requestSecret已过期' }))).toBe(false);
    expect(saysSecretStale(200, j({ code: '20', msg: '参数错误' }))).toBe(false);
    expect(saysSecretStale(500, j({ code: '14', msg: 'requestSecret已过期' }))).toBe(false);
  });
});

describe('request secrets', () => {
  it('falls back to the old secret while it is valid when a refresh fails', async () => {
    let t = 0;
    const s = createRequestSecrets({ now: () => t });
    expect(await s.get('i', 'f', async () => ({ value: 'a', expiresAt: 1000 }))).toBe('a');
    t = 900;
    expect(await s.get('i', 'f', () => Promise.reject(new Error('down')))).toBe('a');
    t = 1000;
    await expect(s.get('i', 'f', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
  });

  it('starts afresh when the interface changed (another fingerprint)', async () => {
    const s = createRequestSecrets({ now: () => 0 });
    await s.get('i', 'f1', async () => ({ value: 'a', expiresAt: 1000 }));
    expect(await s.get('i', 'f2', async () => ({ value: 'b', expiresAt: 1000 }))).toBe('b');
  });
});
