// The shapes the themes pages read (issue 13): the /api/v1 answers from the generated OpenAPI types;
// the OGC API – Features answers (/ogc, GeoJSON) are outside the OpenAPI document of /api/v1 and are
// declared here.
import type { ResponseOf } from './client';

export type MatchTier = 'KEY' | 'LEGACY' | 'BRIDGE' | 'ATTRIBUTES' | 'UNMATCHED';
export const MATCH_TIERS: readonly MatchTier[] = ['KEY', 'LEGACY', 'BRIDGE', 'ATTRIBUTES', 'UNMATCHED'];
export const THEME_CODES = ['population', 'legal_entity', 'credit', 'elicence', 'grassroots', 'spatial'] as const;

// The /api/v1 answers are typed from docs/openapi.json (generated: src/api/openapi.ts).
export type ThemeList = ResponseOf<'/api/v1/themes'>;
export type ThemeSummary = ThemeList['items'][number];
export type ThemeMemberSummary = ThemeSummary['members'][number];
export type MemberState = ThemeMemberSummary['state'];
export type ThemeAttributeSummary = ThemeSummary['attributes'][number];
export type ThemeStats = ResponseOf<'/api/v1/themes/stats'>;
export type ThemeFigures = ThemeStats['themes'][number];
export type OneIdAnswer = ResponseOf<'/api/v1/one-id/{id}'>;
export type Provenance = OneIdAnswer['subjects'][number]['provenance'][string];
export type ReviewPage = ResponseOf<'/api/v1/themes/{code}/review'>;
export type ReviewRow = ReviewPage['items'][number];
export type ConflictPage = ResponseOf<'/api/v1/themes/{code}/conflicts'>;
export type Conflict = ConflictPage['items'][number];

// OGC API – Features (GeoJSON, RFC 7946).
export type Position = number[];
export type Geometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'MultiPoint'; coordinates: Position[] }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] }
  | { type: 'GeometryCollection'; geometries: Geometry[] };
export type Feature = { type: 'Feature'; id?: string | number; geometry: Geometry | null; properties: Record<string, unknown> | null };
export type Link = { href: string; rel: string; type?: string; title?: string };
export type FeatureCollection = {
  type: 'FeatureCollection';
  features: Feature[];
  numberMatched?: number;
  numberReturned?: number;
  links?: Link[];
};
export type OgcCollection = { id: string; title?: string; description?: string; extent?: { spatial?: { bbox?: number[][] } }; links?: Link[] };
export type OgcCollections = { collections: OgcCollection[] };
