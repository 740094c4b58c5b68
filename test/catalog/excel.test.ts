import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import type { Resource } from '../../src/modules/catalog/resources/resources.schemas.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
type Cell = string | number | boolean | Date | null | undefined;
type Row = Record<string, Cell>;

/** Builds an .xlsx as departments fill it: rows keyed by Chinese header, optional title row, merges, blank rows. */
async function workbook(
  rows: (Row | null)[],
  opts: { headers?: string[]; rename?: Record<string, string>; title?: string; merges?: string[]; sheet?: string; extraSheet?: boolean } = {},
) {
  const headers = opts.headers ?? [...new Set(rows.flatMap((r) => (r ? Object.keys(r) : [])))];
  const wb = new ExcelJS.Workbook();
  if (opts.extraSheet) wb.addWorksheet('填写说明').addRow(['说明']);
  const ws = wb.addWorksheet(opts.sheet ?? '信息资源目录');
  if (opts.title) {
    ws.addRow([opts.title]);
    ws.mergeCells(1, 1, 1, headers.length);
  }
  ws.addRow(headers.map((h) => opts.rename?.[h] ?? h));
  for (const r of rows) ws.addRow(r ? headers.map((h) => r[h] ?? null) : []);
  for (const m of opts.merges ?? []) ws.mergeCells(m);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describeEachDialect('catalogue Excel import and export', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let deptA: { id: string; name: string; uscc: string };
  let deptB: { id: string; name: string; uscc: string };

  beforeAll(async () => {
    db = await fresh();
    t = await buildTestApp(db);
    deptA = await t.services.departments.get(t.deptA.id);
    deptB = await t.services.departments.get(t.deptB.id);
  });
  afterAll(async () => {
    await t.app.close();
    await db.drop();
  });

  let seq = 0;
  const nextCode = () => `301001/${String(5000 + ++seq).padStart(5, '0')}`;
  const resourceCells = (code: string, over: Row = {}): Row => ({
    信息资源代码: code,
    信息资源名称: `企业登记信息${code}`,
    资源分类: '部门',
    提供方: deptA.name,
    提供方代码: deptA.uscc,
    资源摘要: '市场主体登记信息',
    格式分类: '数据库',
    共享类型: '有条件共享',
    共享条件: '仅限政务用途',
    共享方式: '接口、库表',
    开放类型: '受限开放',
    开放条件: '经审批后开放',
    开放领域: '市场监管',
    更新周期: '每日',
    敏感级别: 'L2',
    ...over,
  });
  const items: Row[] = [
    { 信息项编码: 'uscc', 信息项名称: '统一社会信用代码', 数据类型: 'C', 数据长度: 18, 是否主键: '是' },
    { 信息项编码: 'org_name', 信息项名称: '单位名称', 数据类型: '字符型', 数据长度: 200 },
    { 信息项编码: 'capital', 信息项名称: '注册资本', 数据类型: '数值型', 数据长度: '18,2' },
  ];
  /** A resource as one row per item, resource columns repeated. */
  const resourceRows = (code: string, over: Row = {}, its: Row[] = items) => its.map((i) => ({ ...resourceCells(code, over), ...i }));

  const importFile = (file: Buffer, token = t.adminToken, query = '') =>
    t.app.inject({ method: 'POST', url: `/api/v1/catalog/import${query}`, headers: { ...bearer(token), 'content-type': XLSX }, payload: file });
  const stored = async () => (await t.services.resources.listAllWithItems(SYSTEM_ACTOR)).map(({ updatedAt: _u, ...r }) => r);
  const byCode = (code: string) => t.services.resources.getByCode(SYSTEM_ACTOR, code);

  it('imports a valid template, resolving labels and applying defaults', async () => {
    const [c1, c2] = [nextCode(), nextCode()];
    const file = await workbook([...resourceRows(c1), ...resourceRows(c2, { 提供方: null, 共享类型: '受限共享', 更新周期: '04', 资源分类: 3 })]);
    const res = await importFile(file);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ dryRun: false, resources: 2, items: 6, created: 2, updated: 0, warnings: [] });

    const r = await byCode(c1);
    expect(r).toMatchObject({
      name: `企业登记信息${c1}`,
      category: 3,
      providerDepartmentId: deptA.id,
      regionCode: '330600',
      formatCategory: 3,
      shareType: 'CONDITIONAL',
      shareModes: ['API', 'DATABASE'],
      openType: 'RESTRICTED',
      openDomain: 15,
      updateFrequency: '02',
      sensitivity: 'L2',
      importance: 'GENERAL',
      classified: false,
      tags: [],
      relatedCodes: [],
      systemId: null,
      version: 1,
    });
    expect(r.items!.map((i) => [i.code, i.dataType, i.legacyType, i.length, i.precision, i.primaryKey, i.nullable])).toEqual([
      ['uscc', 'STRING', 'C', 18, null, true, false],
      ['org_name', 'STRING', null, 200, null, false, true],
      ['capital', 'DECIMAL', null, 18, 2, false, true],
    ]);
    // Items inherit the resource's share type, sensitivity and (here) open type.
    expect(r.items!.every((i) => i.shareType === 'CONDITIONAL' && i.sensitivity === 'L2' && i.openType === 'RESTRICTED')).toBe(true);
    expect(await byCode(c2)).toMatchObject({ shareType: 'CONDITIONAL', updateFrequency: '04', providerDepartmentId: deptA.id });
  });

  it('importing the same file twice changes nothing; a changed file updates instead of duplicating', async () => {
    const code = nextCode();
    const file = await workbook(resourceRows(code));
    expect((await importFile(file)).json()).toMatchObject({ created: 1, updated: 0 });
    const first = await byCode(code);
    const count = (await stored()).length;
    const again = await importFile(file);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    expect(await byCode(code)).toEqual(first);
    const changedFile = await workbook(resourceRows(code, { 信息资源名称: `企业登记信息（修订）${code}` }));
    expect((await importFile(changedFile, t.adminToken, '?dryRun=true')).json()).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    expect(await byCode(code)).toEqual(first);
    const changed = await importFile(changedFile);
    expect(changed.json()).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    expect((await stored()).length).toBe(count);
    const second = await byCode(code);
    expect(second.id).toBe(first.id);
    expect(second.version).toBe(2);
    expect(second.items!.map((i) => i.id)).toEqual(first.items!.map((i) => i.id));
  });

  it('reads merged resource cells, blank rows, a title row and headers with hints and spaces, as Excel users leave them', async () => {
    const [c1, c2] = [nextCode(), nextCode()];
    const cells = resourceCells(c1);
    const rows: (Row | null)[] = [
      { ...cells, ...items[0] },
      { ...items[1], 数据类型: null }, // merged cells read blank here in a streaming reader
      null,
      { ...items[2] },
      null,
      { ...resourceCells(c2), ...items[0] },
      { ...items[1] }, // left blank without merging: continues the resource above
    ];
    const headers = Object.keys({ ...cells, ...items[0], ...items[1], ...items[2] });
    const rename = { 共享类型: ' 共享类型*\n(无条件共享/有条件共享/不予共享) ', 信息资源名称: '资源名称', 是否主键: '是否主键（是/否）', 备用列: ' 备用列 ' };
    const resourceColumnCount = Object.keys(cells).length;
    // Title in row 1, header in row 2: c1's item rows are 3–6 (5 blank); merge its resource columns over 3–6.
    const merges = Array.from({ length: resourceColumnCount }, (_, i) => {
      const letter = String.fromCharCode(65 + i);
      return `${letter}3:${letter}6`;
    });
    // An item column merged too: 数据类型 'C' of row 3 spans row 4.
    const typeColumn = String.fromCharCode(65 + headers.indexOf('数据类型'));
    merges.push(`${typeColumn}3:${typeColumn}4`);
    const file = await workbook(rows, { headers: headers.concat('备用列'), rename, title: '绍兴市政务信息资源目录（2024版）', merges, extraSheet: true });
    const res = await importFile(file);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ resources: 2, items: 5, created: 2 });
    expect(body.warnings).toEqual([{ sheet: '信息资源目录', row: 2, column: '备用列', code: 'UNKNOWN_COLUMN', message: expect.any(String) }]);
    expect((await byCode(c1)).items!.map((i) => [i.code, i.dataType, i.legacyType])).toEqual([
      ['uscc', 'STRING', 'C'],
      ['org_name', 'STRING', 'C'],
      ['capital', 'DECIMAL', null],
    ]);
    expect((await byCode(c2)).items!.map((i) => i.code)).toEqual(['uscc', 'org_name']);
  });

  it('dryRun validates everything and stores nothing', async () => {
    const code = nextCode();
    const before = await stored();
    const res = await importFile(await workbook(resourceRows(code)), t.adminToken, '?dryRun=true');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ dryRun: true, resources: 1, items: 3, created: 1, updated: 0 });
    expect(await stored()).toEqual(before);
  });

  describe('rejects broken files with sheet, row and column, storing nothing', () => {
    type Expected = { row: number | null; column: string | null; code: string };
    const cases: [string, () => Promise<Buffer>, Expected[]][] = [
      [
        'a missing required column',
        async () => workbook(resourceRows(nextCode()).map(({ 共享类型: _s, ...r }) => r)),
        [{ row: 1, column: '共享类型', code: 'MISSING_COLUMN' }],
      ],
      [
        'a misspelt header (the column counts as missing)',
        async () => workbook(resourceRows(nextCode()).map(({ 信息资源名称: n, ...r }) => ({ ...r, 信息资源明称: n }))),
        [{ row: 1, column: '信息资源名称', code: 'MISSING_COLUMN' }],
      ],
      [
        'a bad code label (共享类型 有时共享)',
        async () => workbook([...resourceRows(nextCode()), ...resourceRows(nextCode(), { 共享类型: '有时共享' })]),
        [{ row: 5, column: '共享类型', code: 'UNKNOWN_VALUE' }],
      ],
      [
        'an invalid USCC',
        async () => workbook(resourceRows(nextCode(), { 提供方代码: '91330600MA2BXXXXX1' })),
        [{ row: 2, column: '提供方代码', code: 'INVALID_USCC' }],
      ],
      [
        'an unknown department',
        async () => workbook(resourceRows(nextCode(), { 提供方: '绍兴市不存在局', 提供方代码: null })),
        [{ row: 2, column: '提供方', code: 'UNKNOWN_DEPARTMENT' }],
      ],
      [
        'duplicate item codes within a resource',
        async () => workbook(resourceRows(nextCode(), {}, [items[0]!, items[1]!, { ...items[2], 信息项编码: 'ORG_NAME' }])),
        [{ row: 4, column: '信息项编码', code: 'DUPLICATE_ITEM_CODE' }],
      ],
      [
        'a rule violation (L4 opened unconditionally)',
        async () => workbook(resourceRows(nextCode(), { 敏感级别: 'L4', 开放类型: '无条件开放', 开放条件: null })),
        [{ row: 2, column: '开放类型', code: 'L4_MUST_BE_PROHIBITED' }],
      ],
      [
        'an item rule violation, mapped to the item row',
        async () => workbook(resourceRows(nextCode(), {}, [items[0]!, { ...items[1], 信息项共享类型: '无条件共享' }])),
        [{ row: 3, column: '信息项共享类型', code: 'ITEM_SHARE_LESS_RESTRICTED' }],
      ],
      [
        'several problems at once, every one listed',
        async () =>
          workbook([
            ...resourceRows(nextCode(), { 更新周期: '每小时' }),
            ...resourceRows(nextCode(), {}, [{ ...items[0], 数据类型: '字符串型', 数据长度: 'abc' }]),
          ]),
        [
          { row: 2, column: '更新周期', code: 'UNKNOWN_VALUE' },
          { row: 5, column: '数据类型', code: 'UNKNOWN_VALUE' },
          { row: 5, column: '数据长度', code: 'INVALID_VALUE' },
        ],
      ],
      [
        'rows of one resource that disagree',
        async () => workbook(resourceRows(nextCode()).map((r, i) => (i === 2 ? { ...r, 资源摘要: '另一个摘要' } : r))),
        [{ row: 4, column: '资源摘要', code: 'RESOURCE_FIELD_CONFLICT' }],
      ],
      ['a non-XLSX file', async () => Buffer.from('信息资源代码,信息资源名称\n301001/1,x\n'), [{ row: null, column: null, code: 'NOT_XLSX' }]],
    ];
    for (const [title, make, expected] of cases) {
      it(title, async () => {
        const before = await stored();
        const res = await importFile(await make());
        expect(res.statusCode).toBe(422);
        expect(res.headers['content-type']).toContain('application/problem+json');
        const body = res.json();
        expect(body.code).toBe('IMPORT_REJECTED');
        const sheet = expected[0]!.row === null ? null : '信息资源目录';
        for (const e of expected) expect(body.errors).toContainEqual({ sheet, ...e, message: expect.any(String) });
        expect(body.errorCount).toBe(expected.length);
        expect(await stored()).toEqual(before);
      });
    }
  });

  it("rejects a department officer importing another department's resources with FORBIDDEN, storing nothing", async () => {
    const before = await stored();
    const file = await workbook([...resourceRows(nextCode()), ...resourceRows(nextCode(), { 提供方: deptB.name, 提供方代码: deptB.uscc })]);
    const res = await importFile(file, t.deptA.token);
    expect(res.statusCode).toBe(403);
    const body = res.json();
    expect(body.code).toBe('FORBIDDEN');
    expect(body.errors).toEqual([expect.objectContaining({ sheet: '信息资源目录', row: 5, column: '提供方代码', code: 'FORBIDDEN' })]);
    expect(await stored()).toEqual(before);

    // Nor may an officer take over another department's resource by reusing its code.
    const theirs = await t.services.resources.create(SYSTEM_ACTOR, resourceInput(deptB.id));
    const takeOver = await importFile(await workbook(resourceRows(theirs.code)), t.deptA.token);
    expect(takeOver.statusCode).toBe(403);
    expect((await byCode(theirs.code)).providerDepartmentId).toBe(deptB.id);

    // Their own department's rows import fine; an auditor may import nothing.
    expect((await importFile(await workbook(resourceRows(nextCode())), t.deptA.token)).statusCode).toBe(200);
    expect((await importFile(await workbook(resourceRows(nextCode())), t.auditorToken)).statusCode).toBe(403);
  });

  it('export → import round-trips with no change', async () => {
    const system = await t.services.systems.create(SYSTEM_ACTOR, {
      name: '市场主体登记系统',
      departmentId: deptA.id,
      level: 'CITY',
      status: 'IN_USE',
      connected: true,
    });
    await t.services.resources.create(
      SYSTEM_ACTOR,
      resourceInput(deptA.id, {
        code: '101001/00001',
        category: 1,
        nameEn: 'Legal entities',
        systemId: system.id,
        publishedOn: '2023-06-30',
        shareModes: ['API', 'REALTIME_CDC'],
        relatedCodes: ['301001/00001'],
        tags: ['法人', '基础库'],
        importance: 'IMPORTANT',
        formatType: 'MySQL',
        regionCode: '330602',
        items: [
          {
            code: 'uscc',
            name: '统一社会信用代码',
            dataType: 'STRING',
            legacyType: 'C',
            length: 18,
            primaryKey: true,
            codeSet: 'GB 32100',
            dataElement: 'DE00001',
          },
          { code: 'capital', name: '注册资本', dataType: 'DECIMAL', legacyType: 'Y', length: 18, precision: 4, primaryKey: false, nullable: false },
          {
            code: 'legal_person_id',
            name: '法定代表人身份证号',
            dataType: 'STRING',
            primaryKey: false,
            sensitivity: 'L2',
            openType: 'PROHIBITED',
            shareCondition: '需审批',
            maskingRule: 'CITIZEN_ID',
            sourceField: 'FDDBR_SFZH',
            description: '脱敏后共享',
          },
        ],
      }),
    );
    await t.services.resources.create(
      SYSTEM_ACTOR,
      resourceInput(deptB.id, {
        code: '301002/00001',
        shareType: 'NOT_SHARED',
        notSharedBasis: '《某某条例》第十条',
        openType: 'PROHIBITED',
        openCondition: null,
        openDomain: null,
        sensitivity: 'L4',
        classified: true,
        updateFrequency: '10',
        shareModes: [],
      }),
    );
    await t.services.resources.create(
      SYSTEM_ACTOR,
      resourceInput(deptB.id, {
        code: '201001/00001',
        category: 2,
        shareType: 'UNCONDITIONAL',
        shareCondition: null,
        sensitivity: 'L1',
        openType: 'UNCONDITIONAL',
        openCondition: null,
        openDomain: 99,
      }),
    );

    const before = await stored();
    const exported = await t.app.inject({ method: 'GET', url: '/api/v1/catalog/export.xlsx', headers: bearer(t.adminToken) });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toContain(XLSX);
    const res = await importFile(exported.rawPayload);
    expect(res.statusCode).toBe(200);
    // Nothing changed: every entry reported unchanged, no version bumped, no update time moved.
    const withTimes = async () => (await t.services.resources.listAllWithItems(SYSTEM_ACTOR)).map((r) => [r.code, r.version, r.updatedAt]);
    const timesBefore = await withTimes();
    // A dry run of the same file says so too.
    expect((await importFile(exported.rawPayload, t.adminToken, '?dryRun=true')).json()).toMatchObject({
      dryRun: true,
      created: 0,
      updated: 0,
      unchanged: before.length,
    });
    expect(res.json()).toMatchObject({ resources: before.length, created: 0, updated: 0, unchanged: before.length, warnings: [] });
    expect(await stored()).toEqual(before);
    expect(await withTimes()).toEqual(timesBefore);
    // One entry edited since the export: the same file updates just that one (back to what it says).
    const edited = before.find((r) => r.code === '201001/00001')!;
    await t.services.resources.update(SYSTEM_ACTOR, edited.id, {
      ...resourceInput(deptB.id, {
        code: '201001/00001',
        category: 2,
        shareType: 'UNCONDITIONAL',
        shareCondition: null,
        sensitivity: 'L1',
        openType: 'UNCONDITIONAL',
        openCondition: null,
        openDomain: 99,
      }),
      name: '改过的名称',
    });
    const again = (await importFile(exported.rawPayload)).json();
    expect(again).toMatchObject({ created: 0, updated: 1, unchanged: before.length - 1 });
    expect((await byCode('201001/00001')).name).toBe(edited.name);

    // The exported workbook has the template sheet and 填写说明.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['信息资源目录', '填写说明']);
  });

  it('exports only what the caller may see, filtered by department', async () => {
    const codesOf = async (url: string, token?: string) => {
      const res = await t.app.inject({ method: 'GET', url, headers: token ? bearer(token) : {} });
      expect(res.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const codes = new Set<string>();
      wb.getWorksheet('信息资源目录')!.eachRow((row, n) => n > 1 && codes.add(String(row.getCell(1).value)));
      return codes;
    };
    const all: Resource[] = await t.services.resources.listAllWithItems(SYSTEM_ACTOR);
    const secret = all.find((r) => r.classified && r.providerDepartmentId === deptB.id)!;
    expect(await codesOf('/api/v1/catalog/export.xlsx', t.adminToken)).toContain(secret.code);
    expect(await codesOf('/api/v1/catalog/export.xlsx')).not.toContain(secret.code);
    expect(await codesOf('/api/v1/catalog/export.xlsx', t.deptA.token)).not.toContain(secret.code);
    expect(await codesOf('/api/v1/catalog/export.xlsx', t.deptB.token)).toContain(secret.code);
    const onlyA = await codesOf(`/api/v1/catalog/export.xlsx?providerDepartmentId=${deptA.id}`, t.adminToken);
    expect([...onlyA].sort()).toEqual(
      all
        .filter((r) => r.providerDepartmentId === deptA.id)
        .map((r) => r.code)
        .sort(),
    );
    expect(await codesOf('/api/v1/catalog/template.xlsx')).toEqual(new Set());
  });

  it('needs a token and an XLSX body', async () => {
    const anon = await t.app.inject({ method: 'POST', url: '/api/v1/catalog/import', headers: { 'content-type': XLSX }, payload: Buffer.from('x') });
    expect(anon.statusCode).toBe(401);
    const json = await t.app.inject({ method: 'POST', url: '/api/v1/catalog/import', headers: bearer(t.adminToken), payload: { rows: [] } });
    expect(json.statusCode).toBe(415);
  });
});
