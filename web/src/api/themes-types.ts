// The shapes the themes pages read (issue 13). The themes routes were built alongside these pages:
// until their answers are in docs/openapi.json they are declared here, field for field as the routes'
// zod schemas give them (src/modules/themes/*/…schemas.ts); the OGC API – Features answers (/ogc, GeoJSON)
// are outside the OpenAPI document of /api/v1 and stay declared here.

export type MatchTier = 'KEY' | 'LEGACY' | 'BRIDGE' | 'ATTRIBUTES' | 'UNMATCHED';
export const MATCH_TIERS: readonly MatchTier[] = ['KEY', 'LEGACY', 'BRIDGE', 'ATTRIBUTES', 'UNMATCHED'];
export const THEME_CODES = ['population', 'legal_entity', 'credit', 'elicence', 'grassroots', 'spatial'] as const;

export type MemberState = { status: 'NEVER' | 'QUEUED' | 'RUNNING' | 'IDLE' | 'FAILED'; syncedAt: string | null; rowsSeen: number; error: string | null };
export type ThemeMemberSummary = {
  resourceId: string;
  resourceCode: string | null;
  resourceName: string | null;
  keyItem: string;
  priority: number;
  state: MemberState;
};
export type ThemeAttributeSummary = { code: string; name: string; nameEn: string; indexed?: boolean };
export type ThemeSummary = {
  code: string;
  name: string;
  nameEn: string;
  keyKind: string;
  version: number;
  attributes: ThemeAttributeSummary[];
  members: ThemeMemberSummary[];
  counts: { masters: number; sources: number; reviewPending: number; conflictsOpen: number };
};
export type ThemeList = { items: ThemeSummary[] };

export type ThemeFigures = {
  code: string;
  name: string;
  nameEn: string;
  masters: number;
  sources: number;
  tiers: Record<MatchTier, number>;
  linked: number;
  matchRate: number | null;
  conflictsOpen: number;
  reviewPending: number;
};
export type ThemeStats = {
  scope: 'all' | 'public' | 'department';
  themes: ThemeFigures[];
  totals: {
    themes: number;
    masters: number;
    sources: number;
    linked: number;
    tiers: Record<MatchTier, number>;
    matchRate: number | null;
    conflictsOpen: number;
    reviewPending: number;
  };
};

export type Provenance = { resourceId: string; receivedAt: string };
export type OneIdAnswer = {
  id: string;
  kind: 'CITIZEN_ID' | 'USCC';
  matchedBy: 'KEY' | 'LEGACY' | 'BRIDGE';
  subjects: { theme: string; themeName: string; masterKey: string | null; attributes: Record<string, unknown>; provenance: Record<string, Provenance> }[];
  records: { theme: string; resourceId: string; resourceCode: string; resourceName: string; tier: MatchTier; record: Record<string, unknown> }[];
  withheld: { resourceId: string; resourceName: string; reason: string }[];
};

export type ReviewRow = {
  resourceId: string;
  sourceKey: string;
  rawKey: string | null;
  attributes: Record<string, unknown>;
  reviewStatus: 'PENDING' | 'LINKED' | 'DISMISSED';
  reviewReason: string | null;
  receivedAt: string;
  masterId: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
};
export type ReviewPage = { items: ReviewRow[]; nextCursor: string | null };

export type Conflict = {
  id: string;
  masterId: string;
  masterKey: string | null;
  attribute: string;
  candidates: { resourceId: string; sourceKey: string; value: unknown; receivedAt: string }[];
  status: 'OPEN' | 'RESOLVED';
  openedAt: string;
  resolvedAt: string | null;
};
export type ConflictPage = { items: Conflict[]; nextCursor: string | null };

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
