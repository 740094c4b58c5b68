import type { ResourceInput } from '../../src/modules/catalog/resources/resources.schemas.js';
import type { TestApp } from '../test-app.js';
import { bearer } from '../test-app.js';
import { resourceInput } from '../factories.js';
import { expect } from 'vitest';

/**
 * An openable resource with one item of each kind the open catalogue must treat differently:
 * UNCONDITIONAL (plain and masked), RESTRICTED (masked), PROHIBITED.
 */
export function mixedResource(departmentId: string, over: Partial<ResourceInput> = {}): ResourceInput {
  return resourceInput(departmentId, {
    name: '企业登记信息',
    nameEn: 'Enterprise registrations',
    summary: '全市企业登记的基本信息',
    shareType: 'UNCONDITIONAL',
    shareCondition: null,
    openType: 'UNCONDITIONAL',
    openCondition: null,
    openDomain: 15,
    sensitivity: 'L1',
    tags: ['企业', '登记'],
    items: [
      { code: 'uscc', name: '统一社会信用代码', dataType: 'STRING', length: 18, primaryKey: true },
      { code: 'org_name', name: '单位名称', dataType: 'STRING', length: 200, primaryKey: false },
      { code: 'reg_capital', name: '注册资本', dataType: 'INTEGER', primaryKey: false },
      { code: 'legal_rep', name: '法定代表人', dataType: 'STRING', length: 50, primaryKey: false, maskingRule: 'NAME' },
      {
        code: 'phone',
        name: '联系电话',
        dataType: 'STRING',
        length: 11,
        primaryKey: false,
        openType: 'RESTRICTED',
        openCondition: '经审批后开放',
        maskingRule: 'MOBILE',
      },
      { code: 'secret_note', name: '内部备注', dataType: 'STRING', length: 200, primaryKey: false, openType: 'PROHIBITED' },
    ],
    ...over,
  });
}

export const MIXED_HEADER = 'uscc,org_name,reg_capital,legal_rep,phone,secret_note';
export const mixedRow = (i: number) => `U${String(i).padStart(17, '0')},企业${i},${i * 100},张三${i},138${String(i).padStart(8, '0')},机密${i}`;
export const mixedCsv = (from: number, to: number) => `${[MIXED_HEADER, ...Array.from({ length: to - from + 1 }, (_, n) => mixedRow(from + n))].join('\n')}\n`;

export async function upload(t: TestApp, resourceId: string, csv: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/resources/${resourceId}/uploads?wait=true&fileName=data.csv`,
    headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
    payload: csv,
  });
  expect(res.json().job?.status, res.body).toBe('succeeded');
  return res.json().job;
}

export async function publish(t: TestApp, body: Record<string, unknown>, token = t.adminToken) {
  return t.app.inject({ method: 'POST', url: '/api/v1/open/datasets', headers: bearer(token), payload: body });
}
