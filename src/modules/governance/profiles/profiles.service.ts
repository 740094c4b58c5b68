import path from 'node:path';
import { AppError } from '../../../errors.js';
import type { WorkerPool } from '../../../jobs/worker-pool.js';
import { createLeases, type LeaseTiming } from '../../../jobs/lease.js';
import type { Actor } from '../../../shared/actor.js';
import type { Clock } from '../../../shared/clock.js';
import { newId } from '../../../shared/ids.js';
import { toBool, toJson, type Db } from '../../../storage/dialect.js';
import type { QualityProfileTable } from '../../../storage/schema.js';
import type { Auditor } from '../../audit/index.js';
import { visibleResourceOr404, type CatalogReader, type DataType } from '../../catalog/index.js';
import { createRecordRegistryRepository } from '../../collection/index.js';
import { governanceProfileJob } from './profile-kind.js';
import { runProfile, type ProfileOutput, type ProfilePlan, type ProfileProgress } from './profile-runner.js';
import { profilesPolicy } from './profiles.policy.js';
import { presentProfile, presentProfileJob } from './profiles.presenter.js';
import { createProfilesRepository, inlineRecords } from './profiles.repository.js';

export type ProfilesDeps = {
  db: Db;
  clock: Clock;
  auditor: Auditor;
  catalog: CatalogReader;
  /** How worker threads reach the database; null (a private in-memory database) profiles inline. */
  databaseUrl: string | null;
  dataDir: string;
  pool?: WorkerPool;
  timeLimitMs?: number | null;
  /** Profile leases (ADR 0016): a start never marks interrupted a profile another live process runs. */
  lease?: LeaseTiming;
};

/**
 * Profiles per data item (issue 9), on demand only (never after scans or loads): the
 * `governance.profile` job kind in the worker pool (inline only for a private in-memory database),
 * the latest succeeded profile kept per resource. One profile at a time per resource: asking again
 * while one runs answers that one.
 */
