import { decodeChunks, peekBytes, toByteIterable } from './byte-source.js';
import { ENCODING_SAMPLE_BYTES, detectFromHead } from './encoding.js';
import { gatherKeys, type JsonReadOptions } from './json-reader.js';
import { JsonRowBuilder, isRejected } from './json-rows.js';
import { toRecordStream, type ReaderEvent } from './record-stream.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_RECORD_LENGTH, type ByteSource, type ParsedRow, type RecordStream, type RejectedRow } from './types.js';

/** Streams newline-delimited JSON (one object per line); rowNumber = line number, blank lines skipped. */
export async function readNdjson(source: ByteSource, options: JsonReadOptions = {}): Promise<RecordStream> {
  const columns = await gatherKeys(readNdjson, options);
  const peeked = await peekBytes(toByteIterable(source), ENCODING_SAMPLE_BYTES);
  const { encoding } = detectFromHead(peeked, options.encoding);
  const builder = new JsonRowBuilder(columns, options.keySink);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const maxLength = options.maxRecordLength ?? DEFAULT_MAX_RECORD_LENGTH;

  async function* events(): AsyncGenerator<ReaderEvent, void, undefined> {
    let rows: ParsedRow[] = [];
    let rejects: RejectedRow[] = [];
    let headerSent = false;
    let lineNumber = 0;
    let carry = '';
    let skipping = false;
    const line = (text: string): void => {
      lineNumber++;
      if (text.trim() === '') return;
      const row = builder.build(text, lineNumber, encoding);
      if (isRejected(row)) rejects.push(row);
      else rows.push(row);
    };
    for await (const chunk of decodeChunks(peeked.bytes, encoding)) {
      let pos = 0;
      let nl = chunk.indexOf('\n');
      if (skipping) {
        if (nl === -1) continue;
        skipping = false;
        pos = nl + 1;
        nl = chunk.indexOf('\n', pos);
      } else if (carry && nl !== -1) {
        line(carry + chunk.slice(0, nl));
        carry = '';
        pos = nl + 1;
        nl = chunk.indexOf('\n', pos);
      }
      while (nl !== -1) {
        line(chunk.slice(pos, nl));
        pos = nl + 1;
        nl = chunk.indexOf('\n', pos);
      }
      carry += chunk.slice(pos);
      if (carry.length > maxLength) {
        lineNumber++;
        rejects.push({ rowNumber: lineNumber, reason: `line longer than ${maxLength} characters`, raw: carry.slice(0, 2000) });
        carry = '';
        skipping = true;
      }
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
    if (carry && !skipping) line(carry);
    if (!headerSent) yield { header: builder.header ?? [] };
    if (rows.length + rejects.length > 0) yield { batch: { rows, rejects } };
  }
  return toRecordStream(events(), 'ndjson', encoding);
}
