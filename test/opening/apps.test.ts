import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServices } from '../../src/deps.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';
import { movableClock, openBearer, publicUser, publishDataset } from './community-fixtures.js';

describeEachDialect('opening: apps, app keys and their rate limits', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  const clock = movableClock('2026-03-02T02:00:00.000Z'); // 10:00 in Beijing
  let dataset: string;
  let dev: { id: string; token: string };
  let other: { id: string; token: string };

  const rows = (appKey: string) => t.app.inject({ method: 'GET', url: `/api/v1/open/datasets/${dataset}/rows?limit=5`, headers: { 'x-app-key': appKey } });

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db, { clock });
    const r = await t.services.resources.create(
      SYSTEM_ACTOR,
      resourceInput(t.deptA.id, { shareType: 'UNCONDITIONAL', shareCondition: null, openType: 'UNCONDITIONAL', openCondition: null, sensitivity: 'L1' }),
    );
    dataset = await publishDataset(t, r.id);
    [dev, other] = [await publicUser(t), await publicUser(t)];
  });
  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  async function newApp(token = dev.token) {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/open/apps', headers: openBearer(token), payload: { name: '公交查询小程序' } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; appKey: string; keyLast4: string; ratePerSecond: number; quotaPerDay: number };
  }

  it('shows a key once and stores only its hash; another user neither sees nor revokes the app', async () => {
    const app = await newApp();
    expect(app.appKey).toMatch(/^kjd_[A-Za-z0-9_-]{32}$/);
    expect(app).toMatchObject({ keyLast4: app.appKey.slice(-4), ratePerSecond: 10, quotaPerDay: 10_000 });
    const stored = await db.db.selectFrom('open_apps').selectAll().where('id', '=', app.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(app.appKey);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/open/apps', headers: openBearer(dev.token) });
    expect(list.json().items.map((x: { id: string }) => x.id)).toEqual([app.id]);
    expect(list.body).not.toContain(app.appKey);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/open/apps', headers: openBearer(other.token) })).json().items).toEqual([]);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/open/apps/${app.id}`, headers: openBearer(other.token) })).statusCode).toBe(404);
    expect((await rows(app.appKey)).statusCode).toBe(200);
  });

  it('refuses unknown and revoked keys with 401', async () => {
    const unknown = await rows('kjd_not-a-key');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().code).toBe('OPEN_APP_KEY_INVALID');
    const app = await newApp();
    expect((await rows(app.appKey)).statusCode).toBe(200);
    const revoked = await t.app.inject({ method: 'DELETE', url: `/api/v1/open/apps/${app.id}`, headers: openBearer(dev.token) });
    expect(revoked.json().revokedAt).not.toBeNull();
    expect((await rows(app.appKey)).json().code).toBe('OPEN_APP_KEY_INVALID');
  });

  it('limits calls per second and per Beijing day (429 with Retry-After); the day survives a restart and renews at midnight', async () => {
    const app = await newApp();
    const limits = (token: string) =>
      t.app.inject({ method: 'PATCH', url: `/api/v1/open/apps/${app.id}/limits`, headers: bearer(token), payload: { ratePerSecond: 2, quotaPerDay: 5 } });
    expect((await limits(t.deptA.token)).statusCode).toBe(403);
    expect((await limits(t.adminToken)).json()).toMatchObject({ ratePerSecond: 2, quotaPerDay: 5 });

    expect((await rows(app.appKey)).statusCode).toBe(200);
    expect((await rows(app.appKey)).statusCode).toBe(200);
    const fast = await rows(app.appKey);
    expect(fast.statusCode).toBe(429);
    expect(fast.json()).toMatchObject({ code: 'OPEN_RATE_LIMITED', limit: 'second', quota: 2, retryAfterSeconds: 1 });
    expect(fast.headers['retry-after']).toBe('1');

    clock.advance(1000);
    expect((await rows(app.appKey)).statusCode).toBe(200);
    expect((await rows(app.appKey)).statusCode).toBe(200);
    clock.advance(1000);
    expect((await rows(app.appKey)).statusCode).toBe(200); // the fifth accepted call of the day
    const day = await rows(app.appKey);
    expect(day.statusCode).toBe(429);
    expect(day.json()).toMatchObject({ limit: 'day', quota: 5 });
    expect(Number(day.headers['retry-after'])).toBe(14 * 3600 - 2); // to midnight in Beijing

    // Written by the flush, the day's count holds in a new process over the same database.
    await t.services.openApps.flushUsage();
    const usage = await db.db.selectFrom('open_app_usage').selectAll().where('app_id', '=', app.id).execute();
    expect(usage.map((u) => [u.day, Number(u.calls)])).toEqual([['2026-03-02', 5]]);
    const restarted = buildServices(db, clock);
    await expect(restarted.openApps.appFor(app.appKey)).rejects.toMatchObject({ code: 'OPEN_RATE_LIMITED' });

    clock.set('2026-03-02T16:00:00.000Z'); // midnight in Beijing
    expect((await rows(app.appKey)).statusCode).toBe(200);
    await expect(restarted.openApps.appFor(app.appKey)).resolves.toEqual({ userId: dev.id, appId: app.id });
  });

  it('holds the day quota across serving processes over one database within a flush: each flush reads the day again (ADR 0039)', async () => {
    clock.set('2026-03-03T02:00:00.000Z');
    const app = await newApp();
    await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/open/apps/${app.id}/limits`,
      headers: bearer(t.adminToken),
      payload: { ratePerSecond: 100, quotaPerDay: 10 },
    });
    const [one, two] = [buildServices(db, clock).openApps, buildServices(db, clock).openApps];
    const take = async (s: typeof one) =>
      s.appFor(app.appKey).then(
        () => 'ok',
        (e: { code: string }) => e.code,
      );
    // Before any flush each process counts alone: 4 + 4 accepted.
    for (let i = 0; i < 4; i++) expect([await take(one), await take(two)]).toEqual(['ok', 'ok']);
    await one.flushUsage();
    await two.flushUsage();
    // Each now reads the 8 both wrote: 2 more in all, whichever process takes them.
    await one.flushUsage();
    expect(await take(one)).toBe('ok');
    expect(await take(two)).toBe('ok');
    await one.flushUsage();
    await two.flushUsage();
    await one.flushUsage(); // its next interval: it read 9 after its own write, now 10
    expect([await take(one), await take(two)]).toEqual(['OPEN_RATE_LIMITED', 'OPEN_RATE_LIMITED']);
    const usage = await db.db.selectFrom('open_app_usage').selectAll().where('app_id', '=', app.id).execute();
    expect(usage.map((u) => Number(u.calls))).toEqual([10]);
  });
});
