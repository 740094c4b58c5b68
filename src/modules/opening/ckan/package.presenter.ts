import type { OpenDataset, OpenDistribution } from '../contracts.js';
import { licenceOf } from './licenses.js';
import { euFrequency } from '../dcat/vocabularies.js';

/**
 * Open datasets as CKAN's package dictionaries (CKAN 2.10's `package_show` shape), built only
 * from OpenDataset (metadata safe for everyone). Organizations are the provider departments,
 * groups the open domains; both are named so the name can go into `fq` unquoted.
 */

/** CKAN writes timestamps as naive UTC ISO with microseconds (`2024-05-01T08:00:00.123000`). */
export function ckanTimestamp(iso: string): string {
  return new Date(iso).toISOString().replace('Z', '000');
}

export const organizationName = (d: Pick<OpenDataset, 'departmentId'>) => d.departmentId.toLowerCase();
export const groupName = (domain: string) => `domain-${domain}`;

export type CkanOrganization = ReturnType<typeof presentOrganization>;

export function presentOrganization(d: OpenDataset) {
  return {
    id: d.departmentId,
    name: organizationName(d),
    title: d.departmentName,
    display_name: d.departmentName,
    description: '',
    type: 'organization',
    is_organization: true,
    state: 'active',
    approval_status: 'approved',
    image_url: '',
  };
}

export function presentGroup(domain: string, domainName: string) {
  return {
    id: groupName(domain),
    name: groupName(domain),
    title: domainName,
    display_name: domainName,
    description: '',
    type: 'group',
    is_organization: false,
    state: 'active',
    approval_status: 'approved',
    image_display_url: '',
  };
}

export function presentResource(d: OpenDataset, r: OpenDistribution, position: number, baseUrl: string) {
  return {
    id: r.id,
    package_id: d.id,
    url: new URL(r.url, baseUrl).toString(),
    format: r.format,
    mimetype: r.mediaType,
    name: `${d.title} (${r.format})`,
    description: '',
    position,
    state: 'active',
    resource_type: r.format === 'API' ? 'api' : 'file',
    url_type: null,
    datastore_active: true,
    created: ckanTimestamp(d.publishedAt),
    last_modified: ckanTimestamp(d.modifiedAt),
    metadata_modified: ckanTimestamp(d.modifiedAt),
  };
}

/** Extras: coverage and frequency under ckanext-dcat's keys, so its harvesters map them. */
export function extrasOf(d: OpenDataset): { key: string; value: string }[] {
  const extras: Record<string, string | null | undefined> = {
    frequency: d.updateFrequency ? euFrequency(d.updateFrequency) : null,
    update_frequency: d.updateFrequency,
    temporal_start: d.temporal?.from,
    temporal_end: d.temporal?.to,
    spatial_text: d.regionName,
    region_code: d.regionCode,
    open_type: d.openType,
    publisher_name: d.departmentName,
    record_count: String(d.recordCount),
  };
  return Object.entries(extras)
    .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '')
    .map(([key, value]) => ({ key, value }))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
}

export type CkanPackage = ReturnType<typeof presentPackage>;

export function presentPackage(d: OpenDataset, baseUrl: string) {
  const licence = licenceOf(d.licenceId);
  return {
    id: d.id,
    name: d.name,
    title: d.title,
    notes: d.description,
    type: 'dataset',
    state: 'active',
    private: false,
    owner_org: d.departmentId,
    organization: presentOrganization(d),
    groups: [presentGroup(d.domain, d.domainName)],
    tags: d.tags.map((name) => ({ name, display_name: name, state: 'active', vocabulary_id: null })),
    license_id: d.licenceId,
    license_title: licence.title,
    license_url: licence.url ?? '',
    isopen: licence.odConformance,
    author: d.departmentName,
    maintainer: null,
    url: '',
    version: null,
    metadata_created: ckanTimestamp(d.publishedAt),
    metadata_modified: ckanTimestamp(d.modifiedAt),
    num_resources: d.distributions.length,
    num_tags: d.tags.length,
    resources: d.distributions.map((r, i) => presentResource(d, r, i, baseUrl)),
    extras: extrasOf(d),
    relationships_as_object: [],
    relationships_as_subject: [],
  };
}
