import type { Db } from '../../../storage/dialect.js';
import type { ConflictRow, MasterRow } from './masters.repository.js';
import { bulkStatement, plainStatement } from './bulk-sql.js';

/**
 * The sync's set-based steps (ADR 0033). Two TEMP tables of the sync's own connection — created
 * on first use with the column types of the tables they feed (CREATE TABLE … AS SELECT … WHERE
 * 1 = 0, so jsonb and timestamptz on PostgreSQL, text on SQLite), emptied per chunk, always used
 * inside the chunk's transaction (one connection on PostgreSQL too):
 *  - theme_sync_stage: one chunk's keyed member records (KEY and LEGACY tier), normalised in
 *    JavaScript and written with prepared multi-row inserts; which of them changed, which masters
 *    they need, their crosswalk upsert and the masters they touch are then single statements.
 *  - theme_sync_touched: the master ids a chunk touched; survivorship reads their masters,
 *    crosswalk rows, conflicts and lookup terms through a join with it (no IN lists).
 */

const createStage = plainStatement(
  'create temp table if not exists theme_sync_stage as select s.theme_id, s.resource_id, s.source_key, s.raw_key, s.normalised_key, ' +
    's.master_id, s.tier, s.attributes, s.received_at, s.review_status, s.review_reason, s.reviewed_by, s.reviewed_at, s.updated_at, ' +
    'm.id as new_master_id, 0 as changed from theme_sources s, theme_masters m where 1 = 0',
);
const indexStage = plainStatement('create index if not exists theme_sync_stage_key on theme_sync_stage (source_key)');
const clearStage = plainStatement('delete from theme_sync_stage');
const fillStage = bulkStatement(
  'insert into theme_sync_stage (theme_id, resource_id, source_key, raw_key, normalised_key, tier, attributes, received_at, updated_at, new_master_id, changed)',
  11,
);
/** A staged record is unchanged when its crosswalk row (not waiting for review) has the same raw key, receipt time and values. */
const markChanged = plainStatement(
  'update theme_sync_stage set changed = 1 where ? = 1 or not exists (select 1 from theme_sources t where t.theme_id = theme_sync_stage.theme_id ' +
    'and t.resource_id = theme_sync_stage.resource_id and t.source_key = theme_sync_stage.source_key ' +
    "and (t.review_status is null or t.review_status <> 'PENDING') " +
    'and ((t.raw_key is null and theme_sync_stage.raw_key is null) or t.raw_key = theme_sync_stage.raw_key) ' +
    'and t.received_at = theme_sync_stage.received_at and t.attributes = theme_sync_stage.attributes)',
);
const mastersBefore = plainStatement(
  'select distinct t.master_id from theme_sync_stage s inner join theme_sources t on t.theme_id = s.theme_id and t.resource_id = s.resource_id ' +
    'and t.source_key = s.source_key where s.changed = 1 and t.master_id is not null',
);
/** A master per new key: the id staged with its first record (each record carries a fresh one). */
const createMasters = plainStatement(
  'insert into theme_masters (id, theme_id, master_key, attributes, provenance, source_count, created_at, updated_at) ' +
    "select min(s.new_master_id), s.theme_id, s.normalised_key, '{}', '{}', 0, min(s.updated_at), min(s.updated_at) from theme_sync_stage s " +
    'where s.changed = 1 and not exists (select 1 from theme_masters m where m.theme_id = s.theme_id and m.master_key = s.normalised_key) ' +
    'group by s.theme_id, s.normalised_key on conflict (theme_id, master_key) do nothing',
);
const createdMasters = plainStatement(
  'select m.id, m.master_key from theme_masters m inner join theme_sync_stage s on s.new_master_id = m.id where s.changed = 1',
);
const assignMasters = plainStatement(
  'update theme_sync_stage set master_id = (select m.id from theme_masters m where m.theme_id = theme_sync_stage.theme_id ' +
    'and m.master_key = theme_sync_stage.normalised_key) where changed = 1',
);
const upsertStaged = plainStatement(
  'insert into theme_sources (theme_id, resource_id, source_key, raw_key, normalised_key, master_id, tier, attributes, received_at, ' +
    'review_status, review_reason, reviewed_by, reviewed_at, updated_at) select theme_id, resource_id, source_key, raw_key, normalised_key, ' +
    'master_id, tier, attributes, received_at, review_status, review_reason, reviewed_by, reviewed_at, updated_at from theme_sync_stage ' +
    'where changed = 1 on conflict (theme_id, resource_id, source_key) do update set raw_key = excluded.raw_key, ' +
    'normalised_key = excluded.normalised_key, master_id = excluded.master_id, tier = excluded.tier, attributes = excluded.attributes, ' +
    'received_at = excluded.received_at, review_status = excluded.review_status, review_reason = excluded.review_reason, ' +
    'reviewed_by = excluded.reviewed_by, reviewed_at = excluded.reviewed_at, updated_at = excluded.updated_at',
);
const mastersAfter = plainStatement('select distinct master_id from theme_sync_stage where changed = 1 and master_id is not null');

