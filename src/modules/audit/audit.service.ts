import type { Db, Dialect } from '../../storage/dialect.js';
import { isDatabaseBusy, toDomainError } from '../../storage/driver-errors.js';
import { toJson } from '../../storage/dialect.js';
import type { Clock } from '../../shared/clock.js';
import type { Actor } from '../../shared/actor.js';
import { AppError } from '../../errors.js';
import { createAuditRepository } from './audit.repository.js';

export type AuditEntry = {
  actor: Actor | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  /** Never put a secret here: tokens and passwords are not audited. */
  detail?: Record<string, unknown>;
};

export interface Auditor {
  /**
   * Runs `work` in one transaction and writes the success record inside it, so a change and its
   * audit row land together or not at all. A failure is recorded after the rollback. Driver
   * errors (unique, foreign key, too long) leave as domain errors naming `targetType`.
   */
  run<T>(entry: AuditEntry, work: (trx: Db) => Promise<T>, targetIdOf?: (result: T) => string | null): Promise<T>;
  /**
   * Records a read of personal data (records read, looked up or exported): nothing changed, so
   * no transaction; the read is answered only once its row is written.
   */
  read(entry: AuditEntry): Promise<void>;
}

export function createAuditor(deps: { db: Db; dialect: Dialect; clock: Clock }): Auditor {
  const repo = createAuditRepository();
  const write = (db: Db, entry: AuditEntry, outcome: 'success' | 'failure', extra: Record<string, unknown> = {}) =>
    repo.append(db, {
      at: deps.clock.now().toISOString(),
      actor_id: entry.actor?.userId ?? null,
      actor_name: entry.actor?.username ?? null,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId ?? null,
      outcome,
      detail: toJson({ ...entry.detail, ...extra }),
    });

  return {
    async run(entry, work, targetIdOf) {
      try {
        return await deps.db.transaction().execute(async (trx) => {
          const result = await work(trx);
          const targetId = targetIdOf ? targetIdOf(result) : (entry.targetId ?? null);
          await write(trx, { ...entry, targetId }, 'success');
          return result;
        });
      } catch (caught) {
        const err = toDomainError(deps.dialect, entry.targetType, caught);
        const code = err instanceof AppError ? err.code : 'INTERNAL';
        // A busy database would make the failure row wait as long again, for nothing.
        if (!isDatabaseBusy(caught)) await write(deps.db, entry, 'failure', { error: code }).catch(() => undefined);
        throw err;
      }
    },
    async read(entry) {
      try {
        await write(deps.db, entry, 'success');
      } catch (caught) {
        throw toDomainError(deps.dialect, entry.targetType, caught);
      }
    },
  };
}
