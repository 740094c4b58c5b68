/**
 * Synthetic population generator for load tests (DOMAIN.md §8 population base). SYNTHETIC DATA:
 * no row describes a real person (see population-rows.ts).
 *
 *   npx tsx bench/generators/population.ts --rows 1000000 --format csv|gbk|xlsx --out bench/out/population.csv --seed 1
 *
 * Defaults: 1,000,000 rows (100,000 for xlsx), seed 1, bench/out/population.{csv,gbk.csv,xlsx}.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generatePopulationRows } from '../../src/demo/synthetic/population-rows.js';
import { writeCsv, writeXlsx } from './population-writers.js';

export { POPULATION_HEADER, POPULATION_ITEMS, type PopulationItem } from '../../src/demo/synthetic/population-items.js';
export { MAX_POPULATION_ROWS, generatePopulationRows } from '../../src/demo/synthetic/population-rows.js';
export { writeCsv, writeXlsx } from './population-writers.js';

export type PopulationFormat = 'csv' | 'gbk' | 'xlsx';

export async function writePopulationFile(format: PopulationFormat, rows: number, out: string, seed: number): Promise<number> {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const source = generatePopulationRows(seed, rows);
  if (format === 'xlsx') return writeXlsx(source, out);
  return writeCsv(source, out, format === 'gbk' ? 'gbk' : 'utf-8');
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: 'string' },
      format: { type: 'string', default: 'csv' },
      out: { type: 'string' },
      seed: { type: 'string', default: '1' },
    },
  });
  const format = values.format as PopulationFormat;
  if (!['csv', 'gbk', 'xlsx'].includes(format)) throw new Error(`--format must be csv, gbk or xlsx, not '${values.format}'`);
  const rows = Number(values.rows ?? (format === 'xlsx' ? 100_000 : 1_000_000));
  const seed = Number(values.seed);
  if (!Number.isInteger(rows) || rows < 0) throw new Error(`--rows must be a whole number, not '${values.rows}'`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be a whole number, not '${values.seed}'`);
  const out = values.out ?? { csv: 'bench/out/population.csv', gbk: 'bench/out/population.gbk.csv', xlsx: 'bench/out/population.xlsx' }[format];
  const started = performance.now();
  const written = await writePopulationFile(format, rows, out, seed);
  const seconds = (performance.now() - started) / 1000;
  const bytes = fs.statSync(out).size;
  console.log(`${written} synthetic rows → ${out} (${format}, ${(bytes / 1e6).toFixed(1)} MB) in ${seconds.toFixed(1)} s`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
