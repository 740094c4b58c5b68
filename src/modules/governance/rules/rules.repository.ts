import type { Db } from '../../../storage/dialect.js';
import type { QualityRuleTable } from '../../../storage/schema.js';

/** Custom quality rules and the switches of derived ones. */
export function createRulesRepository() {
  return {
    custom: (db: Db, resourceIds: readonly string[]) =>
      resourceIds.length === 0
        ? Promise.resolve([] as QualityRuleTable[])
        : db.selectFrom('quality_rules').selectAll().where('resource_id', 'in', resourceIds).orderBy('created_at').orderBy('id').execute(),
    find: (db: Db, id: string) => db.selectFrom('quality_rules').selectAll().where('id', '=', id).executeTakeFirst(),
    insert: (db: Db, row: QualityRuleTable) => db.insertInto('quality_rules').values(row).execute(),
    update: (db: Db, id: string, set: Partial<QualityRuleTable>) => db.updateTable('quality_rules').set(set).where('id', '=', id).execute(),
    remove: (db: Db, id: string) => db.deleteFrom('quality_rules').where('id', '=', id).execute(),
    /** Derived rules switched on or off, by rule id. */
    async switches(db: Db, resourceIds: readonly string[]): Promise<Map<string, boolean>> {
      if (resourceIds.length === 0) return new Map();
      const rows = await db.selectFrom('quality_rule_switches').select(['rule_id', 'enabled']).where('resource_id', 'in', resourceIds).execute();
      return new Map(rows.map((r) => [r.rule_id, r.enabled === true || r.enabled === 1]));
    },
    async setSwitch(db: Db, row: { rule_id: string; resource_id: string; enabled: boolean; updated_by: string | null; updated_at: string }) {
      const updated = await db
        .updateTable('quality_rule_switches')
        .set({ enabled: row.enabled, updated_by: row.updated_by, updated_at: row.updated_at })
        .where('rule_id', '=', row.rule_id)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) await db.insertInto('quality_rule_switches').values(row).execute();
    },
  };
}
