import { isDeepStrictEqual } from 'node:util';
import { AppError, invariantViolated, notFound } from '../../../errors.js';
import { scopeOf } from '../../../shared/access-scope.js';
import { decodeCursor, toPage, type Page } from '../../../shared/page.js';
import type { Clock } from '../../../shared/clock.js';
import { newId } from '../../../shared/ids.js';
import { toJson, type Db, type Dialect } from '../../../storage/dialect.js';
import type { DataItemTable, ResourceTable } from '../../../storage/schema.js';
import type { Auditor } from '../../audit/index.js';
import type { Actor } from '../../../shared/actor.js';
import { catalogPolicy } from '../catalog.policy.js';
import { createCatalogReader } from '../catalog-reader.js';
import { visibleResourceOr404 } from '../visible-resource.js';
import { presentResource } from './resources.presenter.js';
import { createResourcesRepository, openTypeToDb, shareTypeToDb } from './resources.repository.js';
import type { Resource, ResourceInput, ResourceSearchQuery } from './resources.schemas.js';
import { checkResourceRules, resolveDraft, type ResourceDraft } from './resource-rules.js';

function resourceRow(d: ResourceDraft, id: string, version: number, createdAt: string, now: string): ResourceTable {
  return {
    id,
    code: d.code,
    classification_code: d.classificationCode,
    sequence_no: d.sequenceNo,
    name: d.name,
    name_en: d.nameEn ?? null,
    category: d.category,
    provider_department_id: d.providerDepartmentId,
    region_code: d.regionCode,
    summary: d.summary,
    format_category: d.formatCategory,
    format_type: d.formatType ?? null,
    share_type: shareTypeToDb(d.shareType),
    share_condition: d.shareCondition ?? null,
    not_shared_basis: d.notSharedBasis ?? null,
    share_modes: toJson(d.shareModes),
    open_type: openTypeToDb(d.openType),
    open_condition: d.openCondition ?? null,
    open_domain: d.openDomain ?? null,
    update_frequency: d.updateFrequency,
    published_on: d.publishedOn ?? null,
    related_codes: toJson(d.relatedCodes),
    system_id: d.systemId ?? null,
    sensitivity: d.sensitivity,
    importance: d.importance,
    classified: d.classified,
    tags: toJson(d.tags),
    record_total: d.recordCounts.total,
    record_shared: d.recordCounts.shared,
    record_open: d.recordCounts.open,
    version,
    created_at: createdAt,
    updated_at: now,
  };
}

function itemRows(d: ResourceDraft, resourceId: string, existing: DataItemTable[]): DataItemTable[] {
  const byId = new Map(existing.map((i) => [i.id, i]));
  const byCode = new Map(existing.map((i) => [i.code, i]));
  const taken = new Set<string>();
  return d.items.map((i, seq) => {
    // Item ids survive edits (matched by id, else by code) so collection can tell a rename from a new item.
    const kept = (i.id && byId.get(i.id)) || byCode.get(i.code);
    const id = kept && !taken.has(kept.id) ? kept.id : newId();
    taken.add(id);
    return {
      id,
      resource_id: resourceId,
      seq: seq + 1,
      code: i.code,
      name: i.name,
      name_en: i.nameEn,
      data_type: i.dataType,
      legacy_type: i.legacyType,
      length: i.length,
      precision: i.precision,
      primary_key: i.primaryKey,
      nullable: i.nullable,
      code_set: i.codeSet,
      data_element: i.dataElement,
      share_type: shareTypeToDb(i.shareType),
      share_condition: i.shareCondition,
      open_type: openTypeToDb(i.openType),
      open_condition: i.openCondition,
      sensitivity: i.sensitivity,
      masking_rule: i.maskingRule,
      source_field: i.sourceField,
      description: i.description,
    };
  });
}

// At most this many pages of at most PAGE_CACHE_LIMIT resources (a few MB).
const PAGE_CACHE = 200;
const PAGE_CACHE_LIMIT = 100;

export type SaveResult = { created: number; updated: number; unchanged: number };

/**
 * Whether a draft changes nothing of what is stored: the resource and its items compared as they
 * are presented (so dialect differences in booleans and JSON do not count), version and times aside.
 */
