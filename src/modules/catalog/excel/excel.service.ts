import { readFile, stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { AppError } from '../../../errors.js';
import type { Clock } from '../../../shared/clock.js';
import type { Db } from '../../../storage/dialect.js';
import type { Actor } from '../../../shared/actor.js';
import { catalogPolicy } from '../catalog.policy.js';
import type { ResourcesService } from '../resources/resources.service.js';
import { writeCatalogueWorkbook } from './catalogue-export.js';
import { readCatalogueSheet, SheetRejected } from './catalogue-sheet.js';
import { createCatalogExcelRepository } from './excel.repository.js';
import { assemble } from './import-assembly.js';
import { importForbidden, importRejected, type ImportProblem } from './import-problems.js';

/** An XLSX of 100,000 item rows is about 10 MB; the limit leaves room and still bounds the work. */
export const MAX_IMPORT_BYTES = 48 * 1024 * 1024;

export type ImportProgress = { phase: 'read' | 'validate' | 'store'; done: number; total?: number };
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
  warnings: ImportProblem[];
};
export type ExportFilter = { providerDepartmentId?: string; regionCode?: string };

/** The catalogue as an Excel template: import (validate everything, then store all or nothing) and export. */
export function createCatalogExcelService(deps: { db: Db; clock: Clock; resources: ResourcesService }) {
  const repo = createCatalogExcelRepository();
  const { db, resources, clock } = deps;

  async function importWorkbook(actor: Actor, file: Buffer, options: ImportOptions = {}): Promise<ImportSummary> {
    // Roles that can write no department's catalogue are turned away before the file is read.
    if (actor.role !== 'ADMIN') catalogPolicy.assertCanWriteFor(actor, actor.departmentId ?? '');
    if (file.length > MAX_IMPORT_BYTES) {
      throw new AppError('PAYLOAD_TOO_LARGE', `the file is ${(file.length / 1048576).toFixed(1)} MB; an import takes at most ${MAX_IMPORT_BYTES / 1048576} MB`);
    }
    const progress = options.onProgress;

    let sheet;
    try {
      sheet = await readCatalogueSheet(file, progress && ((done) => progress({ phase: 'read', done })));
    } catch (err) {
      if (err instanceof SheetRejected) throw importRejected(err.problems, err.warnings);
      throw err;
    }

    const [departments, systems, regions, existing] = await Promise.all([
      repo.departments(db),
      repo.systems(db),
      repo.regions(db),
      repo.resourcesByCode(db, sheet.groups.map((g) => g.code)),
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
    if (options.dryRun) return { ...summary, created: assembled.created, updated: assembled.updated };
    const total = assembled.drafts.length;
    const saved = await resources.saveMany(actor, assembled.drafts, options.source ?? 'excel', progress && ((done) => progress({ phase: 'store', done, total })));
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
