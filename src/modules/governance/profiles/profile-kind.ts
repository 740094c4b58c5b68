import { defineJobKind } from '../../../jobs/job-kind.js';
import type { ProfileOutput, ProfilePlan } from './profile-runner.js';

export type ProfileInput = { plan: ProfilePlan; databaseUrl: string; scratchDir: string };

/** Profiling a resource's records in the worker pool (profile.job.ts): aggregates, groupings and one stream off the HTTP loop. */
export const governanceProfileJob = defineJobKind<ProfileInput, ProfileOutput>('governance.profile', new URL('./profile.job.js', import.meta.url));