function sameContent(stored: ResourceTable, storedItems: DataItemTable[], next: ResourceTable, nextItems: DataItemTable[]): boolean {
  const content = (row: ResourceTable, items: DataItemTable[]) => {
    const { version: _v, createdAt: _c, updatedAt: _u, ...rest } = presentResource({ ...row, item_count: 0, shareable_item_count: 0 }, items);
    return rest;
  };
  return isDeepStrictEqual(content(stored, storedItems), content(next, nextItems));
}

// 33 resource columns × 400 rows stays under SQLite's 32,766 bound values.
const SAVE_CHUNK = 400;

/** Chunks of at most `size` drafts; a code seen again starts a new chunk, so its second draft updates the first. */
function* chunksOfDistinctCodes(drafts: ResourceDraft[], size: number): Generator<ResourceDraft[]> {
  let chunk: ResourceDraft[] = [];
  let codes = new Set<string>();
  for (const d of drafts) {
    if (chunk.length === size || codes.has(d.code)) {
      yield chunk;
      [chunk, codes] = [[], new Set()];
    }
    chunk.push(d);
    codes.add(d.code);
  }
  if (chunk.length) yield chunk;
}

/** Catalogue entries (信息资源) and their data items; every rule of DOMAIN.md §3 is checked before a write. */
export function createResourcesService(deps: { db: Db; dialect: Dialect; clock: Clock; auditor: Auditor }) {
  const repo = createResourcesRepository(deps.dialect);
  const reader = createCatalogReader(deps);
  const { db, auditor, clock } = deps;
  // Search pages by scope and query, each valid while the database's change stamp is the one it was
  // computed under (SQLite: nothing committed since, by any connection); none kept without a stamp.
  // The catalogue list is read far more than it changes (bench/catalog-read.ts).
  const pages = new Map<string, { stamp: string; page: Page<Resource> }>();

  async function departmentRegion(trx: Db, departmentId: string): Promise<string> {
    const dep = await repo.departmentRegion(trx, departmentId);
    if (!dep) throw new AppError('REFERENCE_NOT_FOUND', `department '${departmentId}' does not exist`, { entity: 'department', id: departmentId });
    return dep.region_code;
  }

  /**
   * For a chunk of drafts with distinct codes: the stored entry of each (by code), its id, its item
   * rows (item ids kept), and whether the draft changes nothing of it.
   */
  async function plan(trx: Db, chunk: ResourceDraft[]) {
    const existing = new Map(
      (
        await repo.findManyByCode(
          trx,
          chunk.map((d) => d.code),
        )
      ).map((r) => [r.code, r]),
    );
    const oldItems = new Map<string, DataItemTable[]>();
    for (const i of await repo.itemsOf(
      trx,
      [...existing.values()].map((e) => e.id),
    )) {
      (oldItems.get(i.resource_id) ?? oldItems.set(i.resource_id, []).get(i.resource_id)!).push(i);
    }
    return chunk.map((draft) => {
      const e = existing.get(draft.code);
      const id = e?.id ?? newId();
      const items = itemRows(draft, id, oldItems.get(id) ?? []);
      const unchanged = e !== undefined && sameContent(e, oldItems.get(id) ?? [], resourceRow(draft, id, e.version, e.created_at, e.updated_at), items);
      return { draft, existing: e, id, items, unchanged };
    });
  }

  /** Resolves defaults and checks every rule; throws CATALOG_INVARIANT_VIOLATED listing all violations. */
  async function prepare(trx: Db, input: ResourceInput): Promise<ResourceDraft> {
    const draft = resolveDraft(input, await departmentRegion(trx, input.providerDepartmentId));
    const violations = checkResourceRules(draft);
    if (violations.length) throw invariantViolated(violations);
    return draft;
  }

  /** Inserts or replaces one resource by id; returns its id. */
  async function store(trx: Db, draft: ResourceDraft, existing: { id: string; version: number; created_at: string } | undefined) {
    const now = clock.now().toISOString();
    if (!existing) {
      const id = newId();
      await repo.insert(trx, resourceRow(draft, id, 1, now, now));
      await repo.replaceItems(trx, id, itemRows(draft, id, []));
      return id;
    }
    const { id: _id, created_at: _c, ...row } = resourceRow(draft, existing.id, existing.version + 1, existing.created_at, now);
    await repo.update(trx, existing.id, row);
    await repo.replaceItems(trx, existing.id, itemRows(draft, existing.id, await repo.itemsOf(trx, [existing.id])));
    return existing.id;
  }

  async function read(trx: Db, id: string): Promise<Resource> {
    const row = await repo.find(trx, id, 'all');
    if (!row) throw notFound('resource', id);
    return presentResource(row, await repo.itemsOf(trx, [id]));
  }

  return {
    /** Validation without a write (used by the Excel import to check every row before storing any). */
    resolveAndCheck: (input: ResourceInput, departmentRegionCode: string) => {
      const draft = resolveDraft(input, departmentRegionCode);
      return { draft, violations: checkResourceRules(draft) };
    },

    async create(actor: Actor, input: ResourceInput): Promise<Resource> {
      catalogPolicy.assertCanWriteFor(actor, input.providerDepartmentId);
      return auditor.run(
        { actor, action: 'resource.create', targetType: 'resource', detail: { code: input.code } },
        async (trx) => read(trx, await store(trx, await prepare(trx, input), undefined)),
        (r) => r.id,
      );
    },

    async update(actor: Actor, id: string, input: ResourceInput): Promise<Resource> {
      return auditor.run({ actor, action: 'resource.update', targetType: 'resource', targetId: id, detail: { code: input.code } }, async (trx) => {
        await visibleResourceOr404(reader, actor, id, trx);
        const existing = await repo.findOwner(trx, id);
        if (!existing) throw notFound('resource', id);
        // An officer may neither edit another department's entry nor hand theirs to another department.
        catalogPolicy.assertCanWriteFor(actor, existing.provider_department_id);
        catalogPolicy.assertCanWriteFor(actor, input.providerDepartmentId);
        return read(trx, await store(trx, await prepare(trx, input), existing));
      });
    },

    /**
     * Creates or replaces many resources (matched by code) in one transaction: all or nothing.
     * Drafts must already have passed `resolveAndCheck`.
     */
    /** What saveMany would do with these drafts (created, updated, unchanged), writing nothing: an import's dry run. */
    async previewMany(actor: Actor, drafts: ResourceDraft[]): Promise<SaveResult> {
      for (const d of drafts) catalogPolicy.assertCanWriteFor(actor, d.providerDepartmentId);
      const result: SaveResult = { created: 0, updated: 0, unchanged: 0 };
      for (const chunk of chunksOfDistinctCodes(drafts, SAVE_CHUNK)) {
        for (const p of await plan(db, chunk)) {
          if (p.existing) catalogPolicy.assertCanWriteFor(actor, p.existing.provider_department_id);
          result[p.unchanged ? 'unchanged' : p.existing ? 'updated' : 'created'] += 1;
        }
      }
      return result;
    },

    async saveMany(actor: Actor, drafts: ResourceDraft[], source: string, onProgress?: (done: number) => void): Promise<SaveResult> {
      for (const d of drafts) catalogPolicy.assertCanWriteFor(actor, d.providerDepartmentId);
      return auditor.run({ actor, action: 'resource.import', targetType: 'catalog', detail: { source, resources: drafts.length } }, async (trx) => {
        const result: SaveResult = { created: 0, updated: 0, unchanged: 0 };
        const now = clock.now().toISOString();
        let done = 0;
        for (const chunk of chunksOfDistinctCodes(drafts, SAVE_CHUNK)) {
          const planned = await plan(trx, chunk);
          for (const { existing: e } of planned) if (e) catalogPolicy.assertCanWriteFor(actor, e.provider_department_id);
          const rows: ResourceTable[] = [];
          const items: DataItemTable[] = [];
          const changedIds: string[] = [];
          for (const { draft: d, existing: e, id, items: newItems, unchanged } of planned) {
            // An entry the file does not change keeps its version and update time, and is not rewritten.
            if (unchanged) {
              result.unchanged += 1;
              continue;
            }
            rows.push(resourceRow(d, id, e ? e.version + 1 : 1, e?.created_at ?? now, now));
            items.push(...newItems);
            if (e) changedIds.push(id);
            result[e ? 'updated' : 'created'] += 1;
          }
          if (rows.length) await repo.upsertMany(trx, rows);
          await repo.deleteItemsOf(trx, changedIds);
          await repo.insertItems(trx, items);
          onProgress?.((done += chunk.length));
        }
        if (drafts.length === 0) onProgress?.(0);
        return result;
      });
    },

    async get(actor: Actor | null, id: string): Promise<Resource> {
      // A classified entry the caller may not see is reported as absent, not as forbidden.
      const row = await repo.find(db, id, scopeOf(actor));
      if (!row) throw notFound('resource', id);
      return presentResource(row, await repo.itemsOf(db, [id]));
    },

    async getByCode(actor: Actor | null, code: string): Promise<Resource> {
      const row = await repo.findByCode(db, code, scopeOf(actor));
      if (!row) throw notFound('resource', code);
      return presentResource(row, await repo.itemsOf(db, [row.id]));
    },

    async search(actor: Actor | null, query: ResourceSearchQuery): Promise<Page<Resource>> {
      const scope = scopeOf(actor);
      // Read first: a page computed after it is at least as new as the stamp it is kept under.
      const stamp = await deps.dialect.changeStamp(db);
      const key = stamp === null || query.limit > PAGE_CACHE_LIMIT ? null : JSON.stringify([scope, query]);
      const hit = key === null ? undefined : pages.get(key);
      if (hit && hit.stamp === stamp) return hit.page;
      const rows = await repo.search(db, { ...query, after: decodeCursor(query.cursor) }, scope);
      const page = toPage(
        rows,
        query.limit,
        (r) => r.code,
        (r) => presentResource(r),
      );
      if (key !== null && stamp !== null) {
        pages.delete(key);
        pages.set(key, { stamp, page });
        if (pages.size > PAGE_CACHE) pages.delete(pages.keys().next().value!);
      }
      return page;
    },

    /** Every resource with items, for editions and export; classified entries only for those who may see them. */
    async listAllWithItems(actor: Actor | null): Promise<Resource[]> {
      const rows = await repo.all(db, scopeOf(actor));
      const items = await repo.itemsOf(
        db,
        rows.map((r) => r.id),
      );
      const byResource = new Map<string, DataItemTable[]>();
      for (const i of items) (byResource.get(i.resource_id) ?? byResource.set(i.resource_id, []).get(i.resource_id)!).push(i);
      return rows.map((r) => presentResource(r, byResource.get(r.id) ?? []));
    },

    /**
     * The catalogue in code order, a page of resources with their items at a time (the Excel
     * export streams it); the same visibility and filters as search.
     */
    async *pagesWithItems(actor: Actor | null, filter: { providerDepartmentId?: string; regionCode?: string }, pageSize = 500): AsyncGenerator<Resource[]> {
      const scope = scopeOf(actor);
      let after: string | undefined;
      for (;;) {
        const rows = await repo.search(db, { ...filter, limit: pageSize, after }, scope);
        const page = rows.slice(0, pageSize);
        const items = await repo.itemsOf(
          db,
          page.map((r) => r.id),
        );
        const byResource = new Map<string, DataItemTable[]>();
        for (const i of items) (byResource.get(i.resource_id) ?? byResource.set(i.resource_id, []).get(i.resource_id)!).push(i);
        if (page.length) yield page.map((r) => presentResource(r, byResource.get(r.id) ?? []));
        if (rows.length <= pageSize) return;
        after = page.at(-1)!.code;
      }
    },

    async remove(actor: Actor, id: string): Promise<void> {
      await auditor.run({ actor, action: 'resource.delete', targetType: 'resource', targetId: id }, async (trx) => {
        await visibleResourceOr404(reader, actor, id, trx);
        const existing = await repo.findOwner(trx, id);
        if (!existing) throw notFound('resource', id);
        catalogPolicy.assertCanWriteFor(actor, existing.provider_department_id);
        await repo.delete(trx, id);
      });
    },
  };
}

export type ResourcesService = ReturnType<typeof createResourcesService>;
