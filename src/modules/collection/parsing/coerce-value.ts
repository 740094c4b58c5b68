/**
 * Typed values: STRING, TEXT, DECIMAL (canonical text, exact), DATE ('YYYY-MM-DD') and DATETIME
 * ('YYYY-MM-DDTHH:mm:ss[.fff]', plus the offset only when the input had one) are strings;
 * INTEGER and DOUBLE numbers (an INTEGER beyond ±(2^53 − 1) a bigint); BOOLEAN booleans; BINARY a Buffer (what SQLite drivers bind as a
 * BLOB); null for an empty optional value.
 */
export type CellValue = string | number | bigint | boolean | Uint8Array | null;

/**
 * A refused cell. The converters return either a value or one of these, so a good cell costs
 * no allocation beyond its value: at 13 cells a row, a result object per cell was a third of
 * the coercion time in garbage collection.
 */
export class CoerceFailure {
  constructor(readonly reason: string) {}
}

export type Converted = CellValue | CoerceFailure;
