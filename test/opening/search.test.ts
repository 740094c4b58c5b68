import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenDataset } from '../../src/modules/opening/contracts.js';
import { indexTerms } from '../../src/modules/opening/search/index-terms.js';
import { searchDatasets } from '../../src/modules/opening/search/search-datasets.js';
import { queryTerms, terms } from '../../src/modules/opening/search/segment.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { buildTestApp, type TestApp } from '../test-app.js';
import { mixedResource } from './opening-fixtures.js';

describe('word segmentation', () => {
  it('segments Chinese into words, lower-cases Latin words and reads full-width as half-width', () => {
    expect(terms('绍兴市户籍人口统计')).toEqual(expect.arrayContaining(['户籍', '人口', '统计']));
    expect(terms('Air Quality ＡＱＩ')).toEqual(['air', 'quality', 'aqi']);
    expect(queryTerms('  空气质量  监测 ')).toEqual(['空气', '质量', '监测']);
    expect(queryTerms('，。！')).toEqual([]);
  });

  it('adds the two-character pieces of a longer Chinese word, so a shorter query still finds it', () => {
    // ICU keeps 管理局 as one word.
    expect(terms('市场监督管理局')).toEqual(['市场', '监督', '管理局', '管理', '理局']);
  });

  it('weighs a term by the fields it occurs in: the title above the description', () => {
    const idx = indexTerms({
      title: '空气质量',
      description: '人口',
      tags: ['环境'],
      items: [{ name: '监测站点', code: 'station_name' }],
      departmentName: '生态环境局',
      domainName: '生态环境',
      regionName: '越城区',
    });
    expect(idx.get('空气')).toBeGreaterThan(idx.get('人口')!);
    expect(idx.get('station')).toBeDefined();
    expect(idx.get('环境')).toBe(5 + 3 + 3);
  });
});

const ds = (over: Partial<OpenDataset>): OpenDataset => ({
  id: 'x',
  name: 'x',
  title: 'x',
  description: '',
  domain: '1',
  domainName: '信用服务',
  tags: [],
  licenceId: 'CC-BY-4.0',
  updateFrequency: '02',
  resourceId: 'r',
  departmentId: 'd1',
  departmentName: '甲局',
  regionCode: '330600',
  regionName: '绍兴市',
  openType: 'UNCONDITIONAL',
  items: [],
  temporal: null,
  recordCount: 0,
  distributions: [{ id: 'x-csv', format: 'CSV', mediaType: 'text/csv', url: '' }],
  publishedAt: '2026-01-01T00:00:00.000Z',
  modifiedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

describe('search over the open catalogue', () => {
  const all = [
    ds({ id: 'a', name: 'a', title: '乙', domain: '1', recordCount: 5, modifiedAt: '2026-03-01T00:00:00.000Z' }),
    ds({
      id: 'b',
      name: 'b',
      title: '甲',
      domain: '2',
      domainName: '医疗卫生',
      departmentId: 'd2',
      departmentName: '乙局',
      recordCount: 50,
      openType: 'RESTRICTED',
    }),
    ds({ id: 'c', name: 'c', title: '丙', domain: '2', domainName: '医疗卫生', recordCount: 7, modifiedAt: '2026-02-01T00:00:00.000Z' }),
  ];
  const base = { matched: null, filters: {}, sort: 'relevance' as const, offset: 0, limit: 10 };

  it('counts facets over the filtered result and pages after sorting', () => {
    const r = searchDatasets(all, { ...base, filters: { domain: ['2'] } });
    expect(r.total).toBe(2);
    expect(r.facets.domain).toEqual([{ value: '2', label: '医疗卫生', count: 2 }]);
    expect(r.facets.department).toEqual([
      { value: 'd1', label: '甲局', count: 1 },
      { value: 'd2', label: '乙局', count: 1 },
    ]);
    expect(searchDatasets(all, { ...base, sort: 'records', limit: 2 }).results.map((d) => d.id)).toEqual(['b', 'c']);
    expect(searchDatasets(all, { ...base, sort: 'records', offset: 2 }).results.map((d) => d.id)).toEqual(['a']);
    expect(searchDatasets(all, { ...base, sort: 'modified' }).results.map((d) => d.id)).toEqual(['a', 'c', 'b']);
    expect(searchDatasets(all, { ...base, filters: { openType: ['RESTRICTED'], domain: ['1', '2'] } }).results.map((d) => d.id)).toEqual(['b']);
  });

  it('orders text matches by relevance and never counts what the match left out', () => {
    const r = searchDatasets(all, {
      ...base,
      matched: new Map([
        ['c', 3],
        ['a', 9],
        ['zzz', 99],
      ]),
    });
    expect(r.results.map((d) => d.id)).toEqual(['a', 'c']);
    expect(r.total).toBe(2);
    expect(r.facets.domain.reduce((n, f) => n + f.count, 0)).toBe(2);
  });
});

describeEachDialect('search index', (fresh, dialect) => {
  let db: TestDb;
  let t: TestApp;

  beforeAll(async () => {
    db = await fresh();
    t = await buildTestApp(db);
    for (const [name, tags] of [
      ['户籍人口统计', ['人口']],
      ['企业登记信息', ['企业']],
      ['Bus routes 公交线路', ['transport']],
    ] as const) {
      const r = await t.services.resources.create(SYSTEM_ACTOR, mixedResource(t.deptA.id, { name, tags: [...tags] }));
      await t.services.openDatasets.publish(SYSTEM_ACTOR, { resourceId: r.id, tags: [...tags] });
    }
  });

  afterAll(async () => {
    await t.app.close();
    await db.drop();
  });

  it('stores one row per term and dataset, and matches every query word through it', async () => {
    const datasets = await t.services.openCatalog.datasets();
    const id = (title: string) => datasets.find((d) => d.title === title)!.id;
    const rows = await db.db.selectFrom('open_dataset_terms').select(['term', 'dataset_id']).where('dataset_id', '=', id('户籍人口统计')).execute();
    expect(rows.map((r) => r.term)).toEqual(expect.arrayContaining(['户籍', '人口', '统计']));
    expect([...(await t.services.openCatalog.match('人口')).keys()]).toEqual([id('户籍人口统计')]);
    expect([...(await t.services.openCatalog.match('BUS')).keys()]).toEqual([id('Bus routes 公交线路')]);
    // Every word must match: 人口 and 公交 are in different datasets.
    expect((await t.services.openCatalog.match('人口 公交')).size).toBe(0);
    expect([...(await t.services.openCatalog.match('人口 企业')).keys()]).toEqual([id('户籍人口统计')]);
    // Item names are indexed (统一社会信用代码 is an item of all three), closed items are not.
    expect((await t.services.openCatalog.match('信用')).size).toBe(3);
    expect((await t.services.openCatalog.match('内部备注')).size).toBe(0);
    const scores = await t.services.openCatalog.match('企业');
    // 企业 is in the title and tags of one and in no other's (title 8 + tags 5 at least).
    expect(scores.get(id('企业登记信息'))).toBeGreaterThanOrEqual(13);
  });

  it('looks terms up by the index, not by scanning the datasets', async () => {
    if (dialect !== 'sqlite') return;
    const plan = await sql<{
      detail: string;
    }>`explain query plan select dataset_id, sum(weight) from open_dataset_terms where term in ('人口', '统计') group by dataset_id`.execute(db.db);
    const details = plan.rows.map((r) => r.detail).join(' | ');
    expect(details).toMatch(/SEARCH open_dataset_terms USING (COVERING )?INDEX/);
    expect(details).not.toMatch(/SCAN open_datasets/);
  });
});
