import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { departmentInput, resourceInput, syntheticUscc } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

describeEachDialect('catalogue figures', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let deptC: string;
  beforeAll(async () => {
    db = await fresh();
    t = await buildTestApp(db);
    const s = t.services;
    // deptA and deptB are city departments (330600); deptC is a district one (越城区 330602).
    deptC = (await s.departments.create(SYSTEM_ACTOR, departmentInput({ name: '越城区市场监督管理局', regionCode: '330602', uscc: syntheticUscc('330602') })))
      .id;

    // A1: city, departmental, conditional, 3 items, all shareable and restricted-open.
    await s.resources.create(SYSTEM_ACTOR, resourceInput(t.deptA.id, { code: '301001/00201' }));
    // A2: city, classified, not shared, 2 items, L3, annual.
    await s.resources.create(
      SYSTEM_ACTOR,
      resourceInput(t.deptA.id, {
        code: '301001/00202',
        classified: true,
        shareType: 'NOT_SHARED',
        shareCondition: null,
        notSharedBasis: '《中华人民共和国保守国家秘密法》',
        openType: 'PROHIBITED',
        openCondition: null,
        openDomain: null,
        sensitivity: 'L3',
        updateFrequency: '07',
        items: [
          { code: 'case_no', name: '案件编号', dataType: 'STRING', primaryKey: true },
          { code: 'summary', name: '案情摘要', dataType: 'TEXT', primaryKey: false },
        ],
      }),
    );
    // B1: city, base category, unconditional, L1, realtime; 4 items of which one is not shared (so not openable either).
    await s.resources.create(
      SYSTEM_ACTOR,
      resourceInput(t.deptB.id, {
        code: '101001/00203',
        category: 1,
        shareType: 'UNCONDITIONAL',
        shareCondition: null,
        openType: 'UNCONDITIONAL',
        openCondition: null,
        sensitivity: 'L1',
        updateFrequency: '01',
        items: [
          { code: 'org_id', name: '机构代码', dataType: 'STRING', primaryKey: true },
          { code: 'org_name', name: '机构名称', dataType: 'STRING', primaryKey: false },
          { code: 'address', name: '地址', dataType: 'STRING', primaryKey: false },
          {
            code: 'inner_note',
            name: '内部备注',
            dataType: 'TEXT',
            primaryKey: false,
            shareType: 'NOT_SHARED',
            shareCondition: '《政府信息公开条例》第十六条',
          },
        ],
      }),
    );
    // C1: district, thematic, conditional, 2 items.
    await s.resources.create(
      SYSTEM_ACTOR,
      resourceInput(deptC, {
        code: '201001/00204',
        category: 2,
        items: [
          { code: 'uscc', name: '统一社会信用代码', dataType: 'STRING', length: 18, primaryKey: true },
          { code: 'org_name', name: '单位名称', dataType: 'STRING', primaryKey: false },
        ],
      }),
    );

    await s.systems.create(SYSTEM_ACTOR, { name: '市场监管综合业务系统', departmentId: t.deptA.id, level: 'CITY', status: 'IN_USE', connected: true });
    await s.systems.create(SYSTEM_ACTOR, { name: '全民健康信息平台', departmentId: t.deptB.id, level: 'PROVINCIAL', status: 'IN_USE', connected: false });
    await s.systems.create(SYSTEM_ACTOR, { name: '越城区基层治理系统', departmentId: deptC, level: 'COUNTY', status: 'IN_USE', connected: true });
  });
  afterAll(async () => {
    await t.app.close();
    await db.drop();
  });

  const stats = async (token?: string) => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/catalog/stats', headers: token ? bearer(token) : {} });
    expect(res.statusCode).toBe(200);
    return res.json();
  };
  const counts = (rows: { code: string | number; resources: number; items: number }[]) => Object.fromEntries(rows.map((r) => [r.code, [r.resources, r.items]]));

  it("gives an administrator the bureau's full figures, exactly", async () => {
    const s = await stats(t.adminToken);
    expect(s).toMatchObject({ scope: 'all', resources: 4, items: 11, shareableItems: 8, openableItems: 8, classifiedResources: 1 });
    expect(counts(s.byCategory)).toEqual({ 1: [1, 4], 2: [1, 2], 3: [2, 5] });
    expect(counts(s.byShareType)).toEqual({ UNCONDITIONAL: [1, 3], CONDITIONAL: [2, 5], NOT_SHARED: [1, 3] });
    expect(counts(s.byOpenType)).toEqual({ UNCONDITIONAL: [1, 3], RESTRICTED: [2, 5], PROHIBITED: [1, 3] });
    expect(counts(s.bySensitivity)).toEqual({ L1: [1, 4], L2: [2, 5], L3: [1, 2], L4: [0, 0] });
    expect(counts(s.byUpdateFrequency)).toEqual({
      '01': [1, 4],
      '02': [2, 5],
      '03': [0, 0],
      '04': [0, 0],
      '05': [0, 0],
      '06': [0, 0],
      '07': [1, 2],
      '08': [0, 0],
      '09': [0, 0],
      '10': [0, 0],
    });
    expect(s.byUpdateFrequency.map((r: { code: string }) => r.code)).toEqual(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10']);
    expect(s.byShareType[0]).toEqual({ code: 'UNCONDITIONAL', zh: '无条件共享', en: 'unconditional', resources: 1, items: 3 });
    expect(s.byCategory[0]).toMatchObject({ code: 1, zh: '基础信息资源' });

    expect(s.cityLevel).toEqual({ resources: 3, items: 9, shareableItems: 6 });
    expect(s.districts).toEqual({ resources: 1, items: 2, shareableItems: 2 });
    expect(s.byRegion.slice(0, 2)).toEqual([
      { regionCode: '330600', regionName: '绍兴市', level: 'prefecture', resources: 3, items: 9, shareableItems: 6 },
      { regionCode: '330602', regionName: '越城区', level: 'county', resources: 1, items: 2, shareableItems: 2 },
    ]);
    expect(s.byRegion.map((r: { regionCode: string }) => r.regionCode)).toEqual(['330600', '330602', '330603', '330604', '330624', '330681', '330683']);
    expect(s.byRegion.slice(2).every((r: { resources: number; items: number }) => r.resources === 0 && r.items === 0)).toBe(true);

    const byDept = Object.fromEntries(s.byDepartment.map((d: { departmentId: string }) => [d.departmentId, d]));
    expect(byDept[t.deptA.id]).toEqual({
      departmentId: t.deptA.id,
      departmentName: '绍兴市市场监督管理局',
      regionCode: '330600',
      resources: 2,
      items: 5,
      shareableItems: 3,
    });
    expect(byDept[t.deptB.id]).toMatchObject({ resources: 1, items: 4, shareableItems: 3 });
    expect(byDept[deptC]).toEqual({
      departmentId: deptC,
      departmentName: '越城区市场监督管理局',
      regionCode: '330602',
      resources: 1,
      items: 2,
      shareableItems: 2,
    });
    expect(s.byDepartment).toHaveLength(3);

    expect(s.systems).toEqual({
      total: 3,
      connected: 2,
      byLevel: [
        { code: 'NATIONAL', zh: '国家级', en: 'national', systems: 0, connected: 0 },
        { code: 'PROVINCIAL', zh: '省级', en: 'provincial', systems: 1, connected: 0 },
        { code: 'CITY', zh: '市级', en: 'city', systems: 1, connected: 1 },
        { code: 'COUNTY', zh: '县级', en: 'county', systems: 1, connected: 1 },
      ],
    });
  });

  it('counts classified resources only for callers allowed to see them', async () => {
    for (const [token, scope] of [
      [undefined, 'public'],
      [t.deptB.token, 'department'],
    ] as const) {
      const s = await stats(token);
      expect(s).toMatchObject({ scope, resources: 3, items: 9, shareableItems: 8, openableItems: 8, classifiedResources: 0 });
      expect(counts(s.byShareType)).toEqual({ UNCONDITIONAL: [1, 3], CONDITIONAL: [2, 5], NOT_SHARED: [0, 1] });
      expect(s.cityLevel).toEqual({ resources: 2, items: 7, shareableItems: 6 });
      expect(s.districts).toEqual({ resources: 1, items: 2, shareableItems: 2 });
      const deptA = s.byDepartment.find((d: { departmentId: string }) => d.departmentId === t.deptA.id);
      expect(deptA).toMatchObject({ resources: 1, items: 3, shareableItems: 3 });
      expect(s.systems.total).toBe(3);
    }
    // The providing department sees its own classified entry; so do auditors.
    for (const token of [t.deptA.token, t.auditorToken]) {
      const s = await stats(token);
      expect(s).toMatchObject({ resources: 4, items: 11, shareableItems: 8, classifiedResources: 1 });
    }
  });

  it('lists every code list with Chinese and English labels', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/catalog/codes' });
    expect(res.statusCode).toBe(200);
    const c = res.json();
    expect(c.categories).toEqual([
      { code: 1, zh: '基础信息资源', en: 'base' },
      { code: 2, zh: '主题信息资源', en: 'thematic' },
      { code: 3, zh: '部门信息资源', en: 'departmental' },
    ]);
    expect(c.shareTypes.map((x: { zh: string }) => x.zh)).toEqual(['无条件共享', '有条件共享', '不予共享']);
    expect(c.openTypes.map((x: { code: string }) => x.code)).toEqual(['UNCONDITIONAL', 'RESTRICTED', 'PROHIBITED']);
    expect(c.updateFrequencies[0]).toEqual({ code: '01', zh: '实时', en: 'realtime' });
    expect(c.updateFrequencies).toHaveLength(10);
    expect(c.formatCategories).toHaveLength(7);
    expect(c.openDomains).toHaveLength(22);
    expect(c.openDomains.at(-1)).toEqual({ code: 99, zh: '其他', en: 'other' });
    expect(c.dataTypes).toContainEqual({ code: 'STRING', zh: '字符型', en: 'string', letter: 'C' });
    expect(c.legacyTypeLetters).toContainEqual({ letter: 'Y', dataType: 'DECIMAL' });
    expect(c.sensitivityLevels.map((x: { code: string }) => x.code)).toEqual(['L1', 'L2', 'L3', 'L4']);
    for (const key of ['shareModes', 'importanceLevels', 'systemLevels', 'systemStatuses', 'departmentKinds', 'maskingRules']) {
      expect(c[key].length).toBeGreaterThan(0);
    }
  });
});
