import type { z } from 'zod';
import { AppError } from '../../../errors.js';
import { fromJson } from '../../../storage/dialect.js';
import type { CollectionSourceTable } from '../../../storage/schema.js';

/** A saved source's configuration, checked again when a job opens it (the rules may be newer than the row). */
export function parseStoredConfig<S extends z.ZodType>(schema: S, row: CollectionSourceTable): z.output<S> {
  const parsed = schema.safeParse(fromJson<unknown>(row.config, {}));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError('COLLECTION_UNREADABLE', `source '${row.name}' has an invalid configuration: config.${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
