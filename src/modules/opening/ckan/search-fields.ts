import type { OpenDataset } from '../contracts.js';
import { groupName, organizationName } from './package.presenter.js';

/**
 * The fields `q` and `fq` may name, typed as CKAN's Solr schema types them: `string` fields
 * match exactly (case-sensitive), `text` fields match words case-insensitively, `date` and `int`
 * fields compare as dates and numbers in ranges. `text` is the default field (bare words).
 * The constant fields (state, capacity, dataset_type, entity_type) are what CKAN clients and
 * ckanext-dcat add to their filters (`-dataset_type:harvest`); every open dataset is active,
 * public and of type dataset.
 */
export const SEARCH_FIELDS = {
  id: 'string',
  name: 'string',
  organization: 'string',
  owner_org: 'string',
  groups: 'string',
  tags: 'string',
  res_format: 'string',
  license_id: 'string',
  state: 'string',
  capacity: 'string',
  dataset_type: 'string',
  entity_type: 'string',
  title: 'text',
  notes: 'text',
  res_name: 'text',
  text: 'text',
  metadata_modified: 'date',
  metadata_created: 'date',
  num_resources: 'int',
  num_tags: 'int',
} as const;

export type SearchField = keyof typeof SEARCH_FIELDS;
export type FieldKind = (typeof SEARCH_FIELDS)[SearchField];

export const isSearchField = (f: string): f is SearchField => Object.hasOwn(SEARCH_FIELDS, f);

/** Fields `facet.field` may name: the string fields with more than one value across datasets. */
export const FACET_FIELDS = ['organization', 'groups', 'tags', 'res_format', 'license_id', 'name', 'dataset_type'] as const;

/** Fields `sort` may name (CKAN's usual sorts; `title_string` is the title as one string). */
export const SORT_FIELDS = ['score', 'metadata_modified', 'metadata_created', 'name', 'title_string', 'title', 'num_resources', 'num_tags', 'id'] as const;

export type SearchDoc = {
  dataset: OpenDataset;
  /** Values per string field, each listed once (facets count a dataset once per value). */
  strings: Record<string, string[]>;
  /** Lower-cased text per text field (`text` joins them all). */
  texts: Record<string, string>;
  numbers: Record<string, number>;
};

export function searchDoc(d: OpenDataset): SearchDoc {
  const resNames = d.distributions.map((r) => `${d.title} (${r.format})`);
  const texts = {
    title: d.title.toLowerCase(),
    notes: d.description.toLowerCase(),
    res_name: resNames.join('\n').toLowerCase(),
  };
  return {
    dataset: d,
    strings: {
      id: [d.id],
      name: [d.name],
      organization: [organizationName(d)],
      owner_org: [d.departmentId],
      groups: [groupName(d.domain)],
      tags: [...new Set(d.tags)],
      res_format: [...new Set(d.distributions.map((r) => r.format))],
      license_id: [d.licenceId],
      state: ['active'],
      capacity: ['public'],
      dataset_type: ['dataset'],
      entity_type: ['package'],
    },
    texts: { ...texts, text: [d.name, texts.title, texts.notes, d.tags.join(' '), d.departmentName, d.domainName, texts.res_name].join('\n').toLowerCase() },
    numbers: {
      metadata_modified: Date.parse(d.modifiedAt),
      metadata_created: Date.parse(d.publishedAt),
      num_resources: d.distributions.length,
      num_tags: d.tags.length,
    },
  };
}

const docsCache = new WeakMap<readonly OpenDataset[], SearchDoc[]>();

/** The search documents of a catalogue snapshot, built once per snapshot (the list is replaced when anything changes). */
export function searchDocs(datasets: readonly OpenDataset[]): SearchDoc[] {
  let docs = docsCache.get(datasets);
  if (!docs) {
    docs = datasets.map(searchDoc);
    docsCache.set(datasets, docs);
  }
  return docs;
}
