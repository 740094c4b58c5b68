import { recordKeyText } from '../../src/modules/collection/index.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { newId } from '../../src/shared/ids.js';
import { citizenIdCheckChar } from '../../src/shared/validation/citizen-id.js';
import { orgCodeOfUscc, buildUscc } from '../../src/shared/validation/uscc.js';
import { toJson } from '../../src/storage/dialect.js';
import type { TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { apply, movableClock, PLATFORM_KEY, registerConsumer } from '../sharing/consumers-fixtures.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

/** A synthetic citizen ID of Yuecheng district (330602) born on `birth` (YYYYMMDD) with sequence `seq`. */
export function citizenId(birth: string, seq: string): string {
  const first17 = `330602${birth}${seq}`;
  return first17 + citizenIdCheckChar(first17);
}

/** P1 also has a legacy 15-digit number (born 1965: 33060265 0312 123 → 18 digits with '19' inserted). */
export const P1 = citizenId('19650312', '123');
export const P1_LEGACY = `330602650312123`;
/** P2's check character is X (the first sequence number giving one), to test a lower-case x. */
export const P2 = (() => {
  for (let n = 100; n < 1000; n++) {
    const id = citizenId('19880706', String(n));
    if (id.endsWith('X')) return id;
  }
  throw new Error('no X');
})();
/** A valid citizen ID nobody in the fixture has. */
export const NOBODY = citizenId('19990101', '555');
/** An entity's USCC and its organisation code (positions 9–17, with the hyphen legacy records carry). */
export const E1 = buildUscc('91330602', 'MA2B3C4D');
export const E1_ORG = orgCodeOfUscc(E1);

/** A synthetic e-licence identifier (the master key of the elicence theme; not checked here). */
export const LICENCE = '1.2.156.3005.2.TEST0001';

export const PURPOSE = encodeURIComponent('办理社会救助资格核验');

export type OneIdFixture = TestApp & {
  clock: ReturnType<typeof movableClock>;
  db: TestDb;
  /** Department B: population (popR), social insurance keyed by legacy numbers (socR), a classified resource (secretR). Department A: entities (entR) and old organisation codes (orgR). */
  r: { popR: string; socR: string; secretR: string; entR: string; orgR: string; /** With `licences` only. */ licR: string };
  codes: Record<'popR' | 'socR' | 'secretR' | 'entR' | 'orgR', string>;
  masters: { p1: string; p2: string; e1: string };
  consumer: { id: string; appKey: string; secret: string; token: string };
  grantId: string;
  flushCalls(): Promise<void>;
};

async function load(t: TestApp, resourceId: string, csv: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/resources/${resourceId}/uploads?wait=true&fileName=data.csv`,
    headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
    payload: csv,
  });
  if (res.json().job?.status !== 'succeeded') throw new Error(`load: ${res.body}`);
}

const str = (code: string, name: string, o: Record<string, unknown> = {}) => ({
  code,
  name,
  dataType: 'STRING' as const,
  length: 200,
  primaryKey: false,
  ...o,
});

/**
 * Five member resources with collected records, two themes (population: CITIZEN_ID over popR,
 * socR, secretR; legal_entity: USCC over entR, orgR), their masters and crosswalk rows written
 * into the theme tables, and department A's consumer system granted full_name, mobile and
 * sex_code of popR (nothing else).
 */
export async function oneIdFixture(db: TestDb, o: { licences?: boolean; sync?: boolean } = {}): Promise<OneIdFixture> {
  const clock = movableClock('2026-03-02T02:00:00Z');
  const t = await buildTestApp(db, { clock, sources: { security: { secretKey: PLATFORM_KEY } } });
  const s = t.services;
  const open = { shareType: 'UNCONDITIONAL' as const, shareCondition: null };
  const make = async (departmentId: string, over: Parameters<typeof resourceInput>[1]) => {
    const r = await s.resources.create(SYSTEM_ACTOR, resourceInput(departmentId, { ...open, ...over }));
    return { id: r.id, code: r.code };
  };
  const pop = await make(t.deptB.id, {
    name: '户籍人口基本信息',
    items: [
      str('citizen_id', '公民身份号码', { length: 18, primaryKey: true, maskingRule: 'CITIZEN_ID' }),
      str('full_name', '姓名', { maskingRule: 'NAME' }),
      str('mobile', '手机号码', { length: 11, maskingRule: 'MOBILE' }),
      str('address', '住址', { maskingRule: 'ADDRESS' }),
      str('sex_code', '性别代码', { length: 1 }),
    ],
  });
  const soc = await make(t.deptB.id, {
    name: '社会保险参保信息',
    items: [
      str('id_no', '证件号码', { length: 18, primaryKey: true, maskingRule: 'CITIZEN_ID' }),
      str('insured_status', '参保状态'),
      str('unit_name', '参保单位'),
    ],
  });
  const secret = await make(t.deptB.id, {
    name: '特殊人群服务管理信息',
    classified: true,
    openType: 'PROHIBITED',
    openCondition: null,
    openDomain: null,
    items: [str('citizen_id', '公民身份号码', { length: 18, primaryKey: true, maskingRule: 'CITIZEN_ID' }), str('category', '类别')],
  });
  const ent = await make(t.deptA.id, {
    name: '企业登记基本信息',
    items: [
      str('uscc', '统一社会信用代码', { length: 18, primaryKey: true }),
      str('entity_name', '企业名称'),
      str('legal_rep', '法定代表人', { maskingRule: 'NAME' }),
    ],
  });
  const org = await make(t.deptA.id, {
    name: '组织机构代码信息',
    items: [str('org_code', '组织机构代码', { length: 10, primaryKey: true }), str('org_name', '机构名称')],
  });

  await load(
    t,
    pop.id,
    `citizen_id,full_name,mobile,address,sex_code\n${P1},王小明,13800001111,浙江省绍兴市越城区府山街道1号,1\n${P2},李红,13900002222,浙江省绍兴市越城区塔山街道2号,2\n`,
  );
  await load(t, soc.id, `id_no,insured_status,unit_name\n${P1_LEGACY},参保缴费,绍兴市测试公司\n${P2},暂停缴费,绍兴市示例公司\n`);
  await load(t, secret.id, `citizen_id,category\n${P1},重点关爱对象\n`);
  await load(t, ent.id, `uscc,entity_name,legal_rep\n${E1},绍兴市测试科技有限公司,赵大海\n`);
  await load(t, org.id, `org_code,org_name\n${E1_ORG},绍兴市测试科技公司\n`);

  // The themes and their masters as the masters part writes them.
  const at = '2026-03-01T00:00:00.000Z';
  const theme = async (code: string, name: string, nameEn: string, keyKind: string, definition: unknown) => {
    const id = newId();
    await db.db
      .insertInto('themes')
      .values({ id, code, name, name_en: nameEn, key_kind: keyKind, definition: toJson(definition), version: 1, created_at: at, updated_at: at })
      .execute();
    return id;
  };
  const popDef = {
    name: '人口主题库',
    nameEn: 'Population',
    keyKind: 'CITIZEN_ID',
    attributes: [
      { code: 'citizen_id', name: '公民身份号码', nameEn: 'Citizen ID' },
      { code: 'name', name: '姓名', nameEn: 'Name' },
      { code: 'mobile', name: '手机号码', nameEn: 'Mobile' },
      { code: 'insured_status', name: '参保状态', nameEn: 'Insurance status' },
    ],
    members: [
      { resourceId: pop.id, keyItem: 'citizen_id', attributes: { name: 'full_name', mobile: 'mobile' }, priority: 1 },
      { resourceId: soc.id, keyItem: 'id_no', attributes: { insured_status: 'insured_status' }, priority: 2 },
      { resourceId: secret.id, keyItem: 'citizen_id', attributes: {}, priority: 3 },
    ],
  };
  const legalDef = {
    name: '法人主题库',
    nameEn: 'Legal entity',
    keyKind: 'USCC',
    attributes: [{ code: 'name', name: '名称', nameEn: 'Name' }],
    members: [
      { resourceId: ent.id, keyItem: 'uscc', attributes: { name: 'entity_name' }, priority: 1 },
      { resourceId: org.id, keyItem: 'org_code', attributes: { name: 'org_name' }, priority: 2 },
    ],
  };
  const master = async (themeId: string, key: string, attributes: Record<string, string>, provenance: Record<string, [string, string]>) => {
    const id = newId();
    const prov = Object.fromEntries(Object.entries(provenance).map(([a, [resourceId, sourceKey]]) => [a, { resourceId, sourceKey, receivedAt: at }]));
    await db.db
      .insertInto('theme_masters')
      .values({
        id,
        theme_id: themeId,
        master_key: key,
        attributes: toJson(attributes),
        provenance: toJson(prov),
        source_count: 0,
        region_code: '330602',
        geometry: null,
        min_x: null,
        min_y: null,
        max_x: null,
        max_y: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    return id;
  };
  const source = async (themeId: string, resourceId: string, item: string, raw: string, masterId: string, tier: string, normalised: string) => {
    await db.db
      .insertInto('theme_sources')
      .values({
        theme_id: themeId,
        resource_id: resourceId,
        source_key: recordKeyText({ [item]: raw }),
        raw_key: raw,
        normalised_key: normalised,
        master_id: masterId,
        tier,
        attributes: toJson({}),
        received_at: at,
        review_status: null,
        review_reason: null,
        reviewed_by: null,
        reviewed_at: null,
        updated_at: at,
      })
      .execute();
  };
  const key = (item: string, v: string) => recordKeyText({ [item]: v });
  let masters = { p1: '', p2: '', e1: '' };
  if (o.sync) {
    // The masters built by the masters part's own sync from the definitions (PUT /api/v1/themes/:code).
    for (const [code, def] of [
      ['population', popDef],
      ['legal_entity', legalDef],
    ] as const) {
      const res = await t.app.inject({ method: 'PUT', url: `/api/v1/themes/${code}`, headers: bearer(t.adminToken), payload: def });
      if (res.statusCode !== 200) throw new Error(`theme ${code}: ${res.body}`);
    }
    await (s as unknown as { themeSync: { idle(): Promise<void> } }).themeSync.idle();
  } else {
    masters = await writeMasters();
  }

  async function writeMasters() {
    const population = await theme('population', popDef.name, popDef.nameEn, popDef.keyKind, popDef);
    const legal = await theme('legal_entity', legalDef.name, legalDef.nameEn, legalDef.keyKind, legalDef);
    const p1 = await master(
      population,
      P1,
      { name: '王小明', mobile: '13800001111', insured_status: '参保缴费' },
      { name: [pop.id, key('citizen_id', P1)], mobile: [pop.id, key('citizen_id', P1)], insured_status: [soc.id, key('id_no', P1_LEGACY)] },
    );
    await source(population, pop.id, 'citizen_id', P1, p1, 'KEY', P1);
    await source(population, soc.id, 'id_no', P1_LEGACY, p1, 'LEGACY', P1);
    await source(population, secret.id, 'citizen_id', P1, p1, 'KEY', P1);
    const p2 = await master(
      population,
      P2,
      { name: '李红', mobile: '13900002222' },
      { name: [pop.id, key('citizen_id', P2)], mobile: [pop.id, key('citizen_id', P2)] },
    );
    await source(population, pop.id, 'citizen_id', P2, p2, 'KEY', P2);
    await source(population, soc.id, 'id_no', P2, p2, 'KEY', P2);
    const e1 = await master(legal, E1, { name: '绍兴市测试科技有限公司' }, { name: [ent.id, key('uscc', E1)] });
    await source(legal, ent.id, 'uscc', E1, e1, 'KEY', E1);
    await source(legal, org.id, 'org_code', E1_ORG, e1, 'BRIDGE', E1);
    // The organisation code a USCC master is found by (the masters part's bridge term: positions 9–17, no hyphen).
    await db.db
      .insertInto('theme_master_terms')
      .values({ theme_id: legal, term: 'org_code', value: E1.slice(8, 17), master_id: e1 })
      .execute();
    return { p1, p2, e1 };
  }

  // Department A's consumer system, granted three items of the population resource.
  const system = await s.systems.create(SYSTEM_ACTOR, {
    name: '社会救助业务系统',
    departmentId: t.deptA.id,
    level: 'CITY',
    status: 'IN_USE',
    connected: false,
  });
  const issued = await registerConsumer(t, t.deptA.token, system.id);
  const applied = await apply(t, t.deptA.token, {
    consumerId: issued.consumer.id,
    resourceId: pop.id,
    items: ['full_name', 'mobile', 'sex_code'],
    purpose: '社会救助资格核验',
    validUntil: '2026-12-31',
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

  // With `licences`: department A's e-licence resource and the elicence theme, keyed by licence id, P1 found by the indexed holder_code.
  let licR = '';
  if (o.licences) {
    const lic = await make(t.deptA.id, {
      name: '电子证照信息',
      items: [
        str('licence_id', '证照标识', { length: 40, primaryKey: true }),
        str('licence_name', '证照名称'),
        str('holder_code', '持证主体代码', { length: 18, maskingRule: 'CITIZEN_ID' }),
        str('valid_to', '有效期截止日期', { length: 10 }),
      ],
    });
    licR = lic.id;
    await load(t, lic.id, `licence_id,licence_name,holder_code,valid_to\n${LICENCE},机动车驾驶证,${P1},2030-05-01\n`);
    const elicence = await theme('elicence', '电子证照主题库', 'E-licence', 'LICENCE_ID', {
      attributes: [
        { code: 'name', name: '证照名称', nameEn: 'Name' },
        { code: 'holder_code', name: '持证主体代码', nameEn: 'Holder code', indexed: true },
      ],
      members: [{ resourceId: lic.id, keyItem: 'licence_id', attributes: { name: 'licence_name', holder_code: 'holder_code' }, priority: 1 }],
    });
    const k = key('licence_id', LICENCE);
    const m = await master(elicence, LICENCE, { name: '机动车驾驶证', holder_code: P1 }, { name: [lic.id, k], holder_code: [lic.id, k] });
    await source(elicence, lic.id, 'licence_id', LICENCE, m, 'KEY', LICENCE);
    await db.db.insertInto('theme_master_terms').values({ theme_id: elicence, term: 'holder_code', value: P1, master_id: m }).execute();
  }

  const modules = s.modules as unknown as { name: string; callRecorder?: { flush(): Promise<void> } }[];
  return {
    ...t,
    clock,
    db,
    r: { popR: pop.id, socR: soc.id, secretR: secret.id, entR: ent.id, orgR: org.id, licR },
    codes: { popR: pop.code, socR: soc.code, secretR: secret.code, entR: ent.code, orgR: org.code },
    masters,
    consumer: { id: issued.consumer.id, appKey: issued.credentials.appKey, secret: issued.credentials.secret, token: token.json().access_token },
    grantId,
    flushCalls: () => modules.find((m) => m.name === 'sharing')!.callRecorder!.flush(),
  };
}

/** A staff call of the one-ID query. */
export function staffQuery(t: OneIdFixture, token: string, id: string, purpose: string | null = PURPOSE) {
  return t.app.inject({
    method: 'GET',
    url: `/api/v1/one-id/${encodeURIComponent(id)}`,
    headers: { ...bearer(token), ...(purpose === null ? {} : { 'x-purpose': purpose }) },
  });
}

/** A consumer system's call of the one-ID query through the gateway, with its bearer token. */
export function consumerQuery(t: OneIdFixture, id: string, o: { purpose?: string | null; token?: string | null } = {}) {
  const headers: Record<string, string> = {};
  if (o.token !== null) Object.assign(headers, bearer(o.token ?? t.consumer.token));
  if (o.purpose !== null) headers['x-purpose'] = o.purpose ?? PURPOSE;
  return t.app.inject({ method: 'GET', url: `/gateway/one-id/${encodeURIComponent(id)}`, headers });
}
