import { sql } from 'kysely';
import type { Db } from '../../../storage/dialect.js';
import type { ThemeConflictTable, ThemeMasterTable, ThemeMasterTermTable, ThemeMemberStateTable, ThemeSourceTable } from '../../../storage/schema.js';
import { bulkStatement } from './bulk-sql.js';

export type MasterRow = ThemeMasterTable;
export type SourceRow = ThemeSourceTable;
export type TermRow = ThemeMasterTermTable;
export type ConflictRow = ThemeConflictTable;
export type MemberStateRow = ThemeMemberStateTable;

/** Values per IN list. */
const IN_BATCH = 900;

function chunks<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

async function inBatches<T, R>(xs: readonly T[], f: (part: T[]) => Promise<R[]>): Promise<R[]> {
  if (xs.length === 0) return [];
  const out: R[] = [];
  for (const part of chunks(xs, IN_BATCH)) out.push(...(await f(part)));
  return out;
}

const MASTER_COLUMNS =
  'id, theme_id, master_key, attributes, provenance, source_count, region_code, geometry, min_x, min_y, max_x, max_y, created_at, updated_at';
const masterValues = (r: MasterRow) => [
  r.id,
  r.theme_id,
  r.master_key,
  r.attributes,
  r.provenance,
  r.source_count,
  r.region_code,
  r.geometry,
  r.min_x,
  r.min_y,
  r.max_x,
  r.max_y,
  r.created_at,
  r.updated_at,
];
const insertMastersSql = bulkStatement(`insert into theme_masters (${MASTER_COLUMNS})`, 14, 'on conflict (theme_id, master_key) do nothing');
const updateMastersSql = bulkStatement(
  `insert into theme_masters (${MASTER_COLUMNS})`,
  14,
  'on conflict (id) do update set attributes = excluded.attributes, provenance = excluded.provenance, source_count = excluded.source_count, ' +
    'region_code = excluded.region_code, geometry = excluded.geometry, min_x = excluded.min_x, min_y = excluded.min_y, max_x = excluded.max_x, ' +
    'max_y = excluded.max_y, updated_at = excluded.updated_at',
);
const insertTermsSql = bulkStatement(
  'insert into theme_master_terms (theme_id, term, value, master_id)',
  4,
  'on conflict (theme_id, term, value, master_id) do nothing',
);
const upsertSourcesSql = bulkStatement(
  'insert into theme_sources (theme_id, resource_id, source_key, raw_key, normalised_key, master_id, tier, attributes, received_at, ' +
    'review_status, review_reason, reviewed_by, reviewed_at, updated_at)',
  14,
  'on conflict (theme_id, resource_id, source_key) do update set raw_key = excluded.raw_key, normalised_key = excluded.normalised_key, ' +
    'master_id = excluded.master_id, tier = excluded.tier, attributes = excluded.attributes, received_at = excluded.received_at, ' +
    'review_status = excluded.review_status, review_reason = excluded.review_reason, reviewed_by = excluded.reviewed_by, ' +
    'reviewed_at = excluded.reviewed_at, updated_at = excluded.updated_at',
);
const upsertConflictsSql = bulkStatement(
  'insert into theme_conflicts (id, theme_id, master_id, attribute, candidates, status, opened_at, resolved_at)',
  8,
  'on conflict (master_id, attribute) do update set candidates = excluded.candidates, status = excluded.status, ' +
    'opened_at = excluded.opened_at, resolved_at = excluded.resolved_at',
);

