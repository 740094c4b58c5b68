import { scopeOf } from '../../../shared/access-scope.js';
import type { Actor } from '../../../shared/actor.js';
import { fromJson, type Db } from '../../../storage/dialect.js';
import { MATCH_TIERS, type MatchTier } from '../contracts.js';
import { createThemesFiguresRepository } from './figures.repository.js';
import type { ThemesFigures } from './figures.schemas.js';

/** The six themes in the order the seed names them (六大主题库); any other theme follows by code. */
const THEME_ORDER = ['population', 'legal_entity', 'credit', 'elicence', 'grassroots', 'spatial'];
const rank = (code: string) => (THEME_ORDER.includes(code) ? THEME_ORDER.indexOf(code) : THEME_ORDER.length);

type SourceCount = { tier: string; n: number; linked: number };

const ratio = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

function crosswalk(rows: readonly SourceCount[]) {
  const tiers = Object.fromEntries(MATCH_TIERS.map((t) => [t, 0])) as Record<MatchTier, number>;
  let sources = 0;
  let linked = 0;
  for (const r of rows) {
    if (r.tier in tiers) tiers[r.tier as MatchTier] += r.n;
    sources += r.n;
    linked += r.linked;
  }
  return { sources, linked, tiers, matchRate: ratio(linked, sources) };
}

/**
 * The themes' member of the figures family (/catalog/stats, /collection/stats, /quality/stats,
 * /sharing/stats, /open/stats): master records per theme, the crosswalk by match tier with the
 * match rate, conflicts open and reviews pending — the seed's 六大主题库. Computed live, one
 * aggregate query each. Counts are public, as the family's are; a member resource the caller may
 * not see (classified) is counted in its theme but not listed.
 */
export function createThemesFiguresService(deps: { db: Db }) {
  const { db } = deps;
  const repo = createThemesFiguresRepository();

  return {
    async figures(actor: Actor | null): Promise<ThemesFigures> {
      const scope = scopeOf(actor);
      const [themes, masters, sources, pending, conflicts] = await Promise.all([
        repo.themes(db),
        repo.masters(db),
        repo.sources(db),
        repo.reviewPending(db),
        repo.conflictsOpen(db),
      ]);
      const byTheme = <T extends { themeId: string; n: number }>(rows: readonly T[]) => new Map(rows.map((r) => [r.themeId, r.n]));
      const masterCount = byTheme(masters);
      const pendingCount = byTheme(pending);
      const conflictCount = byTheme(conflicts);
      const memberIds = (definition: unknown) => fromJson<{ members?: { resourceId: string }[] }>(definition, {}).members?.map((m) => m.resourceId) ?? [];
      const visible = new Map(
        (await repo.visibleMembers(db, scope, [...new Set([...themes.flatMap((t) => memberIds(t.definition)), ...sources.map((s) => s.resourceId)])])).map(
          (r) => [r.id, r],
        ),
      );

      const items = [...themes]
        .sort((a, b) => rank(a.code) - rank(b.code) || a.code.localeCompare(b.code))
        .map((t) => {
          const rows = sources.filter((s) => s.themeId === t.id);
          // Members in the definition's order, then any resource the crosswalk still holds rows of.
          const ids = [...new Set([...memberIds(t.definition), ...rows.map((r) => r.resourceId)])];
          return {
            code: t.code,
            name: t.name,
            nameEn: t.name_en,
            masters: masterCount.get(t.id) ?? 0,
            ...crosswalk(rows),
            conflictsOpen: conflictCount.get(t.id) ?? 0,
            reviewPending: pendingCount.get(t.id) ?? 0,
            members: ids.flatMap((id) => {
              const r = visible.get(id);
              return r ? [{ resourceId: id, resourceCode: r.code, resourceName: r.name, ...crosswalk(rows.filter((s) => s.resourceId === id)) }] : [];
            }),
          };
        });
      const sum = (pick: (t: (typeof items)[number]) => number) => items.reduce((a, t) => a + pick(t), 0);
      return {
        scope: scope === 'all' ? 'all' : scope === 'none' ? 'public' : 'department',
        themes: items,
        totals: {
          themes: items.length,
          masters: sum((t) => t.masters),
          ...crosswalk(sources),
          conflictsOpen: sum((t) => t.conflictsOpen),
          reviewPending: sum((t) => t.reviewPending),
        },
      };
    },
  };
}

export type ThemesFiguresService = ReturnType<typeof createThemesFiguresService>;
