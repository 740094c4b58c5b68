import { AppError, notFound } from '../../../errors.js';
import { scopeOf, type AccessScope } from '../../../shared/access-scope.js';
import { decodeCursor, toPage, type Page } from '../../../shared/page.js';
import type { Clock } from '../../../shared/clock.js';
import { newId } from '../../../shared/ids.js';
import { toJson, type Db, type Dialect } from '../../../storage/dialect.js';
import type { DataItemTable, EditionTable } from '../../../storage/schema.js';
import type { Auditor } from '../../audit/index.js';
import type { Actor } from '../../../shared/actor.js';
import { catalogPolicy } from '../catalog.policy.js';
import { presentResource } from '../resources/resources.presenter.js';
import type { Resource } from '../resources/resources.schemas.js';
import { contentHash } from './edition-content.js';
import { diffEntries } from './edition-diff.js';
import { CURRENT_REF, editionRef, presentEdition, presentEntry, presentEntrySummary, snapshotOf } from './editions.presenter.js';
import { createEditionsRepository, type EditionKey } from './editions.repository.js';
import type { Edition, EditionCreate, EditionDiff, EditionEntry, EditionEntrySummary, EditionListQuery, EditionEntriesQuery } from './editions.schemas.js';

export type EditionsOptions = {
  /** Resources read and written per round trip while publishing or diffing against the live catalogue (≤ 500). */
  chunkSize?: number;
};

/** Editions page newest first on (published_at, id); the cursor carries both. */
const editionKey = (row: EditionTable) => `${row.published_at}|${row.id}`;

function decodeEditionCursor(cursor: string | undefined): EditionKey | undefined {
  const key = decodeCursor(cursor);
  if (key === undefined) return undefined;
  const [publishedAt, id, extra] = key.split('|');
  if (!publishedAt || !id || extra !== undefined) throw new AppError('INVALID_CURSOR', 'The cursor was not produced by this API');
  return { publishedAt, id };
}

/**
 * Catalogue editions (目录版本, e.g. "2019版"): a frozen copy of every resource with its items,
 * each with a content hash, so two editions — or an edition and the live catalogue — can be
 * compared without reading unchanged entries.
 */
