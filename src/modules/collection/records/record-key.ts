import type { DataType } from '../../catalog/index.js';
import { bindValue, cursorValue, presentValue, type RecordValue } from './record-reader-values.js';
import type { MaybePromise } from '../../../shared/maybe-promise.js';

/**
 * A record's key in one text form, so another module can name a record (an objection, 异议) and
 * the record reader can recognise it: the primary-key items sorted by code, each value as the
 * reader presents it in a cursor (INTEGER '7' for '007', canonical dates), as JSON.
 */
export function recordKeyText(values: Readonly<Record<string, RecordValue>>): string {
  const entries = Object.keys(values)
    .sort()
    .map((code) => [code, String(cursorValue(values[code] ?? null))]);
  return JSON.stringify(entries);
}

type KeyItem = { code: string; dataType: DataType; length: number | null; precision: number | null; primaryKey: boolean };

/**
 * A key a caller sends ({ item code: value } for every primary-key item) checked against the
 * items' data types, in the reader's canonical form; or the path and reason it is not one.
 */
export function canonicalRecordKey(
  items: readonly KeyItem[],
  key: Readonly<Record<string, string | number | boolean>>,
): { ok: true; key: Record<string, RecordValue>; text: string } | { ok: false; path: string; reason: string } {
  const keyItems = items.filter((i) => i.primaryKey);
  if (keyItems.length === 0) return { ok: false, path: '', reason: 'the resource has no primary-key items: its records cannot be named by key' };
  const extra = Object.keys(key).find((code) => !keyItems.some((i) => i.code === code));
  if (extra !== undefined) return { ok: false, path: extra, reason: `'${extra}' is not a primary-key item` };
  const out: Record<string, RecordValue> = {};
  for (const item of keyItems) {
    const v = key[item.code];
    if (v === undefined) return { ok: false, path: item.code, reason: `the key needs '${item.code}'` };
    if (item.dataType === 'BINARY') return { ok: false, path: item.code, reason: 'a binary key item cannot be named' };
    const bound = bindValue(item, v);
    if (!bound.ok) return { ok: false, path: item.code, reason: bound.reason };
    out[item.code] = presentValue(item.dataType, bound.value);
  }
  return { ok: true, key: out, text: recordKeyText(out) };
}

/**
 * Which of a page's records have an open objection (governance implements it; collection must
 * not import governance, so deps.ts injects it): given keys in recordKeyText form, the disputed ones.
 * `stamp`: the database's change stamp (Dialect.changeStamp) the caller read before it read the
 * records, or null; an answer kept under the same stamp is still exact (ADR 0037) and is given at
 * once, without a promise (maybe-promise.ts).
 */
export type DisputedKeys = (resourceId: string, keyTexts: readonly string[], stamp?: string | null) => MaybePromise<ReadonlySet<string>>;
