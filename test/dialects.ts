import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe } from 'vitest';
import type { Storage } from '../src/storage/dialect.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { openPostgres } from '../src/storage/postgres.js';
import { openSqlite } from '../src/storage/sqlite.js';

/** The PostgreSQL server of integration tests; CI=true makes it mandatory. */
export const TEST_PG_URL = process.env.KUAIJI_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let pgReachable: Promise<boolean> | undefined;
async function postgresReachable(): Promise<boolean> {
  pgReachable ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch (err) {
      if (process.env.CI === 'true') {
        throw new Error(`CI=true but PostgreSQL at ${TEST_PG_URL} is unreachable: ${(err as Error).message}`);
      }
      console.warn(`[kuaiji tests] PostgreSQL at ${TEST_PG_URL} unreachable: PostgreSQL tests are SKIPPED`);
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return pgReachable;
}

export type TestDb = Storage & { drop(): Promise<void> };

async function freshPostgres(_options: FreshOptions = {}): Promise<TestDb> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const storage = openPostgres(TEST_PG_URL, { schema, max: 4 });
  await migrateToLatest(storage);
  return {
    ...storage,
    async drop() {
      await storage.close();
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

/** Options of a fresh database; `shareable` gives SQLite a file so worker threads can open it too. */
export type FreshOptions = { shareable?: boolean; busyWaitMs?: number };

// Shareable SQLite folders not dropped by their suite are removed when the test process exits.
const sqliteDirs = new Set<string>();
process.once('exit', () => {
  for (const dir of sqliteDirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function freshSqlite(options: FreshOptions = {}): Promise<TestDb> {
  const dir = options.shareable ? fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-test-')) : null;
  if (dir) sqliteDirs.add(dir);
  const storage = openSqlite(dir ? path.join(dir, 'test.sqlite') : ':memory:', { busyWaitMs: options.busyWaitMs });
  await migrateToLatest(storage);
  return {
    ...storage,
    async drop() {
      await storage.close();
      if (dir) {
        fs.rmSync(dir, { recursive: true, force: true });
        sqliteDirs.delete(dir);
      }
    },
  };
}

export const DIALECTS = [
  { name: 'sqlite', available: async () => true, fresh: freshSqlite },
  { name: 'postgres', available: postgresReachable, fresh: freshPostgres },
] as const;

// Top-level await: vitest collects describe blocks after this resolves, so skips are decided once.
const availability = Object.fromEntries(await Promise.all(DIALECTS.map(async (d) => [d.name, await d.available()] as const)));

/**
 * Runs a suite once per dialect: SQLite always; PostgreSQL when reachable (always under CI=true).
 * `fresh()` gives the suite a new, migrated, empty database.
 */
export function describeEachDialect(title: string, suite: (fresh: (options?: FreshOptions) => Promise<TestDb>, dialect: string) => void) {
  for (const d of DIALECTS) {
    const run = availability[d.name] ? describe : describe.skip;
    run(`${title} [${d.name}]`, () => suite(d.fresh, d.name));
  }
}
