import { AppError, notFound } from '../../../errors.js';
import { scopeOf } from '../../../shared/access-scope.js';
import { decodeCursor, toPage, type Page } from '../../../shared/page.js';
import type { Clock } from '../../../shared/clock.js';
import { newId } from '../../../shared/ids.js';
import type { Db, Dialect } from '../../../storage/dialect.js';
import type { Auditor } from '../../audit/index.js';
import { visibleResourceOr404, type CatalogReader } from '../../catalog/index.js';
import type { Actor } from '../../../shared/actor.js';
import { collectionPolicy } from '../collection.policy.js';
import type { CollectionJob } from '../jobs/jobs.presenter.js';
import type { JobsService } from '../jobs/jobs.service.js';
import { pulledSourceKinds } from './default-source-kinds.js';
import type { PullSourceKind } from './pull-source.js';
import { nextRunAt, type Schedule } from './schedule.js';
import { openConfig, sealConfig, sealLegacy } from './sealed-config.js';
import { restoreSecrets, safeLocation } from './secrets.js';
import { databaseTarget } from './security/connection-target.js';
import { createTargetGuard, type SourceSecurity } from './security/source-security.js';
import { presentSource } from './sources.presenter.js';
import { createSourcesRepository, type SourceRow } from './sources.repository.js';
import { PREVIEW_ROWS, type CollectionSource, type SourceInput, type SourceListQuery, type SourceTest } from './sources.schemas.js';

export type SourcesDeps = {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  auditor: Auditor;
  jobs: JobsService;
  /** Allowed targets, the platform's own database, the key of stored secrets (resolved once per process). */
  security: SourceSecurity;
  /** Reads the owner of the resource a source names (visibility, ADR 0009). */
  catalog: Pick<CatalogReader, 'owner' | 'canSee'>;
  /** The pulled kinds; tests may pass others. */
  kinds?: Record<string, PullSourceKind>;
};

/** Who submits scheduled runs: the platform itself, recorded as such in jobs and the audit trail. */
export const SCHEDULER_ACTOR: Actor = Object.freeze({ userId: 'scheduler', username: 'scheduler', role: 'ADMIN', departmentId: null });

export type ScheduledRun = { sourceId: string; jobId: string | null; error: string | null };

type StoredConfig = { url?: string; table?: string; query?: string; itemsPath?: string };

/** What the records' provenance names: kind and location, never a user or a password. */
function describeSource(kind: string, config: StoredConfig): string {
  const where = config.url ? safeLocation(config.url) : '';
  const what = config.table ?? (config.query ? 'query' : '');
  return `${kind} ${where}${what ? ` ${what}` : ''}`.slice(0, 500);
}

/** A saved watermark belongs to one place and column: moving the source elsewhere starts over. */
function sameData(a: { kind: string; watermarkColumn: string | null; config: StoredConfig }, b: typeof a): boolean {
  const key = (s: typeof a) =>
    JSON.stringify([s.kind, s.watermarkColumn, s.config.url ? safeLocation(s.config.url) : null, s.config.table, s.config.query, s.config.itemsPath]);
  return key(a) === key(b);
}

/**
 * Saved pulls from department systems (databases, HTTP APIs): CRUD with secrets kept back, an
 * on-demand run that submits a collection job, a connection test, and the due runs the
 * scheduler triggers. Officers manage the sources of their own department's resources.
 */
