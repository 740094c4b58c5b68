import { CompiledQuery } from 'kysely';
import type { Db } from './dialect.js';
import { syncReadOf } from './sync-read.js';

/** A value left open in a statement compiled once (prepared): each call binds its own there. */
class Slot {
  constructor(readonly n: number) {}
}

/** How many statement shapes (SQL texts) a reader keeps compiled: a batch of n keys is a shape of its own. */
const PREPARED_SHAPES = 500;

/**
 * Statements compiled once per shape (ADR 0036), for hot paths (the record reader's key lookups,
 * governance's disputed-record check). Building and compiling a Kysely query costs more
 * than SQLite's key lookup itself, and a shape's SQL never changes — only its values. The shape is
 * compiled with `Slot` placeholders; each call substitutes its values for them in the compiled
 * parameters, so neither the order nor the constants of the compiled parameters are assumed.
 * Kept per database object (its dialect decides the SQL); a transaction's is compiled afresh.
 * Where the connection allows it, the statement runs at once, outside Kysely (sync-read.ts).
 */
export function createPreparedStatements() {
  const byDb = new WeakMap<Db, Map<string, { sql: string; parameters: readonly unknown[] }>>();
  type Compile = (slot: (n: number) => unknown) => CompiledQuery;

  function statement(db: Db, shape: string, compile: Compile, values: readonly unknown[]) {
    let shapes = byDb.get(db);
    if (!shapes) byDb.set(db, (shapes = new Map()));
    let prepared = shapes.get(shape);
    if (!prepared) {
      const compiled = compile((n) => new Slot(n));
      prepared = { sql: compiled.sql, parameters: compiled.parameters };
      if (shapes.size >= PREPARED_SHAPES) shapes.delete(shapes.keys().next().value!);
      shapes.set(shape, prepared);
    }
    return { sql: prepared.sql, parameters: prepared.parameters.map((p) => (p instanceof Slot ? values[p.n] : p)) };
  }

  return {
    async run(db: Db, shape: string, compile: Compile, values: readonly unknown[]): Promise<Record<string, unknown>[]> {
      const s = statement(db, shape, compile, values);
      const rows = syncReadOf(db)?.(s.sql, s.parameters);
      if (rows) return rows;
      const result = await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(s.sql, s.parameters));
      return result.rows;
    },

    /**
     * The rows at once, where the connection reads synchronously now (sync-read.ts); else null,
     * and the caller takes a path that may wait. No promise: a hot path whose every step is ready
     * runs straight through (maybe-promise.ts).
     */
    runNow(db: Db, shape: string, compile: Compile, values: readonly unknown[]): Record<string, unknown>[] | null {
      const read = syncReadOf(db);
      if (!read) return null;
      const s = statement(db, shape, compile, values);
      return read(s.sql, s.parameters);
    },
  };
}

export type PreparedStatements = ReturnType<typeof createPreparedStatements>;
