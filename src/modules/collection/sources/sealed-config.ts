import { AppError } from '../../../errors.js';
import { fromJson, toJson } from '../../../storage/dialect.js';
import type { CollectionSourceTable } from '../../../storage/schema.js';
import { maskConfig } from './secrets.js';
import { seal, unseal } from '../../../shared/secret-box.js';

/**
 * A source's configuration at rest: `config` with every secret masked (what lists and the
 * presenter read), `secrets` the whole configuration sealed (only a connection opens it), bound
 * to the source's id. Rows from before migration 0005 have no `secrets` and a plain `config`.
 */
type Row = Pick<CollectionSourceTable, 'id' | 'config' | 'secrets'>;

const context = (id: string) => `kuaiji collection_sources ${id}`;

/** The configuration to write for a source: masked config, and the sealed whole when it holds a secret. */
export function sealConfig(id: string, config: Record<string, unknown>, keyHex: string): { config: string; secrets: string | null } {
  const plain = toJson(config);
  const masked = toJson(maskConfig(config));
  return { config: masked, secrets: masked === plain ? null : seal(plain, keyHex, context(id)) };
}

/** The whole configuration, secrets included. */
export function openConfig(row: Row, keyHex: string): Record<string, unknown> {
  if (!row.secrets) return fromJson<Record<string, unknown>>(row.config, {});
  let plain: string;
  try {
    plain = unseal(row.secrets, keyHex, context(row.id));
  } catch {
    // The key changed (KUAIJI_SECRET_KEY or the key file) or the row was altered.
    throw new AppError('COLLECTION_UNREADABLE', `the secrets of source ${row.id} do not open with this platform's key (KUAIJI_SECRET_KEY); enter them again`);
  }
  return fromJson<Record<string, unknown>>(plain, {});
}

/** The row as a connection needs it: `config` in full. */
export function unsealRow<R extends Row>(row: R, keyHex: string): R {
  return row.secrets ? { ...row, config: toJson(openConfig(row, keyHex)) } : row;
}

/** A row written before secrets were sealed: what to store instead, or null when it holds no plain secret. */
export function sealLegacy(row: Row, keyHex: string): { config: string; secrets: string | null } | null {
  if (row.secrets) return null;
  const sealed = sealConfig(row.id, fromJson<Record<string, unknown>>(row.config, {}), keyHex);
  return sealed.secrets ? sealed : null;
}
