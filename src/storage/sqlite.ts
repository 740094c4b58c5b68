import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, sql, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';
import type { Dialect, DriverErrorKind, Storage } from './dialect.js';
import { escapeLike } from './dialect.js';
import { isDatabaseBusy } from './driver-errors.js';
import { registerSyncRead, sqliteBindable, sqliteSyncRead, syncReadOf } from './sync-read.js';
import { startWalCheckpointer } from './wal-checkpointer.js';
import type { Schema } from './schema.js';

/**
 * data_version moves when another connection commits; total_changes() counts this connection's
 * writes. One text for both uses: changeStamp selects it, a key lookup reads it inside its own
 * statement (ADR 0037) and compares the two, so they must never differ.
 */
const CHANGE_STAMP_EXPRESSION = "(select data_version from pragma_data_version) || ':' || total_changes()";
const CHANGE_STAMP_SQL = `select ${CHANGE_STAMP_EXPRESSION} as stamp`;

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  types: { timestamp: 'text', json: 'text', boolean: 'integer', bigint: 'integer', autoId: 'integer' },
  containsText(column, term) {
    // SQLite's LIKE is case-insensitive for ASCII, which covers English names; Chinese has no case.
    return sql<boolean>`${column} like ${'%' + escapeLike(term) + '%'} escape '\\'`;
  },
  classifyError(err): DriverErrorKind | null {
    const code = (err as { code?: unknown })?.code;
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return { kind: 'unique' };
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return { kind: 'foreign_key' };
    return null;
  },
  // Read per request by hot paths' caches: at once where the connection allows it (sync-read.ts).
  async changeStamp(db) {
    const rows = syncReadOf(db)?.(CHANGE_STAMP_SQL, []) ?? (await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(CHANGE_STAMP_SQL, []))).rows;
    return rows[0] ? String(rows[0].stamp) : null;
  },
  changeStampExpression: CHANGE_STAMP_EXPRESSION,
};

/**
 * better-sqlite3 binds numbers, strings, bigints, buffers and null only; booleans are written as
 * 0/1 here so repositories can pass plain booleans on both dialects.
 */
export function withBooleanParams(db: SQLite.Database): SQLite.Database {
  // Kysely passes the parameters as one array argument.
  const fix = (args: unknown[]) => args.map((a) => (Array.isArray(a) ? a.map(sqliteBindable) : sqliteBindable(a)));
  const prepare = db.prepare.bind(db);
  const wrap = (stmt: SQLite.Statement): SQLite.Statement =>
    new Proxy(stmt, {
      get(s, p) {
        // The statement itself as receiver: its native getters (busy, reader) refuse the proxy.
        const v = Reflect.get(s, p);
        if (p === 'all' || p === 'run' || p === 'iterate' || p === 'get') {
          return (...args: unknown[]) => (v as (...a: unknown[]) => unknown).apply(s, fix(args));
        }
        return typeof v === 'function' ? v.bind(s) : v;
      },
    });
  // Kysely prepares every query it runs; compiling the same SQL again cost a catalogue search more
  // than a tenth of its time (bench/catalog-read.ts). Statements are kept per SQL text (the most
  // recent STATEMENT_CACHE); one still being iterated is not shared, a fresh one is prepared instead.
  const cache = new Map<string, { stmt: SQLite.Statement; wrapped: SQLite.Statement }>();
  const cached = (source: string): SQLite.Statement => {
    const hit = cache.get(source);
    if (hit && !hit.stmt.busy) {
      cache.delete(source);
      cache.set(source, hit);
      return hit.wrapped;
    }
    const stmt = prepare(source);
    const wrapped = wrap(stmt);
    if (!hit) {
      cache.set(source, { stmt, wrapped });
      if (cache.size > STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
    }
    return wrapped;
  };
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== 'prepare') return Reflect.get(target, prop, receiver);
      return cached;
    },
  });
}

const STATEMENT_CACHE = 200;

/** How long a statement of the main connection waits, without blocking, for another connection's write lock (KUAIJI_SQLITE_BUSY_WAIT_MS). */
export const DEFAULT_BUSY_WAIT_MS = 30_000;

