import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { from as copyFrom } from 'pg-copy-streams';
import type { ColumnType as DataType } from '../column-types.js';
import { customTypes, exactRecordTypes } from '../postgres.js';
import type { Schema } from '../schema.js';
import { CopyTextEncoder } from './postgres-copy-text.js';
import { buildKeyIndex, createStagingTable, dropStagingDefaults, ROW_NO, schemaOf, stagingName, swapIn, swapTarget } from './postgres-first-load.js';
import { PARTIAL_HASH, quoteIdent as q, type ColumnSpec, type LoadSession, type LoadSpec, type MergeCounts, type RecordStore } from './record-store.js';

const PG_TYPES: Record<DataType, string> = {
  STRING: 'text',
  TEXT: 'text',
  INTEGER: 'bigint',
  DECIMAL: 'numeric',
  DOUBLE: 'double precision',
  DATE: 'date',
  DATETIME: 'timestamp',
  BOOLEAN: 'boolean',
  BINARY: 'bytea',
};

/**
 * What an upsert writes over a stored row, and when. A full load compares `_hash`, except with a
 * row a partial load left with PARTIAL_HASH, whose columns are compared instead. A partial load
 * writes only its columns, compares them, and marks the row's hash unknown.
 */
function mergeRule(t: string, colList: string[], keys: string[], partial: boolean): { set: string; where: string } {
  const compared = colList.filter((c) => !keys.includes(c));
  const differs = compared.length ? `(${compared.map((c) => `${t}.${c} IS DISTINCT FROM excluded.${c}`).join(' OR ')})` : 'false';
  const provenance = ['"_batch_id"', '"_source"', '"_received_at"', '"_deleted"'];
  // A resource without key items is keyed by its content hash: a partial row there is a row of its own, never an update.
  if (partial && !keys.includes('"_hash"')) {
    return { set: [...[...colList, ...provenance].map((c) => `${c} = excluded.${c}`), `"_hash" = '${PARTIAL_HASH}'`].join(', '), where: differs };
  }
  return {
    set: [...colList, ...provenance, '"_hash"'].map((c) => `${c} = excluded.${c}`).join(', '),
    where: `(${t}."_hash" IS DISTINCT FROM excluded."_hash" AND (${t}."_hash" <> '${PARTIAL_HASH}' OR ${differs}))`,
  };
}

