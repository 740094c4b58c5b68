import { citizenIdCheckChar } from '../../shared/validation/citizen-id.js';
import {
  ADULT_EDUCATION,
  ADULT_EDUCATION_WEIGHTS,
  ADULT_MARITAL,
  ADULT_MARITAL_WEIGHTS,
  FIRST_ISSUE_YEAR,
  GIVEN_FEMALE,
  GIVEN_MALE,
  LINEAGES,
  MINORITY_ETHNIC_CODES,
  MOBILE_PREFIXES,
  ROADS,
  SURNAMES,
  SURNAME_WEIGHTS,
  regionCodeAt,
} from './population-data.js';
import { civilFromDays, daysFromCivil, isoDay, pad2 } from './dates.js';
import { createRandom } from './random.js';

/**
 * SYNTHETIC DATA. Every row is invented from a seeded random generator: no row describes a
 * real person. ID numbers are structurally valid (GB/T 2260 region, real date, MOD 11-2 check
 * digit) so the pipeline's checks pass; one may coincide with an issued number by chance, but
 * the name, address and phone next to it are random.
 *
 * Values are strings in the order of POPULATION_ITEMS; '' is an empty (nullable) value.
 */

const FIRST_BIRTH_DAY = daysFromCivil(1930, 1, 1);
const LAST_BIRTH_DAY = daysFromCivil(2024, 12, 31);
const BIRTH_DAYS = LAST_BIRTH_DAY - FIRST_BIRTH_DAY + 1;
const SEQUENCES = 1000;
const REFERENCE_YEAR = 2025;
const UPDATED_FROM = Date.UTC(2020, 0, 1) / 1000;
const UPDATED_END = Date.UTC(2025, 0, 1) / 1000;

/** How many distinct ID numbers the generator can make; rows beyond it would repeat a key. */
export const MAX_POPULATION_ROWS = LINEAGES.length * BIRTH_DAYS * SEQUENCES;

export function* generatePopulationRows(seed: number, count = Number.POSITIVE_INFINITY): Generator<string[]> {
  if (count > MAX_POPULATION_ROWS && Number.isFinite(count)) {
    throw new RangeError(`at most ${MAX_POPULATION_ROWS} rows have distinct ID numbers`);
  }
  const rnd = createRandom(seed);
  // An affine map i → (a·i + b) mod N with gcd(a, N) = 1 visits each (district, birth day,
  // sequence) slot at most once, so ID numbers are unique without remembering them; a stays
  // below 2^53 / N so the product is exact in a double.
  let a = 10_000_000 + rnd.int(30_000_000);
  while (gcd(a, MAX_POPULATION_ROWS) !== 1) a++;
  const b = rnd.int(MAX_POPULATION_ROWS);
  const limit = Math.min(count, MAX_POPULATION_ROWS);
  for (let i = 0; i < limit; i++) {
    const slot = (a * i + b) % MAX_POPULATION_ROWS;
    const sequence = slot % SEQUENCES;
    const day = FIRST_BIRTH_DAY + (Math.floor(slot / SEQUENCES) % BIRTH_DAYS);
    const lineage = LINEAGES[Math.floor(slot / SEQUENCES / BIRTH_DAYS)]!;
    const [year, month, dayOfMonth] = civilFromDays(day);
    const birthCompact = `${year}${pad2(month)}${pad2(dayOfMonth)}`;
    const first17 = `${regionCodeAt(lineage, Math.max(year, FIRST_ISSUE_YEAR))}${birthCompact}${String(sequence).padStart(3, '0')}`;
    const male = sequence % 2 === 1;
    const age = REFERENCE_YEAR - year;

    const surname = rnd.weighted(SURNAMES, SURNAME_WEIGHTS);
    const pool = male ? GIVEN_MALE : GIVEN_FEMALE;
    const given = rnd.next() < 0.7 ? rnd.pick(pool) + rnd.pick(pool) : rnd.pick(pool);
    const ethnic = rnd.next() < 0.985 ? '01' : rnd.pick(MINORITY_ETHNIC_CODES);
    let address = `浙江省绍兴市${lineage.district}${rnd.pick(lineage.streets)}${rnd.pick(ROADS)}${1 + rnd.int(300)}号`;
    if (rnd.next() < 0.5) address += `${1 + rnd.int(30)}幢${(1 + rnd.int(20)) * 100 + 1 + rnd.int(4)}室`;
    const phone = age < 12 || rnd.next() < 0.04 ? '' : rnd.pick(MOBILE_PREFIXES) + rnd.digits(8);
    const registeredDay = Math.min(LAST_BIRTH_DAY, rnd.next() < 0.7 ? day + rnd.int(60) : day + rnd.int(LAST_BIRTH_DAY - day + 1));
    // A record is last updated after it was registered.
    const updatedFrom = Math.max(UPDATED_FROM, registeredDay * 86400);
    const updated = new Date((updatedFrom + rnd.int(UPDATED_END - updatedFrom)) * 1000).toISOString();

    yield [
      first17 + citizenIdCheckChar(first17),
      surname + given,
      male ? '1' : '2',
      ethnic,
      `${year}-${pad2(month)}-${pad2(dayOfMonth)}`,
      address,
      phone,
      lineage.currentCode,
      lineage.currentCode + rnd.digits(9),
      isoDay(registeredDay),
      `${updated.slice(0, 10)} ${updated.slice(11, 19)}`,
      education(age, rnd),
      marital(age, rnd),
    ];
  }
}

function education(age: number, rnd: ReturnType<typeof createRandom>): string {
  if (age < 6) return '';
  if (age < 12) return '80';
  if (age < 15) return '70';
  if (age < 18) return '60';
  if (age < 23) return rnd.weighted(['20', '30', '60'], [4, 3, 3]);
  return rnd.weighted(ADULT_EDUCATION, ADULT_EDUCATION_WEIGHTS);
}

function marital(age: number, rnd: ReturnType<typeof createRandom>): string {
  if (age < 20) return '10';
  if (age < 28) return rnd.weighted(['10', '20', '21'], [6, 2, 2]);
  return rnd.weighted(ADULT_MARITAL, ADULT_MARITAL_WEIGHTS);
}

function gcd(x: number, y: number): number {
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}
