import { AppError } from '../errors.js';
import type { Dialect } from './dialect.js';

/**
 * The one boundary where driver errors (unique, foreign key, too long) become domain errors.
 * Called by the auditor's write pipeline (src/modules/audit/audit.service.ts), so every write
 * reports them the same way; anything unrecognised is returned unchanged.
 */
export function toDomainError(dialect: Dialect, entity: string, err: unknown): unknown {
  if (err instanceof AppError) return err;
  const kind = dialect.classifyError(err);
  if (kind?.kind === 'unique') return new AppError('DUPLICATE', `A ${entity} with the same key already exists`, { entity });
  if (kind?.kind === 'foreign_key') {
    return new AppError('REFERENCE_NOT_FOUND', `The ${entity} refers to something that does not exist, or is still referenced by others`, {
      entity,
    });
  }
  if (kind?.kind === 'too_long') return new AppError('VALUE_TOO_LONG', `A value of the ${entity} is too long`, { entity });
  return err;
}

/** SQLite's single write lock stayed taken past busy_timeout (a long collection merge holds it). */
export function isDatabaseBusy(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}
