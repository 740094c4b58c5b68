import type { Logger } from 'pino';
import type { WorkerPool } from '../../../jobs/worker-pool.js';
import type { Clock } from '../../../shared/clock.js';
import { newId } from '../../../shared/ids.js';
import type { Db } from '../../../storage/dialect.js';
import type { CatalogReader } from '../../catalog/index.js';
import type { RecordEntry, RecordReader } from '../../collection/index.js';
import type { ThemeConsistencySink } from '../../governance/index.js';
import { themeOf, type Theme } from '../definitions/theme-definition.js';
import { createThemesRepository } from '../definitions/themes.repository.js';
import { createMastersRepository } from './masters.repository.js';
import { themesSyncJob } from './sync-kind.js';
import { runSync, type SyncOutput, type SyncPlan } from './sync-runner.js';

export type SyncDeps = {
  db: Db;
  clock: Clock;
  catalog: CatalogReader;
  records: RecordReader;
  /** How worker threads reach the database; null (a private in-memory database) syncs inline. */
  databaseUrl: string | null;
  pool?: WorkerPool;
  timeLimitMs?: number | null;
  /** Governance's consistency problems (deps.ts); none in a module built alone. */
  consistency?: ThemeConsistencySink;
};

type Ask = { themeId: string; resourceId: string | null; force: boolean; drop: string[] };

/**
 * Keeps the masters up to date: a member resource's successful load (afterLoad), a definition
 * change or a request queues a sync of that member. Syncs of one theme run one after another (they
 * touch the same masters); different themes' syncs run side by side in the worker pool. Each
 * member's progress is kept in theme_member_state (QUEUED → RUNNING → IDLE | FAILED).
 */
