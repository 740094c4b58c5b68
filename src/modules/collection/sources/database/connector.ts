import type { ResultColumn } from './db-cells.js';

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
  /** A read-only session whose date/time text is in `utcOffset`'s wall clock. */
  connect(url: string, options: { utcOffset: string }): Promise<Connection>;
}

export interface Connection {
  /** Runs `sql`; resolves once the result's columns are known. Values are the server's text, or Buffers for binary. */
  stream(sql: string, params: unknown[], batchSize: number): Promise<{ columns: ResultColumn[]; batches: AsyncIterable<unknown[][]> }>;
  /** Ends the session; safe to call twice and while a result is still streaming. */
  close(): Promise<void>;
}
