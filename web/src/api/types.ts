// The shapes the UI reads, as docs/openapi.json describes them (only the fields used here).

export type Page<T> = { items: T[]; nextCursor: string | null };
export type Coded<C = string | number> = { code: C; zh: string; en: string };

export type Codes = {
  categories: Coded<number>[];
  shareTypes: Coded[];
  openTypes: Coded[];
  updateFrequencies: Coded[];
  sensitivityLevels: Coded[];
  openDomains: Coded<number>[];
};

export type Item = {
  id: string;
  seq: number;
  code: string;
  name: string;
  nameEn: string | null;
  dataType: string;
  length: number | null;
  primaryKey: boolean;
  nullable: boolean;
  openType: string;
  sensitivity: string;
};

export type Resource = {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  category: number;
  providerDepartmentId: string;
  regionCode: string;
  summary: string | null;
  shareType: string;
  openType: string;
  openDomain: number | null;
  updateFrequency: string;
  publishedOn: string | null;
  sensitivity: string;
  classified: boolean;
  tags: string[];
  itemCount: number;
  shareableItemCount: number;
  items?: Item[];
};

export type Department = { id: string; name: string; regionCode: string };
export type Me = { id: string; username: string; displayName: string | null; role: string; departmentId: string | null };

type RegionCount = { regionCode: string; regionName: string; level: string };
export type CatalogStats = {
  resources: number;
  items: number;
  shareableItems: number;
  openableItems: number;
  byCategory: (Coded<number> & { resources: number; items: number })[];
  cityLevel: { resources: number; items: number; shareableItems: number };
  districts: { resources: number; items: number; shareableItems: number };
  byRegion: (RegionCount & { resources: number; items: number; shareableItems: number })[];
};

export type CollectionStats = {
  year: number;
  resources: number;
  resourcesWithData: number;
  records: number;
  coverage: number;
  cityLevel: { resources: number; resourcesWithData: number; records: number; coverage: number };
  districts: { resources: number; resourcesWithData: number; records: number; coverage: number };
  byRegion: (RegionCount & { resources: number; resourcesWithData: number; records: number; coverage: number })[];
};

export type Governed = { resources: number; scannedResources: number; governedResources: number; percent: number };
export type QualityStats = {
  score: number | null;
  governed: Governed;
  problems: { open: number; overdue: number; closed: number; explained: number };
  rules: { total: number };
  scans: { total: number; lastFinishedAt: string | null };
};
export type Scores = { by: string; items: { key: string; score: number | null; resources: number; checked: number; passed: number }[]; governed: Governed };

export type Ranking = {
  week: string;
  items: {
    rank: number | null;
    departmentId: string;
    departmentName: string;
    score: number | null;
    resourcesScanned: number;
    problems: { opened: number; open: number; overdue: number; closed: number };
  }[];
};

export type Job = {
  id: string;
  resourceId: string;
  sourceRef: string | null;
  status: string;
  rows: { read: number; inserted: number; updated: number; rejected: number };
  progress: number | null;
  createdAt: string;
  finishedAt: string | null;
  error: string | null;
};

export type Problem = {
  id: string;
  resourceId: string;
  departmentId: string;
  status: string;
  dimension: string | null;
  itemCode: string | null;
  checked: number;
  failed: number;
  openedOn: string;
  deadline: string;
  overdue: boolean;
};
