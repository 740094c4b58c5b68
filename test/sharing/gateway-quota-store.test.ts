import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryQuotaStore } from '../../src/modules/sharing/gateway/memory-quota-store.js';
import { countersAt, createSweeper, type QuotaStore, type QuotaVerdict } from '../../src/modules/sharing/gateway/quota-windows.js';
import { createRedisQuotaStore } from '../../src/modules/sharing/gateway/redis-quota-store.js';
import { redisUrlOrSkip } from './redis.js';

const at = (iso: string) => Date.parse(iso);

describe('quota windows (Asia/Shanghai)', () => {
  it('names the day and month in Shanghai, and when each ends', () => {
    const counters = countersAt(at('2026-03-31T15:59:59.500Z'), { perSecond: 5, perDay: 10, perMonth: 100 });
    expect(counters.map((c) => [c.window, c.id, new Date(c.endsAt).toISOString()])).toEqual([
      ['second', `s${Math.floor(at('2026-03-31T15:59:59.500Z') / 1000)}`, '2026-03-31T16:00:00.000Z'],
      ['day', 'd2026-03-31', '2026-03-31T16:00:00.000Z'],
      ['month', 'm2026-03', '2026-03-31T16:00:00.000Z'],
    ]);
    // One second later it is 1 April in Shanghai (still 31 March in UTC).
    expect(countersAt(at('2026-03-31T16:00:00Z'), { perSecond: null, perDay: 1, perMonth: 1 }).map((c) => c.id)).toEqual(['d2026-04-01', 'm2026-04']);
    expect(countersAt(at('2026-12-31T16:00:00Z'), { perSecond: null, perDay: null, perMonth: 1 })[0]).toMatchObject({
      id: 'm2027-01',
      endsAt: at('2027-01-31T16:00:00Z'),
    });
    expect(countersAt(0, { perSecond: null, perDay: null, perMonth: null })).toEqual([]);
  });
});

describe('a quota store sweep', () => {
  it('drops the slots of ended windows and the subjects left with none, at most once a minute', () => {
    const kept = new Map<string, Map<string, { endsAt: number }>>([
      [
        'a',
        new Map([
          ['second', { endsAt: 1_000 }],
          ['day', { endsAt: 500_000 }],
        ]),
      ],
      ['b', new Map([['second', { endsAt: 2_000 }]])],
    ]);
    const sweep = createSweeper(kept);
    sweep(60_000);
    expect([...kept.keys()]).toEqual(['a']);
    expect([...kept.get('a')!.keys()]).toEqual(['day']);
    // Ended at 70 s: a sweep 30 s after the last one leaves it, the next minute's drops it.
    kept.set('c', new Map([['second', { endsAt: 70_000 }]]));
    sweep(90_000);
    expect(kept.has('c')).toBe(true);
    sweep(120_000);
    expect(kept.has('c')).toBe(false);
    expect([...kept.get('a')!.keys()]).toEqual(['day']);
  });
});

// Top-level await: the Redis suites are skipped (with a warning) when Redis does not answer, except under CI=true.
const redisUrl = await redisUrlOrSkip();

function storeContract(name: string, make: () => Promise<QuotaStore>, run = true) {
  describe.skipIf(!run)(`${name} quota store`, () => {
    const stores: QuotaStore[] = [];
    const open = async () => {
      const s = await make();
      stores.push(s);
      return s;
    };
    afterAll(async () => {
      for (const s of stores) await s.close();
    });

    it('counts per second; a refused call is not counted; the next second starts at zero', async () => {
      const s = await open();
      const limits = { perSecond: 2, perDay: null, perMonth: null };
      const t0 = at('2026-03-02T02:00:00.100Z');
      expect(await s.take('c:i', limits, t0)).toEqual({ ok: true });
      expect(await s.take('c:i', limits, t0 + 100)).toEqual({ ok: true });
      expect(await s.take('c:i', limits, t0 + 200)).toEqual({ ok: false, window: 'second', limit: 2, retryAfterS: 1 });
      expect(await s.take('c:other', limits, t0 + 200)).toEqual({ ok: true });
      expect(await s.take('c:i', limits, t0 + 900)).toEqual({ ok: true });
    });

    it('counts per calendar day in Asia/Shanghai: full at 23:59:59, free again at 00:00:00', async () => {
      const s = await open();
      const limits = { perSecond: null, perDay: 3, perMonth: 10 };
      const before = at('2026-03-02T15:59:59Z'); // 23:59:59 in Shanghai
      for (let i = 0; i < 3; i++) expect(await s.take('d:i', limits, before - 3000 + i)).toEqual({ ok: true });
      expect(await s.take('d:i', limits, before)).toEqual({ ok: false, window: 'day', limit: 3, retryAfterS: 1 });
      expect(await s.take('d:i', limits, at('2026-03-02T16:00:00Z'))).toEqual({ ok: true });
    });

    it('refuses on the month when both the day and the month are full, until the next month', async () => {
      const s = await open();
      const limits = { perSecond: null, perDay: 2, perMonth: 2 };
      const t0 = at('2026-03-31T04:00:00Z');
      await s.take('m:i', limits, t0);
      await s.take('m:i', limits, t0 + 1);
      const refused = await s.take('m:i', limits, t0 + 2);
      expect(refused).toMatchObject({ ok: false, window: 'month', limit: 2 });
      // 12 hours less 2 ms to midnight in Shanghai: rounded up.
      expect(refused.ok === false && refused.retryAfterS).toBe(43_200);
      expect(await s.take('m:i', limits, at('2026-03-31T16:00:00Z'))).toEqual({ ok: true });
    });
  });
}

