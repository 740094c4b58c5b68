import crypto from 'node:crypto';
import { chinaDate } from '../../../shared/china-time.js';
import type { GatewayCall } from '../contracts.js';

/** The `prev_hash` of the first call ever recorded (migration 0017 starts the chain's head with it). */
export const GENESIS_HASH = '0'.repeat(64);

/** A call as sharing_calls stores it, before and after the round trip through either database. */
export type ChainRow = {
  seq: number;
  id: string;
  at: string;
  consumer_id: string | null;
  department_id: string | null;
  interface_id: string | null;
  interface_code: string | null;
  purpose: string | null;
  keys: unknown[];
  items: string[];
  row_count: number;
  status: number;
  error_code: string | null;
  latency_ms: number;
  prev_hash: string;
  hash: string;
};

const MAX_PURPOSE = 2000;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const wellFormed = (s: string) => s.replace(LONE_SURROGATE, '\uFFFD');
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Text both databases store and give back unchanged: no NUL (PostgreSQL refuses it), no lone
 * surrogate (it would come back as U+FFFD and the hash would no longer match), within the column.
 */
function storable(s: string, max: number): string {
  if (s.length <= max && !s.includes('\u0000') && !SURROGATE.test(s)) return s;
  return wellFormed(wellFormed(s).replaceAll('\u0000', '\uFFFD').slice(0, max));
}

const optional = (s: string | null | undefined, max: number) => (s === null || s === undefined ? null : storable(String(s), max));

/**
 * JSON whose text is the same however it was stored: object keys sorted (jsonb reorders them),
 * strings storable, values JSON cannot hold (undefined, functions, NaN) as null.
 */
export function canonicalJson(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return storable(v, 10_000);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.map(canonicalJson);
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[storable(k, 200)] = canonicalJson((v as Record<string, unknown>)[k]);
    return out;
  }
  return null;
}

/** A day's calendar date in China Standard Time (UTC+8, no daylight saving): call counts are per such day. */
export function shanghaiDay(iso: string): string {
  return chinaDate(Date.parse(iso));
}

/**
 * `shanghaiDay` of ISO instants as the writer stores them (toISOString: `YYYY-MM-DDTHH:…Z`), computed
 * once per UTC hour — with no daylight saving, the hour decides the China day; a batch's calls
 * mostly share one.
 */
export function shanghaiDays(): (iso: string) => string {
  const byHour = new Map<string, string>();
  return (iso) => {
    if (iso.length !== 24 || iso.charCodeAt(23) !== 90 /* Z */) return shanghaiDay(iso);
    const hour = iso.slice(0, 13);
    let day = byHour.get(hour);
    if (day === undefined) byHour.set(hour, (day = shanghaiDay(iso)));
    return day;
  };
}

/** `YYYY-MM-DDTHH` of instants `toISOString` gave back unchanged: hours whose date and hour are valid. */
const canonicalHours = new Set<string>();
const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:[0-5]\d:[0-5]\d\.\d{3}Z$/;

/**
 * The instant as stored: ISO UTC to the millisecond, or `now` when it is not an instant. An
 * instant already in that form within an hour seen valid before (the gateway's own, from
 * toISOString) is its own form: parsing and formatting it again would give the same text.
 */
function storedInstant(at: unknown, now: Date): string {
  if (typeof at === 'string' && ISO_INSTANT.test(at) && canonicalHours.has(at.slice(0, 13))) return at;
  const d = new Date(at as string);
  const iso = (Number.isNaN(d.getTime()) ? now : d).toISOString();
  if (iso === at && iso.length === 24) {
    if (canonicalHours.size >= 256) canonicalHours.clear();
    canonicalHours.add(iso.slice(0, 13));
  }
  return iso;
}

