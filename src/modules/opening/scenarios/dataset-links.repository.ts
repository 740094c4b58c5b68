import type { Db } from '../../../storage/dialect.js';

export type LinkOwner = 'scenario' | 'competition' | 'entry';

/** Which open datasets a scenario, competition or entry uses. */
export const datasetLinks = {
  add: (db: Db, kind: LinkOwner, ownerId: string, datasetIds: readonly string[]) =>
    db
      .insertInto('open_dataset_links')
      .values([...new Set(datasetIds)].map((dataset_id) => ({ owner_kind: kind, owner_id: ownerId, dataset_id })))
      .execute(),
  async of(db: Db, kind: LinkOwner, ownerIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(ownerIds.map((id) => [id, []]));
    if (ownerIds.length === 0) return out;
    const rows = await db
      .selectFrom('open_dataset_links')
      .select(['owner_id', 'dataset_id'])
      .where('owner_kind', '=', kind)
      .where('owner_id', 'in', [...ownerIds])
      .orderBy('dataset_id')
      .execute();
    for (const r of rows) out.get(r.owner_id)?.push(r.dataset_id);
    return out;
  },
};
