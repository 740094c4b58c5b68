import { fromJson } from '../../../storage/dialect.js';
import type { SpatialCollection, SpatialTheme } from './spatial.service.js';
import type { FeatureRow } from './spatial.repository.js';

/** OGC API – Features answers from rows: GeoJSON (RFC 7946) features and collections, collection descriptions, links. */
export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
export const GEOJSON = 'application/geo+json';
export const JSON_TYPE = 'application/json';
export const OPENAPI_TYPE = 'application/vnd.oai.openapi+json;version=3.0';

export type Link = { href: string; rel: string; type: string; title?: string };
type Position = number[];
export type Geometry = { type: string; coordinates?: unknown; geometries?: Geometry[] };

export const link = (href: string, rel: string, type: string, title?: string): Link => (title ? { href, rel, type, title } : { href, rel, type });

function isGeometry(v: unknown): v is Geometry {
  if (typeof v !== 'object' || v === null) return false;
  const g = v as Geometry;
  if (g.type === 'GeometryCollection') return Array.isArray(g.geometries) && g.geometries.every(isGeometry);
  return ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'].includes(g.type) && Array.isArray(g.coordinates);
}

/** The stored GeoJSON geometry text, or null when it is not a geometry (a feature may have none, RFC 7946 §3.2). */
export function geometryOf(text: string | null): Geometry | null {
  if (text === null) return null;
  try {
    const g: unknown = JSON.parse(text);
    return isGeometry(g) ? g : null;
  } catch {
    return null;
  }
}

/** Every position of a geometry, however deeply nested. */
function positions(g: Geometry, out: Position[] = []): Position[] {
  if (g.type === 'GeometryCollection') {
    for (const c of g.geometries ?? []) positions(c, out);
    return out;
  }
  const walk = (c: unknown) => {
    if (!Array.isArray(c)) return;
    if (c.length >= 2 && typeof c[0] === 'number' && typeof c[1] === 'number') out.push(c as Position);
    else for (const x of c) walk(x);
  };
  walk(g.coordinates);
  return out;
}

/** A geometry's bounding box [minx, miny, maxx, maxy] from its own coordinates (exact, whatever the bbox columns' precision). */
export function bboxOf(g: Geometry): [number, number, number, number] | null {
  const ps = positions(g);
  if (ps.length === 0) return null;
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of ps as [number, number][]) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return [minX, minY, maxX, maxY];
}

export function collectionUrl(base: string, code: string) {
  return `${base}/ogc/collections/${encodeURIComponent(code)}`;
}

export function featureUrl(base: string, code: string, featureId: string) {
  return `${collectionUrl(base, code)}/items/${encodeURIComponent(featureId)}`;
}

/** A master as a GeoJSON Feature: its key is the id, its attributes the properties (the GeoJSON attribute itself left out). */
export function presentFeature(base: string, theme: SpatialTheme, row: FeatureRow, withLinks: boolean) {
  const geometry = geometryOf(row.geometry);
  const properties = { ...fromJson<Record<string, unknown>>(row.attributes, {}) };
  if ('geojson' in theme.geometry) delete properties[theme.geometry.geojson];
  const bbox = geometry ? bboxOf(geometry) : null;
  return {
    type: 'Feature' as const,
    id: row.master_key,
    ...(bbox ? { bbox } : {}),
    geometry,
    properties,
    ...(withLinks
      ? {
          links: [
            link(featureUrl(base, theme.code, row.master_key), 'self', GEOJSON, 'This feature'),
            link(collectionUrl(base, theme.code), 'collection', JSON_TYPE, theme.name),
          ],
        }
      : {}),
  };
}

/** A collection's description (OGC 17-069r4 §7.14): one per spatial theme, its extent the bounding box of its features. */
export function presentCollection(base: string, c: SpatialCollection) {
  const url = collectionUrl(base, c.code);
  return {
    id: c.code,
    title: c.name,
    description: `${c.name} (${c.nameEn}): ${c.extent?.count ?? 0} features; ${c.access === 'public' ? 'open data' : 'staff only'}`,
    links: [link(url, 'self', JSON_TYPE, c.name), link(`${url}/items`, 'items', GEOJSON, `${c.name} features`)],
    ...(c.extent ? { extent: { spatial: { bbox: [[c.extent.minX, c.extent.minY, c.extent.maxX, c.extent.maxY]], crs: CRS84 } } } : {}),
    itemType: 'feature',
    crs: [CRS84],
  };
}
