import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely } from 'kysely';
import type { ColumnType as DataType } from '../column-types.js';
import type { Schema } from '../schema.js';
import { ImmediateSqliteDialect, withBooleanParams } from '../sqlite.js';
import {
  PARTIAL_HASH,
  quoteIdent as q,
  type ColumnSpec,
  type LoadSession,
  type LoadSpec,
  type MergeCounts,
  type RecordStore,
  type StagedRow,
} from './record-store.js';

// BIGINT, not INTEGER: a single INTEGER primary key would become the rowid alias, and the merge
// counts inserts by the growth of max(rowid).
const SQLITE_TYPES: Record<DataType, string> = {
  STRING: 'TEXT',
  TEXT: 'TEXT',
  INTEGER: 'BIGINT',
  DECIMAL: 'TEXT',
  DOUBLE: 'REAL',
  DATE: 'TEXT',
  DATETIME: 'TEXT',
  BOOLEAN: 'BIGINT',
  BINARY: 'BLOB',
};

const ROWS_PER_STATEMENT = 64;

function bindable(v: unknown): unknown {
  if (v === true) return 1;
  if (v === false) return 0;
  return v === undefined ? null : v;
}

/**
 * What an upsert writes over a stored row, and when. A full load compares `_hash`, except with a
 * row a partial load left with PARTIAL_HASH, whose columns are compared instead. A partial load
 * writes only its columns, compares them, and marks the row's hash unknown.
 */
function mergeRule(t: string, colList: string[], keys: string[], partial: boolean): { set: string; where: string } {
  const compared = colList.filter((c) => !keys.includes(c));
  const differs = compared.length ? `(${compared.map((c) => `${t}.${c} IS NOT excluded.${c}`).join(' OR ')})` : 'false';
  const provenance = ['"_batch_id"', '"_source"', '"_received_at"', '"_deleted"'];
  // A resource without key items is keyed by its content hash: a partial row there is a row of its own, never an update.
  if (partial && !keys.includes('"_hash"')) {
    return { set: [...[...colList, ...provenance].map((c) => `${c} = excluded.${c}`), `"_hash" = '${PARTIAL_HASH}'`].join(', '), where: differs };
  }
  return {
    set: [...colList, ...provenance, '"_hash"'].map((c) => `${c} = excluded.${c}`).join(', '),
    where: `(${t}."_hash" IS NOT excluded."_hash" AND (${t}."_hash" <> '${PARTIAL_HASH}' OR ${differs}))`,
  };
}

