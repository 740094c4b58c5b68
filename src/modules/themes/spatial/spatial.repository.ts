import type { Db } from '../../../storage/dialect.js';

/** A query window in CRS84 (longitude/latitude degrees), min ≤ max on both axes. */
export type Bbox = { minX: number; minY: number; maxX: number; maxY: number };

/** A query window and the widest feature box of the theme (degrees of longitude). */
export type Window = { bbox: Bbox; maxWidth: number };

export type ThemeRow = { id: string; code: string; name: string; name_en: string; definition: unknown; updated_at: string };

export type FeatureRow = {
  master_key: string;
  attributes: unknown;
  geometry: string | null;
  region_code: string | null;
  updated_at: string;
};

export type Extent = Bbox & { count: number };

const FEATURE_COLUMNS = ['master_key', 'attributes', 'geometry', 'region_code', 'updated_at'] as const;

/** Covers float4 rounding of the bbox columns on PostgreSQL (about 1e-5° at 120°E); the exact tests still apply. */
const WIDTH_SLACK = 1e-3;

/**
 * All SQL of the OGC API: themes, the extent of a theme's features and their pages. Only masters
 * with a geometry are features. The window test reads the bounding-box columns the masters
 * writer keeps (index theme_masters_bbox_idx on theme_id, min_x, min_y), never the GeoJSON text.
 */
export function createSpatialRepository(db: Db) {
  const features = (themeId: string, window: Window | null) => {
    let q = db.selectFrom('theme_masters').where('theme_id', '=', themeId).where('geometry', 'is not', null);
    if (!window) return q;
    const { bbox, maxWidth } = window;
    // Boxes intersect (edges included): a feature's box starts before the window ends and ends after it starts, on both axes.
    q = q.where('min_x', '<=', bbox.maxX).where('max_x', '>=', bbox.minX).where('min_y', '<=', bbox.maxY).where('max_y', '>=', bbox.minY);
    // No feature is wider than maxWidth, so one that ends after minX starts after minX - maxWidth: a closed range on the
    // index's min_x instead of everything west of the window (and the planner then prefers this index to the key's).
    return q.where('min_x', '>=', bbox.minX - maxWidth - WIDTH_SLACK);
  };

  return {
    async themes(): Promise<ThemeRow[]> {
      return db.selectFrom('themes').select(['id', 'code', 'name', 'name_en', 'definition', 'updated_at']).orderBy('code').execute();
    },

    async theme(code: string): Promise<ThemeRow | null> {
      return (
        (await db.selectFrom('themes').select(['id', 'code', 'name', 'name_en', 'definition', 'updated_at']).where('code', '=', code).executeTakeFirst()) ??
        null
      );
    },

    /** The bounding box of every feature of a theme, or null when it has none. */
    async extent(themeId: string): Promise<Extent | null> {
      const row = await features(themeId, null)
        .select((eb) => [
          eb.fn.countAll<number | string>().as('n'),
          eb.fn.min('min_x').as('min_x'),
          eb.fn.min('min_y').as('min_y'),
          eb.fn.max('max_x').as('max_x'),
          eb.fn.max('max_y').as('max_y'),
        ])
        .executeTakeFirstOrThrow();
      const count = Number(row.n);
      if (count === 0 || row.min_x === null || row.min_y === null || row.max_x === null || row.max_y === null) return null;
      return { count, minX: Number(row.min_x), minY: Number(row.min_y), maxX: Number(row.max_x), maxY: Number(row.max_y) };
    },

    /** The widest feature box of a theme in longitude (0 for points only, or with no features). */
    async maxWidth(themeId: string): Promise<number> {
      const row = await features(themeId, null)
        .select((eb) => eb.fn.max(eb('max_x', '-', eb.ref('min_x'))).as('w'))
        .executeTakeFirst();
      return row?.w === null || row?.w === undefined ? 0 : Number(row.w);
    },

    async count(themeId: string, window: Window | null): Promise<number> {
      const row = await features(themeId, window)
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** One page of features in key order (unique per theme, so offsets are stable between pages). */
    async page(themeId: string, window: Window | null, offset: number, limit: number): Promise<FeatureRow[]> {
      return features(themeId, window).select(FEATURE_COLUMNS).orderBy('master_key').limit(limit).offset(offset).execute();
    },

    async feature(themeId: string, key: string): Promise<FeatureRow | null> {
      return (await features(themeId, null).select(FEATURE_COLUMNS).where('master_key', '=', key).executeTakeFirst()) ?? null;
    },
  };
}

export type SpatialRepository = ReturnType<typeof createSpatialRepository>;
