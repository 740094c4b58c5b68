import { AppError, notFound } from '../../../errors.js';
import { decodeCursor, toPage, type Page } from '../../../shared/page.js';
import type { Clock } from '../../../shared/clock.js';
import { newId } from '../../../shared/ids.js';
import type { Db } from '../../../storage/dialect.js';
import type { InfoSystemTable } from '../../../storage/schema.js';
import type { Auditor } from '../../audit/index.js';
import type { Actor } from '../../../shared/actor.js';
import { catalogPolicy } from '../catalog.policy.js';
import type { InfoSystem, SystemInput, SystemListQuery } from './systems.schemas.js';
import { presentSystem } from './systems.presenter.js';
import { createSystemsRepository } from './systems.repository.js';

/** The information-system census (信息系统普查): which systems exist, who owns them, are they connected. */
export function createSystemsService(deps: { db: Db; clock: Clock; auditor: Auditor }) {
  const repo = createSystemsRepository();
  const { db, auditor, clock } = deps;

  const toRow = (input: SystemInput, now: string) => ({
    name: input.name,
    department_id: input.departmentId,
    level: input.level,
    status: input.status,
    connected: input.connected,
    description: input.description ?? null,
    vendor: input.vendor ?? null,
    launched_on: input.launchedOn ?? null,
    updated_at: now,
  });

  return {
    async create(actor: Actor, input: SystemInput): Promise<InfoSystem> {
      catalogPolicy.assertCanWriteFor(actor, input.departmentId);
      return auditor.run(
        { actor, action: 'system.create', targetType: 'system', detail: { name: input.name } },
        async (trx) => {
          const now = clock.now().toISOString();
          const row: InfoSystemTable = { id: newId(), created_at: now, ...toRow(input, now) };
          await repo.insert(trx, row);
          return presentSystem(row);
        },
        (s) => s.id,
      );
    },

    async update(actor: Actor, id: string, input: SystemInput): Promise<InfoSystem> {
      return auditor.run({ actor, action: 'system.update', targetType: 'system', targetId: id }, async (trx) => {
        const existing = await repo.find(trx, id);
        if (!existing) throw notFound('system', id);
        // Both the current and the new owner must be the officer's own department.
        catalogPolicy.assertCanWriteFor(actor, existing.department_id);
        catalogPolicy.assertCanWriteFor(actor, input.departmentId);
        const row = toRow(input, clock.now().toISOString());
        await repo.update(trx, id, row);
        return presentSystem({ ...existing, ...row });
      });
    },

    async get(id: string): Promise<InfoSystem> {
      const row = await repo.find(db, id);
      if (!row) throw notFound('system', id);
      return presentSystem(row);
    },

    async list(query: SystemListQuery): Promise<Page<InfoSystem>> {
      const rows = await repo.list(db, { ...query, after: decodeCursor(query.cursor) });
      return toPage(rows, query.limit, (r) => r.id, presentSystem);
    },

    async remove(actor: Actor, id: string): Promise<void> {
      try {
        await auditor.run({ actor, action: 'system.delete', targetType: 'system', targetId: id }, async (trx) => {
          const existing = await repo.find(trx, id);
          if (!existing) throw notFound('system', id);
          catalogPolicy.assertCanWriteFor(actor, existing.department_id);
          await repo.delete(trx, id);
        });
      } catch (err) {
        if (err instanceof AppError && err.code === 'REFERENCE_NOT_FOUND') {
          throw new AppError('IN_USE', 'Resources still name this system as their source', { entity: 'system', id });
        }
        throw err;
      }
    },
  };
}

export type SystemsService = ReturnType<typeof createSystemsService>;
