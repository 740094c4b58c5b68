import net from 'node:net';
import mysql from 'mysql2';
import { AppError } from '../../../../errors.js';
import type { DbTarget } from '../security/connection-target.js';
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

function run(conn: mysql.Connection, sql: string, values: unknown[] = []): Promise<unknown[]> {
  return new Promise((resolve, reject) => conn.query(sql, values, (err, rows) => (err ? reject(err) : resolve(rows as unknown[]))));
}

function tls(target: DbTarget): mysql.SslOptions | undefined {
  if (target.ssl === 'disable') return undefined;
  const verify = target.ssl === 'verify-ca' || target.ssl === 'verify-full';
  return { rejectUnauthorized: verify, verifyIdentity: target.ssl === 'verify-full' } as mysql.SslOptions;
}

// FILE reads the server's files (LOAD_FILE, INTO OUTFILE); SUPER ignores read_only limits.
const PRIVILEGED = `SELECT COUNT(*) AS n FROM information_schema.USER_PRIVILEGES WHERE PRIVILEGE_TYPE IN ('FILE', 'SUPER')
  AND GRANTEE = CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')`;

const UNKNOWN_SYSTEM_VARIABLE = 1193;

/** MariaDB: max_statement_time (seconds, every statement); MySQL 5.7.8+: max_execution_time (ms, SELECT). */
async function limitStatements(conn: mysql.Connection, ms: number) {
  try {
    await run(conn, `SET SESSION max_statement_time = ${(ms / 1000).toFixed(3)}`);
  } catch (err) {
    if ((err as { errno?: number }).errno !== UNKNOWN_SYSTEM_VARIABLE) throw err;
    await run(conn, `SET SESSION max_execution_time = ${Math.round(ms)}`);
  }
}

/** MySQL and MariaDB (and the many MySQL-protocol servers government systems run). */
export const mysqlConnector: Connector = {
  quote: (identifier) => `\`${identifier.replaceAll('`', '``')}\``,
  param: () => '?',
  // MariaDB ER_STATEMENT_TIMEOUT, MySQL ER_QUERY_TIMEOUT (and its older ER_QUERY_INTERRUPTED form).
  isTimeout: (err) => [1969, 3024, 1317].includes((err as { errno?: number })?.errno ?? 0),

  async connect(target, { utcOffset, address, statementTimeoutMs, allowPrivilegedRoles }): Promise<Connection> {
    const ssl = tls(target);
    const conn = mysql.createConnection({
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password,
      ...(target.database ? { database: target.database } : {}),
      ...(ssl ? { ssl } : {}),
      // The socket goes to the address that was checked; TLS still checks the host name.
      stream: () => net.connect(target.port, address),
      // A server may ask the client for a file (LOAD DATA LOCAL): never.
      flags: ['-LOCAL_FILES'],
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
      if (!allowPrivilegedRoles && Number(((await run(conn, PRIVILEGED)) as { n: number | string }[])[0]?.n ?? 0) > 0) {
        throw new AppError(
          'SOURCE_TARGET_REFUSED',
          `the database user '${target.user}' holds FILE or SUPER; give the source a user that can only read its tables`,
        );
      }
      // utcOffset is validated (±HH:MM). A read-only session: the platform never writes to a
      // department's system, and a statement never runs unbounded.
      await run(conn, `SET time_zone = '${utcOffset}'`);
      await run(conn, 'SET SESSION TRANSACTION READ ONLY');
      await limitStatements(conn, statementTimeoutMs);
    } catch (err) {
      await close();
      throw err;
    }
    return {
      close,
      async stream(sql, params, batchSize) {
        await run(conn, 'START TRANSACTION READ ONLY');
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