export function openSqliteRecordStore(file: string, scratchDir: string): RecordStore {
  const raw = new SQLite(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  // The merge waits for the API's short writes rather than failing.
  raw.pragma('busy_timeout = 30000');
  const db = new Kysely<Schema>({ dialect: new ImmediateSqliteDialect({ database: withBooleanParams(raw) }) });
  // visitRecords: one aggregate function whose step hands each row's values to the current visitor.
  let visitor: ((values: unknown[]) => void) | null = null;
  raw.aggregate('kuaiji_visit', {
    start: 0,
    varargs: true,
    directOnly: true,
    step: (n: number, ...values: unknown[]) => {
      visitor!(values);
      return n + 1;
    },
  });

  // The merge's count of rows a later row of the same key replaced (see commit).
  let repeated = 0;
  let repeatedKeys = 0;
  raw.function('kuaiji_repeated', { deterministic: false, directOnly: true }, (n: number | bigint) => {
    repeated += Number(n);
    repeatedKeys += 1;
    return 1;
  });

  // A merge's COMMIT would copy its hundreds of megabytes of log into the file (SQLite's automatic
  // checkpoint, which this connection keeps for its other writes) before the job could report: the
  // merge commits with it off and checkpoints once the job has reported (ADR 0035 addendum).
  const autocheckpoint = Number(raw.pragma('wal_autocheckpoint', { simple: true }));
  let checkpointTimer: NodeJS.Timeout | null = null;
  const checkpointNow = () => {
    if (checkpointTimer) clearTimeout(checkpointTimer);
    checkpointTimer = null;
    // Inside a transaction (exclusive() awaiting) it would fail: the next commit's automatic checkpoint does it.
    if (!raw.open || raw.inTransaction) return;
    try {
      raw.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy with another checkpoint (the serving process's thread): that one copies the log.
    }
  };
  const checkpointSoon = () => {
    checkpointTimer ??= setTimeout(checkpointNow, 0);
  };

  const columnDefs = (columns: ColumnSpec[], keys: string[]) =>
    columns.map((c) => `${q(c.column)} ${SQLITE_TYPES[c.dataType]}${keys.includes(c.column) ? ' NOT NULL' : ''}`);

  return {
    dialect: 'sqlite',
    db,
    sideDb: db,
    async createTable(table, columns, keyColumns) {
      const defs = [
        ...columnDefs(columns, keyColumns),
        '"_batch_id" TEXT NOT NULL',
        '"_source" TEXT',
        '"_received_at" TEXT NOT NULL',
        '"_hash" TEXT NOT NULL',
        '"_deleted" BIGINT NOT NULL DEFAULT 0',
        `PRIMARY KEY (${keyColumns.map(q).join(', ')})`,
      ];
      raw.exec(`CREATE TABLE IF NOT EXISTS ${q(table)} (${defs.join(', ')})`);
    },
    async addColumn(table, column) {
      raw.exec(`ALTER TABLE ${q(table)} ADD COLUMN ${q(column.column)} ${SQLITE_TYPES[column.dataType]}`);
    },
    async dropTable(table) {
      raw.exec(`DROP TABLE IF EXISTS ${q(table)}`);
    },
    async renameColumn(table, from, to) {
      raw.exec(`ALTER TABLE ${q(table)} RENAME COLUMN ${q(from)} TO ${q(to)}`);
    },

    // SQLite has one writer: IMMEDIATE takes the database's write lock, which serialises every key.
    async exclusive(_key, work) {
      raw.exec('BEGIN IMMEDIATE');
      try {
        const result = await work();
        raw.exec('COMMIT');
        return result;
      } catch (err) {
        if (raw.inTransaction) raw.exec('ROLLBACK');
        throw err;
      }
    },

    async beginLoad(spec: LoadSpec): Promise<LoadSession> {
      fs.mkdirSync(scratchDir, { recursive: true });
      const scratch = path.join(scratchDir, `${spec.jobId}.sqlite`);
      fs.rmSync(scratch, { force: true });
      // The staging table lives in its own file: filling it never takes the live database's write lock.
      raw.prepare('ATTACH DATABASE ? AS stg').run(scratch);
      raw.exec('PRAGMA stg.journal_mode = OFF; PRAGMA stg.synchronous = OFF');
      const cols = spec.columns.map((c) => c.column);
      // No row number: the merge orders a key's rows by rowid (file order), and one value less to bind is ~6% of staging.
      raw.exec(`CREATE TABLE stg.s (${columnDefs(spec.columns, []).join(', ')}, "_hash" TEXT)`);
      const width = cols.length + 1;
      const placeholders = (n: number) => Array.from({ length: n }, () => `(${new Array(width).fill('?').join(',')})`).join(',');
      const insertMany = raw.prepare(`INSERT INTO stg.s VALUES ${placeholders(ROWS_PER_STATEMENT)}`);
      const insertOne = raw.prepare(`INSERT INTO stg.s VALUES ${placeholders(1)}`);
      const params = new Array<unknown>(width * ROWS_PER_STATEMENT);
      let staged = 0;

      const appendTx = raw.transaction((rows: StagedRow[]) => {
        let i = 0;
        for (; i + ROWS_PER_STATEMENT <= rows.length; i += ROWS_PER_STATEMENT) {
          let p = 0;
          for (let r = i; r < i + ROWS_PER_STATEMENT; r++) {
            const row = rows[r]!;
            for (const v of row.values) params[p++] = bindable(v);
            params[p++] = row.hash;
          }
          insertMany.run(params);
        }
        for (; i < rows.length; i++) {
          const row = rows[i]!;
          insertOne.run([...row.values.map(bindable), row.hash]);
        }
      });

      const cleanup = () => {
        try {
          raw.exec('DETACH DATABASE stg');
        } catch {
          // already detached
        }
        fs.rmSync(scratch, { force: true });
      };

      return {
        async append(rows) {
          appendTx(rows);
          staged += rows.length;
        },
        async commit(finalize) {
          try {
            const keys = spec.keyColumns.map(q);
            if (spec.snapshot) raw.exec(`CREATE INDEX stg.s_key ON s (${keys.join(', ')})`);
            const t = q(spec.table);
            const provenance = ['"_batch_id"', '"_source"', '"_received_at"', '"_hash"', '"_deleted"'];
            const colList = cols.map(q);
            const { set: setList, where: changed } = mergeRule(t, colList, keys, spec.partial);
            // In key order, the key index grows at its right edge instead of at random pages (a
            // quarter to a third less merge time at a million rows). The last row of a key wins.
            // Into an empty table (a first load), every row in file order: a repeated key is
            // inserted, then overwritten; every key counts as inserted and its earlier rows as
            // repeated (staged − inserted). GROUP BY is a quarter slower than ORDER BY at 1M rows.
            const insertFirst = raw.prepare(
              `INSERT INTO main.${t} (${[...colList, ...provenance].join(', ')})
               SELECT ${colList.join(', ')}, ?, ?, ?, "_hash", 0 FROM stg.s WHERE true ORDER BY ${keys.map((k) => `stg.s.${k}`).join(', ')}, stg.s.rowid
               ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${setList}`,
            );
            const countRepeatedKeys = raw.prepare(`SELECT count(*) FROM (SELECT 1 FROM stg.s GROUP BY ${keys.join(', ')} HAVING count(*) > 1)`).pluck();
            // Into a table with rows, one row per key, the file's last (with max(), SQLite takes the
            // bare columns from that row), so a key is compared once with what is stored. The
            // HAVING clause counts the repeated keys and their earlier rows without a second pass.
            const merge = raw.prepare(
              `INSERT INTO main.${t} (${[...colList, ...provenance].join(', ')})
               SELECT ${colList.join(', ')}, ?, ?, ?, "_hash", 0 FROM (
                 SELECT ${colList.join(', ')}, "_hash", max(rowid) FROM stg.s GROUP BY ${keys.join(', ')}
                 HAVING count(*) = 1 OR kuaiji_repeated(count(*) - 1)
               ) WHERE true
               ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${setList}
               WHERE ${changed} OR ${t}."_deleted" <> 0`,
            );
            const maxRowid = raw.prepare(`SELECT coalesce(max(rowid), 0) AS m FROM main.${t}`).pluck();
            const markDeleted = raw.prepare(
              `UPDATE main.${t} SET "_deleted" = 1, "_batch_id" = ?, "_received_at" = ?
               WHERE "_deleted" = 0 AND NOT EXISTS (SELECT 1 FROM stg.s WHERE ${spec.keyColumns.map((k) => `s.${q(k)} = ${t}.${q(k)}`).join(' AND ')})`,
            );

            const keyTuple = (prefix: string) => (keys.length === 1 ? `${prefix}${keys[0]}` : `(${keys.map((k) => prefix + k).join(', ')})`);
            const countRevived = raw
              .prepare(`SELECT count(*) FROM main.${t} WHERE ${t}."_deleted" <> 0 AND ${keyTuple(`${t}.`)} IN (SELECT ${keys.join(', ')} FROM stg.s)`)
              .pluck();

            raw.pragma('wal_autocheckpoint = 0');
            raw.exec('BEGIN IMMEDIATE');
            try {
              const revived = spec.countRevived ? Number(countRevived.get()) : 0;
              const before = Number(maxRowid.get());
              let counts: MergeCounts;
              if (before === 0) {
                insertFirst.run(spec.batchId, spec.source, spec.receivedAt);
                const inserted = Number(maxRowid.get());
                const earlier = staged - inserted;
                counts = {
                  staged,
                  inserted,
                  updated: 0,
                  unchanged: 0,
                  deleted: 0,
                  revived,
                  repeated: earlier,
                  repeatedKeys: earlier ? Number(countRepeatedKeys.get()) : 0,
                };
              } else {
                repeated = repeatedKeys = 0;
                const written = merge.run(spec.batchId, spec.source, spec.receivedAt).changes;
                const inserted = Number(maxRowid.get()) - before;
                const deleted = spec.snapshot ? markDeleted.run(spec.batchId, spec.receivedAt).changes : 0;
                counts = { staged, inserted, updated: written - inserted, unchanged: staged - repeated - written, deleted, revived, repeated, repeatedKeys };
              }
              await finalize(db, counts);
              raw.exec('COMMIT');
              checkpointSoon();
              return counts;
            } catch (err) {
              if (raw.inTransaction) raw.exec('ROLLBACK');
              throw err;
            }
          } finally {
            raw.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
            cleanup();
          }
        },
        async abort() {
          cleanup();
        },
      };
    },

    async *readRecords(table, columns, options = {}) {
      const where = options.includeDeleted ? '' : 'WHERE "_deleted" = 0';
      const limit = options.limit ? `LIMIT ${Math.floor(options.limit)}` : '';
      const stmt = raw.prepare(`SELECT ${columns.map(q).join(', ')} FROM ${q(table)} ${where} ORDER BY rowid ${limit}`);
      for (const row of stmt.iterate()) yield row as Record<string, unknown>;
    },

    async visitRecords(table, columns, visit) {
      if (visitor) throw new Error('visitRecords is already running on this connection');
      const row: Record<string, unknown> = {};
      visitor = (values) => {
        for (let i = 0; i < columns.length; i++) row[columns[i]!] = values[i];
        visit(row);
      };
      try {
        const stmt = raw.prepare(`SELECT kuaiji_visit(${columns.map(q).join(', ')}) FROM ${q(table)} WHERE "_deleted" = 0`).pluck();
        return Number(stmt.get() ?? 0);
      } finally {
        visitor = null;
      }
    },

    async close() {
      checkpointNow();
      await db.destroy();
    },
  };
}
