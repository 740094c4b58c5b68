import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadDemoCity } from '../../src/demo/load.js';
import { loadDemoRecords } from '../../src/demo/records.js';
import { buildServices, type Services } from '../../src/deps.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { openSqlite } from '../../src/storage/sqlite.js';
import zhCN from '../../web/src/i18n/zh-CN.json' with { type: 'json' };

// The portal and the console in a real browser (Debian's chromium driven by playwright-core) over
// the demo city with a small share of its synthetic records, quality-scanned. Under CI=true a
// missing chromium fails the suite; elsewhere the suite is skipped with a message.
const CHROMIUM = process.env.KUAIJI_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium && process.env.CI === 'true') throw new Error(`CI=true but ${CHROMIUM} is missing: .ci/run installs it (apt-get install -y chromium)`);
if (!hasChromium) console.warn(`[kuaiji tests] ${CHROMIUM} is missing: the browser tests are SKIPPED (apt-get install -y chromium)`);

// expect.poll waits 1 s by default: too short for a loaded CI machine.
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000 });
const SHOTS = path.resolve(import.meta.dirname, '../../.ci/out');
const buildWebScript = '../../scripts/build-web.mjs';

describe.skipIf(!hasChromium)('the web UI in chromium', { timeout: 120_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-browser-'));
  const storage = openSqlite(path.join(dir, 'kuaiji.sqlite'));
  let services: Services;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let adminToken: string;
  let officer: { username: string; token: string; department: string | null };
  const consoleErrors: string[] = [];
  const outside: string[] = [];

  const get = async <T = any>(url: string, token: string | null = adminToken): Promise<T> => {
    const res = await app.inject({ url, headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect(res.statusCode, url).toBe(200);
    return res.json() as T;
  };
  const watch = (page: Page) => {
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('request', (r) => !r.url().startsWith(base) && !r.url().startsWith('data:') && outside.push(r.url()));
  };
  // Basics of every view: a title, a label on every form field, no message key left untranslated.
  // KUAIJI_SCREENSHOTS=<folder> also keeps a screenshot of it (docs/screenshots/ holds the README's).
  const keep = async (page: Page, name: string) => {
    expect(await page.title(), name).toMatch(/\S/);
    const unlabelled = await page.evaluate<string[]>(`[...document.querySelectorAll('input, select, textarea')]
      .filter((e) => !e.labels?.length && !e.getAttribute('aria-label')).map((e) => e.outerHTML)`);
    expect(unlabelled, name).toEqual([]);
    const text = await page.evaluate<string>('document.body.innerText');
    expect(
      Object.keys(zhCN).filter((key) => text.includes(key)),
      name,
    ).toEqual([]);
    const folder = process.env.KUAIJI_SCREENSHOTS;
    if (!folder) return;
    fs.mkdirSync(folder, { recursive: true });
    await page.screenshot({ path: path.join(folder, `${name}.png`) });
  };
  // A page for one test; when the test fails, its last screen is saved under .ci/out/ first.
  const withPage = async (name: string, width: number, body: (page: Page) => Promise<void>) => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    watch(page);
    try {
      await body(page);
    } catch (err) {
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, `web-${name}.png`), fullPage: true }).catch(() => undefined);
      throw err;
    } finally {
      await page.close();
    }
  };

  beforeAll(async () => {
    const { buildWeb } = (await import(buildWebScript)) as { buildWeb(out: string): Promise<string> };
    const webDir = await buildWeb(path.join(dir, 'web'));
    await migrateToLatest(storage);
    services = buildServices(storage, undefined, { dataDir: dir });
    adminToken = (await services.identity.ensureFirstAdmin('admin', undefined))!.token;
    const city = await loadDemoCity(services);
    if (!city.loaded) throw new Error(city.reason);
    officer = city.users.find((u) => u.role === 'OFFICER')!;
    await loadDemoRecords(services, { dataDir: dir, scale: 0.005 });
    app = await buildApp(services, { logger: false, webDir });
    // Quality figures for the dashboard: one scan of every collected resource.
    const scan = await app.inject({ method: 'POST', url: '/api/v1/quality/scans?wait=true', headers: { authorization: `Bearer ${adminToken}` }, payload: {} });
    expect(scan.json().status).toBe('succeeded');
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await services?.jobs.stop();
    await storage.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('portal: searches the open catalogue and opens a resource page with its data items', async () => {
    const open = await get<{ items: any[] }>('/api/v1/resources?openType=UNCONDITIONAL&limit=100', null);
    const target = open.items.find((r) => r.name.length >= 4)!;
    await withPage('portal', 1280, async (page) => {
      // The open-data home is at / (open-sharing.browser.test.ts); the resource catalogue at #/resources.
      await page.goto(`${base}/#/resources`);
      await poll(() => page.title()).toContain(zhCN['portal.title']);
      await page.getByRole('heading', { level: 1 }).filter({ hasText: zhCN['portal.heading'] }).waitFor();
      await page.getByTestId('figure-portal-resources').waitFor();
      expect(await page.getByTestId('figure-portal-resources').getAttribute('data-value')).toBe(String((await get('/api/v1/catalog/stats', null)).resources));

      const results = page.getByTestId('search-results').locator('li');
      await poll(() => results.count()).toBe(Math.min(open.items.length, 20));
      await keep(page, 'portal-catalogue');

      // The open-domain facet, then a keyword within it.
      const inDomain = await get<{ items: any[] }>(`/api/v1/resources?openType=UNCONDITIONAL&limit=20&openDomain=${target.openDomain}`, null);
      expect(inDomain.items.length).toBeLessThan(Math.min(open.items.length, 20));
      await page.getByLabel(zhCN['search.openDomain']).selectOption(String(target.openDomain));
      await poll(() => results.count()).toBe(inDomain.items.length);
      await page.getByLabel(zhCN['search.keyword']).fill(target.name);
      await page.getByRole('button', { name: zhCN['search.submit'] }).click();
      const hit = page.getByTestId('search-results').getByRole('link', { name: target.name, exact: true });
      await hit.waitFor();
      const expected = await get<{ items: any[] }>(
        `/api/v1/resources?openType=UNCONDITIONAL&limit=20&openDomain=${target.openDomain}&q=${encodeURIComponent(target.name)}`,
        null,
      );
      await poll(() => results.count()).toBe(expected.items.length);

      await hit.click();
      await page.getByTestId('resource-name').filter({ hasText: target.name }).waitFor();
      const detail = await get<{ items: any[] }>(`/api/v1/resources/${target.id}`, null);
      await poll(() => page.getByTestId('resource-items').locator('tbody tr').count()).toBe(detail.items.length);
      await page.getByText(detail.items[0].name, { exact: true }).first().waitFor();
      expect(await page.getByTestId('resource-api').textContent()).toBe(`curl ${base}/api/v1/resources/${target.id}`);
      await keep(page, 'portal-resource');
    });
  });

  it('console: a wrong token is refused in Chinese; the admin token opens a dashboard whose figures equal the API’s', async () => {
    await withPage('dashboard', 1280, async (page) => {
      await page.goto(`${base}/console/`);
      await page.getByLabel(zhCN['console.token']).fill('not-a-token');
      await page.getByRole('button', { name: zhCN['console.login'] }).click();
      await page.getByRole('alert').filter({ hasText: zhCN['errors.INVALID_TOKEN'] }).waitFor();

      await page.getByLabel(zhCN['console.token']).fill(adminToken);
      await page.getByRole('button', { name: zhCN['console.login'] }).click();
      await page.getByTestId('figure-records').waitFor();
      expect(await page.evaluate("sessionStorage.getItem('kuaiji.token')")).toBe(adminToken);

      const catalog = await get('/api/v1/catalog/stats');
      const collection = await get('/api/v1/collection/stats');
      const quality = await get('/api/v1/quality/stats');
      const byDimension = await get('/api/v1/quality/scores?by=dimension');
      expect(collection.records).toBeGreaterThan(0);
      expect(byDimension.items.length).toBeGreaterThan(0);
      const figure = (id: string) => page.getByTestId(`figure-${id}`).getAttribute('data-value');
      expect(await figure('resources')).toBe(String(catalog.resources));
      expect(await figure('items')).toBe(String(catalog.items));
      expect(await figure('shareable-items')).toBe(String(catalog.shareableItems));
      expect(await figure('records')).toBe(String(collection.records));
      expect(await figure('coverage')).toBe(String(collection.coverage));
      expect(await figure('governed')).toBe(String(quality.governed.percent ?? ''));
      // Sharing's and opening's figures beside them, read live too.
      const sharing = await get('/api/v1/sharing/stats');
      const open = await get('/api/v1/open/stats');
      expect(open.figures.datasets).toBeGreaterThan(0);
      expect(await figure('interfaces')).toBe(String(sharing.interfaces.published.total));
      expect(await figure('connected-systems')).toBe(String(sharing.systems.connected));
      expect(await figure('calls')).toBe(String(sharing.calls.calls));
      expect(await figure('open-datasets')).toBe(String(open.figures.datasets));
      expect(await figure('open-records')).toBe(String(open.figures.records));
      expect(await page.getByTestId('figure-records').textContent()).toContain(collection.records.toLocaleString('zh-CN'));

      // Each chart draws on a canvas, and its table holds the API's numbers.
      const records = page.getByTestId('chart-records-by-region');
      const box = await records.locator('canvas').boundingBox();
      expect(box!.width).toBeGreaterThan(200);
      const cells = await records.locator('td').evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-value'))));
      expect(cells).toEqual(collection.byRegion.map((r: any) => r.records));
      const cityVsDistricts = await page
        .getByTestId('chart-city-vs-districts')
        .locator('td')
        .evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-value'))));
      expect(cityVsDistricts).toEqual([
        catalog.cityLevel.resources,
        catalog.cityLevel.items,
        collection.cityLevel.records,
        catalog.districts.resources,
        catalog.districts.items,
        collection.districts.records,
      ]);
      const dimensions = await page
        .getByTestId('chart-quality-by-dimension')
        .locator('td')
        .evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-value'))));
      expect(dimensions).toEqual(byDimension.items.map((d: any) => Math.round(d.score * 1000) / 10));
      await keep(page, 'console-dashboard');
    });
  });

  it('console: jobs with their progress, governance with the problems inbox, the API reference from our own assets', async () => {
    await withPage('jobs', 1280, async (page) => {
      await page.goto(`${base}/console/`);
      await page.evaluate(`sessionStorage.setItem('kuaiji.token', ${JSON.stringify(adminToken)})`);
      await page.goto(`${base}/console/#/jobs`);
      await page.reload(); // the token is read when the console starts
      const jobs = await get<{ items: any[] }>('/api/v1/collection/jobs?limit=50');
      await poll(() => page.getByTestId('jobs').locator('tbody tr[data-status="succeeded"]').count()).toBe(jobs.items.length);
      await keep(page, 'console-jobs');

      // A load submitted while the page is open appears, and ends, without a reload.
      const resource = jobs.items[0].resourceId;
      const read = await get<{ items: Record<string, unknown>[] }>(`/api/v1/resources/${resource}/records?limit=5&unmasked=true&reason=browser%20test`);
      const header = Object.keys(read.items[0]!);
      const cell = (v: unknown) => (v === null || v === undefined ? '' : `"${String(v).replaceAll('"', '""')}"`);
      const csv = [header.join(','), ...read.items.map((r) => header.map((h) => cell(r[h])).join(','))].join('\n');
      const upload = await app.inject({
        method: 'PUT',
        url: `/api/v1/resources/${resource}/batches/browser-test?format=csv`,
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'text/csv' },
        payload: csv,
      });
      expect(upload.statusCode, upload.body).toBeLessThan(300);
      const { job, duplicate } = upload.json();
      expect(duplicate).toBe(false);
      const row = page.getByTestId('jobs').locator(`tbody tr[data-job="${job.id}"]`);
      await row.and(page.locator('[data-status="succeeded"]')).waitFor({ timeout: 15_000 });
      expect(await page.getByTestId('jobs').locator('tbody tr').first().getAttribute('data-job')).toBe(job.id);

      await page.goto(`${base}/console/#/governance`);
      const problems = await get<{ items: any[] }>('/api/v1/quality/problems?limit=100');
      await poll(() => page.getByTestId('problems').locator('tbody tr').count()).toBe(problems.items.length);
      const ranking = await get<{ items: any[] }>('/api/v1/quality/ranking');
      await poll(() => page.getByTestId('ranking').locator('tbody tr').count()).toBe(ranking.items.length);
      const byResource = await get<{ items: { score: number | null }[] }>('/api/v1/quality/scores?by=resource');
      const scores = byResource.items.filter((s) => s.score !== null).map((s) => s.score!);
      expect(scores.length).toBeGreaterThan(0);
      await poll(() =>
        page
          .getByTestId('scores-by-resource')
          .locator('tbody tr')
          .evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-value')))),
      ).toEqual([...scores].sort((a, b) => a - b));
      await keep(page, 'console-governance');

      await page.goto(`${base}/api-docs/`);
      await page.locator('.swagger-ui .info .title').filter({ hasText: 'Kuaiji' }).waitFor();
    });
  });

  it('console catalogue: every visible resource, filtered by provider department', async () => {
    await withPage('catalogue', 1280, async (page) => {
      await page.goto(`${base}/console/`);
      await page.evaluate(`sessionStorage.setItem('kuaiji.token', ${JSON.stringify(adminToken)})`);
      await page.goto(`${base}/console/#/catalog`);
      await page.reload();
      const results = page.getByTestId('search-results').locator('li');
      const all = await get<{ items: any[] }>('/api/v1/resources?limit=20');
      await poll(() => results.count()).toBe(all.items.length);
      const police = all.items[0].providerDepartmentId;
      const theirs = await get<{ items: any[] }>(`/api/v1/resources?limit=20&providerDepartmentId=${police}`);
      expect(theirs.items.length).toBeLessThan(all.items.length);
      await page.getByLabel(zhCN['resource.provider']).selectOption(police);
      await poll(() => results.locator('a').allTextContents()).toEqual(theirs.items.map((r) => r.name));
      await keep(page, 'console-catalogue');

      // A resource page in the console reads a preview of its records only when asked (reads are audited).
      const target = theirs.items[0];
      await results.getByRole('link', { name: target.name, exact: true }).click();
      await page.getByTestId('resource-name').filter({ hasText: target.name }).waitFor();
      expect(await page.getByTestId('records-preview').count()).toBe(0);
      await page.getByRole('button', { name: zhCN['records.load'].replace('{n}', '10') }).click();
      const records = await get<{ items: Record<string, unknown>[]; total: number }>(`/api/v1/resources/${target.id}/records?limit=10`);
      await poll(() => page.getByTestId('records-preview').locator('tbody tr').count()).toBe(records.items.length);
      expect(await page.getByTestId('records-total').getAttribute('data-value')).toBe(String(records.total));
      const detail = await get<{ items: { code: string }[] }>(`/api/v1/resources/${target.id}`);
      const firstRow = await page.getByTestId('records-preview').locator('tbody tr').first().locator('td').allTextContents();
      expect(firstRow).toEqual(detail.items.map((i) => (records.items[0]![i.code] == null ? '' : String(records.items[0]![i.code]))));
      await keep(page, 'console-records');
    });
  });

  it('switches to English and back, at a phone’s width too', async () => {
    const en = (await import('../../web/src/i18n/en.json', { with: { type: 'json' } })).default as typeof zhCN;
    await withPage('english-phone', 390, async (page) => {
      await page.goto(`${base}/console/`);
      await page.evaluate(`sessionStorage.setItem('kuaiji.token', ${JSON.stringify(adminToken)})`);
      await page.reload();
      await page.getByRole('heading', { level: 1, name: zhCN['nav.dashboard'] }).waitFor();
      await page.getByTestId('lang-switch').click();
      await page.getByRole('heading', { level: 1, name: en['nav.dashboard'] }).waitFor();
      await page.getByText(en['charts.recordsByRegion']).waitFor();
      await keep(page, 'console-dashboard-en-phone');
      const width = await page.evaluate<number>('document.documentElement.scrollWidth');
      expect(width).toBeLessThanOrEqual(390);
      // The choice is remembered for the next page.
      await page.goto(`${base}/#/resources`);
      await page.getByRole('heading', { level: 1, name: en['portal.heading'] }).waitFor();
      await page.getByTestId('lang-switch').click();
      await page.getByRole('heading', { level: 1, name: zhCN['portal.heading'] }).waitFor();
    });
  });

  it('a department officer’s dashboard shows their scope’s figures, as the API gives them to that officer', async () => {
    await withPage('officer', 1280, async (page) => {
      await page.goto(`${base}/console/`);
      await page.getByLabel(zhCN['console.token']).fill(officer.token);
      await page.getByRole('button', { name: zhCN['console.login'] }).click();
      await page.getByTestId('whoami').filter({ hasText: zhCN['role.OFFICER'] }).waitFor();
      await page.getByTestId('figure-records').waitFor();
      const catalog = await get('/api/v1/catalog/stats', officer.token);
      const collection = await get('/api/v1/collection/stats', officer.token);
      expect(catalog.scope).toBe('department');
      expect(await page.getByTestId('figure-resources').getAttribute('data-value')).toBe(String(catalog.resources));
      expect(await page.getByTestId('figure-records').getAttribute('data-value')).toBe(String(collection.records));
      await keep(page, 'console-dashboard-officer');
    });
  });

  it('fetched nothing from another origin and logged no console error (but the refused token’s 401)', () => {
    expect(outside).toEqual([]);
    expect(consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
  });
});
