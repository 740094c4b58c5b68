import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { DEFAULT_XLSX_LIMITS, workbookReadError, type XlsxLimits } from './limits.js';
import { WorkbookGuard } from './workbook-guard.js';

export type WorkbookReaderOptions = ConstructorParameters<typeof ExcelJS.stream.xlsx.WorkbookReader>[1];

/** One worksheet as exceljs streams it; `rows` stops with the guard's error when a limit is passed. */
export type GuardedSheet = { name: string | undefined; id: string | number | undefined; rows: AsyncIterable<ExcelJS.Row> };

/**
 * exceljs's streaming reader with every byte checked first by a WorkbookGuard (limits on sizes,
 * shared strings, rows, cells and nesting). Whatever goes wrong, the iteration ends with an
 * AppError — WORKBOOK_TOO_LARGE or WORKBOOK_MALFORMED — never an exceljs internal error, and it
 * never waits for bytes the guard has stopped.
 */
export function readGuardedWorkbook(
  bytes: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: WorkbookReaderOptions,
  limits: XlsxLimits = DEFAULT_XLSX_LIMITS,
): AsyncGenerator<GuardedSheet, void, undefined> {
  const guard = new WorkbookGuard(limits, { styles: options?.styles === 'cache' });
  async function* checked(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of bytes) {
        await guard.write(chunk);
        yield chunk;
      }
      await guard.end();
    } catch (error) {
      throw guard.fail(error);
    }
  }
  const input = Readable.from(checked(), { objectMode: false });
  // The failure reaches the reader through `guard.until`; exceljs's pipe would not forward it.
  input.on('error', () => undefined);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, options);

  /** Each step of exceljs's iteration, raced against the guard's failure. */
  async function* raced<T>(iterable: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
    const iterator = iterable[Symbol.asyncIterator]();
    let finished = false;
    try {
      for (;;) {
        let step: IteratorResult<T>;
        try {
          step = await guard.until(iterator.next());
        } catch (error) {
          finished = true;
          throw guard.failure ?? guard.fail(error);
        }
        if (guard.failure) {
          finished = true;
          throw guard.failure;
        }
        if (step.done) {
          finished = true;
          return;
        }
        yield step.value;
      }
    } finally {
      // A consumer that stops early closes exceljs's iterator; after a failure that iterator may
      // wait forever for bytes, so it is left to the garbage collector.
      if (!finished) await iterator.return?.().catch(() => undefined);
      if (guard.failure) input.destroy();
    }
  }

  async function* sheets(): AsyncGenerator<GuardedSheet, void, undefined> {
    try {
      for await (const ws of raced(reader as unknown as AsyncIterable<ExcelJS.Worksheet>)) {
        const w = ws as unknown as { name?: string; id?: string | number } & AsyncIterable<ExcelJS.Row>;
        yield { name: w.name, id: w.id, rows: raced(w) };
      }
    } catch (error) {
      throw workbookReadError(error);
    } finally {
      input.destroy();
    }
  }
  return sheets();
}
