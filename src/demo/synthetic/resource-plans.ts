import type { FirmKind } from './firms.js';
import { ageOf, type Person } from './people.js';

/**
 * Per-resource choices: which people a resource's rows are about (newborns, pupils, the
 * elderly), what kind of organisation its USCCs name, and how many rows it gets.
 */

const ages =
  (min: number, max = 200) =>
  (p: Person) => {
    const age = ageOf(p);
    return age >= min && age <= max;
  };

export const PERSON_FILTERS: Record<string, (p: Person) => boolean> = {
  '101002/00001': ages(0, 5),
  '101004/00001': ages(16, 85),
  '103001/00001': ages(22),
  '103001/00002': ages(25),
  '105002/00001': ages(0),
  '105003/00001': ages(22),
  '207001/00001': ages(60),
  '301001/00001': ages(18, 80),
  '302001/00001': ages(16, 64),
  '302002/00001': ages(18, 60),
  '304002/00001': ages(6, 17),
  '305002/00001': ages(22),
  '306001/00001': ages(20, 60),
  '314001/00001': ages(25, 65),
};

export const FIRM_KINDS: Record<string, FirmKind> = {
  '102001/00002': 'individual',
  '102002/00001': 'social',
  '102003/00001': 'institution',
  '303001/00001': 'institution',
  '304001/00001': 'institution',
};

/** Where a resource's firms start in their kind's sequence, so schools and hospitals are not the 事业单位 of 102003. */
export const FIRM_OFFSETS: Record<string, number> = {
  '303001/00001': 100_000,
  '304001/00001': 200_000,
};

/**
 * Catalogued but not yet collected, as in any real city: the demo sends them no file, so the
 * coverage figure 应归尽归 shows a gap (one is a district's, so the districts' figure does too).
 */
export const UNCOLLECTED_RESOURCES: readonly string[] = ['309001/00001', '315001/00001', '320001/00001'];

/** The population base (人口基本信息) gets 100,000 rows. */
export const POPULATION_RESOURCE = '101001/00001';
export const POPULATION_ROWS = 100_000;

/** Rows for a resource: 100,000 for the population base, else 2,000–6,000 by its code; × scale, at least 1. */
export function recordCount(code: string, scale = 1): number {
  let h = 2166136261;
  for (let i = 0; i < code.length; i++) h = Math.imul(h ^ code.charCodeAt(i), 16777619) >>> 0;
  const base = code === POPULATION_RESOURCE ? POPULATION_ROWS : 2000 + (h % 41) * 100;
  return Math.max(1, Math.round(base * scale));
}