export function createSourcesService(deps: SourcesDeps) {
  const repo = createSourcesRepository();
  const { db, auditor, clock } = deps;
  const kinds: Record<string, PullSourceKind | undefined> = deps.kinds ?? pulledSourceKinds(deps.security);
  const guard = createTargetGuard(deps.security);
  const key = deps.security.secretKey;

  /**
   * Refuses a target outside the allow-list or the platform's own database when it is saved
   * (it is checked again at every connection). A host that does not resolve yet is saved.
   */
  async function assertAllowedTarget(kind: string, config: Record<string, unknown>) {
    if (typeof config.url !== 'string' || !URL.canParse(config.url)) return;
    const u = new URL(config.url);
    const destination =
      kind === 'http'
        ? { host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(u.port || (u.protocol === 'https:' ? 443 : 80)), family: 'http' as const }
        : (() => {
            const t = databaseTarget(config.url);
            return { host: t.host, port: t.port, family: t.family, database: t.database };
          })();
    try {
      await guard.check(destination);
    } catch (err) {
      if (err instanceof AppError && err.code === 'SOURCE_TARGET_REFUSED') throw err;
    }
  }

  async function resourceOf(trx: Db, resourceId: string) {
    const r = await repo.resourceOf(trx, resourceId);
    if (!r) throw new AppError('REFERENCE_NOT_FOUND', `resource '${resourceId}' does not exist`, { entity: 'resource', id: resourceId });
    return r;
  }

  /** The resource a request body names: one the caller may not see is reported like a missing one (ADR 0009). */
  async function referencedResource(trx: Db, actor: Actor, resourceId: string) {
    try {
      await visibleResourceOr404(deps.catalog, actor, resourceId, trx);
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') {
        throw new AppError('REFERENCE_NOT_FOUND', `resource '${resourceId}' does not exist`, { entity: 'resource', id: resourceId });
      }
      throw err;
    }
    return resourceOf(trx, resourceId);
  }

  /** The source, if the actor may see it; another department's source is "not found" to an officer. */
  async function readable(trx: Db, actor: Actor, id: string): Promise<SourceRow> {
    const row = await repo.find(trx, id);
    if (!row) throw notFound('collection source', id);
    const scope = scopeOf(actor);
    if (scope === 'all') return row;
    const resource = await repo.resourceOf(trx, row.resource_id);
    if (scope === 'none' || resource?.provider_department_id !== scope.departmentId) throw notFound('collection source', id);
    return row;
  }

  async function loadable(trx: Db, actor: Actor, id: string): Promise<SourceRow> {
    const row = await readable(trx, actor, id);
    collectionPolicy.assertCanLoad(actor, (await resourceOf(trx, row.resource_id)).provider_department_id);
    return row;
  }

  const schedule = (row: Pick<SourceRow, 'schedule' | 'enabled'>, frequency: string | null, from: Date) =>
    row.enabled ? (nextRunAt(row.schedule as Schedule, frequency, from)?.toISOString() ?? null) : null;

  async function fields(id: string, input: SourceInput, stored: SourceRow | null, frequency: string, at: Date) {
    const storedConfig = stored && stored.kind === input.kind ? openConfig(stored, key) : null;
    const config = restoreSecrets(input.config as Record<string, unknown>, storedConfig);
    await assertAllowedTarget(input.kind, config);
    const watermarkColumn = input.watermarkColumn ?? null;
    const keepWatermark =
      stored !== null &&
      storedConfig !== null &&
      sameData(
        { kind: stored.kind, watermarkColumn: stored.watermark_column, config: storedConfig as StoredConfig },
        { kind: input.kind, watermarkColumn, config: config as StoredConfig },
      );
    return {
      resource_id: input.resourceId,
      name: input.name,
      kind: input.kind,
      ...sealConfig(id, config, key),
      mode: input.mode,
      watermark_column: watermarkColumn,
      watermark: keepWatermark ? stored.watermark : null,
      schedule: input.schedule,
      enabled: input.enabled,
      time_limit_ms: input.timeLimitS ? input.timeLimitS * 1000 : null,
      next_run_at: schedule({ schedule: input.schedule, enabled: input.enabled }, frequency, at),
      updated_at: at.toISOString(),
    };
  }

  async function submit(actor: Actor, row: SourceRow, at: Date) {
    if (!kinds[row.kind]) throw new AppError('COLLECTION_UNREADABLE', `source '${row.name}' has an unknown kind '${row.kind}'`);
    const config = openConfig(row, key) as StoredConfig;
    return deps.jobs.submitSource(actor, {
      resourceId: row.resource_id,
      sourceId: row.id,
      sourceKind: row.kind,
      sourceRef: describeSource(row.kind, config),
      mode: row.mode === 'snapshot' ? 'snapshot' : 'upsert',
      batchId: `${row.id}:${at.toISOString()}`,
      timeLimitMs: row.time_limit_ms ?? null,
    });
  }

  return {
    async create(actor: Actor, input: SourceInput): Promise<CollectionSource> {
      return auditor.run(
        {
          actor,
          action: 'collection.source.create',
          targetType: 'collection_source',
          detail: { resourceId: input.resourceId, name: input.name, kind: input.kind },
        },
        async (trx) => {
          const resource = await referencedResource(trx, actor, input.resourceId);
          collectionPolicy.assertCanLoad(actor, resource.provider_department_id);
          const at = clock.now();
          const id = newId();
          const row: SourceRow = { id, ...(await fields(id, input, null, resource.update_frequency, at)), last_job_id: null, created_at: at.toISOString() };
          await repo.insert(trx, row);
          return presentSource(row);
        },
        (s) => s.id,
      );
    },

    async update(actor: Actor, id: string, input: SourceInput): Promise<CollectionSource> {
      return auditor.run(
        { actor, action: 'collection.source.update', targetType: 'collection_source', targetId: id, detail: { name: input.name, kind: input.kind } },
        async (trx) => {
          const existing = await loadable(trx, actor, id);
          // Moving a source to another resource needs the right to load that one too.
          const resource = await referencedResource(trx, actor, input.resourceId);
          collectionPolicy.assertCanLoad(actor, resource.provider_department_id);
          const set = await fields(id, input, existing, resource.update_frequency, clock.now());
          await repo.update(trx, id, set);
          return presentSource({ ...existing, ...set });
        },
      );
    },

    async get(actor: Actor, id: string): Promise<CollectionSource> {
      return presentSource(await readable(db, actor, id));
    },

    async list(actor: Actor, query: SourceListQuery): Promise<Page<CollectionSource>> {
      const scope = scopeOf(actor);
      if (scope === 'none') return { items: [], nextCursor: null };
      const rows = await repo.list(db, {
        resourceId: query.resourceId,
        after: decodeCursor(query.cursor),
        limit: query.limit,
        ...(scope === 'all' ? {} : { departmentId: scope.departmentId }),
      });
      return toPage(rows, query.limit, (r) => r.id, presentSource);
    },

    async remove(actor: Actor, id: string): Promise<void> {
      await auditor.run({ actor, action: 'collection.source.delete', targetType: 'collection_source', targetId: id }, async (trx) => {
        await loadable(trx, actor, id);
        await repo.delete(trx, id);
      });
    },

    /** Runs the source now: a job with batch id `<source id>:<ISO time>`; the next scheduled run counts from now. */
    async run(actor: Actor, id: string, options: { wait?: boolean } = {}): Promise<{ job: CollectionJob; duplicate: boolean }> {
      const row = await loadable(db, actor, id);
      const at = clock.now();
      const res = await submit(actor, row, at);
      const resource = await resourceOf(db, row.resource_id);
      await repo.update(db, id, { last_job_id: res.job.id, next_run_at: schedule(row, resource.update_frequency, at), updated_at: at.toISOString() });
      return options.wait ? { job: await deps.jobs.waitFor(res.job.id), duplicate: res.duplicate } : res;
    },

    /**
     * Connects and reads the first rows, loading nothing: the header and the rows exactly as the
     * loader would receive them. Reads from the start, whatever the saved watermark.
     */
    async test(actor: Actor, id: string): Promise<SourceTest> {
      const row = await loadable(db, actor, id);
      const kind = kinds[row.kind];
      if (!kind) throw new AppError('COLLECTION_UNREADABLE', `source '${row.name}' has an unknown kind '${row.kind}'`);
      const opened = await kind.openSource(row, { db, ignoreWatermark: true, batchSize: PREVIEW_ROWS });
      const stream = await opened.open();
      const out: SourceTest = { header: [...stream.header], rows: [], rejects: [] };
      try {
        for await (const batch of stream.batches) {
          for (const r of batch.rows) if (out.rows.length < PREVIEW_ROWS) out.rows.push(r.cells);
          for (const r of batch.rejects) if (out.rejects.length < PREVIEW_ROWS) out.rejects.push({ rowNumber: r.rowNumber, reason: r.reason });
          if (out.rows.length + out.rejects.length >= PREVIEW_ROWS) break;
        }
      } finally {
        await stream.close();
      }
      return out;
    },

    /**
     * Seals the plain secrets of sources saved before they were encrypted (migration 0005); run
     * at start. Returns how many sources it sealed.
     */
    async sealStoredSecrets(): Promise<number> {
      let sealed = 0;
      for (const row of await repo.unsealed(db)) {
        const set = sealLegacy(row, key);
        if (set && (await repo.sealIfUnsealed(db, row.id, row.config, set))) sealed++;
      }
      return sealed;
    },

    /**
     * Submits one job for every enabled source that is due at `at`, moving each one's next run
     * first (a claim: two schedulers never run the same source twice). A source that cannot be
     * submitted is reported and tried again at its next run.
     */
    async runDue(at: Date = clock.now(), limit = 100): Promise<ScheduledRun[]> {
      const out: ScheduledRun[] = [];
      for (const row of await repo.due(db, at.toISOString(), limit)) {
        const resource = await repo.resourceOf(db, row.resource_id);
        const next = schedule(row, resource?.update_frequency ?? null, at);
        if (!(await repo.claim(db, row.id, row.next_run_at!, next, at.toISOString()))) continue;
        try {
          const res = await submit(SCHEDULER_ACTOR, row, at);
          await repo.update(db, row.id, { last_job_id: res.job.id });
          out.push({ sourceId: row.id, jobId: res.job.id, error: null });
        } catch (err) {
          out.push({ sourceId: row.id, jobId: null, error: err instanceof AppError ? `${err.code}: ${err.message}` : (err as Error).message });
        }
      }
      return out;
    },
  };
}

export type SourcesService = ReturnType<typeof createSourcesService>;
