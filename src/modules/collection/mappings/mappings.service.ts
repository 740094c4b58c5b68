import fs from 'node:fs';
import { AppError, ERROR_CODES, notFound, type ErrorCode } from '../../../errors.js';
import { JobEnded } from '../../../jobs/job-kind.js';
import type { WorkerPool } from '../../../jobs/worker-pool.js';
import { scopeOf } from '../../../shared/access-scope.js';
import type { Actor } from '../../../shared/actor.js';
import type { Db } from '../../../storage/dialect.js';
import type { Auditor } from '../../audit/index.js';
import { visibleResourceOr404, type CatalogReader } from '../../catalog/index.js';
import { collectionPolicy } from '../collection.policy.js';
import type { SynonymGroups } from '../parsing/header-mapping.js';
import type { RecordFormat } from '../parsing/types.js';
import { columnsFromItems } from '../records/record-layout.js';
import { resourceIdOf } from '../resource-ref.js';
import type { MappingInForce } from '../uploads.js';
import { createMappingsRepository } from './mappings.repository.js';
import { collectionPreviewJob } from './preview-kind.js';
import { previewFile, type Preview, type PreviewInput } from './preview.js';
import { explicitOf, storedOf } from './saved-mapping.js';

export type PreviewRequest = { format: RecordFormat; encoding?: string; sheet?: string; rows: number; scratchDir?: string };

/**
 * Column mappings: how a department's file headers map to the resource's item codes (or that a
 * header is skipped), saved once and used by every load of the resource (uploads, pushes, pulls);
 * and the preview of a file under them. Resources are named by id or catalogue code.
 */
export function createMappingsService(deps: {
  db: Db;
  auditor: Auditor;
  catalog: CatalogReader;
  synonyms: SynonymGroups;
  /** Where XLSX previews run; inline when absent. */
  pool?: WorkerPool;
  previewTimeLimitMs?: number | null;
}) {
  const { db } = deps;
  const repo = createMappingsRepository();
  deps.pool?.register(collectionPreviewJob);

  return {
    /** 404 for a resource the caller may not see (a classified entry of another department). */
    async get(actor: Actor | null, ref: string) {
      const resourceId = await resourceIdOf(deps.catalog, actor, ref);
      await visibleResourceOr404(deps.catalog, actor, resourceId);
      return { mappings: explicitOf(await repo.of(db, resourceId)) };
    },

    /** Saves how a department's file headers map to item codes (null: skip the header); replaces the previous mapping. */
    async put(actor: Actor, ref: string, mappings: Record<string, string | null>) {
      const resourceId = await resourceIdOf(deps.catalog, actor, ref);
      // null for a resource the caller may not see: 404, as visibleResourceOr404 answers.
      const entry = await deps.catalog.resource(resourceId, scopeOf(actor));
      if (!entry) throw notFound('resource', ref);
      collectionPolicy.assertCanLoad(actor, entry.providerDepartmentId);
      const codes = new Set((entry.items ?? []).map((i) => i.code));
      const unknown = Object.entries(mappings).filter((e): e is [string, string] => e[1] !== null && !codes.has(e[1]));
      if (unknown.length) {
        throw new AppError('VALIDATION_FAILED', `No data item '${unknown[0]![1]}' in this resource`, {
          errors: unknown.map(([h, c]) => ({ path: `body.mappings.${h}`, code: 'unknown_item', message: `no data item '${c}'` })),
        });
      }
      await deps.auditor.run({ actor, action: 'collection.mappings', targetType: 'resource', targetId: resourceId }, (trx) =>
        repo.replace(trx, resourceId, storedOf(mappings)),
      );
      return { mappings };
    },

    /** The mapping in force and the items' labels: what a load maps headers with (and what an upload's default batch id covers). */
    async inForce(resourceId: string): Promise<MappingInForce> {
      const entry = await deps.catalog.resource(resourceId, 'all');
      return {
        mappings: await repo.of(db, resourceId),
        items: (entry?.items ?? []).map((i) => ({ code: i.code, name: i.name, nameEn: i.nameEn })),
      };
    },

    /**
     * How a saved upload would load, reading only its first rows; stores nothing (the caller
     * removes the file). An XLSX is read in the worker pool, text formats here: their head is a
     * few chunks.
     */
    async preview(resourceId: string, filePath: string, req: PreviewRequest): Promise<Preview> {
      const entry = await deps.catalog.resource(resourceId, 'all');
      if (!entry) throw notFound('resource', resourceId);
      const input: PreviewInput = {
        filePath,
        format: req.format,
        ...(req.encoding ? { encoding: req.encoding } : {}),
        ...(req.sheet !== undefined ? { sheet: req.sheet } : {}),
        ...(req.scratchDir ? { scratchDir: req.scratchDir } : {}),
        columns: columnsFromItems(entry.items ?? []),
        mapping: await repo.of(db, resourceId),
        synonyms: deps.synonyms,
        rows: req.rows,
      };
      if (req.format !== 'xlsx' || !deps.pool) return previewFile(input);
      if (req.scratchDir) fs.mkdirSync(req.scratchDir, { recursive: true });
      try {
        return await deps.pool.run(collectionPreviewJob, input, { timeLimitMs: deps.previewTimeLimitMs ?? null }).result;
      } catch (err) {
        if (!(err instanceof JobEnded)) throw err;
        // The worker's AppError comes back as its code and words.
        if (err.reason === 'failed' && err.code && err.code in ERROR_CODES) throw new AppError(err.code as ErrorCode, err.message, err.details);
        throw new AppError('COLLECTION_UNREADABLE', `The XLSX file could not be previewed: ${err.message}`);
      }
    },
  };
}

export type MappingsService = ReturnType<typeof createMappingsService>;
