import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect, Storage } from './dialect.js';
import { catalogMigration } from './migrations/0001-catalog.js';
import { collectionMigration } from './migrations/0002-collection.js';

/** Ordered list of migrations; each is a factory so it can pick dialect column types. */
function migrations(d: Dialect): Record<string, Migration> {
  return {
    '0001-catalog': catalogMigration(d),
    '0002-collection': collectionMigration(d),
  };
}

export async function migrateToLatest(storage: Storage): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(storage.dialect) };
  const migrator = new Migrator({ db: storage.db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
