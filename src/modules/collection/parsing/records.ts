import { readDelimited } from './delimited-reader.js';
import { readJsonArray } from './json-reader.js';
import { readNdjson } from './ndjson-reader.js';
import type { ByteSource, ReadOptions, RecordFormat, RecordStream } from './types.js';
import { readXlsx } from './xlsx-reader.js';

export interface OpenRecordsOptions extends ReadOptions {
  format: RecordFormat;
  /** CSV only: a delimiter other than ','. */
  delimiter?: string;
  /** XLSX only. */
  sheet?: string;
  /** XLSX only. */
  headerRow?: number;
  /** XLSX only: the file on disk behind the bytes, read by its ZIP directory. */
  filePath?: string;
  /** XLSX only: where a large shared-strings table is spilled, and the start of its file name. */
  scratchDir?: string;
  scratchPrefix?: string;
  /** XLSX only: told the bytes of the file read so far. */
  onBytesRead?: (bytes: number) => void;
  /** JSON/NDJSON only. */
  columns?: readonly string[];
}

/** One entry point for every upload format; the format comes from the caller (see formatFromFileName). */
export function openRecords(source: ByteSource, options: OpenRecordsOptions): Promise<RecordStream> {
  switch (options.format) {
    case 'csv':
      return readDelimited(source, { ...options, delimiter: options.delimiter ?? ',' });
    case 'tsv':
      return readDelimited(source, { ...options, delimiter: '\t' });
    case 'json':
      return readJsonArray(source, options);
    case 'ndjson':
      return readNdjson(source, options);
    case 'xlsx':
      return readXlsx(source, options);
  }
}

const EXTENSIONS: Record<string, RecordFormat> = {
  csv: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  json: 'json',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  xlsx: 'xlsx',
};

/** The format implied by a file name's extension, or null when it names none we read. */
export function formatFromFileName(fileName: string): RecordFormat | null {
  const dot = fileName.lastIndexOf('.');
  if (dot === -1) return null;
  return EXTENSIONS[fileName.slice(dot + 1).toLowerCase()] ?? null;
}