/** One keyed member record as it is staged. */
export type StagedRecord = {
  sourceKey: string;
  rawKey: string | null;
  key: string;
  tier: 'KEY' | 'LEGACY';
  /** The mapped values as JSON text. */
  attributes: string;
  receivedAt: string;
  /** The id its master gets if its key has none yet. */
  newMasterId: string;
};

export type StagedOutcome = {
  /** Records whose crosswalk row was written (new or changed). */
  written: number;
  mastersCreated: number;
  /** Masters created by this chunk (their organisation-code term is the caller's to write). */
  created: { id: string; master_key: string }[];
  /** Masters the written rows joined, and those they left. */
  touched: string[];
};

/**
 * A chunk's keyed records: staged, compared with the crosswalk, new masters created for new keys,
 * the crosswalk upserted with INSERT … SELECT … ON CONFLICT — each step one statement.
 */
export async function foldStaged(
  trx: Db,
  o: { themeId: string; resourceId: string; now: string; force: boolean },
  records: readonly StagedRecord[],
): Promise<StagedOutcome> {
  await createStage(trx);
  await indexStage(trx);
  await clearStage(trx);
  await fillStage(
    trx,
    records.map((r) => [o.themeId, o.resourceId, r.sourceKey, r.rawKey, r.key, r.tier, r.attributes, r.receivedAt, o.now, r.newMasterId, 0]),
  );
  const written = (await markChanged(trx, [o.force ? 1 : 0])).affected;
  if (written === 0) return { written: 0, mastersCreated: 0, created: [], touched: [] };
  const before = (await mastersBefore<{ master_id: string }>(trx)).rows;
  const mastersCreated = (await createMasters(trx)).affected;
  const created = mastersCreated ? (await createdMasters<{ id: string; master_key: string }>(trx)).rows : [];
  await assignMasters(trx);
  await upsertStaged(trx);
  const after = (await mastersAfter<{ master_id: string }>(trx)).rows;
  return { written, mastersCreated, created, touched: [...before, ...after].map((r) => r.master_id) };
}

const createTouched = plainStatement('create temp table if not exists theme_sync_touched as select id as master_id from theme_masters where 1 = 0');
const indexTouched = plainStatement('create index if not exists theme_sync_touched_id on theme_sync_touched (master_id)');
const clearTouched = plainStatement('delete from theme_sync_touched');
const fillTouched = bulkStatement('insert into theme_sync_touched (master_id)', 1);
const touchedMasters = plainStatement('select m.* from theme_masters m inner join theme_sync_touched t on t.master_id = m.id');
const touchedSources = plainStatement(
  'select s.master_id, s.resource_id, s.source_key, s.received_at, s.attributes from theme_sources s ' +
    'inner join theme_sync_touched t on t.master_id = s.master_id',
);
const touchedConflicts = plainStatement('select c.* from theme_conflicts c inner join theme_sync_touched t on t.master_id = c.master_id');
const touchedTerms = plainStatement(
  'select x.master_id, x.term, x.value from theme_master_terms x inner join theme_sync_touched t on t.master_id = x.master_id',
);

export type TouchedSource = { master_id: string; resource_id: string; source_key: string; received_at: string; attributes: unknown };

/** The touched masters (distinct ids), with their crosswalk rows and conflicts, each read in one joined statement. */
export async function readTouched(trx: Db, ids: readonly string[]) {
  await createTouched(trx);
  await indexTouched(trx);
  await clearTouched(trx);
  await fillTouched(
    trx,
    ids.map((id) => [id]),
  );
  const masters = (await touchedMasters<MasterRow>(trx)).rows;
  const sources = (await touchedSources<TouchedSource>(trx)).rows;
  const conflicts = (await touchedConflicts<ConflictRow>(trx)).rows;
  const terms = (await touchedTerms<{ master_id: string; term: string; value: string }>(trx)).rows;
  return { masters, sources, conflicts, terms };
}
