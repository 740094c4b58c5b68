import { fromJson, toBool } from '../../../storage/dialect.js';
import { maskConfig } from './secrets.js';
import type { CollectionSource } from './sources.schemas.js';
import type { SourceRow } from './sources.repository.js';

/** A source as clients see it: the configuration with every secret masked (secrets.ts). */
export function presentSource(row: SourceRow): CollectionSource {
  return {
    id: row.id,
    resourceId: row.resource_id,
    name: row.name,
    kind: row.kind,
    config: maskConfig(fromJson<Record<string, unknown>>(row.config, {})),
    mode: row.mode as CollectionSource['mode'],
    watermarkColumn: row.watermark_column,
    watermark: row.watermark,
    schedule: row.schedule,
    enabled: toBool(row.enabled),
    timeLimitS: row.time_limit_ms ? Number(row.time_limit_ms) / 1000 : null,
    nextRunAt: row.next_run_at,
    lastJobId: row.last_job_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
