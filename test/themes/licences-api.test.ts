import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { fixedClock } from '../../src/shared/clock.js';
import { fromJson, toJson } from '../../src/storage/dialect.js';
import { citizenIdCheckChar } from '../../src/shared/validation/citizen-id.js';
import { buildLicenceId } from '../../src/shared/validation/licence-id.js';
import { buildUscc } from '../../src/shared/validation/uscc.js';
import { validityOf, chinaToday } from '../../src/modules/themes/licences/validity.js';
import { licenceHash } from '../../src/modules/themes/licences/licences.service.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

// 2026-12-01 17:30 UTC is 2026-12-02 01:30 in China Standard Time: "today" is the 2nd.
const NOW = '2026-12-01T17:30:00.000Z';
const AT = '2026-11-20T08:00:00.000Z';
const TYPE_A = '11100000000013338W032';
const TYPE_B = '11100000MB0341032Y002';
const ISSUER = buildUscc('11330600', 'KJ000105');
const FIRM = buildUscc('91330602', 'MA2B3C4D');
const first17 = '33060219900307123';
const PERSON = first17 + citizenIdCheckChar(first17);
const id = (serial: string, typeCode = TYPE_A) => buildLicenceId({ typeCode, issuerUscc: ISSUER, serial, version: '001' });
const L = { valid: id('KJ0001'), revoked: id('KJ0002', TYPE_B), expired: id('KJ0003'), future: id('KJ0004'), firm: id('KJ0005', TYPE_B) };

describe('validity of a licence today (China Standard Time)', () => {
  it('reads today in UTC+8', () => {
    expect(chinaToday(new Date(NOW))).toBe('2026-12-02');
    expect(chinaToday(new Date('2026-12-01T15:59:59.000Z'))).toBe('2026-12-01');
  });
  it('lets the status revoke or expire, else the dates decide', () => {
    const today = '2026-12-02';
    const v = (status: string | null, validFrom: string | null, validTo: string | null) => validityOf({ status, validFrom, validTo }, today);
    expect(v('有效', '2026-01-01', '2030-12-31')).toBe('VALID');
    expect(v('01', '2026-12-02', '2026-12-02')).toBe('VALID');
    expect(v('吊销', '2026-01-01', '2030-12-31')).toBe('REVOKED');
    expect(v('注销', null, null)).toBe('REVOKED');
    expect(v('02', null, null)).toBe('REVOKED');
    expect(v('05', '2026-01-01', '2030-12-31')).toBe('EXPIRED');
    expect(v('有效', '2020-01-01', '2026-12-01')).toBe('EXPIRED');
    expect(v('有效', '20261203', null)).toBe('NOT_YET_VALID');
    expect(v('99', '2026年1月1日', '长期')).toBe('VALID');
    expect(v(null, null, '2026/12/1')).toBe('EXPIRED');
  });
});

