import type { RecordValue } from '../../collection/index.js';
import type { Provenance, ThemeDefinition } from '../contracts.js';
import { termValue } from './terms.js';

/** A crosswalk row as survivorship reads it. */
export type SourceValues = { resourceId: string; sourceKey: string; receivedAt: string; attributes: Readonly<Record<string, RecordValue>> };

export type ConflictCandidate = { resourceId: string; sourceKey: string; value: RecordValue; receivedAt: string };

export type Survived = {
  attributes: Record<string, RecordValue>;
  provenance: Record<string, Provenance>;
  /** Attributes on which non-null values of the sources disagree (compared half-width, trimmed, case-blind). */
  conflicts: { attribute: string; candidates: ConflictCandidate[] }[];
  regionCode: string | null;
  geometry: { text: string; minX: number; minY: number; maxX: number; maxY: number } | null;
};

const empty = (v: RecordValue | undefined) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/**
 * Lower ranks win: the attribute's own order of member resources when the definition gives one
 * (members it does not list come after, by their priority), else the member's priority.
 */
export function ranker(def: ThemeDefinition) {
  const memberPriority = new Map(def.members.map((m) => [m.resourceId, m.priority]));
  const orders = new Map(Object.entries(def.attributePriority ?? {}).map(([a, ids]) => [a, new Map(ids.map((id, n) => [id, n]))]));
  return (attribute: string, resourceId: string): number => {
    const p = memberPriority.get(resourceId) ?? 1_000_000;
    const order = orders.get(attribute);
    if (!order) return p;
    const n = order.get(resourceId);
    return n === undefined ? 1_000_000 + p : n - 1_000_000;
  };
}

/**
 * One master's surviving values: per attribute, the value of the most authoritative source among
 * the non-null ones, a tie going to the most recently received (then resource and key, so the
 * answer never depends on row order); provenance per attribute; disagreements as conflicts.
 */
export function survive(def: ThemeDefinition, rank: ReturnType<typeof ranker>, sources: readonly SourceValues[]): Survived {
  const attributes: Record<string, RecordValue> = {};
  const provenance: Record<string, Provenance> = {};
  const conflicts: Survived['conflicts'] = [];
  for (const a of def.attributes) {
    const candidates = sources.filter((s) => !empty(s.attributes[a.code]));
    if (candidates.length === 0) {
      attributes[a.code] = null;
      continue;
    }
    candidates.sort(
      (x, y) =>
        rank(a.code, x.resourceId) - rank(a.code, y.resourceId) ||
        (x.receivedAt > y.receivedAt ? -1 : x.receivedAt < y.receivedAt ? 1 : 0) ||
        (x.resourceId < y.resourceId ? -1 : x.resourceId > y.resourceId ? 1 : 0) ||
        (x.sourceKey < y.sourceKey ? -1 : x.sourceKey > y.sourceKey ? 1 : 0),
    );
    const best = candidates[0]!;
    attributes[a.code] = best.attributes[a.code] ?? null;
    provenance[a.code] = { resourceId: best.resourceId, sourceKey: best.sourceKey, receivedAt: best.receivedAt };
    if (new Set(candidates.map((c) => termValue(c.attributes[a.code]))).size > 1) {
      conflicts.push({
        attribute: a.code,
        candidates: candidates.map((c) => ({
          resourceId: c.resourceId,
          sourceKey: c.sourceKey,
          value: c.attributes[a.code] ?? null,
          receivedAt: c.receivedAt,
        })),
      });
    }
  }
  const region = def.regionAttribute ? attributes[def.regionAttribute] : null;
  return {
    attributes,
    provenance,
    conflicts,
    regionCode: empty(region) ? null : String(region).trim().slice(0, 12),
    geometry: geometryOf(def, attributes),
  };
}

/** A spatial master's GeoJSON geometry and its bounding box, from a GeoJSON attribute or a point's longitude/latitude; null when absent or malformed. */
export function geometryOf(def: ThemeDefinition, attributes: Readonly<Record<string, RecordValue>>): Survived['geometry'] {
  const g = def.geometry;
  if (!g) return null;
  let geometry: unknown;
  if ('geojson' in g) {
    const text = attributes[g.geojson];
    if (typeof text !== 'string' || text.trim() === '') return null;
    try {
      geometry = JSON.parse(text);
    } catch {
      return null;
    }
    // A Feature's geometry is kept, not the Feature.
    if (geometry && typeof geometry === 'object' && (geometry as { type?: unknown }).type === 'Feature')
      geometry = (geometry as { geometry?: unknown }).geometry;
  } else {
    const x = Number(attributes[g.longitude]);
    const y = Number(attributes[g.latitude]);
    if (empty(attributes[g.longitude]) || empty(attributes[g.latitude]) || !Number.isFinite(x) || !Number.isFinite(y)) return null;
    if (x < -180 || x > 180 || y < -90 || y > 90) return null;
    geometry = { type: 'Point', coordinates: [x, y] };
  }
  const box = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  const walk = (c: unknown): boolean => {
    if (!Array.isArray(c)) return false;
    if (c.length >= 2 && typeof c[0] === 'number' && typeof c[1] === 'number') {
      if (!Number.isFinite(c[0]) || !Number.isFinite(c[1])) return false;
      box.minX = Math.min(box.minX, c[0]);
      box.maxX = Math.max(box.maxX, c[0]);
      box.minY = Math.min(box.minY, c[1]);
      box.maxY = Math.max(box.maxY, c[1]);
      return true;
    }
    return c.length > 0 && c.every(walk);
  };
  const geo = geometry as { type?: unknown; coordinates?: unknown; geometries?: unknown } | null;
  if (!geo || typeof geo.type !== 'string') return null;
  const ok =
    geo.type === 'GeometryCollection'
      ? Array.isArray(geo.geometries) && geo.geometries.every((x: { coordinates?: unknown }) => walk(x?.coordinates))
      : walk(geo.coordinates);
  if (!ok || !Number.isFinite(box.minX)) return null;
  return { text: JSON.stringify(geometry), ...box };
}
