/**
 * The column types storage knows how to hold: the catalogue's data item types (DOMAIN.md §3)
 * by their stored names. Storage speaks these names and never imports the catalogue; the
 * catalogue's code list (`DATA_TYPES` in src/modules/catalog/codes.ts) labels the same names.
 */
export const COLUMN_TYPES = ['STRING', 'TEXT', 'INTEGER', 'DECIMAL', 'DOUBLE', 'DATE', 'DATETIME', 'BOOLEAN', 'BINARY'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];
