import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenStats } from '../../src/modules/opening/contracts.js';
import { createEventCounter } from '../../src/modules/opening/stats/event-counter.js';
import { buildServices } from '../../src/deps.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { buildTestApp, type TestApp } from '../test-app.js';
import { movableClock, publishDataset } from './community-fixtures.js';
import { mixedCsv, mixedResource, upload } from './opening-fixtures.js';

describe('open statistics: the event counter', () => {
  it('keeps the counts of a failed write for the next flush, and never writes one twice', async () => {
    const written: { day: string; dataset_id: string; event: string; count: number }[] = [];
    let fail = true;
    const counter = createEventCounter({
      now: () => Date.parse('2026-03-02T02:00:00Z'),
      write: async (rows) => {
        if (fail) throw new Error('database busy');
        written.push(...rows);
      },
    });
    for (let i = 0; i < 7; i++) counter.count('d1', 'view');
    counter.count('d2', 'download');
    await expect(counter.flush()).rejects.toThrow('database busy');
    expect(counter.pending()).toBe(8);
    counter.count('d1', 'view');
    fail = false;
    await Promise.all([counter.flush(), counter.flush()]);
    expect(written.sort((a, b) => a.dataset_id.localeCompare(b.dataset_id))).toEqual([
      { day: '2026-03-02', event: 'view', dataset_id: 'd1', count: 8 },
      { day: '2026-03-02', event: 'download', dataset_id: 'd2', count: 1 },
    ]);
    expect(counter.pending()).toBe(0);
  });
});

describeEachDialect('opening: statistics', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  const clock = movableClock('2026-03-02T02:00:00Z');
  let mixed: string;
  let plain: string;

  const get = (url: string) => t.app.inject({ method: 'GET', url });
  const stats = async (query = '') => (await get(`/api/v1/open/stats${query}`)).json();
  const openStats = () => (t.services.modules.find((m) => m.name === 'opening') as unknown as { openStats: OpenStats }).openStats;

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db, { clock });
    const m = await t.services.resources.create(SYSTEM_ACTOR, mixedResource(t.deptA.id));
    await upload(t, m.id, mixedCsv(1, 3));
    mixed = await publishDataset(t, m.id);
    const p = await t.services.resources.create(
      SYSTEM_ACTOR,
      resourceInput(t.deptB.id, {
        shareType: 'UNCONDITIONAL',
        shareCondition: null,
        openType: 'UNCONDITIONAL',
        openCondition: null,
        sensitivity: 'L1',
        openDomain: 6,
      }),
    );
    plain = await publishDataset(t, p.id);
  });
  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  it("computes the seed's open figures live from the open catalogue", async () => {
    const s = await stats();
    expect(s.figures).toEqual({ units: 2, domains: 2, openClasses: 2, datasets: 2, apis: 2, dataItems: 5 + 3, records: 3, scenarios: 0, competitionTeams: 0 });
    const catalogue = await t.services.openCatalog.datasets();
    expect(s.figures.records).toBe(catalogue.reduce((n, d) => n + d.recordCount, 0));
    expect(s.figures.dataItems).toBe(catalogue.reduce((n, d) => n + d.items.length, 0));
    await upload(t, (await t.services.openCatalog.dataset(mixed))!.resourceId, mixedCsv(4, 10));
    expect((await stats()).figures.records).toBe(10);
  });

  it('counts views, downloads and API calls exactly, in memory until a flush, by Beijing day', async () => {
    for (let i = 0; i < 3; i++) expect((await get(`/api/v1/open/datasets/${mixed}`)).statusCode).toBe(200);
    for (let i = 0; i < 2; i++) expect((await get(`/api/v1/open/datasets/${mixed}/rows?limit=2`)).statusCode).toBe(200);
    expect((await get(`/api/v1/open/datasets/${plain}/download?format=csv`)).statusCode).toBe(200);
    for (let i = 0; i < 1000; i++) openStats().count(plain, 'api');
    // Nothing was written yet: counting never touches the database.
    expect(await db.db.selectFrom('open_event_counts').selectAll().execute()).toEqual([]);

    const s = await stats();
    expect(s.totals).toEqual({ views: 3, downloads: 1, apiCalls: 1002 });
    expect(
      s.datasets.map((d: { datasetId: string; views: number; downloads: number; apiCalls: number }) => [d.datasetId, d.views, d.downloads, d.apiCalls]),
    ).toEqual([
      [mixed, 3, 0, 2],
      [plain, 0, 1, 1000],
    ]);

    clock.set('2026-03-02T16:30:00Z'); // 00:30 on 3 March in Beijing
    await get(`/api/v1/open/datasets/${plain}`);
    openStats().count('not-a-dataset', 'view'); // ids no published dataset has are left out
    expect((await stats()).totals).toEqual({ views: 4, downloads: 1, apiCalls: 1002 });
    expect((await stats('?from=2026-03-03')).totals).toEqual({ views: 1, downloads: 0, apiCalls: 0 });
    expect((await stats('?to=2026-03-02')).totals).toEqual({ views: 3, downloads: 1, apiCalls: 1002 });
    const rows = await db.db.selectFrom('open_event_counts').select(['day', 'event']).where('dataset_id', '=', plain).orderBy('day').orderBy('event').execute();
    expect(rows).toEqual([
      { day: '2026-03-02', event: 'api' },
      { day: '2026-03-02', event: 'download' },
      { day: '2026-03-03', event: 'view' },
    ]);
    expect((await get('/api/v1/open/stats?from=2026-03-04&to=2026-03-01')).statusCode).toBe(400);
  });

  it('flushes on its own in a serving process (every flushEveryMs) and once more when it stops', async () => {
    const served = buildServices(db, clock, { openCommunity: { flushEveryMs: 20 } });
    const opening = served.modules.find((m) => m.name === 'opening')!;
    await opening.start!({ logger: { warn: () => undefined } as never });
    const stats = (opening as unknown as { openStats: OpenStats }).openStats;
    const views = async () =>
      Number(
        (
          await db.db
            .selectFrom('open_event_counts')
            .select('count')
            .where('dataset_id', '=', mixed)
            .where('event', '=', 'view')
            .where('day', '=', '2026-03-03')
            .executeTakeFirst()
        )?.count ?? 0,
      );
    stats.count(mixed, 'view');
    stats.count(mixed, 'view');
    for (let i = 0; i < 50 && (await views()) < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await views()).toBe(2);
    stats.count(mixed, 'view');
    await opening.stop!();
    expect(await views()).toBe(3);
  });
});