/** The call's fields as they will be stored (seq and hashes are set by the writer). */
export function toStoredFields(call: GatewayCall, now: Date): Omit<ChainRow, 'seq' | 'prev_hash' | 'hash'> {
  const latency = Number.isFinite(call.latencyMs) ? Math.max(0, Math.round(call.latencyMs * 10) / 10) : 0;
  return {
    id: storable(String(call.id), 36),
    at: storedInstant(call.at, now),
    consumer_id: optional(call.consumerId, 36),
    department_id: optional(call.departmentId, 36),
    interface_id: optional(call.interfaceId, 36),
    interface_code: optional(call.interfaceCode, 100),
    purpose: optional(call.purpose, MAX_PURPOSE),
    keys: Array.isArray(call.keys) ? (canonicalJson(call.keys) as unknown[]) : [],
    items: Array.isArray(call.items) ? call.items.map((i) => storable(String(i), 200)) : [],
    row_count: Number.isSafeInteger(call.rowCount) ? call.rowCount : 0,
    status: Number.isSafeInteger(call.status) ? call.status : 0,
    error_code: optional(call.errorCode, 60),
    // Stored as PostgreSQL `real`: a tenth of a millisecond survives the round trip, finer digits would not.
    latency_ms: latency,
  };
}

/** A row as read back from either database, normalised as the writer stored it: JSON canonical, instants ISO UTC, numbers as numbers. */
export function normalisedRow<R extends Omit<ChainRow, 'prev_hash' | 'hash'>>(row: R): R {
  return {
    ...row,
    seq: Number(row.seq),
    at: new Date(row.at).toISOString(),
    keys: canonicalJson(row.keys) as unknown[],
    items: canonicalJson(row.items) as string[],
    row_count: Number(row.row_count),
    status: Number(row.status),
    latency_ms: Number(row.latency_ms),
  };
}

/**
 * The text a call's hash covers: every stored field in a fixed order, its `seq` included (a row
 * moved elsewhere in the chain no longer matches). The row must be as the writer stores it
 * (`toStoredFields`) or as `normalisedRow` gives it back from either database.
 */
export function canonicalText(row: Omit<ChainRow, 'prev_hash' | 'hash'>): string {
  return canonicalTextWith(row.seq, row, json(row.keys), json(row.items));
}

/** JSON text of a value as an element of an array (undefined and functions as null). */
const json = (v: unknown): string => JSON.stringify(v) ?? 'null';

/**
 * `canonicalText` given the row's seq and the JSON texts of its keys and items (a writer stores those texts and
 * hashes them without stringifying twice). The same text as `JSON.stringify` of the array
 * [seq, id, at, consumer_id, department_id, interface_id, interface_code, purpose, keys, items,
 * row_count, status, error_code, latency_ms to 0.1] — the form ADR 0021 defined, which verification and
 * chains written before ADR 0038 hash: JSON.stringify of an array is its elements' JSON texts
 * joined by commas in brackets (test/sharing/audit-writer-direct.test.ts compares both).
 */
export function canonicalTextWith(
  seq: number,
  row: Omit<ChainRow, 'seq' | 'prev_hash' | 'hash' | 'keys' | 'items'>,
  keysJson: string,
  itemsJson: string,
): string {
  return (
    `[${json(seq)},${json(row.id)},${json(row.at)},${json(row.consumer_id)},${json(row.department_id)},${json(row.interface_id)},` +
    `${json(row.interface_code)},${json(row.purpose)},${keysJson},${itemsJson},${json(row.row_count)},${json(row.status)},` +
    `${json(row.error_code)},${json(row.latency_ms.toFixed(1))}]`
  );
}

// One-shot hashing (Node 20.12+) is about twice as fast as a Hash object per call.
export const sha256 =
  typeof crypto.hash === 'function'
    ? (text: string) => crypto.hash('sha256', text, 'hex')
    : (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/** sha256(prev_hash + canonical text), hex. */
export function chainHash(prevHash: string, row: Omit<ChainRow, 'prev_hash' | 'hash'>): string {
  return sha256(prevHash + canonicalText(row));
}
