import { citizenIdCheckChar } from '../../shared/validation/citizen-id.js';
import { dayOf, isoDay, daysFromCivil, pad2 } from './dates.js';
import { GIVEN_FEMALE, GIVEN_MALE, LINEAGES, MOBILE_PREFIXES, SURNAMES, SURNAME_WEIGHTS, type Lineage } from './population-data.js';
import { POPULATION_ITEMS } from './population-items.js';
import { generatePopulationRows } from './population-rows.js';
import type { Random } from './random.js';

/** SYNTHETIC DATA: a person of the synthetic population (see population-rows.ts). */
export type Person = {
  citizenId: string;
  name: string;
  /** GB/T 2261.1: '1' male, '2' female. */
  sex: '1' | '2';
  ethnicGroup: string;
  birthDate: string;
  address: string;
  /** '' for young children and a few adults. */
  mobile: string;
  lineage: Lineage;
  householdNo: string;
  registeredOn: string;
  updatedAt: string;
  education: string;
  marital: string;
};

const at = (code: string) => POPULATION_ITEMS.findIndex((i) => i.code === code);
const COLUMNS = {
  citizenId: at('citizen_id'),
  name: at('name'),
  sex: at('sex'),
  ethnicGroup: at('ethnic_group'),
  birthDate: at('birth_date'),
  address: at('address'),
  mobile: at('phone'),
  region: at('region_code'),
  householdNo: at('household_no'),
  registeredOn: at('registered_on'),
  updatedAt: at('updated_at'),
  education: at('education'),
  marital: at('marital_status'),
};
const LINEAGE_BY_CODE = new Map(LINEAGES.map((l) => [l.currentCode, l]));

function toPerson(row: string[]): Person {
  const v = (i: number) => row[i]!;
  return {
    citizenId: v(COLUMNS.citizenId),
    name: v(COLUMNS.name),
    sex: v(COLUMNS.sex) === '1' ? '1' : '2',
    ethnicGroup: v(COLUMNS.ethnicGroup),
    birthDate: v(COLUMNS.birthDate),
    address: v(COLUMNS.address),
    mobile: v(COLUMNS.mobile),
    lineage: LINEAGE_BY_CODE.get(v(COLUMNS.region))!,
    householdNo: v(COLUMNS.householdNo),
    registeredOn: v(COLUMNS.registeredOn),
    updatedAt: v(COLUMNS.updatedAt),
    education: v(COLUMNS.education),
    marital: v(COLUMNS.marital),
  };
}

/** Age in whole years on 2025-06-30, the synthetic data's "today". */
export function ageOf(person: Pick<Person, 'birthDate'>): number {
  return Math.floor((dayOf('2025-06-30') - dayOf(person.birthDate)) / 365.25);
}

/**
 * The k-th person of one seeded population, optionally only people a filter keeps (e.g. pupils).
 * All resources read the same population, so a person in the social-assistance list is also in
 * 人口基本信息 and the two can be joined. Access is sequential: k never goes back.
 */
export function createPersonStream(seed: number, keep: (p: Person) => boolean = () => true) {
  const rows = generatePopulationRows(seed);
  let index = -1;
  let current: Person | undefined;
  return {
    at(k: number): Person {
      if (k < index) throw new RangeError(`person ${k} was passed already (at ${index})`);
      while (index < k) {
        for (;;) {
          const next = rows.next();
          if (next.done) throw new RangeError('the synthetic population is exhausted');
          const p = toPerson(next.value);
          if (keep(p)) {
            current = p;
            break;
          }
        }
        index++;
      }
      return current!;
    },
  };
}

export type PersonStream = ReturnType<typeof createPersonStream>;

export function randomName(rnd: Random, sex: '1' | '2' = rnd.next() < 0.5 ? '1' : '2'): string {
  const pool = sex === '1' ? GIVEN_MALE : GIVEN_FEMALE;
  const given = rnd.next() < 0.7 ? rnd.pick(pool) + rnd.pick(pool) : rnd.pick(pool);
  return rnd.weighted(SURNAMES, SURNAME_WEIGHTS) + given;
}

export function randomMobile(rnd: Random): string {
  return rnd.pick(MOBILE_PREFIXES) + rnd.digits(8);
}

/**
 * A structurally valid, SYNTHETIC ID number for a second person on a row (a mother, a spouse),
 * born between the given years; not taken from the population, so not unique.
 */
export function randomCitizenId(rnd: Random, sex: '1' | '2', fromYear: number, toYear: number): { id: string; birthDate: string } {
  const first = daysFromCivil(fromYear, 1, 1);
  const day = first + rnd.int(daysFromCivil(toYear, 12, 31) - first + 1);
  const birthDate = isoDay(day);
  const lineage = rnd.pick(LINEAGES);
  let sequence = rnd.int(1000);
  if ((sequence % 2 === 1) !== (sex === '1')) sequence = (sequence + 1) % 1000;
  const first17 = `${lineage.currentCode}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return { id: first17 + citizenIdCheckChar(first17), birthDate };
}

/** 'YYYY-MM-DD' of the person's n-th birthday (28 Feb for a 29 Feb birth). */
export function birthdayAt(person: Pick<Person, 'birthDate'>, years: number): string {
  const y = Number(person.birthDate.slice(0, 4)) + years;
  const m = Number(person.birthDate.slice(5, 7));
  const d = Math.min(Number(person.birthDate.slice(8, 10)), m === 2 ? 28 : 31);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}
