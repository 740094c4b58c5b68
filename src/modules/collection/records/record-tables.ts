import { AppError } from '../../../errors.js';
import { fromJson, toBool } from '../../../storage/dialect.js';
import type { RecordStore } from '../../../storage/records/record-store.js';
import type { RecordColumnTable } from '../../../storage/schema.js';
import { columnsFromItems, keyColumnsOf, tableNameFor, type ItemLike, type RecordLayout } from './record-layout.js';
import { createRecordRegistryRepository } from './record-registry.repository.js';

export type ResourceForRecords = { id: string; code: string; items: ItemLike[] };

export type TableChange =
  | { kind: 'create'; table: string }
  | { kind: 'add'; column: string }
  | { kind: 'rename'; from: string; to: string }
  | { kind: 'retire'; column: string; as: string }
  | { kind: 'revive'; from: string; to: string };

/** Retired columns keep their data under a name no item code can take (item codes start with a letter). */
const retiredName = (column: string, stamp: string) => `_r_${column}_${stamp}`.slice(0, 63);

/**
 * Creates the resource's record table at first load, and afterwards migrates it to the
 * resource's current items without losing data: a new item adds a column, a renamed item
 * (same item id, new code) renames its column, a removed item's column is retired (renamed
 * aside, data kept), a returning item revives its column, a changed data type retires the old
 * column and adds a new one. A changed primary key is refused while the table holds rows.
 */
export function ensureRecordTable(store: RecordStore, resource: ResourceForRecords, now: string): Promise<{ layout: RecordLayout; changes: TableChange[] }> {
  // Two loads of one resource may start together (two workers): one creates or migrates, the other then finds it done.
  return store.exclusive(`record-table:${resource.id}`, () => migrate(store, resource, now));
}

async function migrate(store: RecordStore, resource: ResourceForRecords, now: string): Promise<{ layout: RecordLayout; changes: TableChange[] }> {
  const repo = createRecordRegistryRepository();
  const db = store.db;
  const wanted = columnsFromItems(resource.items);
  const keyColumns = keyColumnsOf(wanted);
  const changes: TableChange[] = [];
  const stamp = Date.parse(now).toString(36);

  let registered = await repo.findTable(db, resource.id);
  if (!registered) {
    let table = tableNameFor(resource.code);
    for (let n = 2; await repo.tableNameTaken(db, table); n++) table = `${tableNameFor(resource.code)}_${n}`;
    await store.createTable(table, wanted, keyColumns);
    await repo.insertTable(db, {
      resource_id: resource.id,
      table_name: table,
      key_columns: JSON.stringify(keyColumns),
      row_count: 0,
      live_count: 0,
      last_loaded_at: null,
      created_at: now,
    });
    for (const c of wanted) {
      await repo.insertColumn(db, {
        resource_id: resource.id,
        item_id: c.itemId,
        column_name: c.column,
        data_type: c.dataType,
        retired: false,
        changed_at: now,
      });
    }
    changes.push({ kind: 'create', table });
    return { layout: { resourceId: resource.id, table, columns: wanted, keyColumns }, changes };
  }

  const table = registered.table_name;
  const storedKeys = fromJson<string[]>(registered.key_columns, []);
  const keysChanged = storedKeys.join(',') !== keyColumns.join(',');
  if (keysChanged && Number(registered.row_count) > 0) {
    throw new AppError(
      'COLLECTION_KEY_CHANGED',
      `The primary-key items of ${resource.code} changed (${storedKeys.join(', ')} → ${keyColumns.join(', ')}) while its table holds ${registered.row_count} rows; rebuild the table before loading`,
      {
        resourceId: resource.id,
      },
    );
  }

  const stored = await repo.columns(db, resource.id);
  const byItem = new Map<string, RecordColumnTable[]>();
  for (const c of stored) (byItem.get(c.item_id) ?? byItem.set(c.item_id, []).get(c.item_id)!).push(c);
  const byName = new Map(stored.map((c) => [c.column_name, c]));
  const wantedItems = new Set(wanted.map((c) => c.itemId));

  const moveAside = async (col: RecordColumnTable) => {
    const from = col.column_name;
    const to = retiredName(from, stamp);
    await store.renameColumn(table, from, to);
    await repo.updateColumn(db, resource.id, from, { column_name: to, retired: true, changed_at: now });
    byName.delete(from);
    col.column_name = to;
    col.retired = true;
    byName.set(to, col);
    changes.push({ kind: 'retire', column: from, as: to });
  };

  // 1. Retire columns whose item is gone, so their names are free for new items.
  for (const c of stored) {
    if (!toBool(c.retired) && !wantedItems.has(c.item_id)) await moveAside(c);
  }

  for (const w of wanted) {
    const candidates = (byItem.get(w.itemId) ?? []).filter((c) => c.data_type === w.dataType);
    const live = candidates.find((c) => !toBool(c.retired)) ?? candidates[0];
    // A column of the same item but another type is retired: its values stay readable under the retired name.
    for (const other of byItem.get(w.itemId) ?? []) {
      if (other.data_type !== w.dataType && !toBool(other.retired)) await moveAside(other);
    }
    if (live && live.column_name === w.column && !toBool(live.retired)) continue;
    const occupant = byName.get(w.column);
    if (occupant && occupant !== live) await moveAside(occupant);
    if (live) {
      const from = live.column_name;
      await store.renameColumn(table, from, w.column);
      await repo.updateColumn(db, resource.id, from, { column_name: w.column, retired: false, changed_at: now });
      byName.delete(from);
      live.column_name = w.column;
      live.retired = false;
      byName.set(w.column, live);
      changes.push(toBool(live.retired) ? { kind: 'revive', from, to: w.column } : { kind: 'rename', from, to: w.column });
    } else {
      await store.addColumn(table, w);
      await repo.insertColumn(db, {
        resource_id: resource.id,
        item_id: w.itemId,
        column_name: w.column,
        data_type: w.dataType,
        retired: false,
        changed_at: now,
      });
      byName.set(w.column, { resource_id: resource.id, item_id: w.itemId, column_name: w.column, data_type: w.dataType, retired: false, changed_at: now });
      changes.push({ kind: 'add', column: w.column });
    }
  }

  if (keysChanged) {
    // Empty table: recreate it with the new key.
    await store.dropTable(table);
    await store.createTable(table, wanted, keyColumns);
    await repo.setKeyColumns(db, resource.id, keyColumns);
    registered = await repo.findTable(db, resource.id);
  }
  return { layout: { resourceId: resource.id, table, columns: wanted, keyColumns }, changes };
}
