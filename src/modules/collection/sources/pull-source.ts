import { AppError, notFound } from '../../../errors.js';
import type { Db } from '../../../storage/dialect.js';
import type { CollectionSourceTable } from '../../../storage/schema.js';
import { unsealRow } from './sealed-config.js';
import type { SourceSecurity } from './security/source-security.js';
import type { OpenedSource, SourceKind } from './source-kinds.js';
import { createSourcesRepository } from './sources.repository.js';

export type PullOptions = {
  db: Db;
  /** Preview: read from the start whatever the saved watermark (the test endpoint). */
  ignoreWatermark?: boolean;
  /** Rows per batch; overrides the configured batch size (previews read one small batch). */
  batchSize?: number;
  signal?: AbortSignal;
};

/**
 * A source the platform pulls from (department database, HTTP API). Opening reads nothing yet:
 * the connection is made when the loader calls `open()`.
 */
export type PullSourceKind = SourceKind & {
  openSource(row: CollectionSourceTable, options: PullOptions): Promise<OpenedSource>;
};

/**
 * Builds the registry entry: a job names its source by `source_id`; the row (config, mode,
 * watermark) is read here. Either way in, `openSource` gets the configuration with its secrets.
 */
export function pullSourceKind(security: Pick<SourceSecurity, 'secretKey'>, open: PullSourceKind['openSource']): PullSourceKind {
  const repo = createSourcesRepository();
  const openSource: PullSourceKind['openSource'] = (row, options) => open(unsealRow(row, security.secretKey), options);
  return {
    openSource,
    async open({ db, job, signal }) {
      if (!job.source_id) throw new AppError('COLLECTION_UNREADABLE', `job ${job.id} names no source`);
      const row = await repo.find(db, job.source_id);
      if (!row) throw notFound('collection source', job.source_id);
      return openSource(row, { db, ...(signal ? { signal } : {}) });
    },
  };
}

/** Incremental pulls compare and remember this value; null when the source is read whole. */
export function effectiveWatermark(row: CollectionSourceTable, options: PullOptions): string | null {
  return row.mode === 'incremental' && !options.ignoreWatermark ? row.watermark : null;
}
