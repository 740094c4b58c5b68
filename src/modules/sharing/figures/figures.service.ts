import { scopeOf } from '../../../shared/access-scope.js';
import type { Actor } from '../../../shared/actor.js';
import type { Clock } from '../../../shared/clock.js';
import type { Db } from '../../../storage/dialect.js';
import { APPLICATION_STATUSES, PENDING_STATUSES } from '../applications/application-states.js';
import { chinaDate } from '../../../shared/china-time.js';
import { pairsSeenBy, rollUp } from './call-rollups.js';
import { createSharingFiguresRepository } from './figures.repository.js';
import type { SharingFigures, SharingFiguresQuery } from './figures.schemas.js';

type InterfaceCount = { kind: string; level: string; status: string; n: number };

const LEVELS = ['CITY', 'PROVINCIAL', 'NATIONAL'] as const;
const STATUSES = ['DRAFT', 'PUBLISHED', 'OFFLINE'] as const;
const sum = <T>(rows: readonly T[], pick: (r: T) => number) => rows.reduce((a, r) => a + pick(r), 0);

function interfaceFigures(rows: readonly InterfaceCount[]) {
  const count = (keep: (r: InterfaceCount) => boolean) => sum(rows.filter(keep), (r) => r.n);
  const of = (subset: readonly InterfaceCount[]) => ({
    total: sum(subset, (r) => r.n),
    generated: sum(
      subset.filter((r) => r.kind === 'GENERATED'),
      (r) => r.n,
    ),
    upstream: sum(
      subset.filter((r) => r.kind === 'UPSTREAM'),
      (r) => r.n,
    ),
    byLevel: Object.fromEntries(
      LEVELS.map((l) => [
        l,
        sum(
          subset.filter((r) => r.level === l),
          (r) => r.n,
        ),
      ]),
    ) as Record<(typeof LEVELS)[number], number>,
  });
  return {
    ...of(rows),
    byStatus: Object.fromEntries(STATUSES.map((s) => [s, count((r) => r.status === s)])) as Record<(typeof STATUSES)[number], number>,
    published: of(rows.filter((r) => r.status === 'PUBLISHED')),
  };
}

/**
 * Sharing's member of the figures family (/catalog/stats, /collection/stats, /quality/stats):
 * interfaces generated vs upstream and city vs provincial, connected systems, calls per
 * interface, consumer, department and day with the error rate, applications and grants — the
 * seed's "445 个接口, 125 套系统, 1.2 亿次调用". Counts are public; which consumers and departments
 * call how much is shown to the platform's staff, and to an officer for their own department.
 */
export function createSharingFiguresService(deps: { db: Db; clock: Clock }) {
  const { db } = deps;
  const repo = createSharingFiguresRepository();

  return {
    async figures(actor: Actor | null, q: SharingFiguresQuery): Promise<SharingFigures> {
      const scope = scopeOf(actor);
      const today = chinaDate(deps.clock.now());
      const f = { from: q.from ?? null, to: q.to ?? null };
      const [interfaces, systems, pairs, byDay, applications, activeGrants] = await Promise.all([
        repo.interfaces(db),
        repo.systems(db, today),
        repo.pairs(db, f),
        repo.byDay(db, f),
        repo.applications(db, today),
        repo.activeGrants(db, today),
      ]);
      const totals = { calls: sum(pairs, (p) => p.calls), errors: sum(pairs, (p) => p.errors) };
      const perInterface = rollUp(pairs, (p) => p.interfaceId);
      const ifaces = new Map(
        (
          await repo.interfacesById(
            db,
            perInterface.map((r) => r.key),
          )
        ).map((i) => [i.id, i]),
      );
      // Outside the platform's staff, only published interfaces are named.
      const byInterface = perInterface
        .filter((r) => scope === 'all' || ifaces.get(r.key)?.status === 'PUBLISHED')
        .slice(0, q.top)
        .map((r) => {
          const i = ifaces.get(r.key);
          return {
            interfaceId: r.key,
            code: i?.code ?? null,
            version: i?.version ?? null,
            name: i?.name ?? null,
            kind: i?.kind ?? null,
            calls: r.calls,
            errors: r.errors,
          };
        });
      const seen = pairsSeenBy(scope, pairs);
      const consumerDepartment = new Map(seen.map((p) => [p.consumerId, p.departmentId]));
      const perConsumer = rollUp(seen, (p) => p.consumerId).slice(0, q.top);
      const perDepartment = rollUp(seen, (p) => p.departmentId).slice(0, q.top);
      const [consumerNames, departmentNames] = await Promise.all([
        repo.consumerNames(
          db,
          perConsumer.map((r) => r.key),
        ),
        repo.departmentNames(
          db,
          perDepartment.map((r) => r.key),
        ),
      ]);
      const byConsumer = perConsumer.map((r) => ({
        consumerId: r.key,
        name: consumerNames.get(r.key) ?? null,
        departmentId: consumerDepartment.get(r.key)!,
        calls: r.calls,
        errors: r.errors,
      }));
      const byDepartment = perDepartment.map((r) => ({
        departmentId: r.key,
        departmentName: departmentNames.get(r.key) ?? null,
        calls: r.calls,
        errors: r.errors,
      }));
      const statusCount = (s: string) => applications.byStatus.find((r) => r.status === s)?.n ?? 0;
      return {
        scope: scope === 'all' ? 'all' : scope === 'none' ? 'public' : 'department',
        today,
        from: f.from,
        to: f.to,
        interfaces: interfaceFigures(interfaces),
        systems: {
          census: systems.census,
          connected: systems.connected,
          markedConnected: systems.marked,
          consumers: systems.consumers,
          consumersWithActiveGrant: systems.consumersWithActiveGrant,
        },
        calls: {
          ...totals,
          errorRate: totals.calls > 0 ? Math.round((totals.errors / totals.calls) * 10_000) / 10_000 : null,
          byDay,
          byInterface,
          byConsumer,
          byDepartment,
        },
        applications: {
          total: sum(applications.byStatus, (r) => r.n),
          byStatus: Object.fromEntries(APPLICATION_STATUSES.map((s) => [s, statusCount(s)])) as SharingFigures['applications']['byStatus'],
          pending: sum([...PENDING_STATUSES], statusCount),
          overdue: applications.overdue,
        },
        grants: { active: activeGrants },
      };
    },
  };
}

export type SharingFiguresService = ReturnType<typeof createSharingFiguresService>;