/**
 * Kysely's SQLite transactions begin DEFERRED: one that reads first and writes later fails at
 * once with SQLITE_BUSY when another connection — a collection worker — committed in between.
 * IMMEDIATE takes the write lock up front.
 *
 * better-sqlite3 is synchronous: its busy timeout would wait for a held write lock (a collection
 * merge holds it for seconds) with the event loop stopped. So the main connection's busy timeout
 * is 0 and this driver waits asynchronously instead (ADR 0017): a BEGIN IMMEDIATE, or a statement
 * outside a transaction, that meets SQLITE_BUSY gives the connection back (reads run meanwhile —
 * WAL readers never need the lock), sleeps a few milliseconds, takes it again and retries, until
 * `busyWaitMs`; then the error stands (503 DATABASE_BUSY). Nothing is half-done by then: a
 * refused BEGIN or autocommit statement changed nothing, and inside a transaction, which already
 * holds the lock, no statement meets it.
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #busyWaitMs: number;
  readonly #database: { inTransaction: boolean } | null;
  constructor(config: SqliteDialectConfig & { busyWaitMs?: number }) {
    super(config);
    this.#busyWaitMs = config.busyWaitMs ?? 0;
    this.#database = typeof config.database === 'function' ? null : (config.database as unknown as { inTransaction: boolean });
  }

  override createDriver(): Driver {
    const driver = super.createDriver();
    const waitMs = this.#busyWaitMs;
    const database = this.#database;
    const retrying = async <T>(connection: DatabaseConnection, run: () => Promise<T>): Promise<T> => {
      const deadline = Date.now() + waitMs;
      for (let pause = 1; ; pause = Math.min(pause * 2, 25)) {
        try {
          return await run();
        } catch (err) {
          if (!isDatabaseBusy(err) || Date.now() + pause > deadline) throw err;
        }
        await driver.releaseConnection(connection);
        await new Promise((resolve) => setTimeout(resolve, pause));
        await driver.acquireConnection();
      }
    };
    const init = driver.init.bind(driver);
    driver.init = async () => {
      await init();
      if (waitMs <= 0 || !database) return;
      // The one connection; patched once, so every statement outside a transaction waits the same way.
      const connection = await driver.acquireConnection();
      const execute = connection.executeQuery.bind(connection);
      connection.executeQuery = <R>(query: CompiledQuery) => (database.inTransaction ? execute<R>(query) : retrying(connection, () => execute<R>(query)));
      await driver.releaseConnection(connection);
    };
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}

/**
 * How every connection of this process to the database file is set up: the main one (openSqlite)
 * and those that threads open on their own (the call audit's writer).
 */
export function configureConnection(raw: SQLite.Database): void {
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  // Never wait synchronously on a thread that serves: the lock is waited for asynchronously.
  raw.pragma('busy_timeout = 0');
  // Checkpoints copy the log into the file: never on the main thread (wal-checkpointer.ts).
  raw.pragma('wal_autocheckpoint = 0');
}

/** Opens (creating if needed) the embedded database file; `:memory:` gives a private one. */
export function openSqlite(file: string, options: { busyWaitMs?: number; checkpointEveryMs?: number } = {}): Storage {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const raw = new SQLite(file);
  configureConnection(raw);
  const busyWaitMs = options.busyWaitMs ?? DEFAULT_BUSY_WAIT_MS;
  const db = new Kysely<Schema>({ dialect: new ImmediateSqliteDialect({ database: withBooleanParams(raw), busyWaitMs }) });
  registerSyncRead(db, sqliteSyncRead(raw));
  const checkpointer = options.checkpointEveryMs && file !== ':memory:' ? startWalCheckpointer(path.resolve(file), options.checkpointEveryMs) : null;
  return {
    db,
    url: file === ':memory:' ? null : `sqlite:${path.resolve(file)}`,
    dialect: sqliteDialect,
    async close() {
      await checkpointer?.stop();
      // Closing the last connection checkpoints the rest of the log.
      await db.destroy();
    },
  };
}
