import { AppError, notFound } from '../../../errors.js';
import { decodeCursor, toPage, type Page } from '../../../shared/page.js';
import type { Clock } from '../../../shared/clock.js';
import { newId } from '../../../shared/ids.js';
import { checkUscc } from '../../../shared/validation/uscc.js';
import type { Db, Dialect } from '../../../storage/dialect.js';
import type { DepartmentTable } from '../../../storage/schema.js';
import type { Auditor } from '../../audit/index.js';
import type { Actor } from '../../../shared/actor.js';
import { catalogPolicy } from '../catalog.policy.js';
import type { Department, DepartmentInput } from './departments.schemas.js';
import { presentDepartment } from './departments.presenter.js';
import { createDepartmentsRepository } from './departments.repository.js';

export function validUsccOrThrow(uscc: string): string {
  const check = checkUscc(uscc);
  if (!check.valid) throw new AppError('INVALID_USCC', `USCC '${uscc}': ${check.reason}`, { uscc });
  return check.normalized;
}

/** Provider departments (数源部门), each with its unified social credit code and region. */
export function createDepartmentsService(deps: { db: Db; dialect: Dialect; clock: Clock; auditor: Auditor }) {
  const repo = createDepartmentsRepository(deps.dialect);
  const { db, auditor, clock } = deps;

  function toRow(input: DepartmentInput, uscc: string, now: string) {
    return {
      name: input.name,
      short_name: input.shortName ?? null,
      uscc,
      region_code: input.regionCode,
      kind: input.kind,
      contact_name: input.contactName ?? null,
      contact_phone: input.contactPhone ?? null,
      updated_at: now,
    };
  }

  return {
    async create(actor: Actor, input: DepartmentInput): Promise<Department> {
      catalogPolicy.assertCanManageOrganisation(actor);
      const uscc = validUsccOrThrow(input.uscc);
      return auditor.run(
        { actor, action: 'department.create', targetType: 'department', detail: { name: input.name, uscc } },
        async (trx) => {
          const now = clock.now().toISOString();
          const row: DepartmentTable = { id: newId(), created_at: now, ...toRow(input, uscc, now) };
          await repo.insert(trx, row);
          return presentDepartment(row);
        },
        (d) => d.id,
      );
    },

    async update(actor: Actor, id: string, input: DepartmentInput): Promise<Department> {
      catalogPolicy.assertCanManageOrganisation(actor);
      const uscc = validUsccOrThrow(input.uscc);
      return auditor.run({ actor, action: 'department.update', targetType: 'department', targetId: id }, async (trx) => {
        const existing = await repo.find(trx, id);
        if (!existing) throw notFound('department', id);
        const row = toRow(input, uscc, clock.now().toISOString());
        await repo.update(trx, id, row);
        return presentDepartment({ ...existing, ...row });
      });
    },

    async get(id: string): Promise<Department> {
      const row = await repo.find(db, id);
      if (!row) throw notFound('department', id);
      return presentDepartment(row);
    },

    async list(opts: { cursor?: string; limit: number; regionCode?: string; q?: string }): Promise<Page<Department>> {
      const rows = await repo.list(db, { ...opts, after: decodeCursor(opts.cursor) });
      return toPage(rows, opts.limit, (r) => r.id, presentDepartment);
    },

    async remove(actor: Actor, id: string): Promise<void> {
      catalogPolicy.assertCanManageOrganisation(actor);
      try {
        await auditor.run({ actor, action: 'department.delete', targetType: 'department', targetId: id }, async (trx) => {
          const r = await repo.delete(trx, id);
          if (Number(r.numDeletedRows) === 0) throw notFound('department', id);
        });
      } catch (err) {
        if (err instanceof AppError && err.code === 'REFERENCE_NOT_FOUND') {
          throw new AppError('IN_USE', 'The department still has systems, resources or users', { entity: 'department', id });
        }
        throw err;
      }
    },
  };
}

export type DepartmentsService = ReturnType<typeof createDepartmentsService>;
