import type { Generated } from 'kysely';

/**
 * Row types of every table, as Kysely sees them. Timestamps are ISO-8601 strings on both
 * dialects (PostgreSQL stores timestamptz; src/storage/postgres.ts parses it back to a string).
 * Booleans are stored as INTEGER 0/1 on SQLite and BOOLEAN on PostgreSQL: read them with
 * `toBool()`. JSON columns are TEXT on SQLite and JSONB on PostgreSQL: read with `fromJson()`.
 */
type Bool = boolean | number;
type Json = unknown;

export interface RegionTable {
  code: string;
  name: string;
  level: string; // province | prefecture | county
  parent_code: string | null;
  created_at: string;
}

export interface DepartmentTable {
  id: string;
  name: string;
  short_name: string | null;
  uscc: string;
  region_code: string;
  kind: string;
  contact_name: string | null;
  contact_phone: string | null;
  created_at: string;
  updated_at: string;
}

export interface InfoSystemTable {
  id: string;
  name: string;
  department_id: string;
  level: string; // NATIONAL | PROVINCIAL | CITY | COUNTY
  status: string; // IN_USE | BUILDING | SUSPENDED | RETIRED
  connected: Bool;
  description: string | null;
  vendor: string | null;
  launched_on: string | null;
  created_at: string;
  updated_at: string;
}

