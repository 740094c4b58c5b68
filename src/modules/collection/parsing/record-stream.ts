import { UnreadableFileError } from './errors.js';
import type { RecordBatch, RecordFormat, RecordStream } from './types.js';

/** What a reader generator yields: the header exactly once, first, then batches. */
export type ReaderEvent = { header: string[] } | { batch: RecordBatch };

/**
 * Runs a reader until its header is known, so the caller can map columns before any row
 * arrives, and hands out the rest as a single-use batch iterable.
 */
export async function toRecordStream(
  events: AsyncGenerator<ReaderEvent, void, undefined>,
  format: RecordFormat,
  encoding: string | null,
): Promise<RecordStream> {
  let first: IteratorResult<ReaderEvent, void>;
  try {
    first = await events.next();
  } catch (error) {
    await events.return().catch(() => undefined);
    throw error;
  }
  if (first.done || !('header' in first.value)) {
    throw new UnreadableFileError(`the ${format.toUpperCase()} file is empty: no header row`);
  }
  const header = first.value.header;
  let started = false;
  async function* batches(): AsyncGenerator<RecordBatch> {
    if (started) throw new Error('the batches of a record stream can be read only once');
    started = true;
    try {
      for (;;) {
        const next = await events.next();
        if (next.done) return;
        if ('batch' in next.value) yield next.value.batch;
      }
    } finally {
      // Breaking out of `for await` lands here: stop the reader so it closes its file.
      await events.return();
    }
  }
  return {
    format,
    encoding,
    header,
    batches: { [Symbol.asyncIterator]: batches },
    close: async () => {
      await events.return();
    },
  };
}
