import { defineJobKind } from '../../../jobs/job-kind.js';
import type { ScanPlan, ScanProgress } from './scan-runner.js';

export type ScanInput = { plan: ScanPlan; databaseUrl: string; scratchDir: string };

/** A quality scan in the worker pool (scan.job.ts): aggregates and in-code checks off the HTTP loop. */
export const governanceScanJob = defineJobKind<ScanInput, ScanProgress>('governance.scan', new URL('./scan.job.js', import.meta.url));
