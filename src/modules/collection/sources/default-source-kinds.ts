import { databaseSourceKind } from './database/database-source.js';
import { mysqlConnector } from './database/mysql-connector.js';
import { postgresConnector } from './database/postgres-connector.js';
import { fileSource } from './file-source.js';
import { httpSourceKind } from './http/http-source.js';
import type { PullSourceKind } from './pull-source.js';
import { MysqlConfig, PostgresConfig, type PulledKind } from './source-config.js';
import type { SourceRegistry } from './source-kinds.js';

/** The sources the platform pulls from, by the `kind` saved in collection_sources. */
export function pulledSourceKinds(): Record<PulledKind, PullSourceKind> {
  return {
    postgres: databaseSourceKind('postgres', postgresConnector, PostgresConfig),
    mysql: databaseSourceKind('mysql', mysqlConnector, MysqlConfig),
    http: httpSourceKind,
  };
}

/** The registry of source kinds the worker knows. */
export function defaultSourceKinds(_opts: { dataDir: string }): SourceRegistry {
  return {
    file: fileSource,
    push: fileSource,
    ...pulledSourceKinds(),
  };
}
