import { invalid } from './ckan-errors.js';

/**
 * Reading an action's data dict the way CKAN's validators do: a GET query gives strings (a
 * repeated key gives a list), a POST JSON body gives typed values. Messages are CKAN's own
 * ("Missing value", "Invalid integer", "Must be a natural number", …).
 */
export type DataDict = Record<string, unknown>;

export function str(d: DataDict, key: string): string | undefined {
  const v = d[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw invalid(key, 'Must be a string');
}

export function required(d: DataDict, key: string): string {
  const v = str(d, key);
  if (v === undefined || v.trim() === '') throw invalid(key, 'Missing value');
  return v;
}

/** A natural number (0, 1, 2 …), capped at `max` as CKAN's limit_to_configured_maximum does. */
export function natural(d: DataDict, key: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = d[key];
  if (v === undefined || v === null || v === '') return fallback;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n)) throw invalid(key, 'Invalid integer');
  if (n < 0) throw invalid(key, 'Must be a natural number');
  return Math.min(n, max);
}

/** An integer that may be negative (facet.limit: negative means no limit). */
export function integer(d: DataDict, key: string, fallback: number): number {
  const v = d[key];
  if (v === undefined || v === null || v === '') return fallback;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n)) throw invalid(key, 'Invalid integer');
  return n;
}

const TRUE = new Set(['true', 'yes', 'on', 'y', 't', '1']);
const FALSE = new Set(['false', 'no', 'off', 'n', 'f', '0', '']);

export function bool(d: DataDict, key: string, fallback: boolean): boolean {
  const v = d[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'boolean') return v;
  const s = String(v).trim().toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  throw invalid(key, 'Value must be one of: true, false');
}

/** A list given as a JSON array, a JSON string holding one (CKAN's `facet.field`), or a repeated GET key. */
export function jsonList(d: DataDict, key: string): string[] | undefined {
  let v = d[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      throw invalid(key, 'Could not parse as valid JSON');
    }
  }
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw invalid(key, 'Not a list of strings');
  return v as string[];
}

/** A list given as a JSON array or a comma-separated string (datastore's `fields`). */
export function csvList(d: DataDict, key: string): string[] | undefined {
  const v = d[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  if (typeof v === 'string') {
    return v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }
  throw invalid(key, 'Not a list of strings');
}

/** An object given as JSON (POST) or as a JSON string (GET): datastore's `filters`. */
export function jsonObject(d: DataDict, key: string): Record<string, unknown> | undefined {
  let v = d[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      throw invalid(key, 'Could not parse as valid JSON');
    }
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(key, 'Not a JSON object');
  return v as Record<string, unknown>;
}

/** Strings given as one value or a list (a repeated GET key, `fq_list`). */
export function strList(d: DataDict, key: string): string[] {
  const v = d[key];
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw invalid(key, 'Not a list of strings');
}
