import { databaseSourceKind } from './database/database-source.js';
import { mysqlConnector } from './database/mysql-connector.js';
import { postgresConnector } from './database/postgres-connector.js';
import { fileSource } from './file-source.js';
import { httpSourceKind } from './http/http-source.js';
import type { PullSourceKind } from './pull-source.js';
import { resolveSourceSecurity, type SourceSecurity } from './security/source-security.js';
import { MysqlConfig, PostgresConfig, type PulledKind } from './source-config.js';
import type { SourceRegistry } from './source-kinds.js';

/** The sources the platform pulls from, by the `kind` saved in collection_sources, under one security setting. */
export function pulledSourceKinds(security: SourceSecurity): Record<PulledKind, PullSourceKind> {
  return {
    postgres: databaseSourceKind('postgres', postgresConnector, PostgresConfig, security),
    mysql: databaseSourceKind('mysql', mysqlConnector, MysqlConfig, security),
    http: httpSourceKind(security),
  };
}

/**
 * The registry of source kinds the worker knows. Without the process's security setting (one
 * that did not pass it along), the strict default: nothing internal, the data directory's key.
 */
export function defaultSourceKinds(opts: { dataDir: string; databaseUrl?: string | null; security?: SourceSecurity }): SourceRegistry {
  return {
    file: fileSource,
    push: fileSource,
    ...pulledSourceKinds(opts.security ?? resolveSourceSecurity({}, opts.dataDir, opts.databaseUrl ?? null)),
  };
}
