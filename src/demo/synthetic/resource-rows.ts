import { buildUscc } from '../../shared/validation/uscc.js';
import { daysFromCivil } from './dates.js';
import { firmAt, type Firm } from './firms.js';
import { TODAY } from './helpers.js';
import { keyDomain, planKeys } from './keys.js';
import { createPersonStream, type Person } from './people.js';
import { LINEAGES } from './population-data.js';
import { randomStreet, STREETS, type Street } from './places.js';
import { createRandom } from './random.js';
import { FIRM_KINDS, FIRM_OFFSETS, PERSON_FILTERS } from './resource-plans.js';
import type { Authority, RowContext, SyntheticResource } from './types.js';
import { valueFor } from './values.js';

/**
 * SYNTHETIC DATA. Rows for any catalogued resource, in item order, as CSV cell texts ('' is
 * empty). Keys are unique by construction (keys.ts); other values come from values.ts.
 * Every resource reads the same synthetic population and the same firms, so rows of different
 * resources about one person or firm agree and can be joined.
 */

/** The one population all resources draw people from (see people.ts). */
export const POPULATION_SEED = 20250630;

/** Row event days fall between this day and TODAY. */
const FIRST_DAY = daysFromCivil(2016, 1, 1);
const STREET_BY_CODE = new Map(STREETS.map((s) => [s.code, s]));

function hashCode(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** The provider, or (for a city bureau, half the time) its counterpart in the row's district. */
function authorityFor(resource: SyntheticResource, street: Street, useDistrict: boolean): Authority {
  const p = resource.provider;
  if (!useDistrict || p.regionCode !== '330600' || !p.name.startsWith('绍兴市') || !p.uscc.startsWith('11')) return p;
  const lineage = street.lineage;
  return {
    name: p.name.replace(/^绍兴市/, `绍兴市${lineage.district}`),
    uscc: buildUscc(`11${lineage.currentCode}`, `KD${p.uscc.slice(12, 16)}${String(LINEAGES.indexOf(lineage)).padStart(2, '0')}`),
  };
}

export function* generateResourceRows(resource: SyntheticResource, wanted: number, seed = 1): Generator<string[]> {
  const codes = new Set(resource.items.map((i) => i.code));
  const subject = codes.has('citizen_id') ? 'person' : codes.has('uscc') ? 'firm' : 'other';
  const firmKind = FIRM_KINDS[resource.code] ?? 'company';
  const people = createPersonStream(POPULATION_SEED, PERSON_FILTERS[resource.code]);
  const keyItems = resource.items.filter((i) => i.primaryKey);
  const firmOffset = FIRM_OFFSETS[resource.code] ?? 0;
  const domains = keyItems.map((item) => keyDomain(item, resource, { people, firmKind, firmOffset }));
  const plan = planKeys(domains, wanted, resource.code);
  // A row is about the key's person or firm when the key names one (a person's five insurance
  // types); otherwise each row is about someone new (a patient per medical record).
  const personByKey = domains.some((d) => d.forwardOnly);
  const firmByKey = keyItems.some((i) => i.code === 'uscc');
  const rnd = createRandom((seed * 0x9e3779b1) ^ hashCode(resource.code));
  const county = resource.provider.regionCode !== '330600' ? LINEAGES.find((l) => l.currentCode === resource.provider.regionCode) : undefined;

  for (let i = 0; i < plan.count; i++) {
    const { major, positions } = plan.split(i);
    const values = new Map<string, string>();
    const attrs: Record<string, string> = {};
    keyItems.forEach((item, j) => {
      const domain = domains[j]!;
      values.set(item.code, domain.at(positions[j]!));
      Object.assign(attrs, domain.attrs?.(positions[j]!));
    });
    const memo = new Map<string, unknown>();
    const once = <T>(key: string, make: () => T): T => {
      if (!memo.has(key)) memo.set(key, make());
      return memo.get(key) as T;
    };
    const c: RowContext = {
      rnd,
      resource,
      major,
      subject,
      attrs,
      person: () => once<Person>('person', () => people.at(personByKey ? major : i)),
      firm: () => once<Firm>('firm', () => firmAt(firmKind, firmOffset + (firmByKey ? major : i))),
      employer: () => once<Firm>('employer', () => firmAt('company', hashCode(c.person().citizenId) % 2000)),
      street: () =>
        once<Street>('street', () => {
          const known = attrs['street_code'] ? STREET_BY_CODE.get(attrs['street_code']) : undefined;
          if (known) return known;
          if (subject === 'firm') return c.firm().street;
          if (county) return randomStreet(rnd, county);
          return randomStreet(rnd, subject === 'person' ? c.person().lineage : undefined);
        }),
      day: () => once('day', () => FIRST_DAY + rnd.int(TODAY - FIRST_DAY + 1)),
      authority: () => once('authority', () => authorityFor(resource, c.street(), rnd.next() < 0.5)),
      once,
      get: (code) => values.get(code),
    };
    for (const item of resource.items) if (!item.primaryKey) values.set(item.code, valueFor(c, item));
    yield resource.items.map((item) => values.get(item.code)!);
  }
}
