import { decodeChunks, peekBytes, toByteIterable } from './byte-source.js';
import { DelimitedParser } from './delimited-parser.js';
import { ENCODING_SAMPLE_BYTES, detectFromHead } from './encoding.js';
import { toRecordStream, type ReaderEvent } from './record-stream.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_RECORD_LENGTH, type ByteSource, type ReadOptions, type RecordStream } from './types.js';

export interface DelimitedReadOptions extends ReadOptions {
  /** ',' (default) for CSV, '\t' for TSV. */
  delimiter?: string;
}

/** Streams a CSV or TSV file: encoding sniffed from the first 64 KiB unless given. */
export async function readDelimited(source: ByteSource, options: DelimitedReadOptions = {}): Promise<RecordStream> {
  const delimiter = options.delimiter ?? ',';
  const peeked = await peekBytes(toByteIterable(source), ENCODING_SAMPLE_BYTES);
  const detected = detectFromHead(peeked, options.encoding);
  const parser = new DelimitedParser({
    delimiter,
    maxRecordLength: options.maxRecordLength ?? DEFAULT_MAX_RECORD_LENGTH,
    rejectReplacementChar: true,
    encodingName: detected.encoding,
  });
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  async function* events(): AsyncGenerator<ReaderEvent, void, undefined> {
    let headerSent = false;
    for await (const text of decodeChunks(peeked.bytes, detected.encoding)) {
      parser.push(text);
      if (!headerSent && parser.header) {
        headerSent = true;
        yield { header: parser.header };
      }
      if (headerSent && parser.pendingRows >= batchSize) yield { batch: parser.take() };
    }
    parser.end();
    if (!headerSent && parser.header) {
      headerSent = true;
      yield { header: parser.header };
    }
    if (headerSent && parser.pendingRows > 0) yield { batch: parser.take() };
  }
  return toRecordStream(events(), delimiter === '\t' ? 'tsv' : 'csv', detected.encoding);
}
