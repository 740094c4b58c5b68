import { readReferenceCsv } from './csv.js';

/** GB/T 2260 region codes shipped in reference/ (Ministry of Civil Affairs list, 2024). */
export type RegionRef = { code: string; name: string; level: 'province' | 'prefecture' | 'county'; parentCode: string | null };
export type HistoricalRegionRef = { code: string; name: string; status: string; startYear: number; endYear: number | null; newCodes: string[] };

let current: Map<string, RegionRef> | undefined;
let history: Map<string, HistoricalRegionRef[]> | undefined;

export function currentRegions(): Map<string, RegionRef> {
  current ??= new Map(
    readReferenceCsv('administrative-divisions.csv').map((r) => [
      r.code!,
      { code: r.code!, name: r.name!, level: r.level as RegionRef['level'], parentCode: r.parent_code || null },
    ]),
  );
  return current;
}

export function historicalRegions(): Map<string, HistoricalRegionRef[]> {
  if (!history) {
    history = new Map();
    for (const r of readReferenceCsv('administrative-divisions-history.csv')) {
      const list = history.get(r.code!) ?? [];
      list.push({
        code: r.code!,
        name: r.name!,
        status: r.status!,
        startYear: Number(r.start_year),
        endYear: r.end_year ? Number(r.end_year) : null,
        newCodes: r.new_codes ? r.new_codes.split(';').map((c) => c.replace(/\[\d+\]$/, '')) : [],
      });
      history.set(r.code!, list);
    }
  }
  return history;
}

/** Was this code ever a GB/T 2260 code (1981–2024)? ID numbers keep the code of their issue date. */
export function isHistoricalRegionCode(code: string): boolean {
  return historicalRegions().has(code) || currentRegions().has(code);
}

/** Explains why a code is not in force: e.g. 330621 绍兴县, abolished 2013, succeeded by 330603. */
export function explainRetiredCode(code: string): string | null {
  const records = historicalRegions().get(code);
  if (!records?.length) return null;
  const last = records[records.length - 1]!;
  const successors = last.newCodes.length ? `; succeeded by ${[...new Set(last.newCodes)].join(', ')}` : '';
  return `${code} was ${last.name} (${last.startYear}–${last.endYear ?? 'now'})${successors}`;
}
