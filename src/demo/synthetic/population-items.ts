import type { DataType } from '../../modules/catalog/codes.js';
import type { SyntheticItem } from './types.js';

/**
 * A data item of the synthetic population resource, in the shape the catalogue stores: the
 * generator's item (`codeSet` is the national code set its values come from) with an English name.
 */
export type PopulationItem = Omit<SyntheticItem, 'description'> & { nameEn: string };

const item = (
  code: string,
  name: string,
  nameEn: string,
  dataType: DataType,
  length: number | null,
  extra: Partial<Pick<PopulationItem, 'primaryKey' | 'nullable' | 'codeSet'>> = {},
): PopulationItem => ({
  code,
  name,
  nameEn,
  dataType,
  length,
  precision: null,
  primaryKey: extra.primaryKey ?? false,
  nullable: extra.nullable ?? false,
  codeSet: extra.codeSet ?? null,
});

/** Column order of the generated files; the header row shows `name`. */
export const POPULATION_ITEMS: readonly PopulationItem[] = [
  item('citizen_id', '公民身份号码', 'Citizen ID number', 'STRING', 18, { primaryKey: true, codeSet: 'GB 11643-1999' }),
  item('name', '姓名', 'Name', 'STRING', 30),
  item('sex', '性别', 'Sex', 'STRING', 1, { codeSet: 'GB/T 2261.1-2003' }),
  item('ethnic_group', '民族', 'Ethnic group', 'STRING', 2, { codeSet: 'GB/T 3304-1991' }),
  item('birth_date', '出生日期', 'Date of birth', 'DATE', null),
  item('address', '住址', 'Address', 'STRING', 200),
  item('phone', '联系电话', 'Mobile phone', 'STRING', 11, { nullable: true }),
  item('region_code', '行政区划代码', 'Region code', 'STRING', 6, { codeSet: 'GB/T 2260' }),
  item('household_no', '户号', 'Household number', 'STRING', 15),
  item('registered_on', '登记日期', 'Registration date', 'DATE', null),
  item('updated_at', '更新时间', 'Last updated', 'DATETIME', null),
  item('education', '文化程度', 'Education level', 'STRING', 2, { nullable: true, codeSet: 'GB/T 4658-2006' }),
  item('marital_status', '婚姻状况', 'Marital status', 'STRING', 2, { nullable: true, codeSet: 'GB/T 2261.2-2003' }),
];

export const POPULATION_HEADER: readonly string[] = POPULATION_ITEMS.map((i) => i.name);
