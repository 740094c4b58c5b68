import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/** Tables whose rows are jobs a process runs (collection loads, quality scans and profiles). */
const LEASED = ['collection_jobs', 'quality_scans', 'quality_profiles'] as const;

/**
 * Job leases (issue 8, ADR 0016): which process holds a job (`owner`: pid@host/start), until when
 * (`lease_until`, extended by its heartbeat) and when it last said so (`heartbeat_at`). A start
 * recovers only jobs whose lease has expired, so a CLI load and a server on one database never
 * run one batch twice. Rows written before this migration have no lease: any process may take them.
 */
export function jobLeasesMigration(d: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const table of LEASED) {
        await db.schema.alterTable(table).addColumn('owner', 'text').execute();
        await db.schema.alterTable(table).addColumn('lease_until', d.types.timestamp).execute();
        await db.schema.alterTable(table).addColumn('heartbeat_at', d.types.timestamp).execute();
      }
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of LEASED) for (const column of ['heartbeat_at', 'lease_until', 'owner']) await db.schema.alterTable(table).dropColumn(column).execute();
    },
  };
}
