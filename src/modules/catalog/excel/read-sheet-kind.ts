import { defineJobKind } from '../../../jobs/job-kind.js';
import type { CatalogueSheet } from './catalogue-sheet.js';
import type { ImportProblem } from './import-problems.js';
import { columnByKey, type ColumnKey, type HeaderMatch } from './template.js';

export type ReadSheetInput = { file: Uint8Array };
/** A CatalogueSheet as it crosses threads: its header match names template columns by key. */
export type PortableSheet = Omit<CatalogueSheet, 'match'> & {
  match: { columns: [number, ColumnKey][]; headerOf: Map<ColumnKey, string>; unknown: HeaderMatch['unknown']; missingProvider: boolean };
};
export type ReadSheetOutput =
  { ok: true; threadId: number; sheet: PortableSheet } | { ok: false; threadId: number; problems: ImportProblem[]; warnings: ImportProblem[] };

/** The catalogue import's read-and-check step, in the worker pool (read-sheet.job.ts). */
export const readCatalogueSheetJob = defineJobKind<ReadSheetInput, ReadSheetOutput>('catalog.read-sheet', new URL('./read-sheet.job.js', import.meta.url));

/** The sheet back on this thread. A sheet that came back had no fatal header problem: no duplicates, nothing missing. */
export function reviveSheet(p: PortableSheet): CatalogueSheet {
  const columns = new Map(p.match.columns.map(([index, key]) => [index, columnByKey.get(key)!]));
  return {
    ...p,
    match: { columns, headerOf: p.match.headerOf, unknown: p.match.unknown, duplicates: [], missing: [], missingProvider: p.match.missingProvider },
  };
}
