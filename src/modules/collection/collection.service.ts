import type { Readable } from 'node:stream';
import { AppError, notFound } from '../../errors.js';
import type { Clock } from '../../shared/clock.js';
import { fromJson, toBool, type Db } from '../../storage/dialect.js';
import type { Auditor } from '../audit/audit.service.js';
import { visibleResourceOr404, type CatalogReader } from '../catalog/index.js';
import type { Actor } from '../../shared/actor.js';
import { collectionPolicy } from './collection.policy.js';
import { Encoding } from './collection.schemas.js';
import { assertKnownFormat, type JobsService, type Mode } from './jobs/jobs.service.js';
import type { RecordFormat } from './parsing/types.js';
import { createRecordRegistryRepository } from './records/record-registry.repository.js';
import { createRecordsRepository } from './records/records.repository.js';
import { defaultBatchId, formatFromContentType, saveUpload, type MappingInForce } from './uploads.js';

export type UploadRequest = {
  resourceId: string;
  body: Readable;
  contentType: string | undefined;
  fileName?: string;
  format?: RecordFormat;
  encoding?: string;
  mode: Mode;
  batchId?: string;
  wait?: boolean;
  onUnmapped?: 'reject' | 'ignore';
  /** This load's time limit (default: the platform's). */
  timeLimitS?: number;
};

const EXTENSIONS: Record<RecordFormat, string> = { csv: '.csv', tsv: '.tsv', xlsx: '.xlsx', json: '.json', ndjson: '.ndjson' };

/** Uploads, pushed batches, column mappings and record previews; jobs do the loading. */
export function createCollectionService(deps: { db: Db; clock: Clock; auditor: Auditor; catalog: CatalogReader; jobs: JobsService; dataDir: string; maxUploadBytes: number }) {
  const { db, jobs } = deps;
  const registry = createRecordRegistryRepository();
  const records = createRecordsRepository();

  /** The resource, or 404 when it does not exist or the caller may not see it (a classified entry of another department). */
  async function owner(actor: Actor | null, resourceId: string) {
    const r = await visibleResourceOr404(deps.catalog, actor, resourceId);
    return { id: r.id, provider_department_id: r.providerDepartmentId };
  }

  async function mappingInForce(resourceId: string): Promise<MappingInForce> {
    const rows = await db.selectFrom('column_mappings').select(['header', 'item_code']).where('resource_id', '=', resourceId).execute();
    const items = await db.selectFrom('data_items').select(['code', 'name', 'name_en']).where('resource_id', '=', resourceId).execute();
    return { mappings: Object.fromEntries(rows.map((m) => [m.header, m.item_code])), items: items.map((i) => ({ code: i.code, name: i.name, nameEn: i.name_en })) };
  }

  async function receive(actor: Actor, req: UploadRequest, sourceKind: 'file' | 'push', batchId: string | undefined) {
    const r = await owner(actor, req.resourceId);
    // Refuse before reading a possibly large body.
    collectionPolicy.assertCanLoad(actor, r.provider_department_id);
    const fromType = formatFromContentType(req.contentType);
    if (!req.encoding && fromType.charset && !Encoding.safeParse(fromType.charset).success) {
      const message = `unknown text encoding '${fromType.charset}' (use e.g. utf-8, gbk, gb18030)`;
      throw new AppError('VALIDATION_FAILED', `headers.content-type: ${message}`, { errors: [{ path: 'headers.content-type', code: 'unknown_encoding', message }] });
    }
    const format = assertKnownFormat(req.format ?? fromType.format, req.fileName ?? '');
    const mapping = batchId === undefined ? await mappingInForce(req.resourceId) : null;
    const saved = await saveUpload(req.body, deps.dataDir, EXTENSIONS[format], deps.maxUploadBytes);
    const submitted = await jobs.submitFile(actor, {
      resourceId: req.resourceId,
      batchId: batchId ?? defaultBatchId(saved.sha256, mapping!),
      filePath: saved.filePath,
      format,
      encoding: req.encoding ?? fromType.charset,
      mode: req.mode,
      sourceKind,
      sourceRef: req.fileName ?? `${sourceKind}.${format}`,
      onUnmapped: req.onUnmapped,
      timeLimitMs: req.timeLimitS ? req.timeLimitS * 1000 : null,
    });
    if (req.wait && !submitted.duplicate) return { job: await jobs.waitFor(submitted.job.id), duplicate: false };
    return submitted;
  }

  return {
    upload: (actor: Actor, req: UploadRequest) => receive(actor, req, 'file', req.batchId),
    push: (actor: Actor, req: UploadRequest & { batchId: string }) => receive(actor, req, 'push', req.batchId),

    async getMappings(actor: Actor | null, resourceId: string) {
      await owner(actor, resourceId);
      const rows = await db.selectFrom('column_mappings').selectAll().where('resource_id', '=', resourceId).orderBy('header').execute();
      return { mappings: Object.fromEntries(rows.map((m) => [m.header, m.item_code])) };
    },

    /** Saves how a department's file headers map to item codes; replaces the previous mapping. */
    async putMappings(actor: Actor, resourceId: string, mappings: Record<string, string>) {
      const r = await owner(actor, resourceId);
      collectionPolicy.assertCanLoad(actor, r.provider_department_id);
      const codes = new Set((await db.selectFrom('data_items').select('code').where('resource_id', '=', resourceId).execute()).map((i) => i.code));
      const unknown = Object.entries(mappings).filter(([, code]) => !codes.has(code));
      if (unknown.length) {
        throw new AppError('VALIDATION_FAILED', `No data item '${unknown[0]![1]}' in this resource`, {
          errors: unknown.map(([h, c]) => ({ path: `body.mappings.${h}`, code: 'unknown_item', message: `no data item '${c}'` })),
        });
      }
      await deps.auditor.run({ actor, action: 'collection.mappings', targetType: 'resource', targetId: resourceId }, async (trx) => {
        await trx.deleteFrom('column_mappings').where('resource_id', '=', resourceId).execute();
        const rows = Object.entries(mappings).map(([header, item_code]) => ({ resource_id: resourceId, header, item_code }));
        if (rows.length) await trx.insertInto('column_mappings').values(rows).execute();
      });
      return { mappings };
    },

    /** Live records of a resource, keyset-paged by its key: for the provider department, auditors and the platform. */
    async records(actor: Actor, resourceId: string, cursor: string | undefined, limit: number) {
      const r = await owner(actor, resourceId);
      if (actor.role === 'OFFICER' && actor.departmentId !== r.provider_department_id) {
        throw new AppError('FORBIDDEN', "Another department's records are reached through sharing, not here");
      }
      const table = await registry.findTable(db, resourceId);
      if (!table) return { items: [], nextCursor: null, total: 0 };
      const columns = (await registry.columns(db, resourceId)).filter((c) => !toBool(c.retired)).map((c) => c.column_name);
      const keys = fromJson<string[]>(table.key_columns, []);
      let after: unknown[] | undefined;
      if (cursor) {
        try {
          after = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
        } catch {
          throw new AppError('INVALID_CURSOR', 'The cursor was not produced by this API');
        }
        if (!Array.isArray(after) || after.length !== keys.length) throw new AppError('INVALID_CURSOR', 'The cursor was not produced by this API');
      }
      const rows = await records.page(db, table.table_name, columns, keys, after, limit);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page,
        nextCursor: rows.length > limit && last ? Buffer.from(JSON.stringify(keys.map((k) => last[k]))).toString('base64url') : null,
        total: Number(table.live_count),
      };
    },
  };
}

export type CollectionService = ReturnType<typeof createCollectionService>;
