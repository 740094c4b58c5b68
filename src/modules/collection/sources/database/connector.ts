import type { DbTarget } from '../security/connection-target.js';
import type { ResultColumn } from './db-cells.js';

export type ConnectOptions = {
  /** Session time zone (validated ±HH:MM). */
  utcOffset: string;
  /** The address the target's host was checked as: connect there, never to a second DNS answer. */
  address: string;
  /** Every statement ends after this long. */
  statementTimeoutMs: number;
  /** Accept a role that can read the server's files (superuser, FILE privilege): tests only. */
  allowPrivilegedRoles: boolean;
};

/**
 * What the database source needs from a driver: quoting, placeholders, and a server-side cursor
 * that hands out rows a batch at a time (memory holds one batch, whatever the table's size).
 * One implementation per server family; Oracle, 达梦 DM or 人大金仓 Kingbase would be more.
 */
export interface Connector {
  /** A plain identifier (already validated) in the server's quotes. */
  quote(identifier: string): string;
  /** The placeholder of the n-th (1-based) parameter. */
  param(n: number): string;
  /**
   * A read-only, time-limited session whose date/time text is in `utcOffset`'s wall clock, as a
   * role that cannot read the server's files (else SOURCE_TARGET_REFUSED).
   */
  connect(target: DbTarget, options: ConnectOptions): Promise<Connection>;
  /** Whether a driver error is the statement timeout ending the query. */
  isTimeout(err: unknown): boolean;
}

export interface Connection {
  /** Runs `sql` in a READ ONLY transaction; resolves once the result's columns are known. Values are the server's text, or Buffers for binary. */
  stream(sql: string, params: unknown[], batchSize: number): Promise<{ columns: ResultColumn[]; batches: AsyncIterable<unknown[][]> }>;
  /** Ends the session; safe to call twice and while a result is still streaming. */
  close(): Promise<void>;
}
