import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../../../errors.js';

const badCursor = () => new AppError('INVALID_CURSOR', 'The cursor was not produced by this API');

/**
 * The row API's keyset cursor, sealed (AES-256-GCM, the dataset id as associated data): the
 * record reader's cursor holds the last row's raw key values, and a key item may be masked or
 * withheld from the public (a citizen ID number). Sealed, the cursor reveals nothing and works
 * only for the dataset that issued it. The key is per process unless one is given, so a cursor
 * does not survive a restart (the client starts over: INVALID_CURSOR).
 */
export function createCursorSeal(key: Buffer = randomBytes(32)) {
  return {
    seal(datasetId: string, cursor: string): string {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(datasetId));
      const body = Buffer.concat([c.update(cursor, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64url');
    },
    open(datasetId: string, sealed: string): string {
      if (sealed.length > 6000 || !/^[A-Za-z0-9_-]+$/.test(sealed)) throw badCursor();
      const raw = Buffer.from(sealed, 'base64url');
      if (raw.length < 29) throw badCursor();
      try {
        const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12)).setAAD(Buffer.from(datasetId));
        d.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
      } catch {
        throw badCursor();
      }
    },
  };
}

export type CursorSeal = ReturnType<typeof createCursorSeal>;
