import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServices, type Services } from '../../src/deps.js';
import { loadDemoCity } from '../../src/demo/load.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';

describeEachDialect('demo city: the open data portal at first start', (fresh) => {
  let db: TestDb;
  let services: Services;
  let loaded: Awaited<ReturnType<typeof loadDemoCity>>;

  beforeAll(async () => {
    db = await fresh();
    services = buildServices(db);
    loaded = await loadDemoCity(services);
  }, 120_000);

  afterAll(async () => {
    await services.jobs.stop();
    await db.drop();
  });

  it('publishes every resource the catalogue allows to open, and nothing else', async () => {
    expect(loaded.loaded).toBe(true);
    const resources = await services.resources.listAllWithItems(SYSTEM_ACTOR);
    const datasets = await services.openCatalog.datasets();
    const openable = resources.filter(
      (r) => r.openType !== 'PROHIBITED' && !r.classified && (r.items ?? []).some((i) => i.openType !== 'PROHIBITED' && i.sensitivity !== 'L4'),
    );
    expect(datasets.length).toBeGreaterThanOrEqual(5);
    expect(new Set(datasets.map((d) => d.resourceId))).toEqual(new Set(openable.map((r) => r.id)));
    if (loaded.loaded) expect(loaded.figures.openDatasets).toBe(datasets.length);
    const byId = new Map(resources.map((r) => [r.id, r]));
    for (const d of datasets) {
      const r = byId.get(d.resourceId)!;
      expect(d.domain).toBe(String(r.openDomain));
      for (const item of d.items) {
        const source = r.items!.find((i) => i.code === item.code)!;
        expect(source.openType, `${r.code} ${item.code}`).not.toBe('PROHIBITED');
        expect(source.sensitivity).not.toBe('L4');
      }
    }
    const search = await services.openCatalog.match('企业');
    expect(search.size).toBeGreaterThan(0);
  });
});
