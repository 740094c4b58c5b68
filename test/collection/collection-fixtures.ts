import iconv from 'iconv-lite';
import type { ResourceInput } from '../../src/modules/catalog/resources/resources.schemas.js';
import { resourceInput } from '../factories.js';

/**
 * A small population-like resource. Person keys are synthetic and impossible as real ID numbers
 * (they start with 'T'); no real person's ID number appears in tests.
 */
export function peopleResource(departmentId: string, over: Partial<ResourceInput> = {}): ResourceInput {
  return resourceInput(departmentId, {
    name: '测试人口信息',
    items: [
      { code: 'person_id', name: '公民身份号码', dataType: 'STRING', length: 18, primaryKey: true },
      { code: 'full_name', name: '姓名', nameEn: 'Name', dataType: 'STRING', length: 10, primaryKey: false, nullable: false },
      { code: 'birth_date', name: '出生日期', dataType: 'DATE', primaryKey: false },
      { code: 'income', name: '年收入', dataType: 'DECIMAL', length: 12, precision: 2, primaryKey: false },
      { code: 'household_size', name: '家庭人口数', dataType: 'INTEGER', primaryKey: false },
      { code: 'registered', name: '是否登记', dataType: 'BOOLEAN', primaryKey: false },
      { code: 'updated_at', name: '更新时间', dataType: 'DATETIME', primaryKey: false },
    ],
    ...over,
  });
}

export const HEADER_ZH = '公民身份号码,姓名,出生日期,年收入,家庭人口数,是否登记,更新时间';

export function personRow(i: number, over: Partial<Record<'name' | 'income', string>> = {}) {
  const id = `T${String(i).padStart(17, '0')}`;
  return `${id},${over.name ?? `张${i}`},1990-01-${String((i % 28) + 1).padStart(2, '0')},${over.income ?? `${1000 + i}.50`},${(i % 5) + 1},是,2024-03-01 08:00:00`;
}

export function peopleCsv(from: number, to: number, over: (i: number) => Partial<Record<'name' | 'income', string>> = () => ({})): string {
  const lines = [HEADER_ZH];
  for (let i = from; i <= to; i++) lines.push(personRow(i, over(i)));
  return `${lines.join('\n')}\n`;
}

export const gbk = (text: string) => iconv.encode(text, 'gbk');
