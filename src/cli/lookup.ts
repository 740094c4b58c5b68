import type { Services } from '../deps.js';
import { AppError } from '../errors.js';
import { SYSTEM_ACTOR } from '../shared/actor.js';
import type { Department } from '../modules/catalog/departments/departments.schemas.js';

/** Finds a department by id, or else by its exact name (e.g. 绍兴市市场监督管理局). */
export async function findDepartment(services: Pick<Services, 'departments'>, ref: string): Promise<Department> {
  try {
    return await services.departments.get(ref);
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'NOT_FOUND')) throw err;
  }
  const matches = (await services.departments.list({ q: ref, limit: 500 })).items.filter((d) => d.name === ref);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new AppError('VALIDATION_FAILED', `Several departments are named '${ref}'; pass one of their ids instead`, {
      errors: matches.map((d) => ({ path: 'department', code: 'ambiguous', message: `${d.id} (${d.regionCode})` })),
    });
  }
  throw new AppError('NOT_FOUND', `No department has the id or the exact name '${ref}'`, { entity: 'department', id: ref });
}

/** A resource by id, or else by its catalogue code (e.g. 101001/00001). */
export async function findResource(services: Pick<Services, 'resources'>, ref: string) {
  try {
    return await services.resources.get(SYSTEM_ACTOR, ref);
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'NOT_FOUND')) throw err;
  }
  return services.resources.getByCode(SYSTEM_ACTOR, ref);
}
