import { notFound } from '../../errors.js';
import { scopeOf } from '../../shared/access-scope.js';
import type { Actor } from '../../shared/actor.js';
import type { CatalogReader } from '../catalog/index.js';

/**
 * The id of a resource a route names by id or by catalogue code (`101001/00001`, sent as
 * `101001%2F00001`). Codes always hold a '/' and ids never do, so the two cannot be confused. A
 * code the caller may not see is 404, as its id would be (ADR 0009).
 */
export async function resourceIdOf(catalog: Pick<CatalogReader, 'resourceIdByCode'>, actor: Actor | null, ref: string): Promise<string> {
  if (!ref.includes('/')) return ref;
  const id = await catalog.resourceIdByCode(ref, scopeOf(actor));
  if (id === null) throw notFound('resource', ref);
  return id;
}
