import { AppError, notFound } from '../../../errors.js';
import { scopeOf } from '../../../shared/access-scope.js';
import type { Actor } from '../../../shared/actor.js';
import { fromJson, type Db } from '../../../storage/dialect.js';
import type { CatalogReader } from '../../catalog/index.js';
import { SHARE_TYPE_CODES, strictestShareType, type ShareTypeName } from './application-states.js';
import type { ApplicationsRepository } from './applications.repository.js';
import type { ApplicationInput } from './applications.schemas.js';

/** What an application asks for, resolved: the provider department and the share type that decides its path. */
export type ApplicationTarget = {
  resourceId: string | null;
  interfaceId: string | null;
  providerDepartmentId: string;
  items: string[];
  shareType: 1 | 2 | 3;
  /** The asked items that are not shared (a legal basis and arbitration are needed). */
  notSharedItems: string[];
};

const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', message, { errors: [{ path, code: 'invalid_value', message }] });

/**
 * A resource and some of its items (each item's share type from the catalogue; a classified entry
 * the applicant may not see is 404), or an upstream interface as a whole (conditional unless its
 * settings say `shareType`). A generated interface is applied for through its resource.
 */
export async function resolveTarget(
  db: Db,
  catalog: CatalogReader,
  repo: ApplicationsRepository,
  actor: Actor,
  input: ApplicationInput,
): Promise<ApplicationTarget> {
  if (input.resourceId !== undefined) {
    const resource = await catalog.resource(input.resourceId, scopeOf(actor));
    if (!resource) throw notFound('resource', input.resourceId);
    if (input.items.length === 0) throw invalid('body.items', 'Name the data items asked for (item codes of the resource)');
    const byCode = new Map((resource.items ?? []).map((i) => [i.code, i]));
    const seen = new Set<string>();
    input.items.forEach((code, i) => {
      if (!byCode.has(code)) throw invalid(`body.items.${i}`, `Resource ${resource.code} has no data item '${code}'`);
      if (seen.has(code)) throw invalid(`body.items.${i}`, `Data item '${code}' is asked twice`);
      seen.add(code);
    });
    const types = input.items.map((code) => byCode.get(code)!.shareType);
    return {
      resourceId: resource.id,
      interfaceId: null,
      providerDepartmentId: resource.providerDepartmentId,
      items: [...input.items],
      shareType: strictestShareType(types),
      notSharedItems: input.items.filter((code) => byCode.get(code)!.shareType === 'NOT_SHARED'),
    };
  }
  const iface = await repo.iface(db, input.interfaceId!);
  if (!iface) throw notFound('interface', input.interfaceId!);
  if (iface.kind !== 'UPSTREAM') {
    throw invalid('body.interfaceId', `Interface '${iface.name}' is generated from a resource: apply for the resource (resourceId) and its items`);
  }
  if (iface.status !== 'PUBLISHED')
    throw invalid('body.interfaceId', `Interface '${iface.name}' is ${iface.status.toLowerCase()}: only a published interface is applied for`);
  if (input.items.length > 0) throw invalid('body.items', 'An upstream interface is granted as a whole: leave items empty');
  const declared = fromJson<{ shareType?: unknown }>(iface.config, {}).shareType;
  const shareType = typeof declared === 'string' && declared in SHARE_TYPE_CODES ? SHARE_TYPE_CODES[declared as ShareTypeName] : SHARE_TYPE_CODES.CONDITIONAL;
  return { resourceId: null, interfaceId: iface.id, providerDepartmentId: iface.department_id, items: [], shareType, notSharedItems: [] };
}
