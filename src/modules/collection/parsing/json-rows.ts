import type { ParsedRow, RejectedRow } from './types.js';

const RAW_LIMIT = 2000;

/** The most distinct keys a file's first pass gathers; a key past them rejects its object. */
export const MAX_GATHERED_KEYS = 4096;

/**
 * Turns parsed JSON records into positional rows. The header is the caller's column list or
 * else the keys of the first object; a later object with a key outside it is rejected rather
 * than silently losing that value. With `keySink` it only gathers every object's keys (a file's
 * first pass, see json-reader.ts) and returns rows without cells.
 */
export class JsonRowBuilder {
  header: string[] | null;
  private index: Map<string, number> | null = null;

  constructor(
    columns: readonly string[] | undefined,
    private readonly keySink?: Set<string>,
  ) {
    this.header = keySink ? [] : columns ? [...columns] : null;
    if (this.header) this.index = indexOf(this.header);
  }

  /** Returns the row, or a reject reason. `text` is the record's source, for U+FFFD detection. */
  build(text: string, rowNumber: number, encodingName: string): ParsedRow | RejectedRow {
    if (text.includes('\uFFFD')) return reject(rowNumber, `undecodable bytes: not valid ${encodingName}`, text);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return reject(rowNumber, `not valid JSON: ${(error as Error).message}`, text);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return reject(rowNumber, `not a JSON object but ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`, text);
    }
    const record = value as Record<string, unknown>;
    if (this.keySink) {
      for (const key in record) if (this.keySink.size < MAX_GATHERED_KEYS) this.keySink.add(key);
      return { rowNumber, cells: [] };
    }
    if (!this.header) {
      this.header = Object.keys(record);
      this.index = indexOf(this.header);
    }
    const index = this.index!;
    const cells: (string | null)[] = new Array<string | null>(this.header.length).fill(null);
    let unknown: string[] | null = null;
    for (const key in record) {
      const at = index.get(key);
      if (at === undefined) {
        (unknown ??= []).push(key);
        continue;
      }
      const cell = toCell(record[key]);
      if (typeof cell === 'object' && cell !== null) return reject(rowNumber, `${cell.problem} in '${key}'`, text);
      cells[at] = cell;
    }
    if (unknown) return reject(rowNumber, `keys not in the header: ${unknown.join(', ')}`, text);
    return { rowNumber, cells };
  }
}

function indexOf(header: string[]): Map<string, number> {
  return new Map(header.map((h, i) => [h, i]));
}

function toCell(value: unknown): string | null | { problem: string } {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      // JSON.parse already rounded it: an 18-digit ID number sent as a number has lost digits.
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
        return { problem: `the number ${value} is too large to be exact; send it as a string` };
      }
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return null;
    default:
      return value === null ? null : JSON.stringify(value);
  }
}

function reject(rowNumber: number, reason: string, raw: string): RejectedRow {
  return { rowNumber, reason, raw: raw.length > RAW_LIMIT ? raw.slice(0, RAW_LIMIT) : raw };
}

export function isRejected(row: ParsedRow | RejectedRow): row is RejectedRow {
  return 'reason' in row;
}
