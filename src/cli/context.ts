import fs from 'node:fs';
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
 * Whether the command being run may create a new, empty database (migrate, demo, or --create).
 * Set by the dispatcher (main.ts) from the command's `database` declaration before it runs.
 */
let createAllowed = false;
export function allowDatabaseCreation(allowed: boolean): void {
  createAllowed = allowed;
}

/** A command that would have created an empty database where none was expected: exit code 1. */
export class NoDatabaseError extends Error {
  constructor(where: string) {
    super(
      `there is no Kuaiji database at ${where}. Run the command where the server runs, or set ` +
        'KUAIJI_DATA_DIR or KUAIJI_DATABASE_URL to its database; pass --create to create a new, empty one there.',
    );
    this.name = 'NoDatabaseError';
  }
}

/** Whether an SQLite file holds anything yet (opening it would create it). */
function sqliteFileExists(databaseUrl: string): boolean {
  const file = databaseUrl.slice('sqlite:'.length);
  if (file === ':memory:') return false;
  try {
    return fs.statSync(file).size > 0;
  } catch {
    return false;
  }
}

/**
 * Opens the configured database, brings its schema up to date (commands run against the code's
 * schema, as the server does at start), runs `work` and closes the database whatever happens.
 * Says on stderr which database it opened; refuses to create a new one unless allowed.
 */
export async function withServices<T>(work: (services: Services, config: Config, migrated: string[]) => Promise<T>): Promise<T> {
  const config = loadConfig();
  // Loaded here, not at the top: --help and usage errors then answer without loading every module.
  const [{ buildServices, serviceOptions }, { openStorage }, { migrateToLatest, searchPathSchema }] = await Promise.all([
    import('../deps.js'),
    import('../storage/database.js'),
    import('../storage/migrate.js'),
  ]);
  const where = describeDatabase(config);
  const isSqlite = config.databaseUrl.startsWith('sqlite:');
  const existed = isSqlite && sqliteFileExists(config.databaseUrl);
  if (isSqlite && !existed && !createAllowed) throw new NoDatabaseError(where);
  const storage = openStorage(config.databaseUrl, { sqliteBusyWaitMs: config.sqliteBusyWaitMs });
  try {
    if (!isSqlite) {
      // A PostgreSQL database exists before Kuaiji does: it is new when it has no migration table.
      const schema = searchPathSchema(storage) ?? 'public';
      const tables = await storage.db.introspection.getTables({ withInternalKyselyTables: true });
      const known = tables.some((t) => t.name === 'kysely_migration' && t.schema === schema);
      if (!known && !createAllowed) throw new NoDatabaseError(where);
      process.stderr.write(`Database: ${where}${known ? '' : ' (new: creating its tables)'}\n`);
    } else {
      process.stderr.write(`Database: ${where}${existed ? '' : ' (new)'}\n`);
    }
    const migrated = await migrateToLatest(storage);
    const services = buildServices(storage, undefined, serviceOptions(config));
    // The command closes the database when it ends: a load's theme sync is the server's to run.
    services.themeSync.leaveLoadsToServer();
    return await work(services, config, migrated);
  } finally {
    await storage.close();
  }
}
