import { AppError } from '../../../errors.js';
import type { Actor } from '../../../shared/actor.js';
import { fromJson, type Db, type Dialect } from '../../../storage/dialect.js';
import type { CatalogReader } from '../../catalog/index.js';
import type { ThemeDefinition, ThemeMember } from '../contracts.js';
import { featureAccessOf, spatialPolicy, type FeatureAccess } from './spatial.policy.js';
import { createSpatialRepository, type Bbox, type Extent, type FeatureRow, type ThemeRow, type Window } from './spatial.repository.js';

/** A theme whose definition names a geometry: one OGC collection (its code is the collection id). */
export type SpatialTheme = {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  geometry: NonNullable<ThemeDefinition['geometry']>;
  members: ThemeMember[];
  access: FeatureAccess;
};

export type SpatialCollection = SpatialTheme & { extent: Extent | null };

export type FeaturePage = { features: FeatureRow[]; numberMatched: number };

/** `dialect` gives the change stamp that keeps the widest-feature cache exact; without one (or on PostgreSQL) it lives 1 s. */
export type SpatialServiceDeps = { db: Db; catalog: CatalogReader; dialect?: Dialect };

const WIDTH_TTL_MS = 1000;

function definitionOf(row: ThemeRow): Partial<ThemeDefinition> {
  try {
    return fromJson<Partial<ThemeDefinition>>(row.definition, {});
  } catch {
    return {};
  }
}

const notFound = (what: string) => new AppError('NOT_FOUND', what);

/**
 * The OGC API – Features reads (ADR 0029): spatial themes as collections, their masters with a
 * geometry as features. Every read decides access from the catalogue as it is now.
 */
export function createSpatialService(deps: SpatialServiceDeps) {
  const repo = createSpatialRepository(deps.db);
  const widths = new Map<string, { width: number; stamp: string | null; at: number }>();

  /** The query window with the theme's widest feature box, cached per theme until the database changes. */
  async function windowOf(themeId: string, bbox: Bbox | null): Promise<Window | null> {
    if (!bbox) return null;
    const stamp = deps.dialect ? await deps.dialect.changeStamp(deps.db) : null;
    const cached = widths.get(themeId);
    if (cached && (stamp !== null ? cached.stamp === stamp : Date.now() - cached.at < WIDTH_TTL_MS)) return { bbox, maxWidth: cached.width };
    const width = await repo.maxWidth(themeId);
    widths.set(themeId, { width, stamp, at: Date.now() });
    return { bbox, maxWidth: width };
  }

  /** The theme's access and its members' provider departments, from the catalogue entries as they are now. */
  async function spatialThemeOf(row: ThemeRow): Promise<(SpatialTheme & { providers: string[] }) | null> {
    const def = definitionOf(row);
    if (!def.geometry) return null;
    const members = Array.isArray(def.members) ? def.members : [];
    const resources = await deps.catalog.resources(
      members.map((m) => m.resourceId),
      'all',
    );
    const providers = members.map((m) => resources.find((r) => r.id === m.resourceId)?.providerDepartmentId ?? '');
    return {
      id: row.id,
      code: row.code,
      name: row.name,
      nameEn: row.name_en,
      geometry: def.geometry,
      members,
      access: featureAccessOf(members, resources),
      providers,
    };
  }

  /** The theme behind a collection id, read access checked: 404 when it is not a spatial theme, 401/403 per the policy. */
  async function readable(actor: Actor | null, code: string): Promise<SpatialTheme> {
    const row = await repo.theme(code);
    const theme = row ? await spatialThemeOf(row) : null;
    if (!theme) throw notFound(`No feature collection "${code}"`);
    spatialPolicy.assertRead(actor, theme.access, theme.providers);
    return theme;
  }

  return {
    /** The collections `actor` may read (anonymous callers: the open ones), each with the extent of its features. */
    async collections(actor: Actor | null): Promise<SpatialCollection[]> {
      const out: SpatialCollection[] = [];
      for (const row of await repo.themes()) {
        const theme = await spatialThemeOf(row);
        if (!theme || !spatialPolicy.mayRead(actor, theme.access, theme.providers)) continue;
        out.push({ ...theme, extent: await repo.extent(theme.id) });
      }
      return out;
    },

    async collection(actor: Actor | null, code: string): Promise<SpatialCollection> {
      const theme = await readable(actor, code);
      return { ...theme, extent: await repo.extent(theme.id) };
    },

    async items(actor: Actor | null, code: string, q: { bbox: Bbox | null; offset: number; limit: number }): Promise<{ theme: SpatialTheme } & FeaturePage> {
      const theme = await readable(actor, code);
      const window = await windowOf(theme.id, q.bbox);
      const [numberMatched, features] = await Promise.all([repo.count(theme.id, window), repo.page(theme.id, window, q.offset, q.limit)]);
      return { theme, features, numberMatched };
    },

    async feature(actor: Actor | null, code: string, featureId: string): Promise<{ theme: SpatialTheme; feature: FeatureRow }> {
      const theme = await readable(actor, code);
      const feature = await repo.feature(theme.id, featureId);
      if (!feature) throw notFound(`No feature "${featureId}" in the collection "${code}"`);
      return { theme, feature };
    },
  };
}

export type SpatialService = ReturnType<typeof createSpatialService>;
