import path from 'node:path';
import { notFound } from '../../../errors.js';
import type { WorkerPool } from '../../../jobs/worker-pool.js';
import { createLeases, type LeaseTiming } from '../../../jobs/lease.js';
import { scopeOf } from '../../../shared/access-scope.js';
import { SYSTEM_ACTOR, type Actor } from '../../../shared/actor.js';
import type { Clock } from '../../../shared/clock.js';
import { newId } from '../../../shared/ids.js';
import { fromJson, toBool, type Db } from '../../../storage/dialect.js';
import type { QualityScanTable } from '../../../storage/schema.js';
import type { Auditor } from '../../audit/index.js';
import { visibleResourceOr404, type CatalogReader, type DataType, type Resource } from '../../catalog/index.js';
import { createRecordRegistryRepository } from '../../collection/index.js';
import { governancePolicy } from '../governance.policy.js';
import type { RulesService } from '../rules/rules.service.js';
import type { ProblemSink } from './problem-sink.js';
import { governanceScanJob } from './scan-kind.js';
import { runScan, type OtherPlan, type ResourcePlan, type ScanPlan, type ScanProgress } from './scan-runner.js';
import { collectedResourceIds, createScansRepository, inlineVisitor } from './scans.repository.js';
import { governedShare, scoredResult, scoreRows, type ScoreBy } from './scores.js';

export type ScansDeps = {
  db: Db;
  /** Scan leases (ADR 0016): a start never marks interrupted a scan another live process (the CLI) runs. */
  lease?: LeaseTiming;
  clock: Clock;
  auditor: Auditor;
  catalog: CatalogReader;
  rules: RulesService;
  /** How worker threads reach the database; null (a private in-memory database) scans inline. */
  databaseUrl: string | null;
  dataDir: string;
  pool?: WorkerPool;
  timeLimitMs?: number | null;
  /** Where finished results go (the problems workflow), when one is wired. */
  problemSink?: () => ProblemSink | null;
};

/** Failing keys kept per rule and scan. */
export const SAMPLE_SIZE = 20;

