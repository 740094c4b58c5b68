import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { AppError, notFound } from '../../errors.js';
import type { Clock } from '../../shared/clock.js';
import { isOle2, legacyWorkbookMessage } from '../../shared/xlsx/legacy-xls.js';
import type { Db } from '../../storage/dialect.js';
import type { Auditor } from '../audit/index.js';
import { visibleResourceOr404, type CatalogReader } from '../catalog/index.js';
import type { Actor } from '../../shared/actor.js';
import { scopeOf } from '../../shared/access-scope.js';
import { collectionPolicy } from './collection.policy.js';
import { Encoding } from './collection.schemas.js';
import { assertKnownFormat, type JobsService, type Mode } from './jobs/jobs.service.js';
import type { MappingsService } from './mappings/mappings.service.js';
import type { RecordFormat } from './parsing/types.js';
import type { DisputedKeys } from './records/record-key.js';
import { createRecordReader, type RecordFilter } from './records/record-reader.js';
import { defaultBatchId, formatFromContentType, saveUpload } from './uploads.js';

/** What a caller may ask of a records read besides the page (see collection.schemas.ts RecordsQuery). */
export type RecordsOptions = { items?: string[]; filters?: RecordFilter[]; meta?: boolean; unmasked?: boolean; reason?: string };

export type UploadRequest = {
  resourceId: string;
  body: Readable;
  contentType: string | undefined;
  fileName?: string;
  format?: RecordFormat;
  encoding?: string;
  /** XLSX: the sheet to read (default: the first). */
  sheet?: string;
  mode: Mode;
  batchId?: string;
  wait?: boolean;
  onUnmapped?: 'reject' | 'ignore';
  /** This load's time limit (default: the platform's). */
  timeLimitS?: number;
};

const EXTENSIONS: Record<RecordFormat, string> = { csv: '.csv', tsv: '.tsv', xlsx: '.xlsx', json: '.json', ndjson: '.ndjson' };

/** A legacy .xls (or a password-protected workbook, an OLE2 file too): refused before any job, naming the format. */
const legacyWorkbook = () => new AppError('UNSUPPORTED_MEDIA_TYPE', `Cannot load this file: ${legacyWorkbookMessage}`, { format: 'xls' });

/** The first bytes of a saved upload (its signature). */
function readHead(file: string): Buffer {
  const head = Buffer.alloc(8);
  const fd = fs.openSync(file, 'r');
  try {
    return head.subarray(0, fs.readSync(fd, head, 0, 8, 0));
  } finally {
    fs.closeSync(fd);
  }
}

/** Uploads, pushed batches and record reads; jobs do the loading, mappings/ the header mapping. */
export function createCollectionService(deps: {
  db: Db;
  clock: Clock;
  auditor: Auditor;
  catalog: CatalogReader;
  jobs: JobsService;
  mappings: Pick<MappingsService, 'inForce'>;
  dataDir: string;
  maxUploadBytes: number;
  /** Marks records under an open objection (governance's, injected by deps.ts). */
  disputedKeys?: DisputedKeys;
}) {
  const { db, jobs } = deps;
  const reader = createRecordReader({ db, auditor: deps.auditor, disputedKeys: deps.disputedKeys });

  /** The resource, or 404 when it does not exist or the caller may not see it (a classified entry of another department). */
  async function owner(actor: Actor | null, resourceId: string) {
    const r = await visibleResourceOr404(deps.catalog, actor, resourceId);
    return { id: r.id, provider_department_id: r.providerDepartmentId };
  }

  /** The catalogue entry and how `actor` may read its records (404 for a resource they may not see). */
  async function readable(actor: Actor, resourceId: string, options: RecordsOptions) {
    // One catalogue read: null for a resource the caller may not see, as owner() would answer.
    const entry = await deps.catalog.resource(resourceId, scopeOf(actor));
    if (!entry) throw notFound('resource', resourceId);
    const access = collectionPolicy.recordAccess(actor, entry.providerDepartmentId, options);
    return { entry: { ...entry, items: entry.items ?? [] }, access };
  }

  async function receive(actor: Actor, req: UploadRequest, sourceKind: 'file' | 'push', batchId: string | undefined) {
    const r = await owner(actor, req.resourceId);
    // Refuse before reading a possibly large body.
    collectionPolicy.assertCanLoad(actor, r.provider_department_id);
    const fromType = formatFromContentType(req.contentType);
    if (!req.encoding && fromType.charset && !Encoding.safeParse(fromType.charset).success) {
      const message = `unknown text encoding '${fromType.charset}' (use e.g. utf-8, gbk, gb18030)`;
      throw new AppError('VALIDATION_FAILED', `headers.content-type: ${message}`, {
        errors: [{ path: 'headers.content-type', code: 'unknown_encoding', message }],
      });
    }
    if (/\.xls$/i.test(req.fileName ?? '') || fromType.legacyExcel) throw legacyWorkbook();
    const format = assertKnownFormat(req.format ?? fromType.format, req.fileName ?? '');
    if (req.sheet !== undefined && format !== 'xlsx') {
      const message = 'only an XLSX workbook has sheets';
      throw new AppError('VALIDATION_FAILED', `query.sheet: ${message}`, { errors: [{ path: 'query.sheet', code: 'not_xlsx', message }] });
    }
    const mapping = batchId === undefined ? await deps.mappings.inForce(req.resourceId) : null;
    const saved = await saveUpload(req.body, deps.dataDir, EXTENSIONS[format], deps.maxUploadBytes);
    if (isOle2(readHead(saved.filePath))) {
      fs.rmSync(saved.filePath, { force: true });
      throw legacyWorkbook();
    }
    const submitted = await jobs.submitFile(actor, {
      resourceId: req.resourceId,
      // Another sheet of the same file is another batch.
      batchId: batchId ?? defaultBatchId(req.sheet === undefined ? saved.sha256 : `${saved.sha256}\nsheet:${req.sheet}`, mapping!),
      filePath: saved.filePath,
      format,
      ...(req.sheet !== undefined ? { sheet: req.sheet } : {}),
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

    /**
     * Live records of a resource through the record reader, keyset-paged by its key: masked by
     * item for roles other than the provider department's officers (collectionPolicy.recordAccess),
     * and audited as a read.
     */
    async records(actor: Actor, resourceId: string, cursor: string | undefined, limit: number, options: RecordsOptions = {}) {
      const { entry, access } = await readable(actor, resourceId, options);
      return reader.page(entry, access, { cursor, limit, items: options.items, filters: options.filters, meta: options.meta });
    },

    /** Every live record (same items, filters, masking and audit as records()), streamed a page at a time. */
    async exportRecords(actor: Actor, resourceId: string, options: RecordsOptions = {}) {
      const { entry, access } = await readable(actor, resourceId, options);
      return reader.export(entry, access, { items: options.items, filters: options.filters, meta: options.meta });
    },
  };
}

export type CollectionService = ReturnType<typeof createCollectionService>;
