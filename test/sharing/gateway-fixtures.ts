import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import type { ServiceOptions } from '../../src/deps.js';
import type { TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';
import { apply, movableClock, PLATFORM_KEY, registerConsumer } from './consumers-fixtures.js';

export { movableClock, PLATFORM_KEY };

/** 20 synthetic people (IDs start with T: never a real citizen ID), in two districts. */
export const PEOPLE = Array.from({ length: 20 }, (_, n) => {
  const i = n + 1;
  return {
    person_id: `T${String(i).padStart(17, '0')}`,
    full_name: i === 3 ? '欧阳娜娜' : `张${i}`,
    mobile: `138${String(i).padStart(8, '0')}`,
    district: i % 2 ? '330602' : '330603',
    income: `${1000 + i}.50`,
  };
});

const CSV = `person_id,full_name,mobile,district,income\n${PEOPLE.map((p) => Object.values(p).join(',')).join('\n')}\n`;

export type GatewayFixture = TestApp & {
  clock: ReturnType<typeof movableClock>;
  /** Department B's resource of people (masking rules on name and mobile), and a second one nobody is granted. */
  people: string;
  other: string;
  /** Department A's consumer system with its credentials and a bearer token; granted full_name, mobile, district of `people`. */
  consumer: { id: string; appKey: string; secret: string; token: string };
  grantId: string;
};

export const GRANTED = ['full_name', 'mobile', 'district'];

/** A gateway call with a purpose and the consumer's token. */
export function call(t: GatewayFixture, url: string, init: { method?: 'GET' | 'POST'; payload?: unknown; purpose?: string | null; token?: string } = {}) {
  const headers: Record<string, string> = { ...bearer(init.token ?? t.consumer.token) };
  if (init.purpose !== null) headers['x-purpose'] = init.purpose ?? encodeURIComponent('办理企业开办业务核验');
  return t.app.inject({ method: init.method ?? 'GET', url, headers, ...(init.payload !== undefined ? { payload: init.payload as object } : {}) });
}

async function loadPeople(t: TestApp, resourceId: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/resources/${resourceId}/uploads?wait=true&fileName=people.csv`,
    headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
    payload: CSV,
  });
  if (res.json().job?.status !== 'succeeded') throw new Error(`load: ${res.body}`);
}

/** Creates a generated interface as department B's officer and publishes it. */
export async function publishInterface(t: TestApp, body: Record<string, unknown>): Promise<{ id: string }> {
  const made = await t.app.inject({ method: 'POST', url: '/api/v1/sharing/interfaces', headers: bearer(t.deptB.token), payload: body });
  if (made.statusCode !== 201) throw new Error(`interface: ${made.body}`);
  const id = made.json().id as string;
  const pub = await t.app.inject({
    method: 'PATCH',
    url: `/api/v1/sharing/interfaces/${id}`,
    headers: bearer(t.deptB.token),
    payload: { status: 'PUBLISHED' },
  });
  if (pub.statusCode !== 200) throw new Error(`publish: ${pub.body}`);
  return { id };
}

export const peopleResource = (departmentId: string) =>
  resourceInput(departmentId, {
    name: '测试人口基本信息',
    shareType: 'UNCONDITIONAL',
    shareCondition: null,
    items: [
      { code: 'person_id', name: '公民身份号码', dataType: 'STRING', length: 18, primaryKey: true, maskingRule: 'CITIZEN_ID' },
      { code: 'full_name', name: '姓名', dataType: 'STRING', length: 20, primaryKey: false, maskingRule: 'NAME' },
      { code: 'mobile', name: '手机号码', dataType: 'STRING', length: 11, primaryKey: false, maskingRule: 'MOBILE' },
      { code: 'district', name: '所在区县', dataType: 'STRING', length: 6, primaryKey: false },
      { code: 'income', name: '年收入', dataType: 'DECIMAL', length: 12, precision: 2, primaryKey: false },
    ],
  });

/**
 * Department B provides two loaded resources of people, each with a published interface
 * (`people` v1 filterable on district and income; `other` v1); department A's consumer is granted
 * full_name, mobile and district of the first only, valid through `validUntil`.
 */
export async function gatewayFixture(
  db: TestDb,
  o: { now?: string; validUntil?: string; gateway?: ServiceOptions['gateway']; limits?: Record<string, number | null> } = {},
): Promise<GatewayFixture> {
  const clock = movableClock(o.now ?? '2026-03-02T02:00:00Z');
  const t = await buildTestApp(db, { clock, sources: { security: { secretKey: PLATFORM_KEY } }, gateway: o.gateway });
  const s = t.services;
  const people = (await s.resources.create(SYSTEM_ACTOR, peopleResource(t.deptB.id))).id;
  const other = (await s.resources.create(SYSTEM_ACTOR, peopleResource(t.deptB.id))).id;
  for (const id of [people, other]) await loadPeople(t, id);
  await publishInterface(t, { resourceId: people, code: 'people', version: 'v1', name: '人口基本信息查询', filterItems: ['district', 'income'], ...o.limits });
  await publishInterface(t, { resourceId: other, code: 'other', version: 'v1', name: '另一资源查询' });
  const system = await s.systems.create(SYSTEM_ACTOR, {
    name: '市场监管综合业务系统',
    departmentId: t.deptA.id,
    level: 'CITY',
    status: 'IN_USE',
    connected: false,
  });
  const issued = await registerConsumer(t, t.deptA.token, system.id);
  const applied = await apply(t, t.deptA.token, {
    consumerId: issued.consumer.id,
    resourceId: people,
    items: GRANTED,
    purpose: '企业开办业务核验',
    validUntil: o.validUntil ?? '2026-12-31',
  });
  if (applied.statusCode !== 201) throw new Error(`apply: ${applied.body}`);
  const grants = await t.app.inject({ method: 'GET', url: `/api/v1/sharing/grants?consumerId=${issued.consumer.id}`, headers: bearer(t.adminToken) });
  const grantId = grants.json().items?.[0]?.id as string;
  if (!grantId) throw new Error(`grants: ${grants.body}`);
  const token = await t.app.inject({
    method: 'POST',
    url: '/api/v1/sharing/token',
    payload: { appKey: issued.credentials.appKey, secret: issued.credentials.secret },
  });
  if (token.statusCode !== 200) throw new Error(`token: ${token.body}`);
  return {
    ...t,
    clock,
    people,
    other,
    consumer: { id: issued.consumer.id, appKey: issued.credentials.appKey, secret: issued.credentials.secret, token: token.json().access_token },
    grantId,
  };
}

/** A new bearer token for the fixture's consumer (after the clock moved past the old one's life). */
export async function renewToken(t: GatewayFixture): Promise<void> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/sharing/token', payload: { appKey: t.consumer.appKey, secret: t.consumer.secret } });
  if (res.statusCode !== 200) throw new Error(`token: ${res.body}`);
  t.consumer.token = res.json().access_token;
}
