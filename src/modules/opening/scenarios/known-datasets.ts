import { AppError } from '../../../errors.js';
import type { OpenCatalog } from '../contracts.js';

/** The ids of published datasets named by id or name, or 400 naming the first that is not one. */
export async function knownDatasets(catalog: Pick<OpenCatalog, 'dataset'>, idsOrNames: readonly string[], path: string): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, ref] of idsOrNames.entries()) {
    const d = await catalog.dataset(ref);
    if (!d)
      throw new AppError('VALIDATION_FAILED', `'${ref}' is not a published open dataset`, {
        errors: [{ path: `${path}.${i}`, code: 'not_found', message: 'no such open dataset' }],
      });
    ids.push(d.id);
  }
  return [...new Set(ids)];
}
