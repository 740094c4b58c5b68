/** The storage-independent part of collection (DOMAIN.md §4): read uploads, map headers, coerce cells. */
export {
  CoerceFailure,
  compileCellConverter,
  compileCoercer,
  type CellConverter,
  type CellValue,
  type CoerceOptions,
  type CoerceResult,
  type Coercer,
  type CoercibleItem,
} from './coerce.js';
export { compileRowCoercer, type RowCoerceResult } from './row-coercer.js';
export { detectEncoding, detectFromHead, resolveEncodingLabel, ENCODING_SAMPLE_BYTES, type DetectedEncoding } from './encoding.js';
export { UnreadableFileError } from './errors.js';
export { headerKey, mapHeader, type HeaderMapping, type MappableItem, type MappedColumn, type MissingItem } from './header-mapping.js';
export { openRecords, formatFromFileName, type OpenRecordsOptions } from './records.js';
export { readDelimited, type DelimitedReadOptions } from './delimited-reader.js';
export { readJsonArray, type JsonReadOptions } from './json-reader.js';
export { readNdjson } from './ndjson-reader.js';
export { readXlsx, type XlsxReadOptions } from './xlsx-reader.js';
export type { ByteSource, ParsedRow, ReadOptions, RecordBatch, RecordFormat, RecordStream, RejectedRow } from './types.js';
