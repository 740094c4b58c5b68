import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_CITY } from '../src/demo/city.js';
import { loadDemoCity } from '../src/demo/load.js';
import { loadDemoRecords, type DemoRecordsProgress, type DemoRecordsResult } from '../src/demo/records.js';
import { POPULATION_RESOURCE, recordCount, UNCOLLECTED_RESOURCES } from '../src/demo/synthetic/resource-plans.js';
import { buildServices, type Services } from '../src/deps.js';
import { SYSTEM_ACTOR } from '../src/shared/actor.js';
import { checkCitizenId } from '../src/shared/validation/citizen-id.js';
import { isHistoricalRegionCode } from '../src/reference/regions.js';
import { describeEachDialect, type TestDb } from './dialects.js';
import { GRID_LEADER_RULE } from '../src/demo/quality-rules.js';
import { DEMO_DEFECTS, defectRows } from '../src/demo/synthetic/defects.js';

const SCALE = 0.02;

// ID numbers are masked for an administrator unless read in clear with a reason (and audited).
const CLEAR = { unmasked: true, reason: 'test: check digits of synthetic ID numbers' };

/** The demo resources that get records: all but the few left uncollected. */
const COLLECTED = DEMO_CITY.resources.filter((r) => !UNCOLLECTED_RESOURCES.includes(r.code));

describeEachDialect('demo records', (fresh) => {
  let db: TestDb;
  let services: Services;
  let dataDir: string;
  let first: DemoRecordsResult;
  const progress: DemoRecordsProgress[] = [];

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-demo-records-'));
    services = buildServices(db, undefined, { dataDir });
    await loadDemoCity(services);
    first = await loadDemoRecords(services, { dataDir, scale: SCALE, onProgress: (p) => progress.push(p) });
  }, 400_000);
  afterAll(async () => {
    await services.jobs.stop();
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('loads every demo resource but the uncollected ones through collection without a rejected row', () => {
    const expected = COLLECTED.reduce((a, r) => a + recordCount(r.code, SCALE), 0);
    expect(UNCOLLECTED_RESOURCES.length).toBeGreaterThanOrEqual(2);
    expect(first).toEqual({ resources: COLLECTED.length, alreadyLoaded: 0, rowsRead: expected, inserted: expected, rejected: 0 });
    expect(progress.at(-1)).toMatchObject({ done: COLLECTED.length, total: COLLECTED.length });
  });

  it('gives the collected resources records and leaves a real gap in coverage (应归尽归); the population base scale × 100,000', async () => {
    const figures = await services.collectionFigures.figures(SYSTEM_ACTOR, { top: 100 });
    expect(figures).toMatchObject({
      resources: DEMO_CITY.resources.length,
      resourcesWithData: COLLECTED.length,
      coverage: COLLECTED.length / DEMO_CITY.resources.length,
      records: first.inserted,
    });
    expect(figures.coverage).toBeLessThan(1);
    // One uncollected resource is a district's: the districts' coverage shows the gap too.
    expect(figures.districts.coverage).toBeLessThan(1);
    const population = figures.byResource.find((r) => r.code === POPULATION_RESOURCE);
    expect(population?.records).toBe(100_000 * SCALE);
    for (const r of figures.byResource) expect(r.records, r.code).toBe(UNCOLLECTED_RESOURCES.includes(r.code) ? 0 : recordCount(r.code, SCALE));
  });

  it('stores synthetic people with valid ID numbers, and the same person across resources', async () => {
    const population = await services.resources.listAllWithItems(SYSTEM_ACTOR);
    const byCode = new Map(population.map((r) => [r.code, r.id]));
    const people = await services.collection.records(SYSTEM_ACTOR, byCode.get(POPULATION_RESOURCE)!, undefined, 50, CLEAR);
    expect(people.total).toBe(100_000 * SCALE);
    const ids = new Set<string>();
    for (const p of people.items) {
      const id = String(p['citizen_id']);
      expect(checkCitizenId(id, isHistoricalRegionCode), id).toMatchObject({ valid: true });
      ids.add(id);
    }
    // Social-assistance recipients are drawn from the same synthetic population.
    const assisted = await services.collection.records(SYSTEM_ACTOR, byCode.get('201001/00001')!, undefined, 500, CLEAR);
    const all = await services.collection.records(SYSTEM_ACTOR, byCode.get(POPULATION_RESOURCE)!, undefined, 5000, CLEAR);
    const known = new Set(all.items.map((p) => String(p['citizen_id'])));
    expect(assisted.items.filter((p) => known.has(String(p['citizen_id']))).length).toBe(assisted.items.length);
  });

  it('has the seeded defects a scan finds: failing rules, problems, and scores below 1 (not a perfect demo)', async () => {
    const scan = await services.scans.start(SYSTEM_ACTOR, {}, { wait: true });
    expect(scan.status).toBe('succeeded');
    const results = (await services.scans.results(SYSTEM_ACTOR, scan.id)).items;
    const all = await services.resources.listAllWithItems(SYSTEM_ACTOR);
    const codeOf = new Map(all.map((r) => [r.id, r.code]));
    const failing = new Set(results.filter((r) => r.failed > 0).map((r) => `${codeOf.get(r.resourceId)} ${r.itemCode} ${r.kind}`));
    const expected = [
      '104004/00001 citizen_id citizen-id',
      '305002/00001 citizen_id citizen-id',
      '316001/00001 region_code code-set',
      '204002/00001 mobile mobile',
    ];
    for (const e of expected) expect(failing, e).toContain(e);
    expect(failing).toContain('202001/00001 grid_leader_mobile sql');
    const rule = results.find((r) => codeOf.get(r.resourceId) === GRID_LEADER_RULE.resource && r.kind === 'sql')!;
    expect(rule).toMatchObject({ dimension: 'completeness', severity: 'high' });
    const grid = DEMO_DEFECTS.find((d) => d.resource === GRID_LEADER_RULE.resource)!;
    expect(rule.failed).toBe(defectRows(grid, recordCount(grid.resource, SCALE)).size);

    const figures = await services.problems.figures(SYSTEM_ACTOR);
    expect(figures.total.open).toBe(failing.size);
    const byDepartment = await services.scans.scores(SYSTEM_ACTOR, 'department');
    expect(byDepartment.items.filter((d) => d.score !== null && d.score < 1).length).toBeGreaterThanOrEqual(4);
    // The grid's empty telephones fail a high-severity rule well below 0.95: not every collected resource is governed.
    expect(byDepartment.governed.governedResources).toBeLessThan(byDepartment.governed.resources);
  });

  it('leaves no generated file behind', () => {
    expect(fs.readdirSync(path.join(dataDir, 'demo'))).toEqual([]);
    expect(fs.readdirSync(path.join(dataDir, 'incoming'))).toEqual([]);
  });

  it('changes nothing the second time: every batch is already loaded', async () => {
    const again = await loadDemoRecords(services, { dataDir, scale: SCALE });
    expect(again).toEqual({ resources: COLLECTED.length, alreadyLoaded: COLLECTED.length, rowsRead: 0, inserted: 0, rejected: 0 });
    const figures = await services.collectionFigures.figures(SYSTEM_ACTOR, { top: 1 });
    expect(figures.records).toBe(first.inserted);
    expect(fs.readdirSync(path.join(dataDir, 'incoming'))).toEqual([]);
  });
});
