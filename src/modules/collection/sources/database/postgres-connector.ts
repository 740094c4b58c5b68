import pg from 'pg';
import Cursor from 'pg-cursor';
import type { Connection, Connector } from './connector.js';
import type { ColumnKind, ResultColumn } from './db-cells.js';

// Every value stays the server's text: numeric and int8 exact, dates not moved by this
// process's time zone; db-cells.ts normalises the few shapes that need it.
const rawText = { getTypeParser: () => (text: string) => text } as unknown as pg.CustomTypesConfig;

const KIND_BY_OID: Record<number, ColumnKind> = { 16: 'boolean', 17: 'bytes', 1082: 'date', 1114: 'datetime', 1184: 'datetime' };

type Fields = { name: string; dataTypeID: number }[];

function read(cursor: Cursor, rows: number): Promise<{ rows: unknown[][]; fields: Fields }> {
  return new Promise((resolve, reject) => {
    // The callback form also gives the result, whose fields are known even when no row came.
    cursor.read(rows, (err, got, result) => (err ? reject(err) : resolve({ rows: got as unknown[][], fields: (result?.fields ?? []) as Fields })));
  });
}

export const postgresConnector: Connector = {
  quote: (identifier) => `"${identifier.replaceAll('"', '""')}"`,
  param: (n) => `$${n}`,

  async connect(url, { utcOffset }): Promise<Connection> {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 15_000, types: rawText, application_name: 'kuaiji-collection' });
    // A dropped connection surfaces through the pending read; without a listener it would crash the worker.
    client.on('error', () => undefined);
    await client.connect();
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await client.end().catch(() => undefined);
    };
    try {
      // utcOffset is validated (±HH:MM). A read-only session: the platform never writes to a department's system.
      await client.query(
        `SET DateStyle = ISO; SET IntervalStyle = iso_8601; SET bytea_output = hex; SET TIME ZONE INTERVAL '${utcOffset}' HOUR TO MINUTE; SET default_transaction_read_only = on`,
      );
    } catch (err) {
      await close();
      throw err;
    }
    return {
      close,
      async stream(sql, params, batchSize) {
        const cursor = client.query(new Cursor(sql, params, { rowMode: 'array' }));
        const first = await read(cursor, batchSize);
        const columns: ResultColumn[] = first.fields.map((f) => ({ name: f.name, kind: KIND_BY_OID[f.dataTypeID] ?? 'text' }));
        async function* batches() {
          try {
            let rows = first.rows;
            while (rows.length > 0) {
              yield rows;
              rows = (await read(cursor, batchSize)).rows;
            }
          } finally {
            // A cursor on a broken connection may never answer; the session is ended by close() anyway.
            await Promise.race([new Promise<void>((resolve) => cursor.close(() => resolve())), new Promise<void>((r) => setTimeout(r, 5000).unref())]);
          }
        }
        return { columns, batches: batches() };
      },
    };
  },
};
