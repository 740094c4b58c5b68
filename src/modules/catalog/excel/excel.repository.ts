import type { Db } from '../../../storage/dialect.js';

// Well under SQLite's and PostgreSQL's bound-parameter limits.
const CODE_CHUNK = 500;

/** What the import resolves names against, and what the export writes names from. */
export function createCatalogExcelRepository() {
  return {
    departments: (db: Db) => db.selectFrom('departments').select(['id', 'name', 'uscc', 'region_code']).execute(),
    systems: (db: Db) => db.selectFrom('info_systems').select(['id', 'name', 'department_id']).execute(),
    regions: (db: Db) => db.selectFrom('regions').select(['code', 'name']).execute(),

    /** The stored resources with these codes, whoever owns them (ownership is checked by the caller). */
    async resourcesByCode(db: Db, codes: string[]) {
      const out = [];
      for (let i = 0; i < codes.length; i += CODE_CHUNK) {
        out.push(
          ...(await db
            .selectFrom('resources')
            .select(['id', 'code', 'provider_department_id', 'record_total', 'record_shared', 'record_open'])
            .where('code', 'in', codes.slice(i, i + CODE_CHUNK))
            .execute()),
        );
      }
      return out;
    },
  };
}

export type CatalogExcelRepository = ReturnType<typeof createCatalogExcelRepository>;
export type DepartmentRef = Awaited<ReturnType<CatalogExcelRepository['departments']>>[number];
export type SystemRef = Awaited<ReturnType<CatalogExcelRepository['systems']>>[number];
export type ExistingResource = Awaited<ReturnType<CatalogExcelRepository['resourcesByCode']>>[number];
