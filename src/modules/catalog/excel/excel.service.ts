import { readFile, stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { AppError, ERROR_CODES, type ErrorCode } from '../../../errors.js';
import type { Clock } from '../../../shared/clock.js';
import type { Db } from '../../../storage/dialect.js';
import type { Actor } from '../../../shared/actor.js';
import { catalogPolicy } from '../catalog.policy.js';
import type { ResourcesService } from '../resources/resources.service.js';
import { writeCatalogueWorkbook } from './catalogue-export.js';
import { JobEnded } from '../../../jobs/job-kind.js';
import { createWorkerPool, type WorkerPool } from '../../../jobs/worker-pool.js';
import { readCatalogueSheetJob, reviveSheet } from './read-sheet-kind.js';
import { createCatalogExcelRepository } from './excel.repository.js';
import { assemble } from './import-assembly.js';
import { importForbidden, importRejected, type ImportProblem } from './import-problems.js';

/** An XLSX of 100,000 item rows is about 10 MB; the limit leaves room and still bounds the work. */
export const MAX_IMPORT_BYTES = 48 * 1024 * 1024;

/** `threadId` (phase read): the worker thread that read the workbook. */
export type ImportProgress = { phase: 'read' | 'validate' | 'store'; done: number; total?: number; threadId?: number };
export type ImportOptions = {
  /** Validate everything, store nothing. */
  dryRun?: boolean;
  /** Recorded in the audit trail: a file name, or 'api'. */
  source?: string;
  onProgress?: (p: ImportProgress) => void;
};
export type ImportSummary = {
  dryRun: boolean;
  resources: number;
  items: number;
  created: number;
  updated: number;
  /** Existing entries the file leaves as they are (no new version). */
  unchanged: number;
  warnings: ImportProblem[];
};
export type ExportFilter = { providerDepartmentId?: string; regionCode?: string };

/** The catalogue as an Excel template: import (validate everything, then store all or nothing) and export. */
export function createCatalogExcelService(deps: {
  db: Db;
  clock: Clock;
  resources: ResourcesService;
  /** Where workbooks are read (never on the request loop); a one-worker pool when absent. */
  pool?: WorkerPool;
  /** How long reading one workbook may take; null or absent: no limit. */
  timeLimitMs?: number | null;
}) {
  const repo = createCatalogExcelRepository();
  const { db, resources, clock } = deps;
  const pool = deps.pool ?? createWorkerPool({ concurrency: 1 });
  pool.register(readCatalogueSheetJob);

  /** Reads and checks the sheet in a pool worker: a workbook that eats memory ends that worker, not the server. */
  async function readSheet(file: Buffer, progress?: (p: ImportProgress) => void) {
    // A view into a larger pooled buffer would copy the whole pool across threads.
    const bytes = file.byteOffset === 0 && file.buffer.byteLength === file.length ? file : new Uint8Array(file);
    const job = pool.run(
      readCatalogueSheetJob,
      { file: bytes },
      {
        timeLimitMs: deps.timeLimitMs ?? null,
        onProgress: progress && ((done) => progress({ phase: 'read', done: done as number })),
      },
    );
    try {
      const out = await job.result;
      if (!out.ok) throw importRejected(out.problems, out.warnings);
      progress?.({ phase: 'read', done: out.sheet.dataRows, threadId: out.threadId });
      return reviveSheet(out.sheet);
    } catch (err) {
      if (!(err instanceof JobEnded)) throw err;
      if (err.reason === 'failed' && err.code && err.code in ERROR_CODES) throw new AppError(err.code as ErrorCode, err.message, err.details);
      if (err.reason === 'out-of-memory') {
        throw new AppError('WORKBOOK_TOO_LARGE', `reading the workbook needed more than the ${pool.heapMb} MB an import may use; nothing was stored`, {
          limit: 'memory',
        });
      }
      if (err.reason === 'time-limit') throw new AppError('WORKBOOK_TOO_LARGE', `reading the workbook took too long; ${err.message}`, { limit: 'time' });
      throw new Error(`the workbook could not be read: ${err.message}`);
    }
  }

  async function importWorkbook(actor: Actor, file: Buffer, options: ImportOptions = {}): Promise<ImportSummary> {
    // Roles that can write no department's catalogue are turned away before the file is read.
    if (actor.role !== 'ADMIN') catalogPolicy.assertCanWriteFor(actor, actor.departmentId ?? '');
    if (file.length > MAX_IMPORT_BYTES) {
      throw new AppError('PAYLOAD_TOO_LARGE', `the file is ${(file.length / 1048576).toFixed(1)} MB; an import takes at most ${MAX_IMPORT_BYTES / 1048576} MB`);
    }
    const progress = options.onProgress;

    const sheet = await readSheet(file, progress);

    const [departments, systems, regions, existing] = await Promise.all([
      repo.departments(db),
      repo.systems(db),
      repo.regions(db),
      repo.resourcesByCode(
        db,
        sheet.groups.map((g) => g.code),
      ),
    ]);
    const assembled = assemble(sheet, { departments, systems, regions, existing }, actor, resources.resolveAndCheck);
    progress?.({ phase: 'validate', done: sheet.groups.length, total: sheet.groups.length });
    if (assembled.forbidden.length) throw importForbidden(assembled.forbidden);
    const problems = [...sheet.problems, ...assembled.problems];
    if (problems.length) throw importRejected(problems, sheet.warnings);

    const summary = {
      dryRun: options.dryRun ?? false,
      resources: assembled.drafts.length,
      items: assembled.drafts.reduce((n, d) => n + d.items.length, 0),
      warnings: sheet.warnings,
    };
    if (options.dryRun) return { ...summary, ...(await resources.previewMany(actor, assembled.drafts)) };
    const total = assembled.drafts.length;
    const saved = await resources.saveMany(
      actor,
      assembled.drafts,
      options.source ?? 'excel',
      progress && ((done) => progress({ phase: 'store', done, total })),
    );
    return { ...summary, ...saved };
  }

  return {
    importWorkbook,

    /** For the CLI: the same import from a file on disk. */
    async importFile(actor: Actor, path: string, options: ImportOptions = {}): Promise<ImportSummary> {
      const { size } = await stat(path);
      if (size > MAX_IMPORT_BYTES) {
        throw new AppError('PAYLOAD_TOO_LARGE', `${path} is ${(size / 1048576).toFixed(1)} MB; an import takes at most ${MAX_IMPORT_BYTES / 1048576} MB`);
      }
      return importWorkbook(actor, await readFile(path), { source: path, ...options });
    },

    /**
     * Writes the catalogue the actor may see (classified entries only for those allowed) as the
     * template, page by page. An empty filter result gives the blank template.
     */
    async exportWorkbook(actor: Actor | null, filter: ExportFilter, out: Writable) {
      const [departments, systems] = await Promise.all([repo.departments(db), repo.systems(db)]);
      const byId = new Map(departments.map((d) => [d.id, d]));
      const systemNames = new Map(systems.map((s) => [s.id, s.name]));
      return writeCatalogueWorkbook(
        out,
        resources.pagesWithItems(actor, filter),
        { department: (id) => byId.get(id), systemName: (id) => (id ? (systemNames.get(id) ?? null) : null) },
        { created: clock.now() },
      );
    },

    /** The blank template (with 填写说明). */
    async writeTemplate(out: Writable) {
      return writeCatalogueWorkbook(out, [], { department: () => undefined, systemName: () => null }, { created: clock.now() });
    },
  };
}

export type CatalogExcelService = ReturnType<typeof createCatalogExcelService>;
