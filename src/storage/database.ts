import type { Storage } from './dialect.js';
import { openPostgres } from './postgres.js';
import { openSqlite } from './sqlite.js';

/** Chooses the dialect once, from the database URL: `sqlite:<file>` or `postgres://…`. */
export function openStorage(databaseUrl: string, options: { sqliteBusyWaitMs?: number; sqliteCheckpointEveryMs?: number } = {}): Storage {
  if (databaseUrl.startsWith('postgres://') || databaseUrl.startsWith('postgresql://')) {
    return openPostgres(databaseUrl);
  }
  if (databaseUrl.startsWith('sqlite:'))
    return openSqlite(databaseUrl.slice('sqlite:'.length), { busyWaitMs: options.sqliteBusyWaitMs, checkpointEveryMs: options.sqliteCheckpointEveryMs });
  throw new Error(`KUAIJI_DATABASE_URL must start with sqlite: or postgres:// (got '${databaseUrl}')`);
}
