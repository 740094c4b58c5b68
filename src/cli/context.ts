import { loadConfig, type Config } from '../config.js';
import type { Services } from '../deps.js';

/** Where the database is, for messages: a PostgreSQL URL loses its password. */
export function describeDatabase(config: Config): string {
  if (!config.databaseUrl.startsWith('postgres')) return config.databaseUrl;
  try {
    const url = new URL(config.databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://…';
  }
}

/**
 * Opens the configured database, brings its schema up to date (commands run against the code's
 * schema, as the server does at start), runs `work` and closes the database whatever happens.
 */
export async function withServices<T>(work: (services: Services, config: Config, migrated: string[]) => Promise<T>): Promise<T> {
  const config = loadConfig();
  // Loaded here, not at the top: --help and usage errors then answer without loading every module.
  const [{ buildServices, serviceOptions }, { openStorage }, { migrateToLatest }] = await Promise.all([
    import('../deps.js'),
    import('../storage/database.js'),
    import('../storage/migrate.js'),
  ]);
  const storage = openStorage(config.databaseUrl);
  try {
    const migrated = await migrateToLatest(storage);
    return await work(buildServices(storage, undefined, serviceOptions(config)), config, migrated);
  } finally {
    await storage.close();
  }
}
