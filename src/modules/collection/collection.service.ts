import fs from 'node:fs';
import path from 'node:path';
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
import { assertKnownFormat, FORMAT_BY_EXTENSION, type JobsService, type Mode } from './jobs/jobs.service.js';
import type { MappingsService } from './mappings/mappings.service.js';
import type { Preview } from './mappings/preview.js';
import type { RecordFormat } from './parsing/types.js';
import type { DisputedKeys } from './records/record-key.js';
import { createRecordReader, type RecordFilter } from './records/record-reader.js';
import { resourceIdOf } from './resource-ref.js';
import { sniffFileFormat } from './sniff-format.js';
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
  /** Only show how the file would load (header mapping, first rows typed, rejects); store nothing. */
  dryRun?: boolean;
  /** How many rows a preview shows (default 20). */
  previewRows?: number;
};

const EXTENSIONS: Record<RecordFormat, string> = { csv: '.csv', tsv: '.tsv', xlsx: '.xlsx', json: '.json', ndjson: '.ndjson' };

/** A legacy .xls (or a password-protected workbook, an OLE2 file too): refused before any job, naming the format. */
const legacyWorkbook = () => new AppError('UNSUPPORTED_MEDIA_TYPE', `Cannot load this file: ${legacyWorkbookMessage}`, { format: 'xls' });

/** The format told from a saved upload's bytes; refused (the file removed) when they tell none, or name no sheets for `sheet`. */
function sniffedOrRefused(file: string, req: Pick<UploadRequest, 'fileName' | 'sheet'>): RecordFormat {
  try {
    const format = sniffFileFormat(file) ?? assertKnownFormat(undefined, req.fileName ?? '');
    if (req.sheet !== undefined && format !== 'xlsx') {
      const message = 'only an XLSX workbook has sheets';
      throw new AppError('VALIDATION_FAILED', `query.sheet: ${message}`, { errors: [{ path: 'query.sheet', code: 'not_xlsx', message }] });
    }
    return format;
  } catch (err) {
    fs.rmSync(file, { force: true });
    throw err;
  }
}

/** A load's answer (receive answers a preview only when asked for one). */
function loadOnly<T>(answer: T | Preview): T {
  if (answer && typeof answer === 'object' && 'dryRun' in answer) throw new Error('a preview answered a load');
  return answer;
}

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
  mappings: Pick<MappingsService, 'inForce' | 'preview'>;
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
    // Named by id or by catalogue code.
    const resourceId = await resourceIdOf(deps.catalog, actor, req.resourceId);
    const r = await owner(actor, resourceId);
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
    const declared = req.format ?? fromType.format ?? FORMAT_BY_EXTENSION[path.extname(req.fileName ?? '').toLowerCase()];
    // Nothing declares it: told from the bytes once saved (sniff-format.ts).
    let format = declared === undefined ? null : assertKnownFormat(declared, req.fileName ?? '');
    if (req.sheet !== undefined && format !== null && format !== 'xlsx') {
      const message = 'only an XLSX workbook has sheets';
      throw new AppError('VALIDATION_FAILED', `query.sheet: ${message}`, { errors: [{ path: 'query.sheet', code: 'not_xlsx', message }] });
    }
    const mapping = batchId === undefined && !req.dryRun ? await deps.mappings.inForce(resourceId) : null;
    const saved = await saveUpload(req.body, deps.dataDir, format === null ? '' : EXTENSIONS[format], deps.maxUploadBytes);
    if (isOle2(readHead(saved.filePath))) {
      fs.rmSync(saved.filePath, { force: true });
      throw legacyWorkbook();
    }
    if (format === null) format = sniffedOrRefused(saved.filePath, req);
    if (req.dryRun) {
      // A preview stores nothing: no job, no record table, and the upload goes at once.
      try {
        const scratchDir = path.join(deps.dataDir, 'scratch');
        return await deps.mappings.preview(resourceId, saved.filePath, {
          format,
          encoding: req.encoding ?? fromType.charset,
          sheet: req.sheet,
          rows: req.previewRows ?? 20,
          scratchDir,
        });
      } finally {
        fs.rmSync(saved.filePath, { force: true });
      }
    }
    const submitted = await jobs.submitFile(actor, {
      resourceId,
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
    upload: async (actor: Actor, req: UploadRequest) => loadOnly(await receive(actor, { ...req, dryRun: false }, 'file', req.batchId)),
    push: async (actor: Actor, req: UploadRequest & { batchId: string }) => loadOnly(await receive(actor, { ...req, dryRun: false }, 'push', req.batchId)),
    /** How an upload would load (header → item, unfilled items, the first rows typed and their rejects), storing nothing. */
    preview: async (actor: Actor, req: Omit<UploadRequest, 'mode' | 'batchId' | 'wait' | 'onUnmapped' | 'timeLimitS'>) =>
      (await receive(actor, { ...req, mode: 'upsert', dryRun: true }, 'file', undefined)) as Preview,

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