storeContract('in-memory', async () => createMemoryQuotaStore());
storeContract(
  'Redis',
  async () => createRedisQuotaStore({ url: redisUrl!, prefix: `kuaiji-test:${process.pid}:${Date.now()}:${Math.random()}:` }),
  redisUrl !== null,
);

describe('Redis quota store', () => {
  it('refuses with GATEWAY_QUOTA_UNAVAILABLE when Redis cannot be reached (never counts nothing)', async () => {
    const s = createRedisQuotaStore({ url: 'redis://127.0.0.1:1/0' });
    await expect(s.take('x', { perSecond: 1, perDay: null, perMonth: null }, Date.now())).rejects.toMatchObject({
      code: 'GATEWAY_QUOTA_UNAVAILABLE',
      status: 503,
    });
    await s.close();
  });

  it.skipIf(!redisUrl)('is atomic across clients: 50 concurrent takes from two connections count exactly the limit', async () => {
    const url = redisUrl!;
    const prefix = `kuaiji-test:${process.pid}:${Date.now()}:atomic:`;
    const a = createRedisQuotaStore({ url, prefix });
    const b = createRedisQuotaStore({ url, prefix });
    const now = at('2026-03-02T02:00:00Z');
    const limits = { perSecond: null, perDay: 20, perMonth: null };
    const verdicts = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).take('c:i', limits, now)));
    expect(verdicts.filter((v) => v.ok).length).toBe(20);
    const raw = new Redis(url);
    expect(await raw.get(`${prefix}c:i:d2026-03-02`)).toBe('20');
    raw.disconnect();
    await a.close();
    await b.close();
  });
});

describe.skipIf(!redisUrl)('Redis quota store: calls taken in leases', () => {
  const limits = (perDay: number) => ({ perSecond: null, perDay, perMonth: null });
  const now = at('2026-03-02T02:00:00Z');
  const fresh = (name: string) => `kuaiji-test:${process.pid}:${Date.now()}:${Math.random()}:${name}:`;
  const counted = async (prefix: string) => {
    const raw = new Redis(redisUrl!);
    try {
      return Number(await raw.get(`${prefix}c:i:d2026-03-02`));
    } finally {
      raw.disconnect();
    }
  };

  it('serves most calls from a lease: a trip to Redis takes at most 1/16 of what is left (62 of 1,000, then 58 of 938)', async () => {
    const prefix = fresh('lease');
    const s = createRedisQuotaStore({ url: redisUrl!, prefix });
    for (let i = 0; i < 100; i++) expect(await s.take('c:i', limits(1000), now + i)).toEqual({ ok: true });
    // Every call asking Redis would have counted 100.
    expect(await counted(prefix)).toBe(120);
    await s.close();
  });

  it('one process answers exactly its limit, also when concurrent calls each took a lease', async () => {
    const prefix = fresh('concurrent');
    const s = createRedisQuotaStore({ url: redisUrl!, prefix });
    const first = await Promise.all(Array.from({ length: 50 }, (_, i) => s.take('c:i', limits(1000), now + i)));
    expect(first.every((v) => v.ok)).toBe(true);
    let served = first.length;
    for (let i = 0; i < 2000; i++) if ((await s.take('c:i', limits(1000), now + 100 + i)).ok) served += 1;
    expect(served).toBe(1000);
    expect(await counted(prefix)).toBe(1000);
    await s.close();
  });

  it('two processes together answer exactly the limit when both keep being called; near it every call asks Redis', async () => {
    const prefix = fresh('two');
    const a = createRedisQuotaStore({ url: redisUrl!, prefix });
    const b = createRedisQuotaStore({ url: redisUrl!, prefix });
    let served = 0;
    const refusals: QuotaVerdict[] = [];
    for (let i = 0; i < 600; i++) {
      const v = await (i % 2 ? a : b).take('c:i', limits(300), now + i);
      if (v.ok) served += 1;
      else refusals.push(v);
    }
    expect(served).toBe(300);
    expect(refusals[0]).toMatchObject({ ok: false, window: 'day', limit: 300 });
    expect(await counted(prefix)).toBe(300);
    await a.close();
    await b.close();
  });
});
