import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Jobs that always end (issue 7 items 1 and 5): how many times a worker started a job (a job
 * that was running when the process stopped twice is not retried again), its time limit, and a
 * cancel asked for by a user (honoured by whichever process runs the job). A saved source
 * carries the time limit of its pulls.
 */
export function jobAttemptsMigration(d: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('collection_jobs')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('collection_jobs').addColumn('time_limit_ms', 'integer').execute();
      await db.schema.alterTable('collection_jobs').addColumn('cancel_requested_at', d.types.timestamp).execute();
      await db.schema.alterTable('collection_sources').addColumn('time_limit_ms', 'integer').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('collection_sources').dropColumn('time_limit_ms').execute();
      for (const column of ['cancel_requested_at', 'time_limit_ms', 'attempts']) await db.schema.alterTable('collection_jobs').dropColumn(column).execute();
    },
  };
}
