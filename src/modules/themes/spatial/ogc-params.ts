import { AppError } from '../../../errors.js';
import type { Bbox } from './spatial.repository.js';

/**
 * Query parameters of the OGC API (OGC 17-069r4 §7.15): every parameter not in the API definition
 * is a 400 (/req/core/query-param-unknown), so is an invalid value (/req/core/query-param-invalid).
 */
export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 10_000;
/** Offsets beyond this are refused rather than handed to the database as an ever-deeper scan. */
export const MAX_OFFSET = 10_000_000;

export type ItemsQuery = { bbox: Bbox | null; limit: number; offset: number; datetime: string | null };

type Query = Record<string, unknown>;

const invalid = (name: string, message: string) =>
  new AppError('VALIDATION_FAILED', `${name}: ${message}`, { errors: [{ path: `query.${name}`, code: 'invalid_value', message }] });

function single(q: Query, name: string): string | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw invalid(name, 'must be given once');
  return v;
}

/** Refuses parameters outside `allowed`, and `f` other than json (the only encoding served). */
export function checkParams(q: Query, allowed: readonly string[]): void {
  for (const name of Object.keys(q)) {
    if (name !== 'f' && !allowed.includes(name)) {
      throw new AppError('VALIDATION_FAILED', `Unknown query parameter "${name}"; this endpoint takes ${['f', ...allowed].join(', ')}`, {
        errors: [{ path: `query.${name}`, code: 'unrecognized_keys', message: 'not a parameter of this endpoint' }],
      });
    }
  }
  const f = single(q, 'f');
  if (f !== undefined && f !== 'json') throw invalid('f', 'only json is served (GeoJSON for features)');
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** `minx,miny,maxx,maxy` in CRS84: four numbers, longitudes in [-180, 180], latitudes in [-90, 90], min ≤ max. */
export function parseBbox(text: string | undefined): Bbox | null {
  if (text === undefined) return null;
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length !== 4 || !parts.every((p) => NUMBER.test(p)))
    throw invalid('bbox', 'four comma-separated numbers: minx,miny,maxx,maxy (CRS84 longitude/latitude; 3-D boxes are not served)');
  const [minX, minY, maxX, maxY] = parts.map(Number) as [number, number, number, number];
  if ([minX, maxX].some((x) => x < -180 || x > 180)) throw invalid('bbox', 'longitudes lie in [-180, 180]');
  if ([minY, maxY].some((y) => y < -90 || y > 90)) throw invalid('bbox', 'latitudes lie in [-90, 90]');
  if (minX > maxX) throw invalid('bbox', 'minx is greater than maxx (boxes across the antimeridian are not served)');
  if (minY > maxY) throw invalid('bbox', 'miny is greater than maxy');
  return { minX, minY, maxX, maxY };
}

function integer(name: string, text: string, min: number): number {
  if (!/^\d{1,15}$/.test(text) || Number(text) < min) throw invalid(name, `an integer of at least ${min}`);
  return Number(text);
}

const DATE = String.raw`\d{4}-\d{2}-\d{2}`;
const DATE_TIME = new RegExp(String.raw`^${DATE}(?:[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2}))?$`);

function instant(text: string): number | null {
  if (text === '' || text === '..') return null;
  const t = DATE_TIME.test(text) ? Date.parse(text.toUpperCase()) : NaN;
  if (Number.isNaN(t)) throw invalid('datetime', 'an RFC 3339 date-time or date, or an interval start/end with ".." for an open end');
  return t;
}

/** An instant or an interval (`a/b`, `../b`, `a/..`), checked; features carry no time, so it filters nothing (ADR 0029). */
export function parseDatetime(text: string | undefined): string | null {
  if (text === undefined) return null;
  const ends = text.split('/');
  if (ends.length === 1) {
    if (instant(ends[0]!) === null) throw invalid('datetime', 'an instant or an interval');
    return text;
  }
  if (ends.length !== 2) throw invalid('datetime', 'an instant or an interval start/end');
  const [start, end] = [instant(ends[0]!), instant(ends[1]!)];
  if (start === null && end === null) throw invalid('datetime', 'an interval needs at least one end');
  if (start !== null && end !== null && start > end) throw invalid('datetime', 'the interval ends before it starts');
  return text;
}

/**
 * The items query. `limit` above the maximum is clamped to it, as Part 1 permits (the server
 * limits the page; more features are reached through `next`); below 1 or not an integer is a 400.
 */
export function parseItemsQuery(q: Query): ItemsQuery {
  checkParams(q, ['bbox', 'limit', 'offset', 'datetime']);
  const limitText = single(q, 'limit');
  const offsetText = single(q, 'offset');
  const offset = offsetText === undefined ? 0 : integer('offset', offsetText, 0);
  if (offset > MAX_OFFSET) throw invalid('offset', `at most ${MAX_OFFSET}; narrow the query with bbox`);
  return {
    bbox: parseBbox(single(q, 'bbox')),
    limit: limitText === undefined ? DEFAULT_LIMIT : Math.min(integer('limit', limitText, 1), MAX_LIMIT),
    offset,
    datetime: parseDatetime(single(q, 'datetime')),
  };
}
