/**
 * The seams between opening's parts, fixed first so each part can be built against them:
 * datasets and the portal (datasets/, portal/) implement OpenCatalog and OpenRows; the CKAN
 * Action API and the DCAT export (ckan/, dcat/) read only through them; the community part
 * (users/, applications/, scenarios/, feedback/, stats/) implements OpenAccess and OpenStats.
 */

export type OpenType = 'UNCONDITIONAL' | 'RESTRICTED';

/** A data item as the open catalogue shows it (never an L4 item, never an item whose open type forbids it). */
export type OpenItem = {
  code: string;
  name: string;
  dataType: string;
  /** RESTRICTED items' values go only to approved applicants. */
  openType: OpenType;
  masked: boolean;
};

export type OpenDistribution = {
  /** Stable id (CKAN's resource id). */
  id: string;
  format: 'CSV' | 'XLSX' | 'JSON' | 'API';
  mediaType: string;
  /** Path under this server (`/api/v1/open/datasets/{id}/download?format=csv`, …). */
  url: string;
};

/** A published open dataset: metadata only, safe for everyone (what CKAN's package is made from). */
export type OpenDataset = {
  id: string;
  /** URL-safe unique name (CKAN's `name`). */
  name: string;
  title: string;
  description: string;
  /** The catalogue's open domain code and its name. */
  domain: string;
  domainName: string;
  tags: string[];
  licenceId: string;
  updateFrequency: string | null;
  resourceId: string;
  departmentId: string;
  departmentName: string;
  regionCode: string;
  regionName: string;
  /** RESTRICTED when any of its items is. */
  openType: OpenType;
  items: OpenItem[];
  temporal: { from: string | null; to: string | null } | null;
  /** Live record count of the resource. */
  recordCount: number;
  distributions: OpenDistribution[];
  publishedAt: string;
  modifiedAt: string;
};

export interface OpenCatalog {
  /** Every published dataset (metadata), served from memory and refreshed when a dataset or its records change. */
  datasets(): Promise<readonly OpenDataset[]>;
  dataset(idOrName: string): Promise<OpenDataset | null>;
  /** Ids of datasets matching a text query (Chinese segmented with Intl.Segmenter, English lower-cased), with a relevance score. */
  match(q: string): Promise<Map<string, number>>;
}

export type OpenRowQuery = {
  /** Item codes to return; the dataset's open items when absent. */
  fields?: string[];
  /** Item code → value (equality) or values (any of). */
  filters?: Record<string, string | number | boolean | (string | number | boolean)[]>;
  /** Full-text match over the returned text items. */
  text?: string;
  sort?: { item: string; desc: boolean }[];
  limit: number;
  offset?: number;
  /** Keyset paging (the portal's row API); exclusive with offset. */
  cursor?: string;
};

export type OpenRowPage = {
  fields: { id: string; type: string; title: string }[];
  records: Record<string, unknown>[];
  total: number;
  nextCursor: string | null;
  /** RESTRICTED item codes left out because the viewer holds no approved application. */
  withheld?: string[];
};

export interface OpenRows {
  /** Rows of a dataset: open items only, masks applied, RESTRICTED items only when `viewer` is an approved applicant. */
  query(datasetId: string, q: OpenRowQuery, viewer?: { userId: string } | null): Promise<OpenRowPage>;
}

export interface OpenAccess {
  /** Whether a public user holds an approved, agreement-accepted application for a RESTRICTED dataset. */
  restrictedAllowed(userId: string, datasetId: string): Promise<boolean>;
  /** An open-API app key (header `X-App-Key`) → its user and app; rate limits applied (throws AppError when exceeded or unknown). */
  appFor(appKey: string): Promise<{ userId: string; appId: string }>;
}

export type OpenEvent = 'view' | 'download' | 'api';
export interface OpenStats {
  /** Counts one event (batched; never waits on the database). */
  count(datasetId: string, event: OpenEvent): void;
}