/** All SQL on the masters, the crosswalk, their lookup terms, conflicts and members' state (migration 0018). */
export function createMastersRepository() {
  return {
    // --- masters -----------------------------------------------------------------------------
    mastersByKeys: (db: Db, themeId: string, keys: readonly string[]) =>
      inBatches(keys, (part) => db.selectFrom('theme_masters').selectAll().where('theme_id', '=', themeId).where('master_key', 'in', part).execute()),

    mastersByIds: (db: Db, ids: readonly string[]) => inBatches(ids, (part) => db.selectFrom('theme_masters').selectAll().where('id', 'in', part).execute()),

    async findMaster(db: Db, themeId: string, key: string) {
      return (await db.selectFrom('theme_masters').selectAll().where('theme_id', '=', themeId).where('master_key', '=', key).executeTakeFirst()) ?? null;
    },

    /** New masters; a key another sync created meanwhile is left as it is (the caller re-reads). Returns how many were inserted. */
    insertMasters: (db: Db, rows: readonly MasterRow[]) => insertMastersSql(db, rows.map(masterValues)),

    /** Surviving values of existing masters, many in one prepared statement. */
    async updateMasters(db: Db, rows: readonly MasterRow[]) {
      await updateMastersSql(db, rows.map(masterValues));
    },

    async deleteMasters(db: Db, ids: readonly string[]) {
      for (const part of chunks(ids, IN_BATCH)) {
        await db.deleteFrom('theme_master_terms').where('master_id', 'in', part).execute();
        await db.deleteFrom('theme_masters').where('id', 'in', part).execute();
      }
    },

    /** A page of a theme's masters in key order; `q` matches the key's start. */
    listMasters(db: Db, themeId: string, q: { prefix?: string; after?: string; limit: number }) {
      let query = db.selectFrom('theme_masters').selectAll().where('theme_id', '=', themeId);
      if (q.prefix) query = query.where('master_key', '>=', q.prefix).where('master_key', '<', `${q.prefix}\uffff`);
      if (q.after !== undefined) query = query.where('master_key', '>', q.after);
      return query.orderBy('master_key').limit(q.limit).execute();
    },

    // --- terms -------------------------------------------------------------------------------
    termHits: (db: Db, themeId: string, term: string, values: readonly string[]) =>
      inBatches(values, (part) =>
        db
          .selectFrom('theme_master_terms')
          .select(['value', 'master_id'])
          .where('theme_id', '=', themeId)
          .where('term', '=', term)
          .where('value', 'in', part)
          .execute(),
      ),

    /** The masters' terms replaced by `terms` (written for masters whose surviving values changed). */
    async replaceTerms(db: Db, masterIds: readonly string[], terms: readonly TermRow[]) {
      for (const part of chunks(masterIds, IN_BATCH)) await db.deleteFrom('theme_master_terms').where('master_id', 'in', part).execute();
      await insertTermsSql(
        db,
        terms.map((t) => [t.theme_id, t.term, t.value, t.master_id]),
      );
    },

    // --- the crosswalk -----------------------------------------------------------------------
    sourcesByKeys: (db: Db, themeId: string, resourceId: string, sourceKeys: readonly string[]) =>
      inBatches(sourceKeys, (part) =>
        db
          .selectFrom('theme_sources')
          .selectAll()
          .where('theme_id', '=', themeId)
          .where('resource_id', '=', resourceId)
          .where('source_key', 'in', part)
          .execute(),
      ),

    sourcesOfMasters: (db: Db, masterIds: readonly string[]) =>
      inBatches(masterIds, (part) => db.selectFrom('theme_sources').selectAll().where('master_id', 'in', part).execute()),

    async findSource(db: Db, themeId: string, resourceId: string, sourceKey: string) {
      return (
        (await db
          .selectFrom('theme_sources')
          .selectAll()
          .where('theme_id', '=', themeId)
          .where('resource_id', '=', resourceId)
          .where('source_key', '=', sourceKey)
          .executeTakeFirst()) ?? null
      );
    },

    async upsertSources(db: Db, rows: readonly SourceRow[]) {
      await upsertSourcesSql(
        db,
        rows.map((r) => [
          r.theme_id,
          r.resource_id,
          r.source_key,
          r.raw_key,
          r.normalised_key,
          r.master_id,
          r.tier,
          r.attributes,
          r.received_at,
          r.review_status,
          r.review_reason,
          r.reviewed_by,
          r.reviewed_at,
          r.updated_at,
        ]),
      );
    },

    async deleteSources(db: Db, themeId: string, resourceId: string, sourceKeys: readonly string[]) {
      for (const part of chunks(sourceKeys, IN_BATCH)) {
        await db.deleteFrom('theme_sources').where('theme_id', '=', themeId).where('resource_id', '=', resourceId).where('source_key', 'in', part).execute();
      }
    },

    /** Source keys (and masters) of one member, in key order after `after`: the sweep for deleted records. */
    sourceKeysPage(db: Db, themeId: string, resourceId: string, after: string | null, limit: number) {
      let q = db.selectFrom('theme_sources').select(['source_key', 'master_id']).where('theme_id', '=', themeId).where('resource_id', '=', resourceId);
      if (after !== null) q = q.where('source_key', '>', after);
      return q.orderBy('source_key').limit(limit).execute();
    },

    /** Review-queue rows of a theme in (resource, source key) order. */
    reviewPage(db: Db, themeId: string, status: string, after: [string, string] | null, limit: number) {
      let q = db.selectFrom('theme_sources').selectAll().where('theme_id', '=', themeId).where('review_status', '=', status);
      if (after) q = q.where((eb) => eb.or([eb('resource_id', '>', after[0]), eb.and([eb('resource_id', '=', after[0]), eb('source_key', '>', after[1])])]));
      return q.orderBy('resource_id').orderBy('source_key').limit(limit).execute();
    },

    async setReview(db: Db, themeId: string, resourceId: string, sourceKey: string, set: Partial<SourceRow>) {
      const r = await db
        .updateTable('theme_sources')
        .set(set)
        .where('theme_id', '=', themeId)
        .where('resource_id', '=', resourceId)
        .where('source_key', '=', sourceKey)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },

    // --- conflicts ---------------------------------------------------------------------------
    conflictsOfMasters: (db: Db, masterIds: readonly string[]) =>
      inBatches(masterIds, (part) => db.selectFrom('theme_conflicts').selectAll().where('master_id', 'in', part).execute()),

    async upsertConflicts(db: Db, rows: readonly ConflictRow[]) {
      await upsertConflictsSql(
        db,
        rows.map((r) => [r.id, r.theme_id, r.master_id, r.attribute, r.candidates, r.status, r.opened_at, r.resolved_at]),
      );
    },

    async deleteConflictsOfMasters(db: Db, masterIds: readonly string[]) {
      for (const part of chunks(masterIds, IN_BATCH)) await db.deleteFrom('theme_conflicts').where('master_id', 'in', part).execute();
    },

    conflictsPage(db: Db, themeId: string, status: string | undefined, after: string | null, limit: number) {
      let q = db
        .selectFrom('theme_conflicts as c')
        .innerJoin('theme_masters as m', 'm.id', 'c.master_id')
        .selectAll('c')
        .select('m.master_key')
        .where('c.theme_id', '=', themeId);
      if (status) q = q.where('c.status', '=', status);
      if (after !== null) q = q.where('c.id', '>', after);
      return q.orderBy('c.id').limit(limit).execute();
    },

    /** Per member resource of a theme: its matched sources, and those whose master has an open conflict the member takes part in. */
    async consistencyOf(db: Db, themeId: string) {
      const matched = await db
        .selectFrom('theme_sources')
        .select(['resource_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('theme_id', '=', themeId)
        .where('master_id', 'is not', null)
        .groupBy('resource_id')
        .execute();
      const open = await db
        .selectFrom('theme_conflicts as c')
        .innerJoin('theme_masters as m', 'm.id', 'c.master_id')
        .select(['c.candidates', 'm.master_key'])
        .where('c.theme_id', '=', themeId)
        .where('c.status', '=', 'OPEN')
        .execute();
      return { matched: matched.map((r) => ({ resourceId: r.resource_id, n: Number(r.n) })), open };
    },

    // --- counts and members' state -----------------------------------------------------------
    async counts(db: Db, themeId: string) {
      const one = async (q: Promise<{ n: unknown } | undefined>) => Number((await q)?.n ?? 0);
      const [masters, sources, reviewPending, conflictsOpen] = await Promise.all([
        one(
          db
            .selectFrom('theme_masters')
            .select(sql<number>`count(*)`.as('n'))
            .where('theme_id', '=', themeId)
            .executeTakeFirst(),
        ),
        one(
          db
            .selectFrom('theme_sources')
            .select(sql<number>`count(*)`.as('n'))
            .where('theme_id', '=', themeId)
            .executeTakeFirst(),
        ),
        one(
          db
            .selectFrom('theme_sources')
            .select(sql<number>`count(*)`.as('n'))
            .where('theme_id', '=', themeId)
            .where('review_status', '=', 'PENDING')
            .executeTakeFirst(),
        ),
        one(
          db
            .selectFrom('theme_conflicts')
            .select(sql<number>`count(*)`.as('n'))
            .where('theme_id', '=', themeId)
            .where('status', '=', 'OPEN')
            .executeTakeFirst(),
        ),
      ]);
      return { masters, sources, reviewPending, conflictsOpen };
    },

    memberStates: (db: Db, themeId: string) => db.selectFrom('theme_member_state').selectAll().where('theme_id', '=', themeId).execute(),

    async setMemberState(db: Db, row: MemberStateRow) {
      await db
        .insertInto('theme_member_state')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['theme_id', 'resource_id']).doUpdateSet({
            status: sql`excluded.status`,
            synced_at: sql`excluded.synced_at`,
            rows_seen: sql`excluded.rows_seen`,
            error: sql`excluded.error`,
            updated_at: sql`excluded.updated_at`,
          }),
        )
        .execute();
    },

    async patchMemberState(db: Db, themeId: string, resourceId: string, set: Partial<MemberStateRow>) {
      await db.updateTable('theme_member_state').set(set).where('theme_id', '=', themeId).where('resource_id', '=', resourceId).execute();
    },
  };
}

export type MastersRepository = ReturnType<typeof createMastersRepository>;
