import type { Db } from '../../../storage/dialect.js';

/** A query window in CRS84 (longitude/latitude degrees), min ≤ max on both axes. */
export type Bbox = { minX: number; minY: number; maxX: number; maxY: number };

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

/**
 * All SQL of the OGC API: themes, the extent of a theme's features and their pages. Only masters
 * with a geometry are features. The window test reads the bounding-box columns the masters
 * writer keeps (index theme_masters_bbox_idx on theme_id, min_x, min_y), never the GeoJSON text.
 */
export function createSpatialRepository(db: Db) {
  const features = (themeId: string, bbox: Bbox | null) => {
    let q = db.selectFrom('theme_masters').where('theme_id', '=', themeId).where('geometry', 'is not', null);
    // Boxes intersect (edges included): a feature's box starts before the window ends and ends after it starts, on both axes.
    if (bbox) q = q.where('min_x', '<=', bbox.maxX).where('max_x', '>=', bbox.minX).where('min_y', '<=', bbox.maxY).where('max_y', '>=', bbox.minY);
    return q;
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

    async count(themeId: string, bbox: Bbox | null): Promise<number> {
      const row = await features(themeId, bbox)
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** One page of features in key order (unique per theme, so offsets are stable between pages). */
    async page(themeId: string, bbox: Bbox | null, offset: number, limit: number): Promise<FeatureRow[]> {
      return features(themeId, bbox).select(FEATURE_COLUMNS).orderBy('master_key').limit(limit).offset(offset).execute();
    },

    async feature(themeId: string, key: string): Promise<FeatureRow | null> {
      return (await features(themeId, null).select(FEATURE_COLUMNS).where('master_key', '=', key).executeTakeFirst()) ?? null;
    },
  };
}

export type SpatialRepository = ReturnType<typeof createSpatialRepository>;