/** `options` in the URL (e.g. `?options=-c%20search_path%3Dx`) selects a private schema, as tests do. */
export async function openPostgresRecordStore(url: string): Promise<RecordStore> {
  const client = new pg.Client({ connectionString: url, types: customTypes });
  await client.connect();
  // Kysely runs on this very connection, so job bookkeeping joins the merge's transaction.
  const pool = {
    connect: async () => Object.assign(client, { release: () => undefined }),
    end: async () => undefined,
  } as unknown as PostgresPool;
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  // A second, pooled connection for writes during a COPY (rejects); opened on first use.
  const sideDb = new Kysely<Schema>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, types: customTypes, max: 1 }) }) });
  const typeOf = (c: ColumnSpec) => PG_TYPES[c.dataType];
  /** A record table's columns (without its primary key): the items, then provenance. */
  const tableDefinitions = (columns: ColumnSpec[], keyColumns: string[]) => [
    ...columns.map((c) => `${q(c.column)} ${typeOf(c)}${keyColumns.includes(c.column) ? ' NOT NULL' : ''}`),
    '"_batch_id" text NOT NULL',
    '"_source" text',
    '"_received_at" timestamptz NOT NULL',
    '"_hash" text NOT NULL',
    '"_deleted" boolean NOT NULL DEFAULT false',
  ];

  const store: RecordStore = {
    dialect: 'postgres',
    db,
    sideDb,
    async createTable(table, columns, keyColumns) {
      const defs = [...tableDefinitions(columns, keyColumns), `PRIMARY KEY (${keyColumns.map(q).join(', ')})`];
      await client.query(`CREATE TABLE IF NOT EXISTS ${q(table)} (${defs.join(', ')})`);
    },
    async addColumn(table, column) {
      await client.query(`ALTER TABLE ${q(table)} ADD COLUMN ${q(column.column)} ${typeOf(column)}`);
    },
    async dropTable(table) {
      await client.query(`DROP TABLE IF EXISTS ${q(table)}`);
    },
    async renameColumn(table, from, to) {
      await client.query(`ALTER TABLE ${q(table)} RENAME COLUMN ${q(from)} TO ${q(to)}`);
    },

    // DDL is transactional in PostgreSQL; the advisory lock makes a second caller wait, then see the first's work.
    async exclusive(key, work) {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`kuaiji:${key}`]);
        const result = await work();
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    },

    async beginLoad(spec: LoadSpec): Promise<LoadSession> {
      const cols = spec.columns.map((c) => c.column);
      const keys = spec.keyColumns.map(q);
      const t = q(spec.table);
      // A first load (full, into an empty table) stages into a table that can become the record
      // table (postgres-first-load.ts); it is created in the load's transaction, which stays open
      // until the merge commits. Other loads stage into a TEMP table, which vanishes with the session.
      const first = !spec.partial && (await client.query<{ empty: boolean }>(`SELECT NOT EXISTS (SELECT 1 FROM ${t}) AS empty`)).rows[0]!.empty;
      let staging: { schema: string; name: string } | null = null;
      let s = 'pg_temp.s';
      if (first) {
        const schema = await schemaOf(client, spec.table);
        staging = { schema, name: stagingName(spec.table, randomBytes(6).toString('hex')) };
        s = `${q(schema)}.${q(staging.name)}`;
        await client.query('BEGIN');
        try {
          await createStagingTable(client, schema, staging.name, {
            definitions: tableDefinitions(spec.columns, spec.keyColumns),
            batchId: spec.batchId,
            source: spec.source,
            receivedAt: spec.receivedAt,
          });
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        }
      } else {
        await client.query('DROP TABLE IF EXISTS pg_temp.s');
        await client.query(`CREATE TEMP TABLE s (${q(ROW_NO)} bigint, ${spec.columns.map((c) => `${q(c.column)} ${typeOf(c)}`).join(', ')}, "_hash" text)`);
      }
      // A first load's rows are written frozen and its pages all-visible (FREEZE: valid because
      // the table was created in this very transaction, which nothing else can see until it
      // commits): no reader sets hint bits on them after the commit, and VACUUM skips them
      // instead of reading and freezing a million rows later (0.2-0.6 s -> 5-7 ms measured on
      // 1M rows). A TEMP staging table is not frozen: the merge copies its rows.
      const copy = client.query(copyFrom(`COPY ${s} (${[q(ROW_NO), ...cols.map(q), '"_hash"'].join(', ')}) FROM STDIN${staging ? ' WITH (FREEZE)' : ''}`));
      const copyDone = once(copy, 'finish');
      let copyError: Error | undefined;
      copy.on('error', (e: Error) => {
        copyError = e;
      });
      let staged = 0;
      const encoder = new CopyTextEncoder();
      // Ends the load's transaction (a first load) or drops the TEMP table.
      const discard = async () => {
        if (staging) await client.query('ROLLBACK').catch(() => undefined);
        else await client.query('DROP TABLE IF EXISTS pg_temp.s').catch(() => undefined);
      };

      return {
        async append(rows) {
          if (copyError) throw copyError;
          if (rows.length === 0) return;
          staged += rows.length;
          if (!copy.write(encoder.encode(rows))) await once(copy, 'drain');
        },
        async commit(finalize) {
          try {
            copy.end();
            await copyDone;
            if (copyError) throw copyError;
            if (!staging) {
              await prepareMerge();
              await client.query('BEGIN');
            }
            // Loads of one table serialise; loads of different tables run side by side.
            await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [spec.table]);
            if (staging) {
              const counts = await swapFirstLoad(staging.schema, staging.name);
              if (counts) {
                await finalize(db, counts);
                await client.query('COMMIT');
                return counts;
              }
            }
            if (staging) await prepareMerge();
            const counts = await merge();
            // A first load's staging table merged like any other: it goes with the same commit.
            if (staging) await client.query(`DROP TABLE ${s}`);
            await finalize(db, counts);
            await client.query('COMMIT');
            return counts;
          } catch (err) {
            await client.query('ROLLBACK').catch(() => undefined);
            throw err;
          } finally {
            if (!staging) await client.query('DROP TABLE IF EXISTS pg_temp.s').catch(() => undefined);
          }
        },
        async abort() {
          if (!copy.writableEnded) {
            copy.destroy(new Error('load aborted'));
          }
          await copyDone.catch(() => undefined);
          await discard();
        },
      };

      /**
       * A first load's staged table becomes the record table when that is still empty and plain
       * (postgres-first-load.ts); null when it must be merged instead.
       */
      async function swapFirstLoad(schema: string, name: string): Promise<MergeCounts | null> {
        // Writers wait (none should come: loads hold the lock above); readers go on until the swap.
        await client.query(`LOCK TABLE ${q(schema)}.${t} IN EXCLUSIVE MODE`);
        await dropStagingDefaults(client, schema, name);
        const pkey = await swapTarget(client, schema, spec.table, name, spec.keyColumns);
        if (pkey === null) return null;
        const index = `${name}_key`;
        const { repeated, repeatedKeys } = await buildKeyIndex(client, schema, name, index, spec.keyColumns);
        await swapIn(client, schema, spec.table, name, index, pkey);
        const inserted = staged - repeated;
        return { staged, inserted, updated: 0, unchanged: 0, deleted: 0, revived: 0, repeated, repeatedKeys };
      }

      /** Statistics for the merge's plan, and the index a snapshot's search for absent keys uses. */
      async function prepareMerge() {
        await client.query(`ANALYZE ${s}`);
        if (spec.snapshot) await client.query(`CREATE INDEX ON ${s} (${keys.join(', ')})`);
      }

      /** Merges the staged rows (table `s`) into the record table, in the open transaction. */
      async function merge(): Promise<MergeCounts> {
        const provenance = ['"_batch_id"', '"_source"', '"_received_at"', '"_hash"', '"_deleted"'];
        const colList = cols.map(q);
        const { set: setList, where: changed } = mergeRule(t, colList, keys, spec.partial);
        const revived = spec.countRevived
          ? Number(
              (
                await client.query<{ n: number }>(
                  `SELECT count(*) AS n FROM ${t} WHERE ${t}."_deleted" AND (${keys.map((k) => `${t}.${k}`).join(', ')}) IN (SELECT ${keys.join(', ')} FROM ${s})`,
                )
              ).rows[0]!.n,
            )
          : 0;
        // The last row of a key wins, as on SQLite; PostgreSQL's upsert must not meet a key twice.
        const src = `SELECT DISTINCT ON (${keys.join(', ')}) * FROM ${s} ORDER BY ${keys.join(', ')}, ${q(ROW_NO)} DESC`;
        const insert = `INSERT INTO ${t} (${[...colList, ...provenance].join(', ')}) SELECT ${colList.join(', ')}, $1, $2, $3, "_hash", false FROM src`;
        const params = [spec.batchId, spec.source, spec.receivedAt];
        // Into an empty table (a first load) every row is new: a plain insert skips the
        // upsert's speculative insertion and the count of returned rows (7.8 s → 4.7 s at a
        // million rows). Loads of this table are serialised by the lock above.
        const empty = (await client.query<{ empty: boolean }>(`SELECT NOT EXISTS (SELECT 1 FROM ${t}) AS empty`)).rows[0]!.empty;
        let inserted: number;
        let written: number;
        // Keys the batch repeats: counted by one more pass over the staged rows, which a first
        // load without repeats (its insert count is the count of keys) does not need.
        const keyCounts = async () => {
          const r = await client.query<{ keys: string; repeated: string }>(
            `SELECT count(*) AS keys, count(*) FILTER (WHERE n > 1) AS repeated FROM (SELECT count(*) AS n FROM ${s} GROUP BY ${keys.join(', ')}) g`,
          );
          return { distinct: Number(r.rows[0]!.keys), repeatedKeys: Number(r.rows[0]!.repeated) };
        };
        let distinct: number;
        let repeatedKeys = 0;
        if (empty) {
          inserted = written = distinct = (await client.query(`WITH src AS (${src}) ${insert}`, params)).rowCount ?? 0;
          if (distinct < staged) ({ repeatedKeys } = await keyCounts());
        } else {
          ({ distinct, repeatedKeys } = await keyCounts());
          const merged = await client.query<{ inserted: number; written: number }>(
            `WITH src AS (${src}),
                  w AS (${insert}
                        ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${setList}
                        WHERE ${changed} OR ${t}."_deleted"
                        RETURNING (xmax = 0) AS ins)
             SELECT count(*) FILTER (WHERE ins) AS inserted, count(*) AS written FROM w`,
            params,
          );
          inserted = Number(merged.rows[0]!.inserted);
          written = Number(merged.rows[0]!.written);
        }
        let deleted = 0;
        if (spec.snapshot) {
          const del = await client.query(
            `UPDATE ${t} SET "_deleted" = true, "_batch_id" = $1, "_received_at" = $2
             WHERE NOT "_deleted" AND NOT EXISTS (SELECT 1 FROM ${s} s WHERE ${spec.keyColumns.map((k) => `s.${q(k)} = ${t}.${q(k)}`).join(' AND ')})`,
            [spec.batchId, spec.receivedAt],
          );
          deleted = del.rowCount ?? 0;
        }
        return {
          staged,
          inserted,
          updated: written - inserted,
          unchanged: distinct - written,
          deleted,
          revived,
          repeated: staged - distinct,
          repeatedKeys,
        };
      }
    },

    async *readRecords(table, columns, options = {}) {
      const where = options.includeDeleted ? '' : 'WHERE NOT "_deleted"';
      const limit = options.limit ? `LIMIT ${Math.floor(options.limit)}` : '';
      // Exact: int8 and numeric as text, dates as stored (the pool's parsers turn counts into numbers).
      const cursor = client.query(new Cursor(`SELECT ${columns.map(q).join(', ')} FROM ${q(table)} ${where} ${limit}`, [], { types: exactRecordTypes }));
      try {
        for (;;) {
          const rows = await cursor.read(1000);
          if (rows.length === 0) return;
          for (const r of rows) yield r as Record<string, unknown>;
        }
      } finally {
        await cursor.close();
      }
    },

    async visitRecords(table, columns, visit) {
      let n = 0;
      for await (const row of store.readRecords(table, columns)) {
        visit(row);
        n += 1;
      }
      return n;
    },

    close: async () => {
      await sideDb.destroy();
      await client.end();
    },
  };
  return store;
}
