import mysql from 'mysql2';
import type { Connection, Connector } from './connector.js';
import type { ColumnKind, ResultColumn } from './db-cells.js';

// mysql2 column type codes (mysql.Types).
const DATE = 10;
const DATETIME = 12;
const TIMESTAMP = 7;
const TINY = 1;
const BIT = 16;

function kindOf(f: mysql.FieldPacket): ColumnKind {
  const type = f.columnType ?? f.type;
  if (type === DATE) return 'date';
  if (type === DATETIME || type === TIMESTAMP) return 'datetime';
  // BOOLEAN is an alias of TINYINT(1).
  if (type === TINY && f.columnLength === 1) return 'boolean';
  if (type === BIT) return 'bit';
  return 'text';
}

function run(conn: mysql.Connection, sql: string): Promise<void> {
  return new Promise((resolve, reject) => conn.query(sql, (err) => (err ? reject(err) : resolve())));
}

/** MySQL and MariaDB (and the many MySQL-protocol servers government systems run). */
export const mysqlConnector: Connector = {
  quote: (identifier) => `\`${identifier.replaceAll('`', '``')}\``,
  param: () => '?',

  async connect(url, { utcOffset }): Promise<Connection> {
    const conn = mysql.createConnection({
      uri: url.replace(/^mariadb:/, 'mysql:'),
      // The server's own text for dates, decimals, BIGINT and JSON: nothing rounded or shifted.
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      jsonStrings: true,
      connectTimeout: 15_000,
      charset: 'utf8mb4',
    });
    // Errors after the handshake reach the pending query; without a listener they would crash the worker.
    conn.on('error', () => undefined);
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      // destroy(), not end(): end() waits behind a result set that is still streaming.
      conn.destroy();
    };
    try {
      await new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve())));
      // utcOffset is validated (±HH:MM). A read-only session: the platform never writes to a department's system.
      await run(conn, `SET time_zone = '${utcOffset}'`);
      await run(conn, 'SET SESSION TRANSACTION READ ONLY');
    } catch (err) {
      await close();
      throw err;
    }
    return {
      close,
      async stream(sql, params, batchSize) {
        const query = conn.query({ sql, values: params, rowsAsArray: true });
        // The stream pauses the socket when its buffer holds a batch: the server waits for us.
        const rows = query.stream({ highWaterMark: batchSize });
        const fields = await new Promise<mysql.FieldPacket[]>((resolve, reject) => {
          rows.once('fields', (f: mysql.FieldPacket[]) => resolve(f));
          // The query reports a failure at once, and 'end' right after it; the stream only on the next tick.
          query.once('error', reject);
          rows.once('error', reject);
          query.once('end', () => resolve([]));
        });
        const columns: ResultColumn[] = fields.map((f) => ({ name: f.name, kind: kindOf(f) }));
        async function* batches() {
          let batch: unknown[][] = [];
          try {
            for await (const row of rows) {
              batch.push(row as unknown[]);
              if (batch.length >= batchSize) {
                yield batch;
                batch = [];
              }
            }
            if (batch.length > 0) yield batch;
          } finally {
            rows.destroy();
          }
        }
        return { columns, batches: batches() };
      },
    };
  },
};
