import type { Services } from '../src/deps.js';
import { SYSTEM_ACTOR, type Actor } from '../src/shared/actor.js';
import type { ResourceInput } from '../src/modules/catalog/resources/resources.schemas.js';
import type { DepartmentInput } from '../src/modules/catalog/departments/departments.schemas.js';
import { buildUscc } from '../src/shared/validation/uscc.js';

let seq = 0;
/** A fresh, valid, synthetic USCC for a Shaoxing government body (11 + region + organisation-code body). */
export function syntheticUscc(region = '330600'): string {
  seq += 1;
  return buildUscc(`11${region}`, `T${String(seq).padStart(7, '0')}`);
}

export async function seedRegions(s: Services, actor: Actor = SYSTEM_ACTOR) {
  for (const code of ['330600', '330602', '330603', '330604', '330624', '330681', '330683']) await s.regions.create(actor, { code });
}

export function departmentInput(over: Partial<DepartmentInput> = {}): DepartmentInput {
  return { name: `测试局${++seq}`, uscc: syntheticUscc(), regionCode: '330600', kind: 'GOVERNMENT', ...over };
}

/** A valid conditional-share resource with three items; override anything. */
export function resourceInput(departmentId: string, over: Partial<ResourceInput> = {}): ResourceInput {
  seq += 1;
  return {
    code: `301001/${String(seq).padStart(5, '0')}`,
    name: `测试资源${seq}`,
    nameEn: `Test resource ${seq}`,
    category: 3,
    providerDepartmentId: departmentId,
    summary: '用于测试的信息资源',
    formatCategory: 3,
    shareType: 'CONDITIONAL',
    shareCondition: '仅限政务用途',
    shareModes: ['API'],
    openType: 'RESTRICTED',
    openCondition: '经审批后开放',
    openDomain: 15,
    updateFrequency: '02',
    relatedCodes: [],
    sensitivity: 'L2',
    importance: 'GENERAL',
    classified: false,
    tags: ['测试'],
    items: [
      { code: 'uscc', name: '统一社会信用代码', dataType: 'STRING', length: 18, primaryKey: true },
      { code: 'org_name', name: '单位名称', nameEn: 'Organisation name', dataType: 'STRING', length: 200, primaryKey: false },
      { code: 'reg_date', name: '登记日期', dataType: 'DATE', primaryKey: false },
    ],
    ...over,
  };
}
