import type { Clock } from '../../src/shared/clock.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import type { TestDb } from '../dialects.js';
import { newId } from '../../src/shared/ids.js';
import { departmentInput, resourceInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

/** The platform key of these tests (KUAIJI_SECRET_KEY): seals consumers' secrets, signs access tokens. */
export const PLATFORM_KEY = 'ab'.repeat(32);

/** A clock tests move by hand. */
export function movableClock(iso: string): Clock & { set(iso: string): void; advance(ms: number): void } {
  let t = Date.parse(iso);
  return { now: () => new Date(t), set: (s) => (t = Date.parse(s)), advance: (ms) => (t += ms) };
}

export type SharingFixture = TestApp & {
  clock: ReturnType<typeof movableClock>;
  /** A census system of department A (the consumer side). */
  systemA: string;
  /** A second system of department A, and one of department B. */
  systemA2: string;
  systemB: string;
  /** A resource of department B (the provider) with items of every share type. */
  resource: { id: string; unconditional: string[]; conditional: string; notShared: string };
};

/**
 * The test app at `now` (Monday 2026-03-02, 10:00 in Shanghai unless given): departments A and B,
 * systems of each, and a resource of B whose items are unconditional (org_id, org_name),
 * conditional (phone) and not shared (inner_note).
 */
export async function sharingFixture(db: TestDb, now = '2026-03-02T02:00:00Z'): Promise<SharingFixture> {
  const clock = movableClock(now);
  const t = await buildTestApp(db, { clock, sources: { security: { secretKey: PLATFORM_KEY } } });
  const s = t.services;
  const sys = (name: string, departmentId: string) => s.systems.create(SYSTEM_ACTOR, { name, departmentId, level: 'CITY', status: 'IN_USE', connected: false });
  const systemA = (await sys('市场监管综合业务系统', t.deptA.id)).id;
  const systemA2 = (await sys('市场监管执法办案系统', t.deptA.id)).id;
  const systemB = (await sys('卫生健康信息平台', t.deptB.id)).id;
  const resource = await s.resources.create(
    SYSTEM_ACTOR,
    resourceInput(t.deptB.id, {
      shareType: 'UNCONDITIONAL',
      shareCondition: null,
      openType: 'RESTRICTED',
      sensitivity: 'L2',
      items: [
        { code: 'org_id', name: '机构代码', dataType: 'STRING', length: 18, primaryKey: true },
        { code: 'org_name', name: '机构名称', dataType: 'STRING', length: 200, primaryKey: false },
        { code: 'phone', name: '联系电话', dataType: 'STRING', length: 20, primaryKey: false, shareType: 'CONDITIONAL', shareCondition: '仅限政务服务用途' },
        {
          code: 'inner_note',
          name: '内部备注',
          dataType: 'TEXT',
          primaryKey: false,
          shareType: 'NOT_SHARED',
          shareCondition: '《政府信息公开条例》第十六条',
          openType: 'PROHIBITED',
        },
      ],
    }),
  );
  return {
    ...t,
    clock,
    systemA,
    systemA2,
    systemB,
    resource: { id: resource.id, unconditional: ['org_id', 'org_name'], conditional: 'phone', notShared: 'inner_note' },
  };
}

/** Registers a consumer through the API: the consumer and its credentials (secret shown once). */
export async function registerConsumer(t: TestApp, token: string, systemId: string) {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/sharing/consumers', headers: bearer(token), payload: { systemId } });
  if (res.statusCode !== 201) throw new Error(`register: ${res.statusCode} ${res.body}`);
  return res.json() as { consumer: { id: string; departmentId: string }; credentials: { id: string; appKey: string; secret: string } };
}

/** Submits an access application through the API; answers the response. */
export function apply(t: TestApp, token: string, payload: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: '/api/v1/sharing/applications', headers: bearer(token), payload });
}

export function decide(t: TestApp, token: string, id: string, payload: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: `/api/v1/sharing/applications/${id}/decisions`, headers: bearer(token), payload });
}

/** A third department with an officer: neither consumer nor provider of the fixture's data. */
export async function outsider(t: TestApp): Promise<{ id: string; token: string }> {
  const dept = await t.services.departments.create(SYSTEM_ACTOR, departmentInput({ name: '绍兴市教育局' }));
  const officer = await t.services.identity.createUser(SYSTEM_ACTOR, { username: `officer-c-${dept.id.slice(-6)}`, role: 'OFFICER', departmentId: dept.id });
  return { id: dept.id, token: officer.token.token };
}

/** An upstream (e.g. provincial) interface registered by department `departmentId`, as interfaces/ stores it. */
export async function upstreamInterface(db: TestDb, departmentId: string, over: { status?: string; config?: Record<string, unknown> } = {}): Promise<string> {
  const id = newId();
  const at = new Date().toISOString();
  await db.db
    .insertInto('sharing_interfaces')
    .values({
      id,
      code: `ZJ-${id.slice(-8)}`,
      version: '1.0',
      name: '省人口基础信息查询',
      kind: 'UPSTREAM',
      level: 'PROVINCIAL',
      status: over.status ?? 'PUBLISHED',
      resource_id: null,
      department_id: departmentId,
      rate_per_second: null,
      quota_per_day: null,
      quota_per_month: null,
      config: JSON.stringify({ url: 'https://example.gov.cn/api/person', method: 'GET', timeoutMs: 3000, auth: { scheme: 'none' }, ...over.config }),
      secret_sealed: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  return id;
}
