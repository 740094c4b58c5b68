import type { DataType } from '../../catalog/index.js';

/** One column of a resource's record table: a data item, by its stable item id. */
export type RecordColumn = {
  itemId: string;
  /** The item code: the column name (item codes are SQL-safe identifiers, see ITEM_CODE_PATTERN). */
  column: string;
  name: string;
  nameEn: string | null;
  /** The item's data element: file headers may name it (header mapping only; never part of the table). */
  dataElement?: string | null;
  dataType: DataType;
  length: number | null;
  precision: number | null;
  primaryKey: boolean;
  nullable: boolean;
};

/**
 * The shape of a resource's record table: typed columns from its data items, the primary-key
 * items as the key, plus provenance columns. A resource without primary-key items is keyed by
 * its content hash, so identical rows collapse and any change is a new row.
 */
export type RecordLayout = {
  resourceId: string;
  table: string;
  columns: RecordColumn[];
  keyColumns: string[];
};

/** Provenance columns every record table carries; data item codes may not start with '_'. */
export const PROVENANCE = {
  batch: '_batch_id',
  source: '_source',
  receivedAt: '_received_at',
  hash: '_hash',
  deleted: '_deleted',
} as const;

export function keyColumnsOf(columns: RecordColumn[]): string[] {
  const keys = columns.filter((c) => c.primaryKey).map((c) => c.column);
  return keys.length > 0 ? keys : [PROVENANCE.hash];
}

/** A readable, stable table name chosen once, at first load: rec_<classification>_<sequence>. */
export function tableNameFor(resourceCode: string): string {
  return `rec_${resourceCode.replace(/[^0-9A-Za-z]+/g, '_').toLowerCase()}`;
}

export type ItemLike = {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  dataElement?: string | null;
  dataType: DataType;
  length: number | null;
  precision: number | null;
  primaryKey: boolean;
  nullable: boolean;
};

export function columnsFromItems(items: ItemLike[]): RecordColumn[] {
  return items.map((i) => ({
    itemId: i.id,
    column: i.code,
    name: i.name,
    nameEn: i.nameEn,
    dataElement: i.dataElement ?? null,
    dataType: i.dataType,
    length: i.length,
    precision: i.precision,
    primaryKey: i.primaryKey,
    nullable: i.nullable,
  }));
}
