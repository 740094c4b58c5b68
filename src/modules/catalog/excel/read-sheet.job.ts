import type { JobContext } from '../../../jobs/job-kind.js';
import { readCatalogueSheet, SheetRejected } from './catalogue-sheet.js';
import type { ReadSheetInput, ReadSheetOutput } from './read-sheet-kind.js';

/**
 * Reads and checks the catalogue sheet of a workbook inside a pool worker, under the worker's
 * memory limit (ADR 0005: a hostile workbook must not take the server down). The sheet goes back
 * as plain data: template columns (which carry functions) travel as their keys.
 */
export async function run(input: ReadSheetInput, ctx: JobContext): Promise<ReadSheetOutput> {
  const buf = Buffer.from(input.file.buffer, input.file.byteOffset, input.file.byteLength);
  try {
    const sheet = await readCatalogueSheet(buf, (done) => ctx.progress(done));
    const { match, ...rest } = sheet;
    return {
      ok: true,
      threadId: ctx.threadId,
      sheet: {
        ...rest,
        match: {
          columns: [...match.columns].map(([index, c]) => [index, c.key]),
          headerOf: match.headerOf,
          unknown: match.unknown,
          missingProvider: match.missingProvider,
        },
      },
    };
  } catch (err) {
    if (err instanceof SheetRejected) return { ok: false, threadId: ctx.threadId, problems: err.problems, warnings: err.warnings };
    throw err;
  }
}