export function createEditionsService(deps: { db: Db; dialect: Dialect; clock: Clock; auditor: Auditor }, options: EditionsOptions = {}) {
  const repo = createEditionsRepository();
  const { db, auditor, clock } = deps;
  const chunkSize = Math.min(Math.max(options.chunkSize ?? 500, 1), 500);

  /** The live catalogue in code order (or its one resource `code`), one chunk of resources (with their items) per two round trips. */
  async function* liveCatalogue(conn: Db, scope: AccessScope, code?: string): AsyncGenerator<Resource[]> {
    let after: string | undefined;
    for (;;) {
      const rows = await repo.liveResources(conn, { after, limit: chunkSize, scope, code });
      if (rows.length === 0) return;
      const items = new Map<string, DataItemTable[]>();
      for (const i of await repo.liveItems(
        conn,
        rows.map((r) => r.id),
      )) {
        (items.get(i.resource_id) ?? items.set(i.resource_id, []).get(i.resource_id)!).push(i);
      }
      yield rows.map((r) => {
        const own = items.get(r.id) ?? [];
        const shareable = own.filter((i) => Number(i.share_type) !== 3).length;
        return presentResource({ ...r, item_count: own.length, shareable_item_count: shareable }, own);
      });
      if (rows.length < chunkSize) return;
      after = rows[rows.length - 1]!.code;
    }
  }

  async function mustFind(conn: Db, id: string): Promise<EditionTable> {
    const row = await repo.find(conn, id);
    if (!row) throw notFound('edition', id);
    return row;
  }

  return {
    /**
     * Freezes the whole catalogue — classified entries included: an edition is the bureau's record —
     * in one transaction with its audit row. Entries are written in batches, never one per resource.
     */
    async publish(actor: Actor, input: EditionCreate): Promise<Edition> {
      catalogPolicy.assertCanPublish(actor);
      return auditor.run(
        { actor, action: 'edition.publish', targetType: 'edition', detail: { name: input.name } },
        async (trx) => {
          if (await repo.findByName(trx, input.name)) {
            throw new AppError('DUPLICATE', `An edition named '${input.name}' already exists`, { entity: 'edition', name: input.name });
          }
          const row: EditionTable = {
            id: newId(),
            name: input.name,
            note: input.note ?? null,
            resource_count: 0,
            item_count: 0,
            shareable_item_count: 0,
            published_by: actor.username,
            published_at: clock.now().toISOString(),
          };
          await repo.insert(trx, row);
          for await (const chunk of liveCatalogue(trx, 'all')) {
            await repo.insertEntries(
              trx,
              chunk.map((r) => ({ edition_id: row.id, resource_code: r.code, content_hash: contentHash(r), snapshot: toJson(r) })),
            );
            for (const r of chunk) {
              row.resource_count += 1;
              row.item_count += r.itemCount;
              row.shareable_item_count += r.shareableItemCount;
            }
          }
          if (row.resource_count === 0) throw new AppError('EDITION_EMPTY', 'The catalogue has no resources: there is nothing to publish');
          await repo.setCounts(trx, row.id, {
            resource_count: row.resource_count,
            item_count: row.item_count,
            shareable_item_count: row.shareable_item_count,
          });
          return presentEdition(row);
        },
        (e) => e.id,
      );
    },

    async list(query: EditionListQuery): Promise<Page<Edition>> {
      const rows = await repo.list(db, { after: decodeEditionCursor(query.cursor), limit: query.limit });
      return toPage(rows, query.limit, editionKey, presentEdition);
    },

    /**
     * Edition figures are the published record (classified entries included) and are public, as the
     * bureau's own reports are; the entries themselves follow the classified scope.
     */
    async get(id: string): Promise<Edition> {
      return presentEdition(await mustFind(db, id));
    },

    async listEntries(actor: Actor | null, id: string, query: EditionEntriesQuery): Promise<Page<EditionEntrySummary>> {
      await mustFind(db, id);
      const rows = await repo.entries(db, id, { after: decodeCursor(query.cursor), limit: query.limit, scope: scopeOf(actor) });
      return toPage(rows, query.limit, (r) => r.resource_code, presentEntrySummary);
    },

    async getEntry(actor: Actor | null, id: string, code: string): Promise<EditionEntry> {
      await mustFind(db, id);
      // A classified entry the caller may not see is reported as absent, as for live resources.
      const row = await repo.entry(db, id, code, scopeOf(actor));
      if (!row) throw notFound('edition entry', `${id}/${code}`);
      return presentEntry(row);
    },

    /**
     * Compares two editions, or an edition with the live catalogue (`to = 'current'`), as the caller
     * sees them: classified entries outside the caller's scope are left out on each side, so the
     * diff agrees with the edition listings the same caller gets. With `code`, only that resource is
     * read and compared on each side (a resource page's history), its figures those of that one entry.
     */
    async diff(actor: Actor | null, fromId: string, toId: string, code?: string): Promise<EditionDiff> {
      const scope = scopeOf(actor);
      const from = await mustFind(db, fromId);
      const fromHashes = new Map((await repo.hashes(db, fromId, scope, code)).map((h) => [h.resource_code, h.content_hash]));
      const toCodes = new Set<string>();
      // Added entries and those whose hash differs: the only ones read in full.
      const toEntries = new Map<string, Resource>();

      let toRef = CURRENT_REF;
      if (toId === 'current') {
        for await (const chunk of liveCatalogue(db, scope, code)) {
          for (const r of chunk) {
            toCodes.add(r.code);
            if (fromHashes.get(r.code) !== contentHash(r)) toEntries.set(r.code, r);
          }
        }
      } else {
        const to = await mustFind(db, toId);
        toRef = editionRef(to);
        const toHashes = await repo.hashes(db, toId, scope, code);
        for (const h of toHashes) toCodes.add(h.resource_code);
        const differing = toHashes.filter((h) => fromHashes.get(h.resource_code) !== h.content_hash).map((h) => h.resource_code);
        for (const row of await repo.snapshots(db, toId, differing)) toEntries.set(row.resource_code, snapshotOf(row));
      }

      const fromWanted = [...fromHashes.keys()].filter((code) => !toCodes.has(code) || toEntries.has(code));
      const fromEntries = new Map<string, Resource>();
      for (const row of await repo.snapshots(db, fromId, fromWanted)) fromEntries.set(row.resource_code, snapshotOf(row));

      return { from: editionRef(from), to: toRef, ...diffEntries(fromEntries, toEntries) };
    },
  };
}

export type EditionsService = ReturnType<typeof createEditionsService>;
