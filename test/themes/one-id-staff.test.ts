import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { E1, E1_ORG, NOBODY, oneIdFixture, P1, P1_LEGACY, P2, staffQuery, type OneIdFixture } from './one-id-fixtures.js';

/** P1 as anyone but department B's officers reads it: every item masked by its rule. */
const p1Masked = (t: OneIdFixture) => [
  {
    theme: 'population',
    resourceId: t.r.popR,
    resourceCode: t.codes.popR,
    resourceName: '户籍人口基本信息',
    tier: 'KEY',
    record: { citizen_id: `330602********${P1.slice(14)}`, full_name: '王**', mobile: '138****1111', address: '浙江省绍兴市越城区****', sex_code: '1' },
  },
  {
    theme: 'population',
    resourceId: t.r.secretR,
    resourceCode: t.codes.secretR,
    resourceName: '特殊人群服务管理信息',
    tier: 'KEY',
    record: { citizen_id: `330602********${P1.slice(14)}`, category: '重点关爱对象' },
  },
  {
    theme: 'population',
    resourceId: t.r.socR,
    resourceCode: t.codes.socR,
    resourceName: '社会保险参保信息',
    tier: 'LEGACY',
    record: { id_no: `330602*****${P1_LEGACY.slice(11)}`, insured_status: '参保缴费', unit_name: '绍兴市测试公司' },
  },
];

