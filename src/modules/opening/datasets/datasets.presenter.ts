import { fromJson } from '../../../storage/dialect.js';
import { OPEN_DOMAINS, type DataItem, type Resource } from '../../catalog/index.js';
import type { OpenDataset, OpenDistribution, OpenType } from '../contracts.js';
import type { DatasetState } from './datasets.repository.js';
import { presentOpenItem } from './open-items.js';

const FORMATS: { format: OpenDistribution['format']; mediaType: string; path: (id: string) => string }[] = [
  { format: 'CSV', mediaType: 'text/csv', path: (id) => `/api/v1/open/datasets/${id}/download?format=csv` },
  {
    format: 'XLSX',
    mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    path: (id) => `/api/v1/open/datasets/${id}/download?format=xlsx`,
  },
  { format: 'JSON', mediaType: 'application/json', path: (id) => `/api/v1/open/datasets/${id}/download?format=json` },
  { format: 'API', mediaType: 'application/json', path: (id) => `/api/v1/open/datasets/${id}/rows` },
];

export const distributionsOf = (datasetId: string): OpenDistribution[] =>
  FORMATS.map((f) => ({ id: `${datasetId}-${f.format.toLowerCase()}`, format: f.format, mediaType: f.mediaType, url: f.path(datasetId) }));

const later = (a: string, b: string | null) => (b !== null && b > a ? b : a);

/** A publication row + its resource as the catalogue has it now → the open dataset everyone sees. */
export function presentDataset(s: DatasetState, resource: Resource, items: (DataItem & { openType: OpenType })[]): OpenDataset {
  const domain = resource.openDomain ?? 99;
  const lastLoad = s.last_loaded_at === null ? null : new Date(s.last_loaded_at).toISOString();
  return {
    id: s.id,
    name: s.name,
    title: s.title,
    description: s.description,
    domain: String(domain),
    domainName: OPEN_DOMAINS[domain as keyof typeof OPEN_DOMAINS]?.zh ?? String(domain),
    tags: fromJson<string[]>(s.tags, []),
    licenceId: s.licence_id,
    updateFrequency: s.update_frequency ?? resource.updateFrequency,
    resourceId: resource.id,
    departmentId: resource.providerDepartmentId,
    departmentName: s.department_name,
    regionCode: resource.regionCode,
    regionName: s.region_name ?? resource.regionCode,
    openType: items.some((i) => i.openType === 'RESTRICTED') ? 'RESTRICTED' : 'UNCONDITIONAL',
    items: items.map(presentOpenItem),
    temporal: s.temporal_from === null && s.temporal_to === null ? null : { from: s.temporal_from, to: s.temporal_to },
    recordCount: Number(s.live_count ?? 0),
    distributions: distributionsOf(s.id),
    publishedAt: new Date(s.published_at).toISOString(),
    modifiedAt: later(new Date(s.updated_at).toISOString(), lastLoad),
  };
}
