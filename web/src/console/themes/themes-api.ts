// The themes module's calls (issue 13): /api/v1/themes…, /api/v1/one-id and the OGC API – Features
// at /ogc. Answer shapes in ../../api/themes-types.ts.
import { api, type Query } from '../../api/client';
import type {
  ConflictPage,
  FeatureCollection,
  OgcCollection,
  OgcCollections,
  OneIdAnswer,
  ReviewPage,
  ThemeList,
  ThemeStats,
  ThemeSummary,
} from '../../api/themes-types';

const theme = (code: string) => `/api/v1/themes/${encodeURIComponent(code)}`;

export const themesApi = {
  list: () => api<ThemeList>('/api/v1/themes'),
  stats: () => api<ThemeStats>('/api/v1/themes/stats'),
  one: (code: string) => api<ThemeSummary>(theme(code)),
  sync: (code: string) => api<{ members: unknown[] }>(`${theme(code)}/sync`, { method: 'POST', body: {} }),
  review: (code: string, query: { status?: string; cursor?: string | null }) =>
    api<ReviewPage>(`${theme(code)}/review`, { query: { status: query.status, cursor: query.cursor ?? undefined } }),
  link: (code: string, body: { resourceId: string; sourceKey: string; masterKey: string; note?: string }) =>
    api<unknown>(`${theme(code)}/review/link`, { method: 'POST', body }),
  dismiss: (code: string, body: { resourceId: string; sourceKey: string; reason: string }) =>
    api<unknown>(`${theme(code)}/review/dismiss`, { method: 'POST', body }),
  conflicts: (code: string, query: { status?: string; cursor?: string | null }) =>
    api<ConflictPage>(`${theme(code)}/conflicts`, { query: { status: query.status, cursor: query.cursor ?? undefined } }),
  oneId: (id: string, purpose: string) =>
    api<OneIdAnswer>(`/api/v1/one-id/${encodeURIComponent(id)}`, { headers: { 'x-purpose': encodeURIComponent(purpose) } }),
};

export const ogcApi = {
  collections: () => api<OgcCollections>('/ogc/collections', { query: { f: 'json' } }),
  collection: (id: string) => api<OgcCollection>(`/ogc/collections/${encodeURIComponent(id)}`, { query: { f: 'json' } }),
  items: (id: string, query: Query) => api<FeatureCollection>(`/ogc/collections/${encodeURIComponent(id)}/items`, { query: { f: 'json', ...query } }),
};
