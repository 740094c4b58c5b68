import { AppError } from '../../../errors.js';
import { seal, unseal } from '../../../shared/secret-box.js';

const invalid = () => new AppError('INVALID_CURSOR', 'The cursor was not produced by this interface for this consumer');

/**
 * The record reader's cursor is the last record's key in clear (base64url JSON): handed to a
 * consumer it would reveal key items the grant may not cover (a citizen ID). The gateway seals it
 * (AES-256-GCM) for one interface and one consumer: opaque, unforgeable, useless to another.
 */
export function sealCursor(cursor: string | null, keyHex: string, context: string): string | null {
  return cursor === null ? null : Buffer.from(seal(cursor, keyHex, context), 'utf8').toString('base64url');
}

export function openCursor(cursor: string | undefined, keyHex: string, context: string): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  if (cursor.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  try {
    return unseal(Buffer.from(cursor, 'base64url').toString('utf8'), keyHex, context);
  } catch {
    throw invalid();
  }
}
