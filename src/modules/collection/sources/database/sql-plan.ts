import type { DatabaseConfig } from '../source-config.js';
import type { Connector } from './connector.js';

export type SelectPlan = { sql: string; params: unknown[] };

/**
 * The one statement a pull runs. A configured query is used as the inner part of a derived table
 * whenever columns or an incremental filter must be added; the connector's quoting keeps
 * identifiers identifiers.
 *
 * Incremental: `WHERE <watermark column> > <saved watermark> ORDER BY <watermark column>`, so
 * the last non-null value read is the largest one (the new watermark).
 */
export function planSelect(c: Connector, config: DatabaseConfig, incremental: { column: string; after: string | null } | null): SelectPlan {
  const table = (name: string) =>
    name
      .split('.')
      .map((p) => c.quote(p))
      .join('.');
  const columns = config.columns ? config.columns.map((col) => c.quote(col)).join(', ') : '*';
  const from = config.table !== undefined ? table(config.table) : `(${config.query}) kuaiji_src`;
  if (!incremental) {
    return config.table === undefined && !config.columns ? { sql: config.query!, params: [] } : { sql: `SELECT ${columns} FROM ${from}`, params: [] };
  }
  const wm = c.quote(incremental.column);
  const where = incremental.after === null ? '' : ` WHERE ${wm} > ${c.param(1)}`;
  return { sql: `SELECT ${columns} FROM ${from}${where} ORDER BY ${wm}`, params: incremental.after === null ? [] : [incremental.after] };
}
