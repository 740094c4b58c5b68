import { describe, expect, it } from 'vitest';
import { DEMO_CITY } from '../city.js';
import { DEMO_DEPARTMENTS } from '../organisation.js';
import { mapHeader } from '../../modules/collection/parsing/header-mapping.js';
import { compileRowCoercer } from '../../modules/collection/parsing/row-coercer.js';
import { isHistoricalRegionCode } from '../../reference/regions.js';
import { checkCitizenId } from '../../shared/validation/citizen-id.js';
import { checkUscc } from '../../shared/validation/uscc.js';
import { enumerated } from './values-fallback.js';
import { planKeys } from './keys.js';
import { POPULATION_RESOURCE, recordCount } from './resource-plans.js';
import { generateResourceRows } from './resource-rows.js';
import type { SyntheticResource } from './types.js';

/** The demo catalogue as collection sees it once created (nullable defaults to "not a key"). */
const RESOURCES: SyntheticResource[] = DEMO_CITY.resources.map((r) => {
  const provider = DEMO_DEPARTMENTS.find((d) => d.key === r.provider)!;
  return {
    code: r.code,
    name: r.name,
    items: r.items.map((i) => ({
      code: i.code,
      name: i.name,
      dataType: i.dataType,
      length: i.length ?? null,
      precision: i.precision ?? null,
      primaryKey: i.primaryKey ?? false,
      nullable: i.nullable ?? !i.primaryKey,
      codeSet: i.codeSet ?? null,
      description: i.description ?? null,
    })),
    provider: { name: provider.name, uscc: provider.uscc, regionCode: provider.regionCode },
  };
});

describe('synthetic demo rows', () => {
  it('pass collection header mapping and type checks, with unique keys, for every demo resource', () => {
    for (const r of RESOURCES) {
      const mapping = mapHeader(
        r.items.map((i) => i.name),
        r.items,
      );
      expect(mapping.loadable, r.code).toBe(true);
      expect(mapping.columns, r.code).toHaveLength(r.items.length);
      const coerce = compileRowCoercer(r.items, mapping.columnOf);
      const keys = new Set<string>();
      let count = 0;
      for (const row of generateResourceRows(r, recordCount(r.code, 0.05))) {
        const result = coerce(row);
        expect(result.ok ? 'ok' : result.reason, `${r.code} row ${count}: ${row.join(',')}`).toBe('ok');
        keys.add(r.items.map((item, i) => (item.primaryKey ? row[i] : '')).join('|'));
        count++;
      }
      expect(count, r.code).toBe(recordCount(r.code, 0.05));
      expect(keys.size, r.code).toBe(count);
    }
  });

  it('are the same for the same seed', () => {
    const r = RESOURCES.find((x) => x.code === '204001/00001')!;
    const a = [...generateResourceRows(r, 30)];
    expect([...generateResourceRows(r, 30)]).toEqual(a);
    expect([...generateResourceRows(r, 30, 2)]).not.toEqual(a);
  });

  it('give people valid ID numbers and firms valid USCCs', () => {
    for (const code of ['101001/00001', '102001/00001', '304002/00001']) {
      const r = RESOURCES.find((x) => x.code === code)!;
      const at = (c: string) => r.items.findIndex((i) => i.code === c);
      for (const row of generateResourceRows(r, 300)) {
        if (at('citizen_id') >= 0) expect(checkCitizenId(row[at('citizen_id')]!, isHistoricalRegionCode), row[at('citizen_id')]).toMatchObject({ valid: true });
        if (at('uscc') >= 0) expect(checkUscc(row[at('uscc')]!), row[at('uscc')]).toMatchObject({ valid: true });
      }
    }
  });

  it('draw pupils of school age and keep a station name with its code', () => {
    const pupils = RESOURCES.find((x) => x.code === '304002/00001')!;
    for (const row of generateResourceRows(pupils, 200)) expect(Number(row[4]!.slice(0, 4))).toBeGreaterThanOrEqual(2007);
    const air = RESOURCES.find((x) => x.code === '308001/00001')!;
    const names = new Map<string, Set<string>>();
    for (const row of generateResourceRows(air, 500)) (names.get(row[0]!) ?? names.set(row[0]!, new Set()).get(row[0]!)!).add(row[2]!);
    for (const set of names.values()) expect(set.size).toBe(1);
  });

  it('gives the population base 100,000 rows and others 2,000–6,000, times the scale', () => {
    expect(recordCount(POPULATION_RESOURCE)).toBe(100_000);
    expect(recordCount(POPULATION_RESOURCE, 0.02)).toBe(2000);
    for (const r of RESOURCES.filter((x) => x.code !== POPULATION_RESOURCE)) {
      expect(recordCount(r.code)).toBeGreaterThanOrEqual(2000);
      expect(recordCount(r.code)).toBeLessThanOrEqual(6000);
    }
    expect(recordCount('999999/00001', 0.0001)).toBe(1);
  });
});

describe('planKeys', () => {
  it('varies the other key items fastest and the main sequence slowest', () => {
    const plan = planKeys(
      [
        { size: Infinity, at: String },
        { size: 3, at: String },
      ],
      7,
      'x',
    );
    expect([0, 1, 2, 3, 6].map((i) => plan.split(i))).toEqual([
      { major: 0, positions: [0, 0] },
      { major: 0, positions: [0, 1] },
      { major: 0, positions: [0, 2] },
      { major: 1, positions: [1, 0] },
      { major: 2, positions: [2, 0] },
    ]);
  });

  it('caps the rows at what finite key items can tell apart', () => {
    expect(
      planKeys(
        [
          { size: 4, at: String },
          { size: 3, at: String },
        ],
        100,
        'x',
      ).count,
    ).toBe(12);
  });
});

describe('enumerated', () => {
  it('reads codes, words, or numbers them when the words do not fit', () => {
    expect(enumerated({ description: '01 迁入 02 迁出 03 出生 04 死亡', length: 2 })).toEqual(['01', '02', '03', '04']);
    expect(enumerated({ description: '废水、废气', length: 2 })).toEqual(['废水', '废气']);
    expect(enumerated({ description: '一般纳税人、小规模纳税人', length: 2 })).toEqual(['01', '02']);
    expect(enumerated({ description: null, length: 2 })).toBeNull();
  });
});