export function createSyncService(deps: SyncDeps) {
  const { db, clock } = deps;
  const themes = createThemesRepository();
  const repo = createMastersRepository();
  const chains = new Map<string, Promise<void>>();
  /** (theme, resource) pairs queued and not started yet: a second ask joins the first. */
  const queued = new Map<string, Ask>();
  /** afterLoad calls still finding their themes (idle() waits for them too). */
  const arriving = new Set<Promise<void>>();
  let logger: Logger | null = null;
  /** False in a CLI process: it closes its database when its command ends, so it leaves loads' syncs to the server. */
  let afterLoadEnabled = true;
  if (deps.pool && deps.databaseUrl) deps.pool.register(themesSyncJob as never);

  const pairKey = (themeId: string, resourceId: string | null) => `${themeId}|${resourceId ?? ''}`;

  async function setState(
    themeId: string,
    resourceId: string,
    status: string,
    extra: { synced_at?: string | null; rows_seen?: number; error?: string | null } = {},
  ) {
    const now = clock.now().toISOString();
    const current = (await repo.memberStates(db, themeId)).find((s) => s.resource_id === resourceId);
    await repo.setMemberState(db, {
      theme_id: themeId,
      resource_id: resourceId,
      status,
      synced_at: extra.synced_at !== undefined ? extra.synced_at : (current?.synced_at ?? null),
      rows_seen: extra.rows_seen ?? Number(current?.rows_seen ?? 0),
      error: extra.error !== undefined ? extra.error : (current?.error ?? null),
      updated_at: now,
    });
  }

  async function execute(plan: SyncPlan): Promise<SyncOutput> {
    if (deps.pool && deps.databaseUrl) {
      return deps.pool.run(
        themesSyncJob,
        { plan, databaseUrl: deps.databaseUrl },
        { group: 'themes.sync', ...(deps.timeLimitMs ? { timeLimitMs: deps.timeLimitMs } : {}) },
      ).result;
    }
    return runSync(db, deps.records, plan);
  }

  async function runOne(ask: Ask) {
    queued.delete(pairKey(ask.themeId, ask.resourceId));
    const row = await themes.byId(db, ask.themeId);
    if (!row) return;
    const theme: Theme = themeOf(row);
    const resourceId = ask.resourceId;
    const isMember = resourceId !== null && theme.definition.members.some((m) => m.resourceId === resourceId);
    if (resourceId !== null && !isMember) return;
    const syncId = newId();
    try {
      if (resourceId) await setState(theme.id, resourceId, 'RUNNING', { error: null });
      const resource = resourceId ? await deps.catalog.resource(resourceId, 'all') : null;
      if (resourceId && !resource) throw new Error(`resource ${resourceId} is no longer in the catalogue`);
      // Plain data: the plan crosses to a worker thread.
      const entry: RecordEntry | null = resource
        ? {
            id: resource.id,
            providerDepartmentId: resource.providerDepartmentId,
            classified: resource.classified,
            items: (resource.items ?? []).map((i) => ({
              code: i.code,
              dataType: i.dataType,
              length: i.length,
              precision: i.precision,
              primaryKey: i.primaryKey,
              maskingRule: i.maskingRule,
            })),
          }
        : null;
      const out = await execute({ syncId, theme, entry, force: ask.force, drop: ask.drop, now: clock.now().toISOString() });
      if (resourceId) await setState(theme.id, resourceId, 'IDLE', { synced_at: clock.now().toISOString(), rows_seen: out.rowsSeen, error: null });
      logger?.info({ theme: theme.definition.code, resourceId, ...out, consistency: undefined }, 'theme sync done');
      if (deps.consistency) {
        await deps.consistency(
          syncId,
          out.consistency.map((c) => ({ themeCode: theme.definition.code, ...c })),
        );
      }
    } catch (err) {
      const message = (err as Error).message.slice(0, 2000);
      logger?.warn({ theme: theme.definition.code, resourceId, err: message }, 'theme sync failed');
      if (resourceId) await setState(theme.id, resourceId, 'FAILED', { error: message }).catch(() => undefined);
    }
  }

  /** Queues a sync; returns at once (the work runs in the background, one theme's syncs in order). */
  async function queue(themeId: string, resourceId: string | null, options: { force?: boolean; drop?: string[] } = {}) {
    const key = pairKey(themeId, resourceId);
    const waiting = queued.get(key);
    if (waiting) {
      waiting.force ||= options.force ?? false;
      waiting.drop.push(...(options.drop ?? []));
      return;
    }
    const ask: Ask = { themeId, resourceId, force: options.force ?? false, drop: [...(options.drop ?? [])] };
    queued.set(key, ask);
    if (resourceId) await setState(themeId, resourceId, 'QUEUED');
    // runOne records its own failures; anything else (the database closed under it) is logged, never left unhandled.
    const next = (chains.get(themeId) ?? Promise.resolve())
      .then(() => runOne(ask))
      .catch((err: unknown) => logger?.warn({ themeId, resourceId, err: (err as Error).message }, 'theme sync could not run'));
    chains.set(themeId, next);
    void next.finally(() => {
      if (chains.get(themeId) === next) chains.delete(themeId);
    });
  }

  return {
    queue,

    /**
     * A CLI command (`kuaiji collect load` …) ends and closes its database right after its load: the
     * theme sync that load would queue is left to the server (a sync request, or its next load of
     * that resource), instead of running against a closed database.
     */
    leaveLoadsToServer() {
      afterLoadEnabled = false;
    },

    /** Every theme having this resource as a member folds its new records in. */
    afterLoad(resourceId: string): Promise<void> {
      if (!afterLoadEnabled) return Promise.resolve();
      const p = (async () => {
        for (const row of await themes.list(db)) {
          const t = themeOf(row);
          if (t.definition.members.some((m) => m.resourceId === resourceId)) await queue(t.id, resourceId);
        }
      })();
      arriving.add(p);
      return p.finally(() => arriving.delete(p));
    },

    /** Resolves when every queued sync has ended (tests, the CLI). */
    async idle() {
      while (arriving.size > 0 || chains.size > 0) {
        await Promise.allSettled([...arriving]);
        await Promise.all([...chains.values()]);
      }
    },

    /** At start: syncs a previous process left QUEUED or RUNNING are queued again (a sync is idempotent). */
    async recover(log: Logger) {
      logger = log;
      for (const row of await themes.list(db)) {
        for (const s of await repo.memberStates(db, row.id)) {
          if (s.status === 'QUEUED' || s.status === 'RUNNING') await queue(row.id, s.resource_id);
        }
      }
    },
  };
}

export type SyncService = ReturnType<typeof createSyncService>;