describeEachDialect('e-licences (/api/v1/licences)', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let resourceId: string;

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
  const detail = (row: { detail: unknown }) => fromJson<Record<string, unknown>>(row.detail, {});
  const audits = (action: string) => db.db.selectFrom('audit_events').selectAll().where('action', '=', action).orderBy('at').execute();

  beforeAll(async () => {
    db = await fresh();
    t = await buildTestApp(db, { clock: fixedClock(NOW) });
    resourceId = (
      await t.services.resources.create(
        SYSTEM_ACTOR,
        resourceInput(t.deptA.id, {
          name: '电子证照（测试）',
          items: [
            { code: 'licence_id', name: '证照标识', dataType: 'STRING', length: 100, primaryKey: true },
            { code: 'licence_name', name: '证照名称', dataType: 'STRING', length: 100, primaryKey: false },
            { code: 'holder_name', name: '持证主体', dataType: 'STRING', length: 100, primaryKey: false, maskingRule: 'NAME' },
            { code: 'holder_code', name: '持证主体代码', dataType: 'STRING', length: 18, primaryKey: false, maskingRule: 'CITIZEN_ID' },
            { code: 'licence_status', name: '证照状态', dataType: 'STRING', length: 10, primaryKey: false },
          ],
        }),
      )
    ).id;
    const themeId = randomUUID();
    const attributes = { name: 'licence_name', holder: 'holder_name', holder_code: 'holder_code', status: 'licence_status' };
    await db.db
      .insertInto('themes')
      .values({
        id: themeId,
        code: 'elicence',
        name: '电子证照库',
        name_en: 'E-licences',
        key_kind: 'LICENCE_ID',
        definition: toJson({
          attributes: [{ code: 'holder_code', name: '持证主体代码', nameEn: 'Holder code', indexed: true }],
          members: [{ resourceId, keyItem: 'licence_id', attributes, priority: 1 }],
        }),
        version: 1,
        created_at: AT,
        updated_at: AT,
      })
      .execute();
    const master = async (key: string, a: Record<string, string | null>) => {
      const mid = randomUUID();
      const provenance = Object.fromEntries(Object.keys(a).map((code) => [code, { resourceId, sourceKey: `[["licence_id","${key}"]]`, receivedAt: AT }]));
      await db.db
        .insertInto('theme_masters')
        .values({
          id: mid,
          theme_id: themeId,
          master_key: key,
          attributes: toJson(a),
          provenance: toJson(provenance),
          source_count: 1,
          region_code: '330602',
          created_at: AT,
          updated_at: AT,
        })
        .execute();
      await db.db.insertInto('theme_master_terms').values({ theme_id: themeId, term: 'holder_code', value: a.holder_code!, master_id: mid }).execute();
    };
    const person = { holder: '王小明', holder_code: PERSON, holder_code_type: '111', issuer: '绍兴市测试局', issuer_code: ISSUER, region_code: '330602' };
    await master(L.valid, {
      ...person,
      name: '建筑施工特种作业操作资格证书',
      type_code: TYPE_A,
      number: 'ZJ-0001',
      status: '有效',
      issue_date: '2026-01-05',
      valid_from: '2026-01-05',
      valid_to: '2030-12-31',
    });
    await master(L.revoked, {
      ...person,
      name: '测试许可证',
      type_code: TYPE_B,
      number: 'ZJ-0002',
      status: '吊销',
      issue_date: '2025-01-05',
      valid_from: '2025-01-05',
      valid_to: '2030-12-31',
    });
    await master(L.expired, {
      ...person,
      name: '建筑施工特种作业操作资格证书',
      type_code: TYPE_A,
      number: 'ZJ-0003',
      status: '有效',
      issue_date: '2020-12-01',
      valid_from: '2020-12-01',
      valid_to: '2026-12-01',
    });
    await master(L.future, {
      ...person,
      name: '建筑施工特种作业操作资格证书',
      type_code: TYPE_A,
      number: 'ZJ-0004',
      status: '有效',
      issue_date: '2026-11-30',
      valid_from: '2026-12-03',
      valid_to: null,
    });
    await master(L.firm, {
      name: '测试许可证',
      type_code: TYPE_B,
      number: 'ZJ-0005',
      holder: '绍兴测试有限公司',
      holder_code: FIRM,
      holder_code_type: '001',
      issuer: '绍兴市测试局',
      issuer_code: ISSUER,
      issue_date: '2026-06-01',
      valid_from: '2026-06-01',
      valid_to: null,
      status: '01',
      region_code: '330602',
    });
  });
  afterAll(async () => {
    await t.app.close();
    await db.drop();
  });

  it('verifies an identifier without a token, a use reason or any read', async () => {
    const res = await get(`/api/v1/licences/verify/${encodeURIComponent(L.valid.toLowerCase())}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      valid: true,
      identifier: L.valid,
      parts: { oid: '1.2.156.3005.2', typeCode: TYPE_A, issuerUscc: ISSUER, serial: 'KJ0001', version: '001', check: L.valid.slice(-1) },
      expectedCheck: L.valid.slice(-1),
      errors: [],
    });
    const wrong = L.valid.slice(0, -1) + (L.valid.endsWith('A') ? 'B' : 'A');
    const bad = (await get(`/api/v1/licences/verify/${wrong}`)).json();
    expect(bad.valid).toBe(false);
    expect(bad.expectedCheck).toBe(L.valid.slice(-1));
    expect(bad.errors).toEqual([{ field: 'check', code: 'CHECK', message: `check character should be '${L.valid.slice(-1)}', not '${wrong.slice(-1)}'` }]);
    const prefix = (await get('/api/v1/licences/verify/1.2.156.3005.1.X')).json();
    expect(prefix).toMatchObject({ valid: false, parts: null, expectedCheck: null, errors: [{ field: 'oid', code: 'PREFIX' }] });
    expect(await audits('licence.read')).toHaveLength(0);
  });

  it('refuses a read without a use reason (problem+json USE_CAUSE_REQUIRED) and without a token', async () => {
    const res = await get(`/api/v1/licences/${L.valid}`, bearer(t.deptB.token));
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'USE_CAUSE_REQUIRED', status: 400, header: 'X-Use-Cause', query: 'useCause' });
    expect((await get(`/api/v1/licences?holderCode=${PERSON}`, bearer(t.deptB.token))).json().code).toBe('USE_CAUSE_REQUIRED');
    expect((await get(`/api/v1/licences/${L.valid}?useCause=x`, bearer(t.deptB.token))).json().code).toBe('USE_CAUSE_REQUIRED');
    expect((await get(`/api/v1/licences/${L.valid}?useCause=${'长'.repeat(201)}`, bearer(t.deptB.token))).statusCode).toBe(400);
    expect((await get(`/api/v1/licences/${L.valid}?useCause=办理开业登记`)).statusCode).toBe(401);
    expect(await audits('licence.read')).toHaveLength(0);
  });

  it('reads one licence by identifier for staff of any department, masked, with its validity, and audits it', async () => {
    const cause = '办理建筑施工许可核验';
    const res = await get(`/api/v1/licences/${L.valid}`, { ...bearer(t.deptB.token), 'x-use-cause': encodeURIComponent(cause) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      identifier: L.valid,
      name: '建筑施工特种作业操作资格证书',
      typeCode: TYPE_A,
      number: 'ZJ-0001',
      holder: '王**',
      holderCode: `${PERSON.slice(0, 6)}********${PERSON.slice(-4)}`,
      holderCodeType: '111',
      issuer: '绍兴市测试局',
      issuerCode: ISSUER,
      issueDate: '2026-01-05',
      validFrom: '2026-01-05',
      validTo: '2030-12-31',
      regionCode: '330602',
      status: '有效',
      validity: 'VALID',
      masked: true,
      provenance: expect.objectContaining({ holder_code: { resourceId, receivedAt: AT }, status: { resourceId, receivedAt: AT } }),
    });
    const [row] = await audits('licence.read');
    expect(row).toMatchObject({ actor_name: 'officer-b', target_type: 'licence', target_id: licenceHash(L.valid), outcome: 'success' });
    expect(detail(row!)).toEqual({
      identifier: L.valid,
      useCause: cause,
      found: true,
      masked: true,
      validity: 'VALID',
    });
  });

  it('normalises the identifier, computes every validity state and answers 404 / 400 for unknown and invalid ones', async () => {
    const h = { ...bearer(t.auditorToken), 'x-use-cause': 'audit check' };
    const validity = async (key: string) => (await get(`/api/v1/licences/${encodeURIComponent(key)}`, h)).json().validity;
    expect(await validity(` ${L.valid.toLowerCase()} `)).toBe('VALID');
    expect(await validity(L.revoked)).toBe('REVOKED');
    expect(await validity(L.expired)).toBe('EXPIRED');
    expect(await validity(L.future)).toBe('NOT_YET_VALID');
    expect(await validity(L.firm)).toBe('VALID');
    const missing = await get(`/api/v1/licences/${id('KJ9999')}`, h);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('NOT_FOUND');
    const invalid = await get(`/api/v1/licences/${L.valid.slice(0, -1)}0`, h);
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'params.identifier', code: 'CHECK' }] });
    const rows = await audits('licence.read');
    // Seven earlier reads were audited by now: one in the test before, five here, the 404 too; the invalid one reads nothing.
    expect(rows).toHaveLength(7);
    expect(rows.at(-1)).toMatchObject({ target_id: licenceHash(id('KJ9999')), actor_name: 'auditor' });
    expect(detail(rows.at(-1)!)).toEqual({ identifier: id('KJ9999'), found: false, masked: true, useCause: 'audit check' });
  });

  it('lists a holder’s licences (optionally of one type), masked unless an administrator asks unmasked, and audits the holder masked', async () => {
    const h = { ...bearer(t.deptA.token) };
    const all = (await get(`/api/v1/licences?holderCode=${PERSON.toLowerCase()}&useCause=${encodeURIComponent('一证通办核验')}`, h)).json();
    expect(all.items.map((l: { identifier: string; validity: string }) => [l.identifier, l.validity])).toEqual(
      [
        [L.valid, 'VALID'],
        [L.revoked, 'REVOKED'],
        [L.expired, 'EXPIRED'],
        [L.future, 'NOT_YET_VALID'],
      ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
    const typed = (await get(`/api/v1/licences?holderCode=${PERSON}&typeCode=${TYPE_B}&useCause=核验`, h)).json();
    expect(typed.items.map((l: { identifier: string }) => l.identifier)).toEqual([L.revoked]);
    const firm = (await get(`/api/v1/licences?holderCode=${FIRM}&useCause=核验`, h)).json();
    expect(firm.items).toHaveLength(1);
    expect(firm.items[0]).toMatchObject({
      identifier: L.firm,
      holder: '绍*******',
      holderCode: `${FIRM.slice(0, 6)}********${FIRM.slice(-4)}`,
      validity: 'VALID',
    });
    expect((await get(`/api/v1/licences?holderCode=${PERSON}&useCause=核验&unmasked=true`, h)).statusCode).toBe(403);
    const admin = (await get(`/api/v1/licences?holderCode=${PERSON}&typeCode=${TYPE_A}&useCause=核验&unmasked=true`, bearer(t.adminToken))).json();
    expect(admin.items.map((l: { holder: string; holderCode: string; masked: boolean }) => [l.holder, l.holderCode, l.masked])).toEqual([
      ['王小明', PERSON, false],
      ['王小明', PERSON, false],
      ['王小明', PERSON, false],
    ]);
    expect((await get(`/api/v1/licences?holderCode=${buildUscc('91330602', 'MA2B3C4E')}&useCause=核验`, h)).json()).toEqual({ items: [] });

    const rows = await audits('licence.list');
    expect(rows).toHaveLength(5);
    const first = detail(rows[0]!);
    expect(first).toMatchObject({ useCause: '一证通办核验', holder: `${PERSON.slice(0, 6)}********${PERSON.slice(-4)}`, typeCode: null, masked: true });
    expect(first.identifiers).toHaveLength(4);
    expect(JSON.stringify(rows.map(detail))).not.toContain(PERSON);
    expect(rows[0]!.target_id).toBe(rows[1]!.target_id);
    expect(detail(rows[3]!)).toMatchObject({ masked: false, typeCode: TYPE_A });
  });
});
