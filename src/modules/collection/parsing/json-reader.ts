import { decodeChunks, peekBytes, toByteIterable } from './byte-source.js';
import { ENCODING_SAMPLE_BYTES, detectFromHead } from './encoding.js';
import { JsonArraySplitter } from './json-array-splitter.js';
import { JsonRowBuilder, isRejected } from './json-rows.js';
import { toRecordStream, type ReaderEvent } from './record-stream.js';
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_MAX_RECORD_LENGTH,
  type ByteSource,
  type ParsedRow,
  type ReadOptions,
  type RecordStream,
  type RejectedRow,
} from './types.js';

export interface JsonReadOptions extends ReadOptions {
  /**
   * The keys to read, in order (e.g. the resource's item codes). Without it the header is the
   * keys of the first object, and a later object with another key is rejected.
   */
  columns?: readonly string[];
  /**
   * The file on disk holding the same bytes. Without `columns`, it is read once more first and
   * the header is every key any object carries (in first-seen order): a key the first objects
   * lack is neither lost nor a reason to reject the object that has it.
   */
  filePath?: string;
  /** The first pass: gathers the keys here instead of building rows. */
  keySink?: Set<string>;
}

/**
 * Every key the objects of a file carry, from a first pass over it (bounded: MAX_GATHERED_KEYS),
 * or the caller's columns; undefined when neither is known (the first object's keys are then).
 */
export async function gatherKeys(read: (source: ByteSource, options: JsonReadOptions) => Promise<RecordStream>, options: JsonReadOptions) {
  if (options.columns || options.keySink || !options.filePath) return options.columns;
  const keys = new Set<string>();
  const pass = await read(options.filePath, { ...options, keySink: keys });
  try {
    for await (const batch of pass.batches) void batch;
  } finally {
    await pass.close();
  }
  return [...keys];
}

/** Streams a JSON document whose top level is an array of objects; rowNumber = element position. */
export async function readJsonArray(source: ByteSource, options: JsonReadOptions = {}): Promise<RecordStream> {
  const columns = await gatherKeys(readJsonArray, options);
  const peeked = await peekBytes(toByteIterable(source), ENCODING_SAMPLE_BYTES);
  const { encoding } = detectFromHead(peeked, options.encoding);
  const splitter = new JsonArraySplitter(options.maxRecordLength ?? DEFAULT_MAX_RECORD_LENGTH);
  const builder = new JsonRowBuilder(columns, options.keySink);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;

  async function* events(): AsyncGenerator<ReaderEvent, void, undefined> {
    let rows: ParsedRow[] = [];
    let rejects: RejectedRow[] = [];
    let headerSent = false;
    const drain = (): void => {
      for (const piece of splitter.take()) {
        if ('problem' in piece) {
          rejects.push({ rowNumber: piece.index, reason: piece.problem, raw: piece.raw });
          continue;
        }
        const row = builder.build(piece.text, piece.index, encoding);
        if (isRejected(row)) rejects.push(row);
        else rows.push(row);
      }
    };
    for await (const text of decodeChunks(peeked.bytes, encoding)) {
      splitter.push(text);
      drain();
      // The header is known once the first good object arrived (or from `columns`).
      if (!headerSent && builder.header) {
        headerSent = true;
        yield { header: builder.header };
      }
      if (headerSent && rows.length + rejects.length >= batchSize) {
        yield { batch: { rows, rejects } };
        rows = [];
        rejects = [];
      }
    }
    splitter.end();
    drain();
    if (!headerSent) yield { header: builder.header ?? [] };
    if (rows.length + rejects.length > 0) yield { batch: { rows, rejects } };
  }
  return toRecordStream(events(), 'json', encoding);
}
