/**
 * Setup for bench/collection.ts: a migrated database with one department and the synthetic
 * population resource (POPULATION_ITEMS as its data items), and the anchors' table shapes.
 */
import type { Services } from '../src/deps.js';
import type { ResourceInput } from '../src/modules/catalog/resources/resources.schemas.js';
import { SYSTEM_ACTOR } from '../src/shared/actor.js';
import { buildUscc } from '../src/shared/validation/uscc.js';
import { POPULATION_ITEMS } from './generators/population.js';

export const REGION = '330600';

/** Seeds region, department and the population resource; returns the resource id. */
export async function seedPopulationResource(services: Services): Promise<string> {
  await services.regions.create(SYSTEM_ACTOR, { code: REGION });
  const department = await services.departments.create(SYSTEM_ACTOR, {
    name: '绍兴市公安局(基准测试)',
    uscc: buildUscc(`11${REGION}`, 'B9000001'),
    regionCode: REGION,
    kind: 'GOVERNMENT',
  });
  const input: ResourceInput = {
    code: '101001/00001',
    name: '人口基础信息(合成数据)',
    nameEn: 'Population base records (synthetic)',
    category: 1,
    providerDepartmentId: department.id,
    summary: '基准测试用合成人口数据，不对应任何真实个人',
    formatCategory: 3,
    shareType: 'CONDITIONAL',
    shareCondition: '仅限政务用途',
    shareModes: ['API'],
    openType: 'PROHIBITED',
    updateFrequency: '02',
    relatedCodes: [],
    sensitivity: 'L3',
    importance: 'IMPORTANT',
    classified: false,
    tags: ['基准测试'],
    items: POPULATION_ITEMS.map((i) => ({
      code: i.code,
      name: i.name,
      nameEn: i.nameEn,
      dataType: i.dataType,
      length: i.length,
      precision: i.precision,
      primaryKey: i.primaryKey,
      nullable: i.nullable,
      codeSet: i.codeSet,
    })),
  };
  const resource = await services.resources.create(SYSTEM_ACTOR, input);
  return resource.id;
}

/** The anchors' table: every column TEXT, primary key on the key item (same uniqueness work as ours). */
export function sqliteAnchorDdl(table: string): string {
  const cols = POPULATION_ITEMS.map((i) => `"${i.code}" TEXT${i.primaryKey ? ' PRIMARY KEY' : ''}`);
  return `CREATE TABLE ${table} (${cols.join(', ')})`;
}

/** The PostgreSQL anchor's table: the column types our record table uses (postgres-records.ts), primary key on the key item. */
export function postgresAnchorDdl(table: string): string {
  const types: Record<string, string> = {
    STRING: 'text',
    TEXT: 'text',
    DATE: 'date',
    DATETIME: 'timestamp',
    INTEGER: 'bigint',
    DECIMAL: 'numeric',
    DOUBLE: 'double precision',
    BOOLEAN: 'boolean',
  };
  const cols = POPULATION_ITEMS.map((i) => `"${i.code}" ${types[i.dataType] ?? 'text'}${i.primaryKey ? ' PRIMARY KEY' : ''}`);
  return `CREATE TABLE ${table} (${cols.join(', ')})`;
}
