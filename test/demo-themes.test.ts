import { describe, expect, it } from 'vitest';
import { DEMO_CITY } from '../src/demo/city.js';
import { DEMO_DEPARTMENTS } from '../src/demo/organisation.js';
import { DEMO_THEMES, resolveDemoTheme } from '../src/demo/themes.js';
import { DEMO_LICENCE_TYPES } from '../src/demo/synthetic/licences.js';
import { generateResourceRows } from '../src/demo/synthetic/resource-rows.js';
import { THEME_VARIANTS, withThemeVariants } from '../src/demo/synthetic/theme-variants.js';
import type { SyntheticResource } from '../src/demo/synthetic/types.js';
import { isHistoricalRegionCode } from '../src/reference/regions.js';
import { checkCitizenId } from '../src/shared/validation/citizen-id.js';
import { parseLicenceId } from '../src/shared/validation/licence-id.js';
import { isValidOrgCode } from '../src/shared/validation/org-code.js';
import { checkUscc } from '../src/shared/validation/uscc.js';

const resource = (code: string) => DEMO_CITY.resources.find((r) => r.code === code)!;

function synthetic(code: string): SyntheticResource {
  const r = resource(code);
  const p = DEMO_DEPARTMENTS.find((d) => d.key === r.provider)!;
  return {
    code,
    name: r.name,
    items: r.items.map((i) => ({
      code: i.code,
      name: i.name,
      dataType: i.dataType,
      length: i.length ?? null,
      precision: i.precision ?? null,
      primaryKey: i.primaryKey ?? false,
      nullable: i.nullable ?? true,
      codeSet: i.codeSet ?? null,
      description: i.description ?? null,
    })),
    provider: { name: p.name, uscc: p.uscc, regionCode: p.regionCode },
  };
}

describe('demo themes', () => {
  it('are the six themes, each member a collected demo resource whose key and mapped items exist', () => {
    expect(DEMO_THEMES.map((t) => t.code)).toEqual(['population', 'legal_entity', 'credit', 'elicence', 'grassroots', 'spatial']);
    for (const t of DEMO_THEMES) {
      const attributes = new Set(t.attributes.map((a) => a.code));
      for (const m of t.members) {
        const items = new Set(resource(m.resource).items.map((i) => i.code));
        expect(items.has(m.keyItem), `${t.code} ${m.resource} ${m.keyItem}`).toBe(true);
        for (const [a, item] of Object.entries(m.attributes)) {
          expect(attributes.has(a), `${t.code} ${a}`).toBe(true);
          expect(items.has(item), `${t.code} ${m.resource} ${item}`).toBe(true);
        }
      }
      for (const codes of Object.values(t.attributePriority ?? {})) for (const c of codes) expect(t.members.map((m) => m.resource)).toContain(c);
      // Never a match on one attribute alone.
      for (const combo of t.fallbackMatch ?? []) {
        expect(combo.length).toBeGreaterThanOrEqual(2);
        for (const a of combo) expect(attributes.has(a)).toBe(true);
      }
    }
  });

  it('put public security first for names and ID data and market regulation first for entity names', () => {
    const population = DEMO_THEMES.find((t) => t.code === 'population')!;
    expect(population.attributePriority!['name']![0]).toBe('101001/00001');
    expect(resource('101001/00001').provider).toBe('gaj');
    expect(population.members.find((m) => m.priority === 2)!.resource).toBe('105002/00001');
    const legal = DEMO_THEMES.find((t) => t.code === 'legal_entity')!;
    expect(resource(legal.attributePriority!['name']![0]!).provider).toBe('scjgj');
  });

  it('keep the e-licence attributes the plan fixed, holder_code indexed', () => {
    const t = DEMO_THEMES.find((x) => x.code === 'elicence')!;
    expect(t.attributes.map((a) => a.code)).toEqual([
      'name',
      'type_code',
      'number',
      'holder',
      'holder_code',
      'holder_code_type',
      'issuer',
      'issuer_code',
      'issue_date',
      'valid_from',
      'valid_to',
      'region_code',
      'status',
    ]);
    expect(t.attributes.filter((a) => a.indexed).map((a) => a.code)).toEqual(['holder_code']);
    expect(t.members.map((m) => m.resource).sort()).toEqual(Object.keys(DEMO_LICENCE_TYPES).sort());
  });

  it('resolve member codes to ids and refuse an unknown one', () => {
    const def = resolveDemoTheme(DEMO_THEMES[0]!, (code) => `id-${code}`);
    expect(def.members[0]!.resourceId).toBe('id-101001/00001');
    expect(def.attributePriority!['name']![0]).toBe('id-101001/00001');
    expect(() => resolveDemoTheme(DEMO_THEMES[0]!, () => undefined)).toThrow(/no catalogue resource 101001\/00001/);
  });
});

