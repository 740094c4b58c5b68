import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Resource } from '../../src/modules/catalog/index.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { buildTestApp, type TestApp } from '../test-app.js';
import { mixedCsv, mixedResource, publish, upload } from './opening-fixtures.js';

/** Strings that must never leave the portal: closed items' names, codes and values, unpublished and classified resources. */
const SECRETS = ['内部备注', 'secret_note', '机密', '未发布资源', '涉密资源', '禁止开放资源', 'HIDDEN-VALUE'];

describeEachDialect('open portal: nothing non-open ever appears', (fresh, dialect) => {
  let db: TestDb;
  let t: TestApp;
  let mixed: Resource;
  let weather: Resource;
  const ids: Record<string, string> = {};
  const get = (url: string) => t.app.inject({ method: 'GET', url });
  const bodies: string[] = [];
  const read = async (url: string, status = 200) => {
    const res = await get(url);
    expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(status);
    bodies.push(res.body);
    return res;
  };

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
    const create = (input: Parameters<typeof t.services.resources.create>[1]) => t.services.resources.create(SYSTEM_ACTOR, input);
    mixed = await create(mixedResource(t.deptA.id));
    weather = await create(
      resourceInput(t.deptB.id, {
        name: '空气质量监测数据',
        summary: '各监测站点的空气质量日报',
        shareType: 'UNCONDITIONAL',
        shareCondition: null,
        openType: 'UNCONDITIONAL',
        openCondition: null,
        openDomain: 10,
        sensitivity: 'L1',
        regionCode: '330602',
        tags: ['空气'],
        items: [
          { code: 'station', name: '监测站点', dataType: 'STRING', length: 50, primaryKey: true },
          { code: 'aqi', name: '空气质量指数', dataType: 'INTEGER', primaryKey: false },
        ],
      }),
    );
    const unpublished = await create(mixedResource(t.deptA.id, { name: '未发布资源' }));
    const classified = await create(
      mixedResource(t.deptA.id, {
        name: '涉密资源',
        classified: true,
        openType: 'PROHIBITED',
        openDomain: null,
        items: mixedResource('x').items.map((i) => ({ ...i, openType: 'PROHIBITED' as const, openCondition: null })),
      }),
    );
    const prohibited = await create(
      mixedResource(t.deptB.id, {
        name: '禁止开放资源',
        openType: 'PROHIBITED',
        openDomain: null,
        items: mixedResource('x').items.map((i) => ({ ...i, openType: 'PROHIBITED' as const, openCondition: null })),
      }),
    );
    for (const r of [mixed, unpublished, classified, prohibited]) await upload(t, r.id, mixedCsv(1, 12).replace(/机密1,/g, 'HIDDEN-VALUE,'));
    await upload(t, weather.id, 'station,aqi\n越城站,42\n柯桥站,57\n上虞站,88\n');
    for (const r of [mixed, weather]) {
      const res = await publish(t, { resourceId: r.id, tags: r.tags });
      expect(res.statusCode, res.body).toBe(201);
      ids[r.id] = res.json().id;
    }
    for (const r of [classified, prohibited]) expect((await publish(t, { resourceId: r.id })).statusCode).toBe(422);
  });

  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  it('lists domains with counts of published datasets only', async () => {
    const items = (await read('/api/v1/open/domains')).json().items as { code: string; datasets: number }[];
    expect(items.filter((d) => d.datasets > 0).map((d) => [d.code, d.datasets])).toEqual([
      ['10', 1],
      ['15', 1],
    ]);
  });

  it('searches with Chinese words, facets with counts, sorting and paging', async () => {
    const all = (await read('/api/v1/open/datasets')).json();
    expect(all.total).toBe(2);
    expect(all.facets.domain.map((f: { value: string; count: number }) => [f.value, f.count]).sort()).toEqual([
      ['10', 1],
      ['15', 1],
    ]);
    expect(all.facets.openType).toEqual(
      expect.arrayContaining([
        { value: 'RESTRICTED', label: '受限开放', count: 1 },
        { value: 'UNCONDITIONAL', label: '无条件开放', count: 1 },
      ]),
    );
    expect(all.facets.format.find((f: { value: string }) => f.value === 'CSV').count).toBe(2);
    const air = (await read(`/api/v1/open/datasets?q=${encodeURIComponent('空气质量')}`)).json();
    expect(air.items.map((d: { id: string }) => d.id)).toEqual([ids[weather.id]]);
    const region = (await read('/api/v1/open/datasets?region=330602')).json();
    expect(region.total).toBe(1);
    const byRecords = (await read('/api/v1/open/datasets?sort=records&limit=1')).json();
    expect(byRecords).toMatchObject({ total: 2, limit: 1 });
    expect(byRecords.items[0].id).toBe(ids[mixed.id]);
    const page2 = (await read('/api/v1/open/datasets?sort=records&limit=1&offset=1')).json();
    expect(page2.items[0].id).toBe(ids[weather.id]);
    const byDept = (await read(`/api/v1/open/datasets?department=${t.deptA.id}&openType=RESTRICTED`)).json();
    expect(byDept.total).toBe(1);
    for (const q of ['内部备注', '机密', '未发布资源', '涉密资源', '禁止开放']) {
      expect((await read(`/api/v1/open/datasets?q=${encodeURIComponent(q)}`)).json()).toMatchObject({ total: 0, items: [] });
    }
  });

  it('shows a dataset with its open items and what is withheld; previews masked rows without RESTRICTED values', async () => {
    const id = ids[mixed.id]!;
    const d = (await read(`/api/v1/open/datasets/${id}`)).json();
    expect(d.withheld).toEqual(['phone']);
    const p = (await read(`/api/v1/open/datasets/${id}/preview?limit=5`)).json();
    expect(p.fields.map((f: { id: string }) => f.id)).toEqual(['uscc', 'org_name', 'reg_capital', 'legal_rep']);
    expect(p.withheld).toEqual(['phone']);
    expect(p.total).toBe(12);
    expect(p.records[0]).toEqual({ uscc: 'U00000000000000001', org_name: '企业1', reg_capital: 100, legal_rep: expect.stringMatching(/^张\*+$/) });
    expect(p.nextCursor).toEqual(expect.any(String));
    const next = (await read(`/api/v1/open/datasets/${id}/preview?limit=5&cursor=${p.nextCursor}`)).json();
    expect(next.records[0].uscc).toBe('U00000000000000006');
  });

  it('queries rows with filters, text, sort and offset; refuses closed, masked and withheld items', async () => {
    const id = ids[mixed.id]!;
    const rows = (url: string, status = 200) => read(`/api/v1/open/datasets/${id}/rows?${url}`, status);
    const f = (await rows(`filters=${encodeURIComponent(JSON.stringify({ org_name: ['企业2', '企业3'] }))}`)).json();
    expect(f.records.map((r: { org_name: string }) => r.org_name)).toEqual(['企业2', '企业3']);
    expect(f.total).toBe(2);
    const s = (await rows('sort=reg_capital%20desc&limit=3&offset=1&fields=org_name,reg_capital')).json();
    expect(s.records).toEqual([
      { org_name: '企业11', reg_capital: 1100 },
      { org_name: '企业10', reg_capital: 1000 },
      { org_name: '企业9', reg_capital: 900 },
    ]);
    expect(s.total).toBe(12);
    const q = (await rows(`q=${encodeURIComponent('企业1')}&limit=50`)).json();
    expect(q.total).toBe(4);
    // A closed item is answered exactly as an item that does not exist: its existence is not revealed.
    const closedItem = (await get(`/api/v1/open/datasets/${id}/rows?fields=secret_note`)).json();
    const noItem = (await get(`/api/v1/open/datasets/${id}/rows?fields=no_such_item`)).json();
    expect(closedItem.detail.replace('secret_note', 'X')).toBe(noItem.detail.replace('no_such_item', 'X'));
    for (const bad of [
      `filters=${encodeURIComponent('{"secret_note":"x"}')}`,
      `filters=${encodeURIComponent('{"legal_rep":"张三1"}')}`,
      `filters=${encodeURIComponent('{"phone":"13800000001"}')}`,
      'sort=secret_note',
      'fields=secret_note',
      'filters=nope',
    ]) {
      // Not collected for the leak check: a problem names the caller's own input.
      const res = await get(`/api/v1/open/datasets/${id}/rows?${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
    expect((await rows('fields=phone', 403)).json().code).toBe('FORBIDDEN');
    expect((await rows('cursor=abc', 400)).json().code).toBe('INVALID_CURSOR');
  });

  it('downloads CSV, JSON and XLSX with open items only, masked', async () => {
    const id = ids[mixed.id]!;
    const csv = await read(`/api/v1/open/datasets/${id}/download?format=csv`);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['x-withheld-items']).toBe('phone');
    expect(csv.body.startsWith('\ufeff统一社会信用代码,单位名称,注册资本,法定代表人\r\n')).toBe(true);
    expect(csv.body.trim().split('\r\n')).toHaveLength(13);
    const json = (await read(`/api/v1/open/datasets/${id}/download?format=json`)).json();
    expect(json).toHaveLength(12);
    expect(Object.keys(json[0])).toEqual(['uscc', 'org_name', 'reg_capital', 'legal_rep']);
    const xlsx = await read(`/api/v1/open/datasets/${id}/download?format=xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(13);
    expect(ws.getRow(2).values).toEqual([undefined, 'U00000000000000001', '企业1', 100, expect.stringMatching(/^张\*+$/)]);
    bodies.push(JSON.stringify(ws.getSheetValues()));
    await read(`/api/v1/open/datasets/${id}/download?format=json&encoding=gbk`, 400);
  });

  it('answers 404 for unpublished and classified resources under every portal path', async () => {
    const unknown = ['no-such-dataset', mixed.id];
    for (const u of unknown) {
      for (const path of ['', '/preview', '/rows', '/download']) expect((await read(`/api/v1/open/datasets/${u}${path}`, 404)).json().code).toBe('NOT_FOUND');
    }
  });

  it('suspends a dataset whose resource the catalogue no longer opens', async () => {
    const closed = {
      ...resourceInputOf(weather),
      openType: 'PROHIBITED' as const,
      openDomain: null,
      items: resourceInputOf(weather).items.map((i) => ({ ...i, openType: 'PROHIBITED' as const })),
    };
    await t.services.resources.update(SYSTEM_ACTOR, weather.id, closed);
    // Records: at once, on both dialects (the catalogue entry is read again for every record read).
    for (const path of ['/download', '/rows', '/preview', '']) await read(`/api/v1/open/datasets/${ids[weather.id]}${path}`, 404);
    // The list: at once on SQLite (change stamp), within the open catalogue's freshness (1 s) on PostgreSQL.
    if (dialect === 'postgres') await new Promise((r) => setTimeout(r, 1100));
    expect((await read('/api/v1/open/datasets')).json().total).toBe(1);
    expect((await read(`/api/v1/open/datasets?q=${encodeURIComponent('空气质量')}`)).json().total).toBe(0);
    const domains = (await read('/api/v1/open/domains')).json().items as { code: string; datasets: number }[];
    expect(domains.find((d) => d.code === '10')!.datasets).toBe(0);
  });

  it('never sent a closed item, an unmasked or RESTRICTED value, or an unpublished resource', () => {
    const all = bodies.join('\n');
    for (const s of SECRETS) expect(all, s).not.toContain(s);
    expect(all).not.toMatch(/138\d{8}/); // RESTRICTED phone numbers, masked or not
    expect(all).not.toMatch(/张三\d/); // legal_rep unmasked
  });
});

/** A resource as input again (for an update), from what the catalogue returns. */
function resourceInputOf(r: Resource) {
  return {
    code: r.code,
    name: r.name,
    nameEn: r.nameEn,
    category: r.category,
    providerDepartmentId: r.providerDepartmentId,
    regionCode: r.regionCode,
    summary: r.summary,
    formatCategory: r.formatCategory,
    shareType: r.shareType,
    shareCondition: r.shareCondition,
    shareModes: r.shareModes as ('API' | 'FILE')[],
    openType: r.openType,
    openCondition: r.openCondition,
    openDomain: r.openDomain,
    updateFrequency: r.updateFrequency as '02',
    relatedCodes: [],
    sensitivity: r.sensitivity,
    importance: 'GENERAL' as const,
    classified: r.classified,
    tags: r.tags,
    items: (r.items ?? []).map((i) => ({
      code: i.code,
      name: i.name,
      dataType: i.dataType,
      length: i.length,
      primaryKey: i.primaryKey,
      openType: i.openType,
      maskingRule: i.maskingRule,
    })),
  };
}