export interface ResourceTable {
  id: string;
  code: string;
  classification_code: string;
  sequence_no: string;
  name: string;
  name_en: string | null;
  category: number;
  provider_department_id: string;
  region_code: string;
  summary: string;
  format_category: number;
  format_type: string | null;
  share_type: number;
  share_condition: string | null;
  not_shared_basis: string | null;
  share_modes: Json;
  open_type: number;
  open_condition: string | null;
  open_domain: number | null;
  update_frequency: string;
  published_on: string | null;
  related_codes: Json;
  system_id: string | null;
  sensitivity: string;
  importance: string;
  classified: Bool;
  tags: Json;
  record_total: number;
  record_shared: number;
  record_open: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface DataItemTable {
  id: string;
  resource_id: string;
  seq: number;
  code: string;
  name: string;
  name_en: string | null;
  data_type: string;
  legacy_type: string | null;
  length: number | null;
  precision: number | null;
  primary_key: Bool;
  nullable: Bool;
  code_set: string | null;
  data_element: string | null;
  share_type: number;
  share_condition: string | null;
  open_type: number;
  open_condition: string | null;
  sensitivity: string;
  masking_rule: string | null;
  source_field: string | null;
  description: string | null;
}

export interface EditionTable {
  id: string;
  name: string;
  note: string | null;
  resource_count: number;
  item_count: number;
  shareable_item_count: number;
  published_by: string;
  published_at: string;
}

export interface EditionEntryTable {
  edition_id: string;
  resource_code: string;
  content_hash: string;
  snapshot: Json;
}

export interface UserTable {
  id: string;
  username: string;
  display_name: string;
  role: string; // ADMIN | OFFICER | REVIEWER | AUDITOR
  department_id: string | null;
  disabled: Bool;
  created_at: string;
  /** scrypt hash (migration 0022); null: the user signs in with tokens only. */
  password_hash: string | null;
  password_set_at: string | null;
  /** Failed sign-ins in a row; reset by a successful one. */
  failed_logins: number;
  locked_until: string | null;
}

export interface TokenTable {
  id: string;
  user_id: string;
  token_hash: string;
  last4: string;
  label: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface AuditTable {
  id: Generated<number>;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  outcome: string; // success | failure
  detail: Json;
}

export interface RecordTableTable {
  resource_id: string;
  table_name: string;
  key_columns: Json;
  row_count: number;
  live_count: number;
  last_loaded_at: string | null;
  created_at: string;
}

export interface RecordColumnTable {
  resource_id: string;
  item_id: string;
  column_name: string;
  data_type: string;
  retired: Bool;
  changed_at: string;
}

export interface CollectionJobTable {
  id: string;
  resource_id: string;
  batch_id: string;
  source_kind: string; // file | push | database | http
  source_ref: string | null;
  source_id: string | null;
  format: string | null;
  encoding: string | null;
  mode: string; // upsert | snapshot
  file_path: string | null;
  file_bytes: number | null;
  status: string; // queued | running | succeeded | failed | interrupted
  rows_read: number;
  rows_inserted: number;
  rows_updated: number;
  rows_unchanged: number;
  rows_rejected: number;
  rows_deleted: number;
  bytes_read: number;
  watermark: string | null;
  error: string | null;
  options: Json;
  submitted_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
  /** `{ unmappedHeaders, unfilledItems }` of the last run, once its header was read (migration 0003). */
  warnings?: Json | null;
  /** Times a worker started this job since it was (re)submitted (migration 0006). */
  attempts?: number;
  /** Its time limit; null: the platform default. */
  time_limit_ms?: number | null;
  cancel_requested_at?: string | null;
  /** The process holding it (pid@host/start), until when, and its last heartbeat (migration 0010, ADR 0016). */
  owner?: string | null;
  lease_until?: string | null;
  heartbeat_at?: string | null;
}

export interface CollectionRejectTable {
  job_id: string;
  seq: number;
  row_number: number;
  field: string | null;
  reason: string;
  raw: string | null;
}

export interface CollectionSourceTable {
  id: string;
  resource_id: string;
  name: string;
  kind: string; // postgres | mysql | http
  /** With every secret masked (***); the whole configuration is sealed in `secrets` (migration 0005). */
  config: Json;
  /** AES-256-GCM sealed configuration (`v1:…`), or null when it holds no secret. */
  secrets?: string | null;
  mode: string; // full | incremental | snapshot
  watermark_column: string | null;
  watermark: string | null;
  schedule: string; // auto (from update frequency) | manual | an update-frequency code
  enabled: Bool;
  next_run_at: string | null;
  last_job_id: string | null;
  created_at: string;
  updated_at: string;
  /** Time limit of its pulls; null: the platform default (migration 0006). */
  time_limit_ms?: number | null;
}

export interface ColumnMappingTable {
  resource_id: string;
  header: string;
  item_code: string;
}

/** A quality problem (migration 0008): one live problem per (rule, resource) through `open_key`. */
export interface QualityProblemTable {
  id: string;
  rule_id: string;
  resource_id: string;
  department_id: string;
  /** `rule|resource` until the problem is closed, then null (unique: one live problem per pair). */
  open_key: string | null;
  status: string; // open | acknowledged | rectifying | submitted | rechecked | closed | explained
  rule_kind: string | null;
  dimension: string | null;
  item_code: string | null;
  severity: string | null;
  checked: number;
  failed: number;
  sample: Json;
  first_scan_id: string | null;
  last_scan_id: string | null;
  opened_on: string;
  deadline: string;
  reason: string | null;
  opened_at: string;
  updated_at: string;
  closed_at: string | null;
}

export interface QualityProblemHistoryTable {
  id: string;
  problem_id: string;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  from_status: string | null;
  to_status: string;
  note: string | null;
  scan_id: string | null;
}

/** An objection (异议) to one record of a resource (migration 0008). */
export interface ObjectionTable {
  id: string;
  resource_id: string;
  department_id: string;
  record_key: Json;
  /** The key in the record reader's canonical text form (collection's recordKeyText). */
  key_text: string;
  description: string;
  status: string; // submitted | accepted | corrected | explained | closed
  submitter_id: string | null;
  submitter_name: string | null;
  submitter_department_id: string | null;
  contact: string | null;
  submitted_on: string;
  forward_by: string;
  accepted_on: string | null;
  verify_by: string | null;
  extended: Bool;
  reason: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export interface ObjectionHistoryTable {
  id: string;
  objection_id: string;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  from_status: string | null;
  to_status: string;
  note: string | null;
}

/** A custom quality rule (migration 0007); derived rules are never stored, only their switches. */
export interface QualityRuleTable {
  id: string;
  resource_id: string;
  item_code: string | null;
  kind: string;
  dimension: string;
  severity: string;
  enabled: Bool;
  name: string | null;
  params: Json;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** The on/off switch of a derived rule, by its stable id (migration 0007). */
export interface QualityRuleSwitchTable {
  rule_id: string;
  resource_id: string;
  enabled: Bool;
  updated_by: string | null;
  updated_at: string;
}

/** A quality scan of one resource (or of all when resource_id is null) (migration 0007). */
export interface QualityScanTable {
  id: string;
  resource_id: string | null;
  status: string; // queued | running | succeeded | failed | interrupted
  resources_total: number;
  resources_done: number;
  rows_checked: number;
  error: string | null;
  requested_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** The process holding it (pid@host/start), until when, and its last heartbeat (migration 0010, ADR 0016). */
  owner?: string | null;
  lease_until?: string | null;
  heartbeat_at?: string | null;
}

/** One rule's outcome in one scan: B checked, A passed (migration 0007). */
export interface QualityResultTable {
  scan_id: string;
  rule_id: string;
  resource_id: string;
  item_code: string | null;
  kind: string;
  dimension: string;
  severity: string;
  checked: number;
  passed: number;
  sample: Json;
  scanned_at: string;
}

/** One profiling run of a resource's records; the latest succeeded one is served (migration 0009). */
export interface QualityProfileTable {
  id: string;
  resource_id: string;
  status: string; // queued | running | succeeded | failed | interrupted
  rows: number | null;
  rows_read: number;
  /** Per-item figures (ItemProfile[], src/modules/governance/profiles/profile.ts). */
  items: Json | null;
  error: string | null;
  requested_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** The process holding it (pid@host/start), until when, and its last heartbeat (migration 0010, ADR 0016). */
  owner?: string | null;
  lease_until?: string | null;
  heartbeat_at?: string | null;
}

/** Sharing 共享 (migration 0011, issue 10). */
export interface SharingConsumerTable {
  id: string;
  system_id: string;
  department_id: string;
  name: string;
  status: string; // ACTIVE | REVOKED
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface SharingCredentialTable {
  id: string;
  consumer_id: string;
  app_key: string;
  secret_hash: string;
  secret_sealed: string | null;
  created_at: string;
  retired_at: string | null;
  /** The secret's last four characters, to recognise a key (migration 0015); null for older keys. */
  secret_last4?: string | null;
}

export interface SharingInterfaceTable {
  id: string;
  code: string;
  version: string;
  name: string;
  kind: string; // GENERATED | UPSTREAM
  level: string; // CITY | PROVINCIAL | NATIONAL
  status: string; // DRAFT | PUBLISHED | OFFLINE
  resource_id: string | null;
  department_id: string;
  rate_per_second: number | null;
  quota_per_day: number | string | null;
  quota_per_month: number | string | null;
  config: Json;
  secret_sealed: string | null;
  created_at: string;
  updated_at: string;
}

export interface SharingApplicationTable {
  id: string;
  consumer_id: string;
  consumer_department_id: string;
  resource_id: string | null;
  interface_id: string | null;
  provider_department_id: string;
  items: Json;
  share_type: number;
  purpose: string;
  scenario: string | null;
  legal_basis: string | null;
  valid_until: string;
  status: string;
  submitted_on: string;
  compliance_due: string | null;
  review_due: string | null;
  escalated: Bool;
  reason: string | null;
  applicant_id: string | null;
  applicant_name: string | null;
  created_at: string;
  updated_at: string;
  decided_at: string | null;
}

export interface SharingApplicationHistoryTable {
  id: string;
  application_id: string;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  from_status: string | null;
  to_status: string;
  note: string | null;
}

export interface SharingGrantTable {
  id: string;
  application_id: string;
  consumer_id: string;
  resource_id: string | null;
  interface_id: string | null;
  items: Json;
  valid_until: string;
  status: string; // ACTIVE | REVOKED
  created_at: string;
  revoked_at: string | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

export interface SharingCallTable {
  seq: number | string;
  id: string;
  at: string;
  consumer_id: string | null;
  department_id: string | null;
  interface_id: string | null;
  interface_code: string | null;
  purpose: string | null;
  keys: Json;
  items: Json;
  row_count: number;
  status: number;
  error_code: string | null;
  latency_ms: number;
  prev_hash: string;
  hash: string;
}

/** The call audit chain's head and anchor: one row, id 1 (migration 0017). */
export interface SharingCallChainTable {
  id: number;
  head_seq: number | string;
  head_hash: string;
  anchor_seq: number | string;
  anchor_hash: string;
  swept_at: string | null;
}

export interface SharingCallCountTable {
  day: string;
  interface_id: string;
  consumer_id: string;
  department_id: string;
  calls: number | string;
  errors: number | string;
}

/** An open dataset (issue 11): what publication adds to a resource; items and records are read live. */
export interface OpenDatasetTable {
  id: string;
  name: string;
  resource_id: string;
  title: string;
  description: string;
  tags: Json;
  licence_id: string;
  update_frequency: string | null;
  temporal_from: string | null;
  temporal_to: string | null;
  resource_version: number;
  published_by: string | null;
  published_at: string;
  updated_at: string;
}

/** The open datasets' search index: one row per (term, dataset). */
export interface OpenDatasetTermTable {
  term: string;
  dataset_id: string;
  weight: number;
}

/** Thematic databases (migration 0018): definitions, masters, the crosswalk, lookup terms, conflicts, members' progress. */
export interface ThemeTable {
  id: string;
  code: string;
  name: string;
  name_en: string;
  key_kind: string;
  definition: Json;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ThemeMasterTable {
  id: string;
  theme_id: string;
  master_key: string;
  attributes: Json;
  provenance: Json;
  source_count: number;
  region_code: string | null;
  geometry: string | null;
  min_x: number | null;
  min_y: number | null;
  max_x: number | null;
  max_y: number | null;
  created_at: string;
  updated_at: string;
}

export interface ThemeSourceTable {
  theme_id: string;
  resource_id: string;
  source_key: string;
  raw_key: string | null;
  normalised_key: string | null;
  master_id: string | null;
  tier: string;
  attributes: Json;
  received_at: string;
  review_status: string | null;
  review_reason: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  updated_at: string;
}

export interface ThemeMasterTermTable {
  theme_id: string;
  term: string;
  value: string;
  master_id: string;
}

export interface ThemeConflictTable {
  id: string;
  theme_id: string;
  master_id: string;
  attribute: string;
  candidates: Json;
  status: string;
  opened_at: string;
  resolved_at: string | null;
}

export interface ThemeMemberStateTable {
  theme_id: string;
  resource_id: string;
  status: string;
  synced_at: string | null;
  rows_seen: number;
  error: string | null;
  updated_at: string;
}

/** Opening's community (migration 0013): public users, apps, applications, scenarios, feedback, counts. */
export interface OpenUserTable {
  id: string;
  username: string;
  username_key: string;
  email: string | null;
  phone: string | null;
  display_name: string;
  password_hash: string;
  disabled: Bool;
  created_at: string;
  last_login_at: string | null;
}

export interface OpenSessionTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface OpenAppTable {
  id: string;
  user_id: string;
  name: string;
  description: string | null;
  key_hash: string;
  key_last4: string;
  rate_per_second: number;
  quota_per_day: number;
  created_at: string;
  revoked_at: string | null;
}

export interface OpenAppUsageTable {
  app_id: string;
  day: string;
  calls: number | string;
}

export interface OpenApplicationTable {
  id: string;
  user_id: string;
  dataset_id: string;
  dataset_title: string;
  department_id: string;
  purpose: string;
  scenario: string;
  security_measures: string;
  status: string;
  reason: string | null;
  valid_until: string | null;
  reviewer_id: string | null;
  reviewer_name: string | null;
  reviewed_at: string | null;
  agreement_version: string | null;
  agreement_sha256: string | null;
  agreement_accepted_at: string | null;
  revoked_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface OpenScenarioTable {
  id: string;
  type: string;
  title: string;
  description: string;
  url: string | null;
  user_id: string;
  submitter_name: string;
  status: string;
  reason: string | null;
  moderator_name: string | null;
  moderated_at: string | null;
  created_at: string;
}

export interface OpenCompetitionTable {
  id: string;
  title: string;
  description: string;
  organiser: string;
  starts_on: string;
  ends_on: string;
  created_at: string;
}

export interface OpenCompetitionEntryTable {
  id: string;
  competition_id: string;
  user_id: string;
  team_name: string;
  members: number;
  title: string;
  description: string;
  url: string | null;
  created_at: string;
}

export interface OpenDatasetLinkTable {
  owner_kind: string;
  owner_id: string;
  dataset_id: string;
}

export interface OpenFeedbackTable {
  id: string;
  kind: string;
  dataset_id: string;
  department_id: string;
  record_key: Json | null;
  description: string;
  user_id: string | null;
  contact: string | null;
  objection_id: string | null;
  created_at: string;
}

export interface OpenEventCountTable {
  day: string;
  dataset_id: string;
  event: string;
  count: number | string;
}

export interface Schema {
  regions: RegionTable;
  departments: DepartmentTable;
  info_systems: InfoSystemTable;
  resources: ResourceTable;
  data_items: DataItemTable;
  editions: EditionTable;
  edition_entries: EditionEntryTable;
  users: UserTable;
  api_tokens: TokenTable;
  audit_events: AuditTable;
  record_tables: RecordTableTable;
  record_columns: RecordColumnTable;
  collection_jobs: CollectionJobTable;
  collection_rejects: CollectionRejectTable;
  collection_sources: CollectionSourceTable;
  column_mappings: ColumnMappingTable;
  quality_rules: QualityRuleTable;
  quality_rule_switches: QualityRuleSwitchTable;
  quality_scans: QualityScanTable;
  quality_results: QualityResultTable;
  quality_profiles: QualityProfileTable;
  quality_problems: QualityProblemTable;
  quality_problem_history: QualityProblemHistoryTable;
  objections: ObjectionTable;
  objection_history: ObjectionHistoryTable;
  sharing_consumers: SharingConsumerTable;
  sharing_credentials: SharingCredentialTable;
  sharing_interfaces: SharingInterfaceTable;
  sharing_applications: SharingApplicationTable;
  sharing_application_history: SharingApplicationHistoryTable;
  sharing_grants: SharingGrantTable;
  sharing_calls: SharingCallTable;
  sharing_call_counts: SharingCallCountTable;
  sharing_call_chain: SharingCallChainTable;
  open_datasets: OpenDatasetTable;
  open_users: OpenUserTable;
  open_sessions: OpenSessionTable;
  open_apps: OpenAppTable;
  open_app_usage: OpenAppUsageTable;
  open_applications: OpenApplicationTable;
  open_scenarios: OpenScenarioTable;
  open_competitions: OpenCompetitionTable;
  open_competition_entries: OpenCompetitionEntryTable;
  open_dataset_links: OpenDatasetLinkTable;
  open_feedback: OpenFeedbackTable;
  open_event_counts: OpenEventCountTable;
  open_dataset_terms: OpenDatasetTermTable;
  themes: ThemeTable;
  theme_masters: ThemeMasterTable;
  theme_sources: ThemeSourceTable;
  theme_master_terms: ThemeMasterTermTable;
  theme_conflicts: ThemeConflictTable;
  theme_member_state: ThemeMemberStateTable;
}
