import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { recordKeyText } from '../../src/modules/collection/index.js';
import { citizenIdCheckChar } from '../../src/shared/validation/citizen-id.js';
import { buildUscc, orgCodeOfUscc } from '../../src/shared/validation/uscc.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

const id18 = (birth: string, seq: string) => {
  const first17 = `330602${birth}${seq}`;
  return first17 + citizenIdCheckChar(first17);
};
/** Synthetic people: P1 also carried as a 15-digit legacy number by social security. */
const P1 = id18('19650312', '123');
const P1_LEGACY = '330602650312123';
const P2 = id18('19880706', '245');
const P3 = id18('19700101', '017');
const E1 = buildUscc('91330602', 'MA2B3C4D');
const E1_ORG = orgCodeOfUscc(E1);

const str = (code: string, name: string, o: Record<string, unknown> = {}) => ({
  code,
  name,
  dataType: 'STRING' as const,
  length: 200,
  primaryKey: false,
  ...o,
});

async function load(t: TestApp, resourceId: string, csv: string, mode: 'upsert' | 'snapshot' = 'upsert') {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/resources/${resourceId}/uploads?wait=true&fileName=data.csv&mode=${mode}`,
    headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
    payload: csv,
  });
  expect(res.json().job?.status, res.body).toBe('succeeded');
  // Collection calls themes.afterLoad once the job has settled, which may be after the answer: ask again (a sync is idempotent).
  await t.services.themeSync.afterLoad(resourceId);
}

describeEachDialect('themes core: sync, survivorship, crosswalk, conflicts, review', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  const r = { pop: '', soc: '', hh: '', ent: '', org: '' };
  const admin = () => bearer(t.adminToken);
  const idle = () => t.services.themeSync.idle();
  const get = async (url: string) => {
    const res = await t.app.inject({ method: 'GET', url, headers: admin() });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    // A database worker threads can open: the sync runs in the worker pool.
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
    const s = t.services;
    const mk = async (dept: string, items: ReturnType<typeof str>[]) => (await s.resources.create(SYSTEM_ACTOR, resourceInput(dept, { items }))).id;
    r.pop = await mk(t.deptB.id, [
      str('citizen_id', '公民身份号码', { primaryKey: true, length: 18, maskingRule: 'CITIZEN_ID' }),
      str('full_name', '姓名', { maskingRule: 'NAME' }),
      str('sex_code', '性别'),
      str('birth_date', '出生日期'),
      str('region_code', '户籍地'),
      str('mobile', '手机', { maskingRule: 'MOBILE' }),
    ]);
    r.soc = await mk(t.deptB.id, [
      str('ss_no', '社保号', { primaryKey: true }),
      str('id_no', '身份证号'),
      str('name', '姓名'),
      str('sex', '性别'),
      str('birth', '出生日期'),
      str('region', '地区'),
      str('phone', '电话'),
    ]);
    r.hh = await mk(t.deptB.id, [
      str('hh_id', '户号', { primaryKey: true }),
      str('id_no', '身份证号'),
      str('name', '姓名'),
      str('sex', '性别'),
      str('birth', '出生日期'),
      str('region', '地区'),
      str('address', '住址'),
    ]);
    r.ent = await mk(t.deptA.id, [str('uscc', '统一社会信用代码', { primaryKey: true }), str('ent_name', '名称')]);
    r.org = await mk(t.deptA.id, [str('rec_id', '编号', { primaryKey: true }), str('org_code', '组织机构代码'), str('ent_name', '名称')]);

    await load(
      t,
      r.pop,
      `citizen_id,full_name,sex_code,birth_date,region_code,mobile\n${P1},张三,1,1965-03-12,330602,13800000001\n${P2},李四,2,1988-07-06,330602,13800000002\n`,
    );
    await load(
      t,
      r.soc,
      `ss_no,id_no,name,sex,birth,region,phone\nS1,${P1_LEGACY},张三丰,1,1965-03-12,330602,13900000009\nS2,${P2.toLowerCase()},李四,2,1988-07-06,330602,13800000002\n`,
    );
    // H1: no key, but name + birth + sex + region identify P2; H2: an invalid key and no such person; H3: P3's own key.
    await load(
      t,
      r.hh,
      `hh_id,id_no,name,sex,birth,region,address\nH1,,李四,2,1988-07-06,330602,浙江省绍兴市越城区府山街道1号\nH2,123,王五,1,1950-01-01,330602,浙江省绍兴市越城区塔山街道2号\nH3,${P3},赵六,1,1970-01-01,330602,浙江省绍兴市越城区北海街道3号\n`,
    );
    await load(t, r.ent, `uscc,ent_name\n${E1},绍兴某某科技有限公司\n`);
    await load(t, r.org, `rec_id,org_code,ent_name\nO1,${E1_ORG},绍兴某某科技有限公司\nO2,12345678-9,无此单位\n`);

    const population = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/themes/population',
      headers: admin(),
      payload: {
        name: '人口主题库',
        nameEn: 'Population',
        keyKind: 'CITIZEN_ID',
        attributes: [
          { code: 'name', name: '姓名', nameEn: 'Name' },
          { code: 'sex_code', name: '性别', nameEn: 'Sex' },
          { code: 'birth_date', name: '出生日期', nameEn: 'Birth date' },
          { code: 'region_code', name: '地区', nameEn: 'Region' },
          { code: 'mobile', name: '手机', nameEn: 'Mobile' },
          { code: 'address', name: '住址', nameEn: 'Address' },
        ],
        members: [
          {
            resourceId: r.pop,
            keyItem: 'citizen_id',
            attributes: { name: 'full_name', sex_code: 'sex_code', birth_date: 'birth_date', region_code: 'region_code', mobile: 'mobile' },
            priority: 1,
          },
          {
            resourceId: r.soc,
            keyItem: 'id_no',
            attributes: { name: 'name', sex_code: 'sex', birth_date: 'birth', region_code: 'region', mobile: 'phone' },
            priority: 2,
          },
          {
            resourceId: r.hh,
            keyItem: 'id_no',
            attributes: { name: 'name', sex_code: 'sex', birth_date: 'birth', region_code: 'region', address: 'address' },
            priority: 3,
          },
        ],
        attributePriority: { mobile: [r.soc, r.pop] },
        fallbackMatch: [['name', 'birth_date', 'sex_code', 'region_code']],
        regionAttribute: 'region_code',
      },
    });
    expect(population.statusCode, population.body).toBe(200);
    const entity = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/themes/legal_entity',
      headers: admin(),
      payload: {
        name: '法人主题库',
        nameEn: 'Legal entities',
        keyKind: 'USCC',
        attributes: [{ code: 'ent_name', name: '名称', nameEn: 'Name' }],
        members: [
          { resourceId: r.ent, keyItem: 'uscc', attributes: { ent_name: 'ent_name' }, priority: 1 },
          { resourceId: r.org, keyItem: 'org_code', attributes: { ent_name: 'ent_name' }, priority: 2 },
        ],
      },
    });
    expect(entity.statusCode, entity.body).toBe(200);
    await idle();
  }, 60_000);

  afterAll(async () => {
    await t?.app.close();
    await db?.drop();
  });

  const unmasked = 'unmasked=true&reason=%E4%B8%BB%E9%A2%98%E5%BA%93%E6%A0%B8%E6%9F%A5%E6%B5%8B%E8%AF%95';

  it('builds one master per person: priority per attribute, legacy and attribute matches in the crosswalk', async () => {
    const p1 = await get(`/api/v1/themes/population/masters/${P1}?${unmasked}`);
    // Name: public security (priority 1) over social security's newer, different value; mobile: social security by the attribute's own order.
    expect(p1.attributes).toEqual({ name: '张三', sex_code: '1', birth_date: '1965-03-12', region_code: '330602', mobile: '13900000009', address: null });
    expect(p1.provenance.name.resourceId).toBe(r.pop);
    expect(p1.provenance.mobile.resourceId).toBe(r.soc);
    expect(p1.sourceCount).toBe(2);
    expect(p1.regionCode).toBe('330602');
    expect(p1.sources.map((s: { resourceId: string; tier: string }) => [s.resourceId, s.tier]).sort()).toEqual(
      [
        [r.pop, 'KEY'],
        [r.soc, 'LEGACY'],
      ].sort(),
    );
    // The 15-digit number finds the same master.
    expect((await get(`/api/v1/themes/population/masters/${P1_LEGACY}?${unmasked}`)).id).toBe(p1.id);

    const p2 = await get(`/api/v1/themes/population/masters/${P2}?${unmasked}`);
    expect(p2.sourceCount).toBe(3);
    const tiers = Object.fromEntries(p2.sources.map((s: { resourceId: string; tier: string }) => [s.resourceId, s.tier]));
    expect(tiers).toEqual({ [r.pop]: 'KEY', [r.soc]: 'KEY', [r.hh]: 'ATTRIBUTES' });
    expect(p2.attributes.address).toBe('浙江省绍兴市越城区府山街道1号');
    expect(p2.conflicts).toEqual([]);

    const theme = await get('/api/v1/themes/population');
    expect(theme.counts).toEqual({ masters: 3, sources: 7, reviewPending: 1, conflictsOpen: 2 });
    expect(theme.members.map((m: { state: { status: string; rowsSeen: number } }) => [m.state.status, m.state.rowsSeen])).toEqual([
      ['IDLE', 2],
      ['IDLE', 2],
      ['IDLE', 3],
    ]);
  });

  it('masks masters by the member items’ masking rules unless asked unmasked with a reason (audited)', async () => {
    const masked = await get(`/api/v1/themes/population/masters/${P1}`);
    expect(masked.masked).toBe(true);
    expect(masked.key).toBe(`${P1.slice(0, 6)}********${P1.slice(14)}`);
    expect(masked.attributes.name).toBe('张*');
    expect(masked.attributes.mobile).toBe('139****0009');
    const noReason = await t.app.inject({ method: 'GET', url: `/api/v1/themes/population/masters/${P1}?unmasked=true`, headers: admin() });
    expect(noReason.statusCode).toBe(400);
    const officer = await t.app.inject({ method: 'GET', url: '/api/v1/themes/population/masters', headers: bearer(t.deptB.token) });
    expect(officer.statusCode).toBe(403);
    const list = await get('/api/v1/themes/population/masters?limit=2');
    expect(list.items).toHaveLength(2);
    expect(list.nextCursor).not.toBeNull();
    const rest = await get(`/api/v1/themes/population/masters?limit=2&cursor=${list.nextCursor}`);
    expect(rest.items).toHaveLength(1);
    expect(rest.nextCursor).toBeNull();
  });

  it('bridges an organisation code to the USCC master; an unknown code waits for review', async () => {
    const e1 = await get(`/api/v1/themes/legal_entity/masters/${E1}?${unmasked}`);
    expect(e1.sources.map((s: { resourceId: string; tier: string }) => [s.resourceId, s.tier]).sort()).toEqual(
      [
        [r.ent, 'KEY'],
        [r.org, 'BRIDGE'],
      ].sort(),
    );
    expect((await get(`/api/v1/themes/legal_entity/masters/${E1_ORG}`)).id).toBe(e1.id);
    expect(await t.services.themes.list(SYSTEM_ACTOR).then((l) => l.items.find((i) => i.code === 'legal_entity')?.counts)).toEqual({
      masters: 1,
      sources: 3,
      reviewPending: 1,
      conflictsOpen: 0,
    });
    // The MasterReader the other parts use.
    const reader = t.services.modules.find((m) => m.name === 'themes') as unknown as {
      masters: { findByKey(c: string, k: string): Promise<{ id: string; key: string } | null> };
    };
    expect((await reader.masters.findByKey('legal_entity', E1_ORG))?.id).toBe(e1.id);
    expect((await reader.masters.findByKey('population', P1_LEGACY))?.key).toBe(P1);
  });

  it('raises a conflict between sources as a consistency problem, resolved when they agree again', async () => {
    const conflicts = await get(`/api/v1/themes/population/conflicts?status=OPEN&${unmasked}`);
    expect(conflicts.items.map((c: { attribute: string; masterKey: string }) => [c.masterKey, c.attribute]).sort()).toEqual([
      [P1, 'mobile'],
      [P1, 'name'],
    ]);
    const problems = async (resourceId: string) =>
      (await get(`/api/v1/quality/problems?resourceId=${resourceId}`)).items.filter((p: { ruleId: string }) => p.ruleId === 'theme:population');
    const [soc] = await problems(r.soc);
    expect(soc).toMatchObject({ status: 'open', dimension: 'consistency', checked: 2, failed: 1, sample: [recordKeyText({ ss_no: 'S1' })] });
    expect(await problems(r.hh)).toEqual([]);

    await load(t, r.soc, `ss_no,id_no,name,sex,birth,region,phone\nS1,${P1_LEGACY},张三,1,1965-03-12,330602,13800000001\n`);
    await idle();
    expect((await get('/api/v1/themes/population/conflicts?status=OPEN')).items).toEqual([]);
    expect((await get('/api/v1/themes/population/conflicts?status=RESOLVED')).items).toHaveLength(2);
    expect(await problems(r.soc)).toMatchObject([{ status: 'closed', failed: 0 }]);
  });

  it('keeps the review queue: link and dismiss by hand', async () => {
    const queue = await get(`/api/v1/themes/population/review?${unmasked}`);
    expect(queue.items).toHaveLength(1);
    expect(queue.items[0]).toMatchObject({ resourceId: r.hh, sourceKey: recordKeyText({ hh_id: 'H2' }), rawKey: '123', reviewStatus: 'PENDING' });
    expect(queue.items[0].reviewReason).toContain('no unique match on name+birth_date+sex_code+region_code');

    const link = await t.app.inject({
      method: 'POST',
      url: '/api/v1/themes/population/review/link',
      headers: admin(),
      payload: { resourceId: r.hh, sourceKey: recordKeyText({ hh_id: 'H2' }), masterKey: P3, note: '户籍核实为同一人' },
    });
    expect(link.statusCode, link.body).toBe(200);
    expect(link.json()).toMatchObject({ reviewStatus: 'LINKED', reviewedBy: 'admin' });
    const p3 = await get(`/api/v1/themes/population/masters/${P3}?${unmasked}`);
    expect(p3.sourceCount).toBe(2);
    expect((await get('/api/v1/themes/population/review?status=LINKED')).items).toHaveLength(1);
    expect((await get('/api/v1/themes/population/review')).items).toEqual([]);

    // A sync keeps the reviewer's decision while the key stays unusable.
    await t.services.themeSync.queue((await t.services.themes.themeOr404('population')).id, r.hh);
    await idle();
    expect((await get(`/api/v1/themes/population/masters/${P3}`)).sourceCount).toBe(2);

    const dismiss = await t.app.inject({
      method: 'POST',
      url: '/api/v1/themes/population/review/dismiss',
      headers: admin(),
      payload: { resourceId: r.hh, sourceKey: recordKeyText({ hh_id: 'H2' }), reason: '非本市户籍' },
    });
    expect(dismiss.statusCode, dismiss.body).toBe(200);
    expect(dismiss.json()).toMatchObject({ reviewStatus: 'DISMISSED', masterId: null });
    expect((await get(`/api/v1/themes/population/masters/${P3}`)).sourceCount).toBe(1);
  });

  it('removes crosswalk rows of deleted member records, and masters left without a source', async () => {
    await load(t, r.hh, `hh_id,id_no,name,sex,birth,region,address\nH1,,李四,2,1988-07-06,330602,浙江省绍兴市越城区府山街道1号\n`, 'snapshot');
    await idle();
    const missing = await t.app.inject({ method: 'GET', url: `/api/v1/themes/population/masters/${P3}`, headers: admin() });
    expect(missing.statusCode).toBe(404);
    expect((await get('/api/v1/themes/population')).counts).toMatchObject({ masters: 2, sources: 5 });
  });

  it('answers PUT errors as problem+json naming the path', async () => {
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/themes/population',
      headers: admin(),
      payload: {
        name: '人口',
        nameEn: 'Population',
        keyKind: 'CITIZEN_ID',
        attributes: [{ code: 'name', name: '姓名', nameEn: 'Name' }],
        members: [{ resourceId: r.pop, keyItem: 'no_such_item', attributes: { name: 'full_name', nope: 'full_name' }, priority: 1 }],
        fallbackMatch: [['name', 'name']],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().code).toBe('VALIDATION_FAILED');
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual([
      'body.members[0].keyItem',
      'body.members[0].attributes.nope',
      'body.fallbackMatch[0]',
    ]);
    const single = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/themes/population',
      headers: admin(),
      payload: {
        name: '人口',
        nameEn: 'Population',
        keyKind: 'CITIZEN_ID',
        attributes: [{ code: 'name', name: '姓名', nameEn: 'Name' }],
        members: [{ resourceId: r.pop, keyItem: 'citizen_id', attributes: { name: 'full_name' }, priority: 1 }],
        fallbackMatch: [['name']],
      },
    });
    expect(single.statusCode).toBe(400);
    expect(single.json().errors[0].path).toContain('fallbackMatch');
    const officer = await t.app.inject({ method: 'POST', url: '/api/v1/themes/population/sync', headers: bearer(t.deptA.token) });
    expect(officer.statusCode).toBe(403);
    const sync = await t.app.inject({ method: 'POST', url: '/api/v1/themes/population/sync', headers: admin() });
    expect(sync.statusCode).toBe(202);
    await idle();
  });
});
