import { sql } from 'kysely';
import type { Db } from '../../../storage/dialect.js';

const n = (v: unknown) => Number(v ?? 0);

export type CallFilter = { from: string | null; to: string | null };

const sumCalls = sql<string>`coalesce(sum(sharing_call_counts.calls), 0)`;
const sumErrors = sql<string>`coalesce(sum(sharing_call_counts.errors), 0)`;

/**
 * Sharing figures, each one aggregate: interfaces and applications grouped by their columns,
 * calls summed from the per-day counts (`sharing_call_counts`, kept beyond the audit's retention);
 * the audit rows themselves are never scanned.
 */
export function createSharingFiguresRepository() {
  const counted = (db: Db, f: CallFilter) =>
    db
      .selectFrom('sharing_call_counts')
      .$if(f.from !== null, (q) => q.where('sharing_call_counts.day', '>=', f.from!))
      .$if(f.to !== null, (q) => q.where('sharing_call_counts.day', '<=', f.to!));

  return {
    interfaces: async (db: Db) =>
      (
        await db
          .selectFrom('sharing_interfaces')
          .select(['kind', 'level', 'status', (eb) => eb.fn.countAll().as('n')])
          .groupBy(['kind', 'level', 'status'])
          .execute()
      ).map((r) => ({ kind: r.kind, level: r.level, status: r.status, n: n(r.n) })),

    /** Census systems by their connected flag, and how many are connected either way (flag, or a consumer with an active grant). */
    async systems(db: Db, today: string) {
      const withGrant = db
        .selectFrom('sharing_consumers')
        .innerJoin('sharing_grants', 'sharing_grants.consumer_id', 'sharing_consumers.id')
        .where('sharing_consumers.status', '=', 'ACTIVE')
        .where('sharing_grants.status', '=', 'ACTIVE')
        .where('sharing_grants.valid_until', '>=', today);
      const [census, marked, connected, consumers, granted] = await Promise.all([
        db
          .selectFrom('info_systems')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst(),
        db
          .selectFrom('info_systems')
          .where('connected', '=', true)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst(),
        db
          .selectFrom('info_systems')
          .where((eb) => eb.or([eb('connected', '=', true), eb('id', 'in', withGrant.select('sharing_consumers.system_id'))]))
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst(),
        db
          .selectFrom('sharing_consumers')
          .where('status', '=', 'ACTIVE')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst(),
        withGrant.select((eb) => eb.fn.count('sharing_consumers.id').distinct().as('n')).executeTakeFirst(),
      ]);
      return { census: n(census?.n), marked: n(marked?.n), connected: n(connected?.n), consumers: n(consumers?.n), consumersWithActiveGrant: n(granted?.n) };
    },

    byDay: async (db: Db, f: CallFilter) =>
      (
        await counted(db, f)
          .select(['sharing_call_counts.day as day', sumCalls.as('calls'), sumErrors.as('errors')])
          .groupBy('sharing_call_counts.day')
          .orderBy('sharing_call_counts.day')
          .execute()
      ).map((r) => ({ day: r.day, calls: n(r.calls), errors: n(r.errors) })),

    /**
     * Calls per (interface, consumer, department): one grouping pass that the service rolls up per
     * interface, consumer and department (three grouping queries over the counts cost three sorts).
     * At most one row per pair that called, whatever the number of days.
     */
    pairs: async (db: Db, f: CallFilter) =>
      (
        await counted(db, f)
          .select([
            'sharing_call_counts.interface_id as interface_id',
            'sharing_call_counts.consumer_id as consumer_id',
            'sharing_call_counts.department_id as department_id',
            sumCalls.as('calls'),
            sumErrors.as('errors'),
          ])
          .groupBy(['sharing_call_counts.interface_id', 'sharing_call_counts.consumer_id', 'sharing_call_counts.department_id'])
          .execute()
      ).map((r) => ({ interfaceId: r.interface_id, consumerId: r.consumer_id, departmentId: r.department_id, calls: n(r.calls), errors: n(r.errors) })),

    interfacesById: async (db: Db, ids: readonly string[]) =>
      ids.length === 0
        ? []
        : db
            .selectFrom('sharing_interfaces')
            .select(['id', 'code', 'version', 'name', 'kind', 'status'])
            .where('id', 'in', [...ids])
            .execute(),

    consumerNames: async (db: Db, ids: readonly string[]) =>
      new Map(
        ids.length === 0
          ? []
          : (
              await db
                .selectFrom('sharing_consumers')
                .select(['id', 'name'])
                .where('id', 'in', [...ids])
                .execute()
            ).map((r) => [r.id, r.name] as const),
      ),

    departmentNames: async (db: Db, ids: readonly string[]) =>
      new Map(
        ids.length === 0
          ? []
          : (
              await db
                .selectFrom('departments')
                .select(['id', 'name'])
                .where('id', 'in', [...ids])
                .execute()
            ).map((r) => [r.id, r.name] as const),
      ),

    async applications(db: Db, today: string) {
      const [byStatus, overdue] = await Promise.all([
        db
          .selectFrom('sharing_applications')
          .select(['status', (eb) => eb.fn.countAll().as('n')])
          .groupBy('status')
          .execute(),
        db
          .selectFrom('sharing_applications')
          .where((eb) =>
            eb.or([
              eb.and([eb('status', '=', 'COMPLIANCE_CHECK'), eb('compliance_due', '<', today)]),
              eb.and([eb('status', '=', 'PROVIDER_REVIEW'), eb('review_due', '<', today)]),
            ]),
          )
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst(),
      ]);
      return { byStatus: byStatus.map((r) => ({ status: r.status, n: n(r.n) })), overdue: n(overdue?.n) };
    },

    activeGrants: async (db: Db, today: string) =>
      n(
        (
          await db
            .selectFrom('sharing_grants')
            .where('status', '=', 'ACTIVE')
            .where('valid_until', '>=', today)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirst()
        )?.n,
      ),
  };
}
