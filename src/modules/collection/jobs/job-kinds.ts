import { defineJobKind } from '../../../jobs/job-kind.js';
import type { SourceSecurity } from '../sources/security/source-security.js';
import type { SynonymGroups } from '../parsing/header-mapping.js';
import type { JobCounts } from './jobs.repository.js';

/** Where a load worker finds the database and its files, and which process holds the job's lease (its writes are fenced by it). */
export type LoadInput = {
  jobId: string;
  owner: string;
  databaseUrl: string;
  scratchDir: string;
  dataDir: string;
  sourceSecurity?: SourceSecurity;
  /** The platform's column-name synonyms (plain data); the shipped list when absent. */
  headerSynonyms?: SynonymGroups;
};
/** The job's counts, or null when it failed (the reason is on the job row). */
export type LoadOutput = JobCounts | null;

/** A collection job in the worker pool: runs `runJob` on a private connection (see load.job.ts). */
export const collectionLoadJob = defineJobKind<LoadInput, LoadOutput>('collection.load', new URL('./load.job.js', import.meta.url));