export function createProfilesService(deps: ProfilesDeps) {
  const { db, clock } = deps;
  const repo = createProfilesRepository();
  const registry = createRecordRegistryRepository();
  const running = new Map<string, Promise<void>>();
  const byResource = new Map<string, string>();
  if (deps.pool && deps.databaseUrl) deps.pool.register(governanceProfileJob);
  const leases = createLeases({ db, clock, table: 'quality_profiles', timing: deps.lease });

  async function planOf(resourceId: string): Promise<ProfilePlan> {
    const table = await registry.findTable(db, resourceId);
    const columns = table
      ? (await registry.columns(db, resourceId)).filter((c) => !toBool(c.retired)).map((c) => [c.column_name, c.data_type as DataType] as [string, DataType])
      : [];
    return { resourceId, table: table?.table_name ?? null, columns };
  }

  /** Runs a profile to its end; never rejects (it runs in the background): a failure is the profile's status. */
  async function execute(id: string, plan: ProfilePlan) {
    let last = 0;
    const onProgress = (p: ProfileProgress) => {
      const now = Date.now();
      if (now - last < 500) return;
      last = now;
      void repo.update(db, id, { rows_read: p.rowsRead }).catch(() => undefined);
    };
    try {
      await repo.update(db, id, { status: 'running', started_at: clock.now().toISOString() });
      let out: ProfileOutput;
      if (deps.pool && deps.databaseUrl) {
        const job = deps.pool.run(
          governanceProfileJob,
          { plan, databaseUrl: deps.databaseUrl, scratchDir: path.join(deps.dataDir, 'scratch') },
          { onProgress: (p) => onProgress(p as ProfileProgress), ...(deps.timeLimitMs ? { timeLimitMs: deps.timeLimitMs } : {}) },
        );
        out = await job.result;
      } else {
        out = await runProfile(db, inlineRecords(db), plan, onProgress);
      }
      await repo.succeed(db, id, plan.resourceId, {
        status: 'succeeded',
        rows: out.rows,
        rows_read: out.rows,
        items: toJson(out.items),
        finished_at: clock.now().toISOString(),
      });
    } catch (err) {
      // If even this write fails, recover() marks the profile interrupted at the next start.
      await repo
        .update(db, id, { status: 'failed', error: (err as Error).message.slice(0, 2000), finished_at: clock.now().toISOString() })
        .catch(() => undefined);
    }
  }

  return {
    /** Starts profiling one resource (or answers the one already running); `wait` resolves when it has ended. */
    async start(actor: Actor, resourceId: string, options: { wait?: boolean } = {}) {
      const owner = await visibleResourceOr404(deps.catalog, actor, resourceId);
      profilesPolicy.assertCanProfile(actor, owner.providerDepartmentId);
      const current = byResource.get(resourceId);
      if (current) {
        if (options.wait) await running.get(current);
        return presentProfileJob((await repo.find(db, current))!);
      }
      const id = newId();
      const row: QualityProfileTable = {
        id,
        resource_id: resourceId,
        status: 'queued',
        rows: null,
        rows_read: 0,
        items: null,
        error: null,
        requested_by: actor.username,
        created_at: clock.now().toISOString(),
        started_at: null,
        finished_at: null,
        ...leases.columns(),
      };
      // Who profiled what is audited: a profile reads every record and keeps its most frequent values.
      await deps.auditor.run({ actor, action: 'quality.profile', targetType: 'quality_profile', targetId: id, detail: { resourceId } }, (trx) =>
        repo.insert(trx, row),
      );
      byResource.set(resourceId, id);
      leases.hold(id);
      const run = planOf(resourceId)
        .then((plan) => execute(id, plan))
        .catch(async (err: Error) => {
          // The plan could not be read (the database went away): the profile says so.
          await repo.update(db, id, { status: 'failed', error: err.message.slice(0, 2000), finished_at: clock.now().toISOString() }).catch(() => undefined);
        })
        .finally(() => {
          running.delete(id);
          byResource.delete(resourceId);
          return leases.release(id).catch(() => undefined);
        });
      running.set(id, run);
      if (options.wait) await run;
      return presentProfileJob((await repo.find(db, id))!);
    },

    /** The latest succeeded profile of a resource the caller may see; values only for the provider department and the platform. */
    async latest(actor: Actor | null, resourceId: string) {
      const owner = await visibleResourceOr404(deps.catalog, actor, resourceId);
      const row = await repo.latest(db, resourceId);
      if (!row) {
        throw new AppError(
          'QUALITY_PROFILE_NOT_FOUND',
          `Resource '${resourceId}' has not been profiled yet: POST /api/v1/quality/profiles/${resourceId} profiles it (profiles are made on demand only)`,
          { resourceId },
        );
      }
      const resource = await deps.catalog.resource(resourceId, 'all');
      const names = new Map((resource?.items ?? []).map((i) => [i.code, i.name]));
      return presentProfile(row, names, profilesPolicy.canSeeValues(actor, owner.providerDepartmentId));
    },

    /**
     * Profiles a killed process left behind are marked interrupted (the previous profile stays
     * served); one another live process holds a lease on is left to it (ADR 0016). How many were marked.
     */
    async recover() {
      let marked = 0;
      for (const p of await leases.unfinished()) {
        const how = running.has(p.id) ? null : leases.takeable(p);
        if (!how || !(await leases.claim(p.id, { takeOverFrom: how.takeOverFrom }))) continue;
        await repo.update(db, p.id, { status: 'interrupted', finished_at: clock.now().toISOString() });
        await leases.release(p.id);
        marked += 1;
      }
      return marked;
    },

    /** Waits for profiles started by this process (tests, shutdown). */
    async idle() {
      await Promise.allSettled([...running.values()]);
    },
  };
}

export type ProfilesService = ReturnType<typeof createProfilesService>;
