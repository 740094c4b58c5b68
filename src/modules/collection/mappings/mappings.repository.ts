import type { Db } from '../../../storage/dialect.js';
import type { StoredMapping } from './saved-mapping.js';

/** Saved column mappings: a department's file header → the item code it fills ('' for a header to skip, see saved-mapping.ts). */
export function createMappingsRepository() {
  return {
    async of(db: Db, resourceId: string): Promise<StoredMapping> {
      const rows = await db.selectFrom('column_mappings').select(['header', 'item_code']).where('resource_id', '=', resourceId).orderBy('header').execute();
      return Object.fromEntries(rows.map((m) => [m.header, m.item_code]));
    },
    /** Replaces the resource's whole mapping (run inside the caller's transaction). */
    async replace(db: Db, resourceId: string, mappings: StoredMapping) {
      await db.deleteFrom('column_mappings').where('resource_id', '=', resourceId).execute();
      const rows = Object.entries(mappings).map(([header, item_code]) => ({ resource_id: resourceId, header, item_code }));
      if (rows.length) await db.insertInto('column_mappings').values(rows).execute();
    },
  };
}
