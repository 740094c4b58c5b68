import { defineJobKind } from '../../../jobs/job-kind.js';
import type { SyncOutput, SyncPlan } from './sync-runner.js';

export type SyncInput = { plan: SyncPlan; databaseUrl: string };

/** A theme member's sync in the worker pool (sync.job.ts): streaming, matching and survivorship off the HTTP loop. */
export const themesSyncJob = defineJobKind<SyncInput, SyncOutput>('themes.sync', new URL('./sync.job.js', import.meta.url));
