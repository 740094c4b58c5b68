import net from 'node:net';
import pg from 'pg';
import { AppError } from '../../../../errors.js';
import type { DbTarget } from '../security/connection-target.js';
import type { Connection, Connector } from './connector.js';
import type { ColumnKind, ResultColumn } from './db-cells.js';

// Every value stays the server's text: numeric and int8 exact, dates not moved by this
// process's time zone; db-cells.ts normalises the few shapes that need it.
const rawText = { getTypeParser: () => (text: string) => text } as unknown as pg.CustomTypesConfig;

const KIND_BY_OID: Record<number, ColumnKind> = { 16: 'boolean', 17: 'bytes', 1082: 'date', 1114: 'datetime', 1184: 'datetime' };

type Fields = { name: string; dataTypeID: number }[];

/** TLS per sslmode; certificates are checked against the host name although the socket goes to the checked address. */
function tls(target: DbTarget): pg.ClientConfig['ssl'] {
  const name = net.isIP(target.host) ? {} : { servername: target.host };
  switch (target.ssl) {
    case 'disable':
      return false;
    case 'require':
    case 'no-verify':
      return { rejectUnauthorized: false, ...name };
    case 'verify-ca':
      return { rejectUnauthorized: true, checkServerIdentity: () => undefined, ...name };
    case 'verify-full':
      return { rejectUnauthorized: true, ...name };
  }
}

// Superusers and members of pg_read_server_files / pg_execute_server_program read the server's
// files with a SELECT (pg_read_file, lo_import, COPY … PROGRAM): a read-only transaction does not stop them.
const PRIVILEGED = `SELECT r.rolsuper OR CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pg_read_server_files')
  THEN pg_has_role(current_user, 'pg_read_server_files', 'USAGE') OR pg_has_role(current_user, 'pg_execute_server_program', 'USAGE') ELSE false END AS privileged
  FROM pg_roles r WHERE r.rolname = current_user`;

export const postgresConnector: Connector = {
  quote: (identifier) => `"${identifier.replaceAll('"', '""')}"`,
  param: (n) => `$${n}`,
  // 57014 query_canceled: statement_timeout (a cancel by the platform closes the session instead).
  isTimeout: (err) => (err as { code?: string })?.code === '57014',

  async connect(target, { utcOffset, address, statementTimeoutMs, allowPrivilegedRoles }): Promise<Connection> {
    const client = new pg.Client({
      host: address,
      port: target.port,
      user: target.user,
      password: target.password,
      database: target.database,
      ssl: tls(target),
      connectionTimeoutMillis: 15_000,
      types: rawText,
      application_name: 'kuaiji-collection',
    });
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
      if (
        !allowPrivilegedRoles &&
        (await client.query<{ privileged: boolean | string }>(PRIVILEGED)).rows.some((r) => r.privileged === true || r.privileged === 't')
      ) {
        throw new AppError(
          'SOURCE_TARGET_REFUSED',
          `the database role '${target.user}' is a superuser or may read the server's files; give the source a role that can only read its tables`,
        );
      }
      // utcOffset is validated (±HH:MM), the timeout is an integer. A read-only session: the
      // platform never writes to a department's system, and a statement never runs unbounded.
      await client.query(
        `SET DateStyle = ISO; SET IntervalStyle = iso_8601; SET bytea_output = hex; SET TIME ZONE INTERVAL '${utcOffset}' HOUR TO MINUTE; ` +
          `SET default_transaction_read_only = on; SET statement_timeout = ${Math.round(statementTimeoutMs)}; SET lock_timeout = ${Math.round(statementTimeoutMs)}`,
      );
    } catch (err) {
      await close();
      throw err;
    }
    return {
      close,
      async stream(sql, params, batchSize) {
        // A cursor declared in SQL and read with FETCH: each FETCH is a statement of its own, so
        // statement_timeout bounds every round trip (the first one runs a pg_sleep(3600) or a
        // sort) without ending a long pull that is merely slow to consume. A protocol-level
        // portal (pg-cursor) would count the whole read as one statement.
        await client.query('BEGIN TRANSACTION READ ONLY');
        await client.query({ text: `DECLARE kuaiji_rows NO SCROLL CURSOR FOR ${sql}`, values: params });
        const fetch = () => client.query<unknown[]>({ text: `FETCH FORWARD ${Math.max(1, Math.floor(batchSize))} FROM kuaiji_rows`, rowMode: 'array' });
        const first = await fetch();
        const columns: ResultColumn[] = (first.fields as Fields).map((f) => ({ name: f.name, kind: KIND_BY_OID[f.dataTypeID] ?? 'text' }));
        async function* batches() {
          let rows = first.rows;
          while (rows.length > 0) {
            yield rows;
            rows = (await fetch()).rows;
          }
        }
        return { columns, batches: batches() };
      },
    };
  },
};
