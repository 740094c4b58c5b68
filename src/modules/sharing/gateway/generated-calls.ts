import { AppError } from '../../../errors.js';
import type { ReadAccess, ReadRecord, RecordEntry, RecordFilter, RecordKey, RecordReader } from '../../collection/index.js';
import type { ActiveGrant, GatewayConsumer } from '../contracts.js';
import type { GeneratedConfig } from '../interfaces/interface-config.js';
import { openCursor, sealCursor } from './gateway-cursor.js';

export const MAX_GATEWAY_BATCH = 100;
const MAX_PAGE = 500;
const DEFAULT_PAGE = 50;

type Query = Record<string, string | string[] | undefined>;
/** What a generated call answers, and what its audit row keeps. */
export type CallResult = { body: unknown; keys: unknown[]; items: readonly string[]; rowCount: number };
export type GeneratedTarget = { interfaceId: string; config: GeneratedConfig; entry: RecordEntry; grant: ActiveGrant; consumer: GatewayConsumer };

const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', message, { errors: [{ path, code: 'invalid_value', message }] });
const notGranted = (items: string[]) => new AppError('GATEWAY_ITEM_NOT_GRANTED', `Not granted to this consumer: ${items.join(', ')}`, { items });

const single = (q: Query, name: string): string | undefined => {
  const v = q[name];
  if (Array.isArray(v)) throw invalid(`query.${name}`, `'${name}' is given more than once`);
  return v;
};

/**
 * The items a call returns: the granted items the resource still has, narrowed by `items=` to a
 * subset. Never empty — the record reader reads every item when asked for none — and never an
 * item outside the grant, in every kind of call (lookup, batch, filtered pages).
 */
export function projection(t: GeneratedTarget, asked: string | undefined): readonly string[] {
  const granted = grantedLive(t);
  if (granted.length === 0) throw new AppError('GATEWAY_NOT_GRANTED', 'None of the granted data items remain in the resource', { interfaceId: t.interfaceId });
  if (asked === undefined || asked.trim() === '') return granted;
  const wanted = [
    ...new Set(
      asked
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    ),
  ];
  const refused = wanted.filter((c) => !granted.includes(c));
  if (refused.length > 0) throw notGranted(refused);
  return wanted;
}

/**
 * The granted items the resource still has, worked out once per grant and catalogue entry: both
 * are cached objects the gateway reuses call after call (a new grant answer or a re-read entry is
 * a new object, so nothing stale is kept). Callers copy before changing it.
 */
const grantedByGrant = new WeakMap<object, { entry: object; granted: readonly string[] }>();
function grantedLive(t: GeneratedTarget): readonly string[] {
  const known = grantedByGrant.get(t.grant);
  if (known && known.entry === t.entry) return known.granted;
  const live = new Set(t.entry.items.map((i) => i.code));
  const granted = Object.freeze(t.grant.items.filter((code) => live.has(code)));
  grantedByGrant.set(t.grant, { entry: t.entry, granted });
  return granted;
}

function keyFrom(config: GeneratedConfig, source: Record<string, unknown>, path: string): RecordKey {
  if (config.keyItems.length === 0) throw invalid(path, 'This interface has no key items: read its records with /records');
  const key: Record<string, string | number | boolean> = {};
  for (const k of config.keyItems) {
    const v = source[k];
    if (v === undefined || v === '') throw invalid(`${path}.${k}`, `The key needs '${k}'`);
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw invalid(`${path}.${k}`, `'${k}' must be a string, number or boolean`);
    key[k] = v;
  }
  const extra = Object.keys(source).filter((k) => !config.keyItems.includes(k));
  if (extra.length > 0) throw invalid(`${path}.${extra[0]}`, `'${extra[0]}' is not a key item of this interface (${config.keyItems.join(', ')})`);
  return key;
}

/** The generated interfaces' three calls over the record reader, masked, audited by the gateway (not the reader). */
export function createGeneratedCalls(deps: { records: RecordReader; cursorKey: () => string }) {
  const access = (c: GatewayConsumer): ReadAccess => ({ actor: null, scope: { departmentId: c.departmentId }, masked: true, audit: false });

  return {
    async lookup(t: GeneratedTarget, query: Query): Promise<CallResult> {
      const { items: asked, ...rest } = query;
      const items = projection(t, single({ items: asked }, 'items'));
      const key = keyFrom(t.config, Object.fromEntries(Object.keys(rest).map((k) => [k, single(rest, k)])), 'query');
      const record = await deps.records.get(t.entry, access(t.consumer), key, { items });
      return { body: { data: record }, keys: [key], items, rowCount: record ? 1 : 0 };
    },

    async batch(t: GeneratedTarget, query: Query, body: unknown): Promise<CallResult> {
      const items = projection(t, single(query, 'items'));
      const keysIn = (body as { keys?: unknown } | null)?.keys;
      if (!Array.isArray(keysIn)) throw invalid('body.keys', 'The body must be { "keys": [ { <key item>: value, … }, … ] }');
      if (keysIn.length === 0 || keysIn.length > MAX_GATEWAY_BATCH)
        throw invalid('body.keys', `1 to ${MAX_GATEWAY_BATCH} keys at once (${keysIn.length} given)`);
      const keys = keysIn.map((k, n) => {
        if (k === null || typeof k !== 'object' || Array.isArray(k)) throw invalid(`body.keys.${n}`, 'Each key is an object of the key items');
        return keyFrom(t.config, k as Record<string, unknown>, `body.keys.${n}`);
      });
      const records = await deps.records.getMany(t.entry, access(t.consumer), keys, { items });
      return { body: { data: records }, keys, items, rowCount: records.filter((r) => r !== null).length };
    },

    async page(t: GeneratedTarget, query: Query): Promise<CallResult> {
      const { items: asked, cursor, limit: limitText, ...rest } = query;
      const items = projection(t, single({ items: asked }, 'items'));
      const limit = limitText === undefined ? DEFAULT_PAGE : Number(single({ limit: limitText }, 'limit'));
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw invalid('query.limit', `limit is an integer from 1 to ${MAX_PAGE}`);
      const filters: RecordFilter[] = [];
      const filtersAsked: Record<string, string[]> = {};
      // A filter on an item outside the grant is refused before its declaration is checked: the
      // answer must not tell a consumer which ungranted items it could otherwise filter on.
      const names = Object.keys(rest);
      const refused = names.filter((n) => !t.grant.items.includes(n));
      if (refused.length > 0) throw notGranted(refused);
      for (const name of names) {
        if (!t.config.filterItems.includes(name))
          throw invalid(`query.${name}`, `'${name}' is not a filter of this interface (${t.config.filterItems.join(', ') || 'none'})`);
        const values = [rest[name]].flat().filter((v): v is string => v !== undefined);
        filtersAsked[name] = values;
        filters.push(values.length === 1 ? { item: name, op: 'eq', value: values[0]! } : { item: name, op: 'in', values });
      }
      const context = `${t.interfaceId}:${t.consumer.consumerId}`;
      const readerCursor = openCursor(single({ cursor }, 'cursor'), deps.cursorKey(), context);
      const page = await deps.records.page(t.entry, access(t.consumer), { items, filters, cursor: readerCursor, limit });
      const out: ReadRecord[] = page.items;
      return {
        body: { items: out, nextCursor: sealCursor(page.nextCursor, deps.cursorKey(), context) },
        keys: [{ filters: filtersAsked, limit, ...(readerCursor ? { cursor: true } : {}) }],
        items,
        rowCount: out.length,
      };
    },
  };
}

export type GeneratedCalls = ReturnType<typeof createGeneratedCalls>;
