import { expect } from 'vitest';
import type { ResourceInput } from '../../src/modules/catalog/resources/resources.schemas.js';
import { citizenIdCheckChar } from '../../src/shared/validation/citizen-id.js';
import { resourceInput } from '../factories.js';
import { bearer, type TestApp } from '../test-app.js';

/** A synthetic ID number (region 330602, January 1990) with its computed check digit, or `check` instead of it. */
export function citizenId(day: number, seq: number, check?: string) {
  const first17 = `3306021990010${day}${String(seq).padStart(3, '0')}`;
  return first17 + (check ?? citizenIdCheckChar(first17));
}
/** The same number with a wrong check digit. */
export const withBadCheck = (id: string) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');

export const PEOPLE_HEADER = 'person_id,full_name,mobile';

/** A small people resource: a citizen ID key (check digit rule), a name, a mobile (format rule). */
export function peopleInput(departmentId: string, over: Partial<ResourceInput> = {}): ResourceInput {
  return resourceInput(departmentId, {
    name: '质量排名测试人口',
    items: [
      { code: 'person_id', name: '公民身份号码', dataType: 'STRING', length: 18, primaryKey: true, codeSet: 'GB 11643-1999' },
      { code: 'full_name', name: '姓名', dataType: 'STRING', length: 20, primaryKey: false },
      { code: 'mobile', name: '联系电话', dataType: 'STRING', length: 20, primaryKey: false },
    ],
    ...over,
  });
}

export type ScanResult = { ruleId: string; resourceId: string; kind: string; dimension: string; checked: number; passed: number; failed: number };

/** Calls the API as a test client does. */
export function client(t: TestApp) {
  return {
    async load(resourceId: string, rows: string[]) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/resources/${resourceId}/uploads?wait=true&fileName=x.csv`,
        headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
        payload: `${PEOPLE_HEADER}\n${rows.join('\n')}\n`,
      });
      expect(res.json().job.status, res.body).toBe('succeeded');
    },
    async scan(body: { resourceId?: string }): Promise<{ id: string }> {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/quality/scans?wait=true', headers: bearer(t.adminToken), payload: body });
      expect(res.statusCode, res.body).toBe(202);
      expect(res.json().status).toBe('succeeded');
      return res.json();
    },
    async results(scanId: string): Promise<ScanResult[]> {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/quality/scans/${scanId}/results`, headers: bearer(t.adminToken) });
      return res.json().items;
    },
    async get(url: string, token: string | null = t.adminToken) {
      const res = await t.app.inject({ method: 'GET', url, headers: token ? bearer(token) : {} });
      return res;
    },
  };
}

/**
 * ADR 0014 written out again, independently of scores.ts: a rule scores A/B (rules that checked
 * nothing left out), a dimension the mean of its rules, a resource the mean of its dimensions.
 */
export function resourceScore(results: readonly ScanResult[]): number {
  const dims = new Map<string, number[]>();
  for (const r of results) if (r.checked > 0) (dims.get(r.dimension) ?? dims.set(r.dimension, []).get(r.dimension)!).push(r.passed / r.checked);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return mean([...dims.values()].map(mean));
}
export const round4 = (x: number) => Math.round(x * 10000) / 10000;