describeEachDialect('themes: the one-ID query for staff (scope, masking, purpose, audit, id forms)', (fresh) => {
  let db: TestDb;
  let t: OneIdFixture;

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await oneIdFixture(db);
  }, 60_000);

  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  it('answers an administrator every member record of the person, masked by rule, with the master and its provenance', async () => {
    const res = await staffQuery(t, t.adminToken, P1);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ id: P1, kind: 'CITIZEN_ID', matchedBy: 'KEY', withheld: [] });
    expect(body.subjects).toEqual([
      {
        theme: 'population',
        themeName: '人口主题库',
        masterKey: P1,
        attributes: { name: '王**', mobile: '138****1111', insured_status: '参保缴费' },
        provenance: {
          name: { resourceId: t.r.popR, receivedAt: '2026-03-01T00:00:00.000Z' },
          mobile: { resourceId: t.r.popR, receivedAt: '2026-03-01T00:00:00.000Z' },
          insured_status: { resourceId: t.r.socR, receivedAt: '2026-03-01T00:00:00.000Z' },
        },
      },
    ]);
    const byResource = (list: { resourceId: string }[]) => [...list].sort((a, b) => a.resourceId.localeCompare(b.resourceId));
    expect(byResource(body.records)).toEqual(byResource(p1Masked(t)));
  });

  it("shows a department's officers their own resources in clear, classified ones included, and withholds nothing of theirs", async () => {
    const res = await staffQuery(t, t.deptB.token, P1);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.withheld).toEqual([]);
    expect(body.records).toHaveLength(3);
    expect(body.records.find((r: { resourceId: string }) => r.resourceId === t.r.popR).record).toEqual({
      citizen_id: P1,
      full_name: '王小明',
      mobile: '13800001111',
      address: '浙江省绍兴市越城区府山街道1号',
      sex_code: '1',
    });
    expect(body.records.find((r: { resourceId: string }) => r.resourceId === t.r.secretR).record).toEqual({ citizen_id: P1, category: '重点关爱对象' });
    expect(body.subjects[0].attributes).toEqual({ name: '王小明', mobile: '13800001111', insured_status: '参保缴费' });
  });

  it("sends another department's officers to sharing and never names a classified resource of another department", async () => {
    const res = await staffQuery(t, t.deptA.token, P1);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.records).toEqual([]);
    expect(body.subjects).toEqual([]);
    expect([...body.withheld].sort((a: { resourceId: string }, b: { resourceId: string }) => a.resourceId.localeCompare(b.resourceId))).toEqual(
      [
        { resourceId: t.r.popR, resourceName: '户籍人口基本信息', reason: 'OTHER_DEPARTMENT' },
        { resourceId: t.r.socR, resourceName: '社会保险参保信息', reason: 'OTHER_DEPARTMENT' },
      ].sort((a, b) => a.resourceId.localeCompare(b.resourceId)),
    );
    expect(res.body).not.toContain(t.r.secretR);
    expect(res.body).not.toContain('特殊人群');
    // Their own department's entity, in clear.
    const own = await staffQuery(t, t.deptA.token, E1);
    expect(own.json().records.map((r: { resourceId: string; record: unknown }) => [r.resourceId, r.record])).toEqual([
      [t.r.entR, { uscc: E1, entity_name: '绍兴市测试科技有限公司', legal_rep: '赵大海' }],
      [t.r.orgR, { org_code: E1_ORG, org_name: '绍兴市测试科技公司' }],
    ]);
  });

  it('requires a purpose with the code the gateway uses', async () => {
    for (const purpose of [null, '', ' ']) {
      const res = await staffQuery(t, t.adminToken, P1, purpose);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'GATEWAY_PURPOSE_REQUIRED' });
    }
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/one-id/${P1}`, headers: { 'x-purpose': 'abc' } })).statusCode).toBe(401);
  });

  it('audits the read once with its purpose, resources and row counts, the subject masked and hashed, never in clear', async () => {
    const before = await db.db.selectFrom('audit_events').select('id').where('action', '=', 'one-id.query').execute();
    await staffQuery(t, t.adminToken, P1, encodeURIComponent('低保资格复核'));
    const rows = await db.db.selectFrom('audit_events').selectAll().where('action', '=', 'one-id.query').orderBy('at').orderBy('id').execute();
    expect(rows).toHaveLength(before.length + 1);
    const row = rows.find((r) => !before.some((b) => b.id === r.id))!;
    const detail = typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail;
    expect(row).toMatchObject({ target_type: 'subject', actor_name: 'admin', outcome: 'success' });
    expect(row.target_id).toMatch(/^[0-9a-f]{64}$/);
    expect(detail).toMatchObject({
      purpose: '低保资格复核',
      kind: 'CITIZEN_ID',
      subject: `330602********${P1.slice(14)}`,
      subjectHash: row.target_id,
      rowCount: 3,
      withheld: [],
    });
    expect([...detail.resources].sort((a: { resourceId: string }, b: { resourceId: string }) => a.resourceId.localeCompare(b.resourceId))).toEqual(
      [
        { resourceId: t.r.popR, rows: 1, items: ['citizen_id', 'full_name', 'mobile', 'address', 'sex_code'] },
        { resourceId: t.r.socR, rows: 1, items: ['id_no', 'insured_status', 'unit_name'] },
        { resourceId: t.r.secretR, rows: 1, items: ['citizen_id', 'category'] },
      ].sort((a, b) => a.resourceId.localeCompare(b.resourceId)),
    );
    expect(JSON.stringify(row)).not.toContain(P1);
    // The record reader wrote no read event of its own for these reads: the query's one event stands for them.
    const reads = await db.db.selectFrom('audit_events').select('id').where('action', '=', 'records.lookup').execute();
    expect(reads).toHaveLength(0);
  });

  it('finds the same person from a legacy 15-digit number, full-width digits and a lower-case x', async () => {
    const legacy = await staffQuery(t, t.adminToken, P1_LEGACY);
    expect(legacy.statusCode, legacy.body).toBe(200);
    const full = await staffQuery(t, t.adminToken, P1);
    expect(legacy.json()).toEqual({ ...full.json(), matchedBy: 'LEGACY' });
    const wide = [...P2.toLowerCase()].map((c) => (/\d/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join('');
    const p2 = await staffQuery(t, t.adminToken, ` ${wide} `);
    expect(p2.statusCode, p2.body).toBe(200);
    expect(p2.json()).toMatchObject({ id: P2, kind: 'CITIZEN_ID', matchedBy: 'KEY', subjects: [{ masterKey: P2 }] });
    expect(p2.json().records).toHaveLength(2);
  });

  it('finds an entity from its organisation code through the USCC bridge, the same as from its USCC', async () => {
    const byUscc = await staffQuery(t, t.adminToken, E1.toLowerCase());
    expect(byUscc.statusCode, byUscc.body).toBe(200);
    expect(byUscc.json()).toMatchObject({ id: E1, kind: 'USCC', matchedBy: 'KEY' });
    expect(
      byUscc
        .json()
        .records.map((r: { tier: string }) => r.tier)
        .sort(),
    ).toEqual(['BRIDGE', 'KEY']);
    const byOrg = await staffQuery(t, t.adminToken, E1_ORG);
    expect(byOrg.statusCode, byOrg.body).toBe(200);
    expect(byOrg.json()).toEqual({ ...byUscc.json(), matchedBy: 'BRIDGE' });
  });

  it('tells an invalid id (naming why) from a valid one nobody has', async () => {
    const badCheck = P1.slice(0, 17) + (P1[17] === '0' ? '1' : '0');
    const cases: [string, RegExp][] = [
      [badCheck, /check character should be/],
      [P1.slice(0, 17), /18 characters .* not 17/],
      [E1.slice(0, 17) + (E1[17] === 'A' ? 'B' : 'A'), /check character/],
      ['12345678-0', /organisation code/],
    ];
    for (const [id, why] of cases) {
      const res = await staffQuery(t, t.adminToken, id);
      expect(res.statusCode, id).toBe(400);
      const body = res.json();
      expect(body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'params.id', code: 'invalid_id' }] });
      expect(body.errors[0].message, id).toMatch(why);
    }
    const none = await staffQuery(t, t.adminToken, NOBODY);
    expect(none.statusCode, none.body).toBe(200);
    expect(none.json()).toEqual({ id: NOBODY, kind: 'CITIZEN_ID', matchedBy: 'KEY', subjects: [], records: [], withheld: [] });
  });
});