export function presentScan(row: QualityScanTable) {
  return {
    id: row.id,
    resourceId: row.resource_id,
    status: row.status,
    progress: { resourcesDone: Number(row.resources_done), resourcesTotal: Number(row.resources_total), rowsChecked: Number(row.rows_checked) },
    error: row.error,
    requestedBy: row.requested_by,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/**
 * What a succeeded scan says beside its results (its `error` text, the status staying succeeded):
 * each cross-resource rule that compared nothing because its other resource had no table to compare with.
 */
function crossNotes(plan: ScanPlan): string[] {
  return plan.resources.flatMap((r) =>
    r.rules.flatMap((rule) => {
      const p = rule.params;
      if (p.kind !== 'consistency' && p.kind !== 'relatedness') return [];
      const other = r.others?.find((o) => o.resourceId === p.otherResourceId);
      return other?.note ? [`rule ${rule.id} (${p.kind}) checked nothing: resource ${other.resourceId} ${other.note}`] : [];
    }),
  );
}

/**
 * Quality scans (issue 9): a plan from the catalogue (rules derived afresh, switches and custom
 * rules applied) and the collection registry, run as the `governance.scan` job kind in the worker
 * pool (inline only for a private in-memory database), progress on the scan row, results per
 * (scan, rule), then the problems workflow told about each resource's results.
 */
export function createScansService(deps: ScansDeps) {
  const { db, clock } = deps;
  const repo = createScansRepository();
  const registry = createRecordRegistryRepository();
  const running = new Map<string, Promise<void>>();
  const afterLoads = new Map<string, { again: boolean }>();
  let afterLoadEnabled = false;
  if (deps.pool && deps.databaseUrl) deps.pool.register(governanceScanJob);
  const leases = createLeases({ db, clock, table: 'quality_scans', timing: deps.lease });

  const liveColumns = async (resourceId: string) =>
    (await registry.columns(db, resourceId)).filter((c) => !toBool(c.retired)).map((c) => [c.column_name, c.data_type as DataType] as [string, DataType]);

  async function planOf(resource: Resource, rules: ResourcePlan['rules']): Promise<ResourcePlan> {
    const table = await registry.findTable(db, resource.id);
    const columns = table ? await liveColumns(resource.id) : [];
    const enabled = rules.filter((r) => r.enabled);
    return {
      resourceId: resource.id,
      table: table?.table_name ?? null,
      keyColumns: table ? fromJson<string[]>(table.key_columns, []) : [],
      columns,
      lastLoadedAt: table?.last_loaded_at ?? null,
      rules: enabled,
      others: await othersOf(resource, enabled),
    };
  }

  /**
   * The other resources of a resource's cross-resource rules. What a rule compares with must be
   * visible to the resource's provider department (whoever starts the scan): failing keys of its
   * records would otherwise tell that department about another's classified records.
   */
  async function othersOf(resource: Resource, rules: ResourcePlan['rules']): Promise<OtherPlan[]> {
    const ids = new Set(rules.flatMap((r) => (r.params.kind === 'consistency' || r.params.kind === 'relatedness' ? [r.params.otherResourceId] : [])));
    const none = (resourceId: string, note: string): OtherPlan => ({ resourceId, table: null, columns: [], note });
    return Promise.all(
      [...ids].map(async (id) => {
        const owner = await deps.catalog.owner(id);
        if (!owner) return none(id, 'no longer exists in the catalogue');
        if (!deps.catalog.canSee(owner, { departmentId: resource.providerDepartmentId }))
          return none(id, "is classified and not visible to this resource's provider department");
        const table = await registry.findTable(db, id);
        if (!table) return none(id, 'has no collected records yet');
        return { resourceId: id, table: table.table_name, columns: await liveColumns(id), note: null };
      }),
    );
  }

  /** Runs a scan to its end; never rejects (it runs in the background): a failure is the scan's status. */
  async function execute(scanId: string, plan: ScanPlan) {
    let last = 0;
    const onProgress = (p: ScanProgress) => {
      const now = Date.now();
      if (now - last < 500 && p.resourcesDone < p.resourcesTotal) return;
      last = now;
      void repo.scanProgress(db, scanId, { resources_done: p.resourcesDone, rows_checked: p.rowsChecked }).catch(() => undefined);
    };
    try {
      await repo.updateScan(db, scanId, { status: 'running', started_at: clock.now().toISOString() });
      let done: ScanProgress;
      if (deps.pool && deps.databaseUrl) {
        const job = deps.pool.run(
          governanceScanJob,
          { plan, databaseUrl: deps.databaseUrl, scratchDir: path.join(deps.dataDir, 'scratch') },
          {
            onProgress: (p) => onProgress(p as ScanProgress),
            ...(deps.timeLimitMs ? { timeLimitMs: deps.timeLimitMs } : {}),
          },
        );
        done = await job.result;
      } else {
        done = await runScan(db, inlineVisitor(db), plan, onProgress);
      }
      // The results stand even when the problems workflow cannot take them: the scan says so.
      let sinkError: string | null = null;
      const sink = deps.problemSink?.();
      if (sink) {
        const results = await repo.results(db, scanId);
        for (const r of plan.resources) {
          const mine = results.filter((x) => x.resource_id === r.resourceId);
          try {
            await sink.syncFromResults(
              scanId,
              r.resourceId,
              mine.map((x) => ({
                ruleId: x.rule_id,
                resourceId: x.resource_id,
                itemCode: x.item_code,
                kind: x.kind,
                dimension: x.dimension,
                severity: x.severity,
                checked: x.checked,
                passed: x.passed,
                failed: x.checked - x.passed,
                sample: x.sample,
              })),
            );
          } catch (err) {
            sinkError ??= `results stored, but quality problems were not updated: ${(err as Error).message}`.slice(0, 2000);
          }
        }
      }
      await repo.updateScan(db, scanId, {
        status: 'succeeded',
        error: [...crossNotes(plan), ...(sinkError ? [sinkError] : [])].join('; ').slice(0, 2000) || null,
        resources_done: done.resourcesDone,
        rows_checked: done.rowsChecked,
        finished_at: clock.now().toISOString(),
      });
    } catch (err) {
      // If even this write fails (the database went away), recover() marks the scan interrupted at the next start.
      await repo
        .updateScan(db, scanId, { status: 'failed', error: (err as Error).message.slice(0, 2000), finished_at: clock.now().toISOString() })
        .catch(() => undefined);
    }
  }

  async function visibleScan(actor: Actor | null, id: string) {
    const row = await repo.findScan(db, id);
    if (!row) throw notFound('quality scan', id);
    if (row.resource_id) {
      const owner = await deps.catalog.owner(row.resource_id);
      if (!owner || !deps.catalog.canSee(owner, scopeOf(actor))) throw notFound('quality scan', id);
    }
    return row;
  }

  const service = {
    /** Starts a scan of one resource or of every collected one; `wait` resolves when it has finished. */
    async start(actor: Actor, input: { resourceId?: string }, options: { wait?: boolean; pushDown?: boolean } = {}) {
      let ids: string[];
      if (input.resourceId) {
        const owner = await visibleResourceOr404(deps.catalog, actor, input.resourceId);
        governancePolicy.assertCanScan(actor, owner.providerDepartmentId);
        ids = [input.resourceId];
      } else {
        governancePolicy.assertCanScanAll(actor);
        ids = await collectedResourceIds(db);
      }
      const resources = await deps.catalog.resources(ids, 'all');
      const rules = await deps.rules.rulesOf(resources);
      const now = clock.now().toISOString();
      const scanId = newId();
      const plan: ScanPlan = {
        scanId,
        scannedAt: now,
        pushDown: options.pushDown ?? true,
        sampleSize: SAMPLE_SIZE,
        resources: await Promise.all(resources.map((r) => planOf(r, rules.get(r.id) ?? []))),
      };
      const row: QualityScanTable = {
        id: scanId,
        resource_id: input.resourceId ?? null,
        status: 'queued',
        resources_total: plan.resources.length,
        resources_done: 0,
        rows_checked: 0,
        error: null,
        requested_by: actor.username,
        created_at: now,
        started_at: null,
        finished_at: null,
        ...leases.columns(),
      };
      // Who scanned what is audited (a scan reads every record and keeps failing keys).
      await deps.auditor.run(
        {
          actor,
          action: 'quality.scan',
          targetType: 'quality_scan',
          targetId: scanId,
          detail: { resourceId: input.resourceId ?? null, resources: plan.resources.length },
        },
        (trx) => repo.insertScan(trx, row),
      );
      leases.hold(scanId);
      const run = execute(scanId, plan).finally(() => {
        running.delete(scanId);
        return leases.release(scanId).catch(() => undefined);
      });
      running.set(scanId, run);
      if (options.wait) await run;
      return presentScan((await repo.findScan(db, scanId))!);
    },

    async get(actor: Actor | null, id: string) {
      return presentScan(await visibleScan(actor, id));
    },

    /** One row per rule (of the resources the caller may see): B checked, A passed, failed, a sample of failing keys. */
    async results(actor: Actor | null, id: string) {
      await visibleScan(actor, id);
      const rows = await repo.results(db, id);
      const visible = new Map((await deps.catalog.resources([...new Set(rows.map((r) => r.resource_id))], scopeOf(actor))).map((r) => [r.id, r]));
      return {
        items: rows.flatMap((r) => {
          const resource = visible.get(r.resource_id);
          if (!resource) return [];
          // Failing keys may be personal data (citizen ID numbers): only the provider department and the platform see them.
          const sample = governancePolicy.canSeeSamples(actor, resource.providerDepartmentId) ? r.sample : [];
          return [
            {
              ruleId: r.rule_id,
              resourceId: r.resource_id,
              dimension: r.dimension,
              itemCode: r.item_code,
              kind: r.kind,
              severity: r.severity,
              checked: r.checked,
              passed: r.passed,
              failed: r.checked - r.passed,
              sample,
            },
          ];
        }),
      };
    },

    /** Scores from each visible resource's latest scan, grouped, and the platform's "% governed" (ADR 0014). */
    async scores(actor: Actor | null, by: ScoreBy) {
      const scope = scopeOf(actor);
      const latest = await repo.latestResults(db);
      const collected = await collectedResourceIds(db);
      const resources = await deps.catalog.resources([...new Set([...latest.map((r) => r.resource_id), ...collected])], scope);
      const byId = new Map(resources.map((r) => [r.id, r]));
      const scored = latest.flatMap((r) => scoredResult(r, byId));
      return {
        by,
        items: scoreRows(scored, by),
        governed: governedShare(
          scored,
          collected.filter((id) => byId.has(id)),
          clock.now(),
        ),
      };
    },

    /**
     * Scans a killed process left behind are marked interrupted (their partial results stay, flagged
     * by the status); one another live process holds a lease on (a CLI scan) is left to it (ADR 0016).
     * How many were marked.
     */
    async recover() {
      let marked = 0;
      for (const s of await leases.unfinished()) {
        const how = running.has(s.id) ? null : leases.takeable(s);
        if (!how || !(await leases.claim(s.id, { takeOverFrom: how.takeOverFrom }))) continue;
        await repo.updateScan(db, s.id, { status: 'interrupted', finished_at: clock.now().toISOString() });
        await leases.release(s.id);
        marked += 1;
      }
      return marked;
    },

    /** Whether a scan of every resource is queued or running (the schedule never starts a second one). */
    async scanOfAllInProgress() {
      return (await repo.unfinishedScans(db)).some((s) => s.resource_id === null);
    },

    /** Scans after every successful load from now on (a serving process: the module's start). */
    enableAfterLoad() {
      afterLoadEnabled = true;
    },

    /**
     * A load of the resource succeeded: scan it (once at a time per resource; a load that lands
     * while its scan runs is scanned again after it), so problems are re-checked on new data.
     */
    afterLoad(resourceId: string) {
      if (!afterLoadEnabled) return;
      const state = afterLoads.get(resourceId);
      if (state) {
        state.again = true;
        return;
      }
      const run = async (): Promise<void> => {
        const entry = { again: false };
        afterLoads.set(resourceId, entry);
        try {
          await service.start(SYSTEM_ACTOR, { resourceId }, { wait: true });
        } catch {
          // The resource is gone, or the database is closing: nothing to scan.
        } finally {
          afterLoads.delete(resourceId);
        }
        if (entry.again) return run();
      };
      void run();
    },

    /** The scan once it has ended (started by this process; otherwise as it stands). */
    async waitFor(id: string) {
      await running.get(id);
      const row = await repo.findScan(db, id);
      if (!row) throw notFound('quality scan', id);
      return presentScan(row);
    },

    /** Waits for scans started by this process (tests, shutdown). */
    async idle() {
      await Promise.allSettled([...running.values()]);
    },
  };
  return service;
}

export type ScansService = ReturnType<typeof createScansService>;
