import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect, Storage } from './dialect.js';
import { catalogMigration } from './migrations/0001-catalog.js';
import { collectionMigration } from './migrations/0002-collection.js';
import { loadWarningsMigration } from './migrations/0003-load-warnings.js';
import { sourceSecretsMigration } from './migrations/0005-source-secrets.js';
import { jobAttemptsMigration } from './migrations/0006-job-attempts.js';
import { governanceRulesScansMigration } from './migrations/0007-governance-rules-scans.js';
import { governanceProblemsMigration } from './migrations/0008-governance-problems.js';
import { qualityProfilesMigration } from './migrations/0009-quality-profiles.js';
import { jobLeasesMigration } from './migrations/0010-job-leases.js';
import { sharingMigration } from './migrations/0011-sharing.js';
import { sharingCallChainMigration } from './migrations/0017-sharing-call-chain.js';
import { sharingCredentialHintMigration } from './migrations/0015-sharing-credential-hint.js';
import { openingDatasetsMigration } from './migrations/0012-opening-datasets.js';
import { openingCommunityMigration } from './migrations/0013-opening-community.js';
import { themesMigration } from './migrations/0018-themes.js';
import { staffPasswordsMigration } from './migrations/0022-staff-passwords.js';

/** Ordered list of migrations; each is a factory so it can pick dialect column types. */
function migrations(d: Dialect): Record<string, Migration> {
  return {
    '0001-catalog': catalogMigration(d),
    '0002-collection': collectionMigration(d),
    '0003-load-warnings': loadWarningsMigration(d),
    '0005-source-secrets': sourceSecretsMigration(d),
    '0006-job-attempts': jobAttemptsMigration(d),
    '0007-governance-rules-scans': governanceRulesScansMigration(d),
    '0008-governance-problems': governanceProblemsMigration(d),
    '0009-quality-profiles': qualityProfilesMigration(d),
    '0010-job-leases': jobLeasesMigration(d),
    '0011-sharing': sharingMigration(d),
    '0017-sharing-call-chain': sharingCallChainMigration(d),
    '0015-sharing-credential-hint': sharingCredentialHintMigration(d),
    '0012-opening-datasets': openingDatasetsMigration(d),
    '0013-opening-community': openingCommunityMigration(d),
    '0018-themes': themesMigration(d),
    '0022-staff-passwords': staffPasswordsMigration(d),
  };
}

/**
 * The PostgreSQL schema a storage's connections select first (`options=-c search_path=<schema>` in
 * its URL: tests, benchmarks, or an operator's URL), or undefined for the server's default.
 */
export function searchPathSchema(storage: Storage): string | undefined {
  if (storage.dialect.name !== 'postgres') return undefined;
  try {
    if (!storage.url) return undefined;
    const options = new URL(storage.url).searchParams.get('options') ?? '';
    return /(?:^|\s)(?:-c\s*|--)search_path\s*=\s*"?([^",\s]+)/.exec(options)?.[1];
  } catch {
    return undefined;
  }
}

export async function migrateToLatest(storage: Storage): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(storage.dialect) };
  // Without migrationTableSchema, Kysely looks for its kysely_migration table in every schema: a
  // private schema migrated while another already has one skipped creating its own and failed.
  const schema = searchPathSchema(storage);
  const migrator = new Migrator({ db: storage.db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