describe('demo data for the themes', () => {
  it('gives every e-licence a valid identifier naming its type and issuer', () => {
    for (const [code, type] of Object.entries(DEMO_LICENCE_TYPES)) {
      const r = synthetic(code);
      const at = (item: string) => r.items.findIndex((i) => i.code === item);
      for (const row of generateResourceRows(r, 50)) {
        const parsed = parseLicenceId(row[at('licence_id')]!);
        expect(parsed.errors, row[at('licence_id')]).toEqual([]);
        expect(parsed.parts).toMatchObject({ typeCode: type.typeCode, issuerUscc: r.provider.uscc });
        expect(row[at('licence_type_code')]).toBe(type.typeCode);
        expect(row[at('licence_name')]).toBe(type.name);
        expect(row[at('issuer_code')]).toBe(r.provider.uscc);
        expect(row[at('holder_code_type')]).toBe(type.holderCodeType);
      }
    }
  });

  it('seed legacy 15-digit IDs, organisation codes, disagreeing names and bad check digits into a few rows', () => {
    const count = 400;
    const seeded = (code: string) => {
      const r = synthetic(code);
      const items = r.items.map((i) => i.code);
      const clean = [...generateResourceRows(r, count)];
      const varied = [...withThemeVariants(code, items, generateResourceRows(r, count), count)];
      const col = (item: string) => items.indexOf(item);
      const changed = (item: string) => varied.map((row, i) => [clean[i]![col(item)]!, row[col(item)]!] as const).filter(([a, b]) => a !== b);
      return { changed };
    };

    const insurance = seeded('101004/00001');
    const legacy = insurance.changed('citizen_id');
    expect(legacy.length).toBeGreaterThanOrEqual(3);
    for (const [full, short] of legacy) {
      expect(short).toHaveLength(15);
      // The 15-digit number upgrades to the person's 18-digit one.
      expect(checkCitizenId(short, isHistoricalRegionCode)).toMatchObject({ valid: true, normalized: full });
    }
    expect(insurance.changed('name').length).toBeGreaterThanOrEqual(2);

    const taxpayers = seeded('102004/00001');
    const bridged = taxpayers.changed('uscc');
    expect(bridged.length).toBe(Math.round(0.02 * count));
    for (const [uscc, orgCode] of bridged) {
      expect(checkUscc(uscc)).toMatchObject({ valid: true });
      expect(isValidOrgCode(orgCode)).toBe(true);
      expect(orgCode.replace('-', '')).toBe(uscc.slice(8, 17));
    }
    const names = taxpayers.changed('ent_name');
    expect(names.length).toBe(2);
    for (const [a, b] of names) expect(b).not.toBe(a);

    for (const code of ['105002/00001', '101001/00002']) {
      const bad = seeded(code).changed('citizen_id');
      expect(bad.length).toBe(2);
      for (const [, id] of bad) expect(checkCitizenId(id, isHistoricalRegionCode).valid).toBe(false);
    }
    expect(THEME_VARIANTS.every((v) => resource(v.resource).items.some((i) => i.code === v.item))).toBe(true);
  });
});
