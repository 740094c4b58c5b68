import { sql } from 'kysely';
import type { AccessScope } from '../../../shared/access-scope.js';
import type { Db } from '../../../storage/dialect.js';
import { visibleResources } from '../../catalog/index.js';

const n = (v: unknown) => Number(v ?? 0);
const linked = sql<string>`coalesce(sum(case when theme_sources.master_id is not null then 1 else 0 end), 0)`;

/**
 * Themes figures, each one aggregate over migration 0018's tables: masters counted per theme, the
 * crosswalk grouped by (theme, member resource, tier), open conflicts and pending reviews by
 * their indexed status columns. No member record table is read.
 */
export function createThemesFiguresRepository() {
  return {
    themes: (db: Db) => db.selectFrom('themes').select(['id', 'code', 'name', 'name_en', 'definition']).execute(),

    masters: async (db: Db) =>
      (
        await db
          .selectFrom('theme_masters')
          .select(['theme_id', (eb) => eb.fn.countAll().as('n')])
          .groupBy('theme_id')
          .execute()
      ).map((r) => ({ themeId: r.theme_id, n: n(r.n) })),

    /** The crosswalk: rows per (theme, member, tier), and of them those linked to a master (a review may link an UNMATCHED row). */
    sources: async (db: Db) =>
      (
        await db
          .selectFrom('theme_sources')
          .select(['theme_id', 'resource_id', 'tier', (eb) => eb.fn.countAll().as('n'), linked.as('linked')])
          .groupBy(['theme_id', 'resource_id', 'tier'])
          .execute()
      ).map((r) => ({ themeId: r.theme_id, resourceId: r.resource_id, tier: r.tier, n: n(r.n), linked: n(r.linked) })),

    reviewPending: async (db: Db) =>
      (
        await db
          .selectFrom('theme_sources')
          .where('review_status', '=', 'PENDING')
          .select(['theme_id', (eb) => eb.fn.countAll().as('n')])
          .groupBy('theme_id')
          .execute()
      ).map((r) => ({ themeId: r.theme_id, n: n(r.n) })),

    conflictsOpen: async (db: Db) =>
      (
        await db
          .selectFrom('theme_conflicts')
          .where('status', '=', 'OPEN')
          .select(['theme_id', (eb) => eb.fn.countAll().as('n')])
          .groupBy('theme_id')
          .execute()
      ).map((r) => ({ themeId: r.theme_id, n: n(r.n) })),

    /** Member resources the caller may see (a classified member is counted in its theme, never named). */
    visibleMembers: async (db: Db, scope: AccessScope, ids: readonly string[]) =>
      ids.length === 0
        ? []
        : db
            .selectFrom('resources')
            .where('resources.id', 'in', [...ids])
            .where(visibleResources(scope))
            .select(['resources.id', 'resources.code', 'resources.name'])
            .execute(),
  };
}
