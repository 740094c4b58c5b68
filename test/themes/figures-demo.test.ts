import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadDemoCity } from '../../src/demo/load.js';
import { loadDemoRecords } from '../../src/demo/records.js';
import { recordCount } from '../../src/demo/synthetic/resource-plans.js';
import { defectRows } from '../../src/demo/synthetic/defects.js';
import { THEME_VARIANTS } from '../../src/demo/synthetic/theme-variants.js';
import { DEMO_THEMES, defineDemoThemes } from '../../src/demo/themes.js';
import { buildServices, type Services } from '../../src/deps.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';

const SCALE = 0.02;
/** Rows seeded with a variant of this kind into this resource's file at SCALE. */
const seeded = (resource: string, kind: string) =>
  THEME_VARIANTS.filter((v) => v.resource === resource && v.kind === kind).reduce(
    (a, v) => a + defectRows({ ...v, kind: 'empty' }, recordCount(resource, SCALE)).size,
    0,
  );
const memberRows = (code: string) => DEMO_THEMES.find((t) => t.code === code)!.members.reduce((a, m) => a + recordCount(m.resource, SCALE), 0);

/**
 * The demo's six themes built by the real mechanism from the demo's records (scale 0.02): the
 * themes figures come out exact, each tier where the seeded variants put it.
 */
describeEachDialect('themes figures of the demo city', (fresh) => {
  let db: TestDb;
  let services: Services;
  let dataDir: string;

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-demo-themes-'));
    services = buildServices(db, undefined, { dataDir });
    await loadDemoCity(services);
    await loadDemoRecords(services, { dataDir, scale: SCALE });
    expect(await defineDemoThemes(services.themes, await services.resources.listAllWithItems(SYSTEM_ACTOR))).toBe(6);
    await services.themeSync.idle();
  }, 600_000);
  afterAll(async () => {
    await services.jobs.stop();
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('builds every member record of the six themes into the crosswalk, legacy IDs, bridges, attribute matches and the review queue where the seeded variants put them', async () => {
    const f = await services.themesFigures.figures(SYSTEM_ACTOR);
    const by = new Map(f.themes.map((t) => [t.code, t]));
    expect([...by.keys()]).toEqual(['population', 'legal_entity', 'credit', 'elicence', 'grassroots', 'spatial']);
    for (const t of f.themes) expect(t.sources, t.code).toBe(memberRows(t.code));

    const population = by.get('population')!;
    // One master per person of the population base: every other member's person is one of them.
    expect(population.masters).toBe(recordCount('101001/00001', SCALE));
    const legacy = seeded('101004/00001', 'legacy-id');
    const attributes = seeded('105002/00001', 'check-digit');
    const review = seeded('101001/00002', 'check-digit');
    expect(population.tiers).toEqual({
      KEY: population.sources - legacy - attributes - review,
      LEGACY: legacy,
      BRIDGE: 0,
      ATTRIBUTES: attributes,
      UNMATCHED: review,
    });
    expect(population.reviewPending).toBe(review);
    // The names social insurance typed differently, and the ID cards whose number disagrees with the base's.
    expect(population.conflictsOpen).toBe(seeded('101004/00001', 'name-variant') + attributes);

    const legal = by.get('legal_entity')!;
    expect(legal.tiers.BRIDGE).toBe(seeded('102004/00001', 'org-code'));
    expect(legal.tiers.UNMATCHED).toBe(0);
    expect(legal.conflictsOpen).toBe(seeded('102004/00001', 'name-variant'));

    // Credit has no attribute combination: the personal records with a wrong check digit (defects.ts) wait for review.
    const credit = by.get('credit')!;
    expect(credit.tiers.UNMATCHED).toBe(2);
    expect(credit.reviewPending).toBe(2);

    for (const code of ['elicence', 'spatial']) {
      const t = by.get(code)!;
      expect(t.masters, code).toBe(t.sources);
      expect(t.matchRate, code).toBe(1);
    }
    expect(by.get('grassroots')!.conflictsOpen).toBe(0);
    expect(f.totals.reviewPending).toBe(review + 2);
  });
});
