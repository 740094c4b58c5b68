import { CATEGORIES, OPEN_TYPES, SENSITIVITY_LEVELS, SHARE_TYPES, SYSTEM_LEVELS, UPDATE_FREQUENCIES } from '../codes.js';
import { openTypeFromDb, shareTypeFromDb } from '../resources/resources.repository.js';
import { orderedEntries } from './code-lists.presenter.js';
import type { GroupCount } from './stats.repository.js';
import type { CatalogStats } from './stats.schemas.js';

type Labels = Readonly<Record<string | number, { zh: string; en: string }>>;
type Row = CatalogStats['byCategory'][number];

/**
 * Every value of a code list, zeros included (a UI shows the whole list); a stored value the list
 * does not know is kept, labelled with itself, rather than dropped from the figures.
 */
function breakdown(labels: Labels, resources: GroupCount[], items: GroupCount[], codeOf: (key: string | number) => string | number = (k) => k): Row[] {
  const numeric = Object.keys(labels).every((k) => /^\d+$/.test(k) && !k.startsWith('0'));
  const rows = new Map<string, Row>();
  for (const [code, l] of orderedEntries(labels)) rows.set(code, { code: numeric ? Number(code) : code, zh: l.zh, en: l.en, resources: 0, items: 0 });
  const add = (list: GroupCount[], field: 'resources' | 'items') => {
    for (const g of list) {
      const code = codeOf(g.key) ?? g.key;
      const row = rows.get(String(code)) ?? rows.set(String(code), { code, zh: String(code), en: String(code), resources: 0, items: 0 }).get(String(code))!;
      row[field] += Number(g.n);
    }
  };
  add(resources, 'resources');
  add(items, 'items');
  return [...rows.values()];
}

export type StatsParts = {
  scope: CatalogStats['scope'];
  resourceTotals: { resources: number; classified: number };
  itemTotals: { items: number; shareable: number; openable: number };
  resourcesBy: Record<'category' | 'share_type' | 'open_type' | 'sensitivity' | 'update_frequency', GroupCount[]>;
  itemsBy: Record<'category' | 'share_type' | 'open_type' | 'sensitivity' | 'update_frequency', GroupCount[]>;
  regions: { region_code: string; region_name: string; level: string; resources: number; items: number; shareable: number }[];
  departments: { department_id: string; department_name: string; region_code: string; resources: number; items: number; shareable: number }[];
  systems: { level: string; systems: number; connected: number }[];
};

export function presentStats(p: StatsParts): CatalogStats {
  const byRegion = p.regions.map((r) => ({
    regionCode: r.region_code,
    regionName: r.region_name,
    level: r.level,
    resources: Number(r.resources),
    items: Number(r.items),
    shareableItems: Number(r.shareable),
  }));
  // Summing a handful of per-region aggregates (one row per region, each resource in exactly one region).
  const sumLevel = (level: string) =>
    byRegion
      .filter((r) => r.level === level)
      .reduce((a, r) => ({ resources: a.resources + r.resources, items: a.items + r.items, shareableItems: a.shareableItems + r.shareableItems }), {
        resources: 0,
        items: 0,
        shareableItems: 0,
      });
  const systemsByLevel = breakdown(SYSTEM_LEVELS, [], []).map((l) => {
    const row = p.systems.find((s) => s.level === l.code);
    return { code: String(l.code), zh: l.zh, en: l.en, systems: Number(row?.systems ?? 0), connected: Number(row?.connected ?? 0) };
  });
  for (const s of p.systems) {
    if (!(s.level in SYSTEM_LEVELS))
      systemsByLevel.push({ code: s.level, zh: s.level, en: s.level, systems: Number(s.systems), connected: Number(s.connected) });
  }
  return {
    scope: p.scope,
    resources: Number(p.resourceTotals.resources),
    items: Number(p.itemTotals.items),
    shareableItems: Number(p.itemTotals.shareable),
    openableItems: Number(p.itemTotals.openable),
    classifiedResources: Number(p.resourceTotals.classified),
    byCategory: breakdown(CATEGORIES, p.resourcesBy.category, p.itemsBy.category),
    byShareType: breakdown(SHARE_TYPES, p.resourcesBy.share_type, p.itemsBy.share_type, (k) => shareTypeFromDb(Number(k))),
    byOpenType: breakdown(OPEN_TYPES, p.resourcesBy.open_type, p.itemsBy.open_type, (k) => openTypeFromDb(Number(k))),
    bySensitivity: breakdown(SENSITIVITY_LEVELS, p.resourcesBy.sensitivity, p.itemsBy.sensitivity),
    byUpdateFrequency: breakdown(UPDATE_FREQUENCIES, p.resourcesBy.update_frequency, p.itemsBy.update_frequency),
    cityLevel: sumLevel('prefecture'),
    districts: sumLevel('county'),
    byRegion,
    byDepartment: p.departments.map((d) => ({
      departmentId: d.department_id,
      departmentName: d.department_name,
      regionCode: d.region_code,
      resources: Number(d.resources),
      items: Number(d.items),
      shareableItems: Number(d.shareable),
    })),
    systems: {
      total: systemsByLevel.reduce((a, s) => a + s.systems, 0),
      connected: systemsByLevel.reduce((a, s) => a + s.connected, 0),
      byLevel: systemsByLevel,
    },
  };
}
