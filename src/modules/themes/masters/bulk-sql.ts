import { CompiledQuery, sql, type RawBuilder } from 'kysely';
import type { Db } from '../../../storage/dialect.js';

/** Rows per multi-row statement: 14 columns × 500 stays far below both dialects' bind limits. */
export const BULK_ROWS = 500;

type Value = unknown;

/**
 * Multi-row statements compiled once per (statement, row count) and run with a flat parameter
 * list (ADR 0033). Kysely's insert builder compiled every 400-row batch afresh — a value node per
 * cell, then a visitor over them — which was most of the sync's garbage; this text is built once
 * and, on SQLite, is also the key of the driver's prepared-statement cache, so the statement is
 * reused too. Row counts other than BULK_ROWS are split into powers of two (a handful of texts).
 * The placeholder style (`?` or `$n`) comes from compiling through the database's own dialect.
 */
export function bulkStatement(head: string, columns: number, tail = '') {
  const texts = new WeakMap<object, Map<number, string>>();
  const textFor = (db: Db, rows: number): string => {
    const adapter = db.getExecutor().adapter as object;
    let byRows = texts.get(adapter);
    if (!byRows) texts.set(adapter, (byRows = new Map()));
    let text = byRows.get(rows);
    if (text === undefined) {
      const row = sql`(${sql.join(Array.from({ length: columns }, () => sql.val(null)))})`;
      const values: RawBuilder<unknown> = sql.join(Array.from({ length: rows }, () => row));
      text = sql`${sql.raw(head)} values ${values} ${sql.raw(tail)}`.compile(db).sql;
      byRows.set(rows, text);
    }
    return text;
  };
  return async (db: Db, rows: readonly (readonly Value[])[]): Promise<number> => {
    let affected = 0;
    let at = 0;
    while (at < rows.length) {
      const left = rows.length - at;
      const n = left >= BULK_ROWS ? BULK_ROWS : 2 ** Math.floor(Math.log2(left));
      const params: Value[] = [];
      for (let i = at; i < at + n; i++) {
        const r = rows[i]!;
        if (r.length !== columns) throw new Error(`bulk statement: ${r.length} values for ${columns} columns`);
        for (const v of r) params.push(v);
      }
      const result = await db.executeQuery(CompiledQuery.raw(textFor(db, n), params));
      affected += Number(result.numAffectedRows ?? 0n);
      at += n;
    }
    return affected;
  };
}

/** One statement's text, with `?` for each parameter, run as is (the text is the prepared-statement cache's key on SQLite). */
export function plainStatement(text: string) {
  const texts = new WeakMap<object, string>();
  return async <R = Record<string, unknown>>(db: Db, params: readonly Value[] = []): Promise<{ rows: R[]; affected: number }> => {
    const adapter = db.getExecutor().adapter as object;
    let compiled = texts.get(adapter);
    if (compiled === undefined) {
      const parts = text.split('?');
      const built = sql.join(
        parts.map((p, n) => (n === 0 ? sql.raw(p) : sql`${sql.val(null)}${sql.raw(p)}`)),
        sql.raw(''),
      );
      compiled = built.compile(db).sql;
      texts.set(adapter, compiled);
    }
    const result = await db.executeQuery<R>(CompiledQuery.raw(compiled, [...params]));
    return { rows: result.rows, affected: Number(result.numAffectedRows ?? 0n) };
  };
}
