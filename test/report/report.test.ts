import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { gatherReportFigures, type ReportFigures } from '../../src/report/report-figures.js';
import { buildReport, countText } from '../../src/report/report-document.js';
import { reportToMarkdown } from '../../src/report/report-markdown.js';
import { reportToHtml } from '../../src/report/report-html.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { departmentInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';
import { peopleCsv, peopleResource } from '../collection/collection-fixtures.js';

it('writes large counts the way the seed does (亿, 万) and exactly below 100,000', () => {
  expect(countText(33_500_000_000, 'zh')).toBe('335 亿');
  expect(countText(243_000_000, 'zh')).toBe('2.43 亿');
  expect(countText(123_400, 'zh')).toBe('12.34 万');
  expect(countText(46_451, 'zh')).toBe('46451');
  expect(countText(120_000_000, 'en')).toBe('120 million');
  expect(countText(46_451, 'en')).toBe('46,451');
});

describeEachDialect('kuaiji report', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let figures: ReportFigures;

  const load = async (resourceId: string, csv: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${resourceId}/uploads?wait=true&fileName=x.csv`,
      headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(res.json().job.status).toBe('succeeded');
  };

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
    const districtDept = (await t.services.departments.create(SYSTEM_ACTOR, departmentInput({ name: '越城区民政局', regionCode: '330602' }))).id;
    const city = (await t.services.resources.create(SYSTEM_ACTOR, peopleResource(t.deptA.id))).id;
    const district = (await t.services.resources.create(SYSTEM_ACTOR, peopleResource(districtDept))).id;
    await t.services.resources.create(SYSTEM_ACTOR, peopleResource(districtDept));
    await load(city, peopleCsv(1, 30));
    await load(district, peopleCsv(1, 12));
    figures = await gatherReportFigures(t.services);
  });
  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  it('reads the same figures as the /stats endpoints', async () => {
    const get = async (url: string) => (await t.app.inject({ method: 'GET', url, headers: bearer(t.adminToken) })).json();
    const collection = await get('/api/v1/collection/stats?top=10');
    expect(figures.collection.records).toBe(42);
    expect(figures.collection.records).toBe(collection.records);
    expect(figures.collection.cityLevel.records).toBe(30);
    expect(figures.collection.districts.records).toBe(12);
    expect(figures.catalog.resources).toBe((await get('/api/v1/catalog/stats')).resources);
    expect(figures.sharing.interfaces.total).toBe((await get('/api/v1/sharing/stats')).interfaces.total);
    expect(figures.open.figures.datasets).toBe((await get('/api/v1/open/stats')).figures.datasets);
  });

  it('lays the figures out like section 一 of the seed document, in Chinese', () => {
    const md = reportToMarkdown(buildReport(figures, 'zh'));
    expect(md.startsWith('# 公共数据平台运行情况报告\n')).toBe(true);
    expect(md).toContain('## 一、公共数据平台运行情况');
    expect(md).toContain(`全市已归集 2 类 42 条数据，其中市本级 30 条，区、县（市）12 条；应归尽归覆盖率 66.7%`);
    expect(md).toContain(`在用公共数据资源 ${figures.catalog.resources} 类共 ${figures.catalog.items} 项数据，其中可共享 ${figures.catalog.shareableItems} 项`);
    expect(md).toContain(`已登记信息系统 ${figures.catalog.systems.total} 套`);
    expect(md).toContain(`全市累计封装注册共享接口 ${figures.sharing.interfaces.total} 个`);
    expect(md).toContain(`数据开放平台已开放 ${figures.open.figures.datasets} 个数据集`);
    // The per-region table: the district's row with its exact figures.
    expect(md).toMatch(/\| 越城区 \| 2 \| 1 \| 12 \| 50\.0% \|/);
  });

  it('speaks English with --lang en', () => {
    const md = reportToMarkdown(buildReport(figures, 'en'));
    expect(md).toContain('# Public data platform report');
    expect(md).toContain('2 classes of data holding 42 records have been collected: 30 at city level and 12 in the districts and counties');
    expect(md).not.toMatch(/归集|应归尽归|公共数据/);
  });

  it('writes HTML with its charts inline (nothing fetched) and escapes text', () => {
    const doc = buildReport(figures, 'zh');
    const html = reportToHtml(doc);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<html lang="zh-CN">');
    const regionChart = doc.blocks.find((b) => b.kind === 'chart' && b.title === '各区域归集记录数');
    expect(regionChart && regionChart.kind === 'chart' ? regionChart.bars.length : 0).toBe(figures.collection.byRegion.filter((r) => r.resources > 0).length);
    expect((html.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(1);
    expect((html.match(/<rect class="bar"/g) ?? []).length).toBeGreaterThanOrEqual(2);
    expect(html).not.toMatch(/src="http|href="http/);
    const hostile = reportToHtml({ lang: 'en', title: '<script>x</script>', blocks: [{ kind: 'paragraph', text: 'a & b < c' }] });
    expect(hostile).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(hostile).toContain('a &amp; b &lt; c');
  });
});

describe('kuaiji report on the command line', { timeout: 60_000 }, () => {
  const ROOT = path.resolve(import.meta.dirname, '../..');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-report-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const kuaiji = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const env: NodeJS.ProcessEnv = { ...process.env, KUAIJI_DATA_DIR: dir, KUAIJI_LOG_LEVEL: 'silent' };
      delete env.KUAIJI_DATABASE_URL;
      execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, env, timeout: 60_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
      );
    });

  it('refuses a language it does not speak, naming the flag', async () => {
    const r = await kuaiji('report', '--lang', 'fr');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--lang must be zh or en, not 'fr'");
  });

  it('prints Markdown, and writes HTML to the file named', async () => {
    const md = await kuaiji('report', '--create');
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('全市已归集 0 类 0 条数据');
    const file = path.join(dir, 'r.html');
    const html = await kuaiji('report', '--format', 'html', '--lang', 'en', '--out', file);
    expect(html.code).toBe(0);
    expect(html.stderr).toContain(`The report was written to ${file}`);
    expect(fs.readFileSync(file, 'utf8')).toContain('<h1>Public data platform report</h1>');
  });
});
