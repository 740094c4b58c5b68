import { notFound } from '../../errors.js';
import { scopeOf } from '../../shared/access-scope.js';
import type { Actor } from '../../shared/actor.js';
import type { Db } from '../../storage/dialect.js';
import type { CatalogReader, ResourceOwner } from './catalog-reader.js';

/**
 * The door every route that names a resource by id goes through first: a resource the caller
 * may not see (another department's classified entry; any classified entry for anonymous
 * callers) is answered exactly like one that does not exist — 404 NOT_FOUND, as
 * `GET /resources/:id` does — before any role check could answer 403 and so confirm it exists.
 * See docs/adr/0009-classified-visibility.md.
 */
export async function visibleResourceOr404(catalog: Pick<CatalogReader, 'owner' | 'canSee'>, actor: Actor | null, id: string, db?: Db): Promise<ResourceOwner> {
  const owner = await catalog.owner(id, db);
  if (!owner || !catalog.canSee(owner, scopeOf(actor))) throw notFound('resource', id);
  return owner;
}
