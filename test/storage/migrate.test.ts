import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest, searchPathSchema } from '../../src/storage/migrate.js';
import { openPostgres } from '../../src/storage/postgres.js';
import { openSqlite } from '../../src/storage/sqlite.js';
import { DIALECTS, TEST_PG_URL } from '../dialects.js';

const pgAvailable = await DIALECTS[1].available();

describe('migrateToLatest', () => {
  it('reads the private schema of a PostgreSQL URL, none for SQLite', async () => {
    const sqlite = openSqlite(':memory:');
    expect(searchPathSchema(sqlite)).toBeUndefined();
    await sqlite.close();
    const storage = openPostgres('postgres://u@h:5432/db', { schema: 't_abc' });
    expect(searchPathSchema(storage)).toBe('t_abc');
    await storage.close();
  });

  describe.skipIf(!pgAvailable)('PostgreSQL private schemas', () => {
    const schemas = [`t_${randomBytes(6).toString('hex')}`, `t_${randomBytes(6).toString('hex')}`];
    const admin = async (q: string) => {
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      try {
        await c.query(q);
      } finally {
        await c.end();
      }
    };
    afterAll(async () => {
      for (const s of schemas) await admin(`drop schema if exists ${s} cascade`);
    });

    it('migrates a second schema while the first already has its migration table', async () => {
      for (const s of schemas) await admin(`create schema ${s}`);
      const [a, b] = schemas.map((schema) => openPostgres(TEST_PG_URL, { schema, max: 2 }));
      try {
        expect(await migrateToLatest(a!)).toContain('0001-catalog');
        // Before migrationTableSchema was passed, Kysely saw a's kysely_migration, did not create
        // b's, and failed with 'relation "kysely_migration" does not exist'.
        expect(await migrateToLatest(b!)).toContain('0001-catalog');
        expect(await migrateToLatest(b!)).toEqual([]);
      } finally {
        await a!.close();
        await b!.close();
      }
    });
  });
});
