import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import zhCN from '../../web/src/i18n/zh-CN.json' with { type: 'json' };
import { hasChromium, poll, startTestServer, type TestServer } from './browser-harness.js';

// The portal and the console in a real browser (Debian's chromium driven by playwright-core) over
// the demo city with a small share of its synthetic records, quality-scanned. Basics of every view
// (`s.basics`): a title, a label on every form field, no message key left untranslated.
describe.skipIf(!hasChromium)('the web UI in chromium', { timeout: 120_000 }, () => {
  let s: TestServer;
  const officer = () => s.demoUsers.find((u) => u.role === 'OFFICER')!;

  beforeAll(async () => {
    s = await startTestServer({
      name: 'browser',
      demoRecords: 0.005,
      // Quality figures for the dashboard: one scan of every collected resource.
      seed: async ({ call }) => expect((await call('POST', '/api/v1/quality/scans?wait=true', { payload: {} })).status).toBe('succeeded'),
    });
  }, 300_000);
  afterAll(() => s?.close());

  it('portal: searches the open catalogue and opens a resource page with its data items', async () => {
    const open = await s.get<{ items: any[] }>('/api/v1/resources?openType=UNCONDITIONAL&limit=100', null);
    const target = open.items.find((r) => r.name.length >= 4)!;
    await s.withPage('portal', 1280, async (page) => {
      // The open-data home is at / (open-sharing.browser.test.ts); the resource catalogue at #/resources.
      await page.goto(`${s.base}/#/resources`);
      await poll(() => page.title()).toContain(zhCN['portal.title']);
      await page.getByRole('heading', { level: 1 }).filter({ hasText: zhCN['portal.heading'] }).waitFor();
      await page.getByTestId('figure-portal-resources').waitFor();
      expect(await page.getByTestId('figure-portal-resources').getAttribute('data-value')).toBe(String((await s.get('/api/v1/catalog/stats', null)).resources));

      const results = page.getByTestId('search-results').locator('li');
      await poll(() => results.count()).toBe(Math.min(open.items.length, 20));
      await s.basics(page, 'portal-catalogue');

      // The open-domain facet, then a keyword within it.
      const inDomain = await s.get<{ items: any[] }>(`/api/v1/resources?openType=UNCONDITIONAL&limit=20&openDomain=${target.openDomain}`, null);
      expect(inDomain.items.length).toBeLessThan(Math.min(open.items.length, 20));
      await page.getByLabel(zhCN['search.openDomain']).selectOption(String(target.openDomain));
      await poll(() => results.count()).toBe(inDomain.items.length);
      await page.getByLabel(zhCN['search.keyword']).fill(target.name);
      await page.getByRole('button', { name: zhCN['search.submit'] }).click();
      const hit = page.getByTestId('search-results').getByRole('link', { name: target.name, exact: true });
      await hit.waitFor();
      const expected = await s.get<{ items: any[] }>(
        `/api/v1/resources?openType=UNCONDITIONAL&limit=20&openDomain=${target.openDomain}&q=${encodeURIComponent(target.name)}`,
        null,
      );
      await poll(() => results.count()).toBe(expected.items.length);

      await hit.click();
      await page.getByTestId('resource-name').filter({ hasText: target.name }).waitFor();
      const detail = await s.get<{ items: any[] }>(`/api/v1/resources/${target.id}`, null);
      await poll(() => page.getByTestId('resource-items').locator('tbody tr').count()).toBe(detail.items.length);
      await page.getByText(detail.items[0].name, { exact: true }).first().waitFor();
      expect(await page.getByTestId('resource-api').textContent()).toBe(`curl ${s.base}/api/v1/resources/${target.id}`);
      await s.basics(page, 'portal-resource');
    });
  });

  it('console: a wrong token is refused in Chinese; the admin token opens a dashboard whose figures equal the API’s', async () => {
    await s.withPage('dashboard', 1280, async (page) => {
      await page.goto(`${s.base}/console/`);
      await page.getByLabel(zhCN['console.token']).fill('not-a-token');
      await page.getByRole('button', { name: zhCN['console.login'] }).click();
      await page.getByRole('alert').filter({ hasText: zhCN['errors.INVALID_TOKEN'] }).waitFor();

      await page.getByLabel(zhCN['console.token']).fill(s.adminToken);
      await page.getByRole('button', { name: zhCN['console.login'] }).click();
      await page.getByTestId('figure-records').waitFor();
      expect(await page.evaluate("sessionStorage.getItem('kuaiji.token')")).toBe(s.adminToken);

      const catalog = await s.get('/api/v1/catalog/stats');
      const collection = await s.get('/api/v1/collection/stats');
      const quality = await s.get('/api/v1/quality/stats');
      const byDimension = await s.get('/api/v1/quality/scores?by=dimension');
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
      const sharing = await s.get('/api/v1/sharing/stats');
      const open = await s.get('/api/v1/open/stats');
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
      await s.basics(page, 'console-dashboard');
    });
  });

  it('console: jobs with their progress, governance with the problems inbox, the API reference from our own assets', async () => {
    await s.withPage('jobs', 1280, async (page) => {
      await s.signIn(page, s.adminToken, '#/jobs');
      const jobs = await s.get<{ items: any[] }>('/api/v1/collection/jobs?limit=50');
      await poll(() => page.getByTestId('jobs').locator('tbody tr[data-status="succeeded"]').count()).toBe(jobs.items.length);
      await s.basics(page, 'console-jobs');

      // A load submitted while the page is open appears, and ends, without a reload.
      const resource = jobs.items[0].resourceId;
      const read = await s.get<{ items: Record<string, unknown>[] }>(`/api/v1/resources/${resource}/records?limit=5&unmasked=true&reason=browser%20test`);
      const header = Object.keys(read.items[0]!);
      const cell = (v: unknown) => (v === null || v === undefined ? '' : `"${String(v).replaceAll('"', '""')}"`);
      const csv = [header.join(','), ...read.items.map((r) => header.map((h) => cell(r[h])).join(','))].join('\n');
      const upload = await s.app.inject({
        method: 'PUT',
        url: `/api/v1/resources/${resource}/batches/browser-test?format=csv`,
        headers: { authorization: `Bearer ${s.adminToken}`, 'content-type': 'text/csv' },
        payload: csv,
      });
      expect(upload.statusCode, upload.body).toBeLessThan(300);
      const { job, duplicate } = upload.json();
      expect(duplicate).toBe(false);
      const row = page.getByTestId('jobs').locator(`tbody tr[data-job="${job.id}"]`);
      // The load runs in the worker pool: a worker's first start is slow on a loaded machine.
      await row.and(page.locator('[data-status="succeeded"]')).waitFor({ timeout: 90_000 });
      expect(await page.getByTestId('jobs').locator('tbody tr').first().getAttribute('data-job')).toBe(job.id);

      await page.goto(`${s.base}/console/#/governance`);
      const problems = await s.get<{ items: any[] }>('/api/v1/quality/problems?limit=100');
      await poll(() => page.getByTestId('problems').locator('tbody tr').count()).toBe(problems.items.length);
      const ranking = await s.get<{ items: any[] }>('/api/v1/quality/ranking');
      await poll(() => page.getByTestId('ranking').locator('tbody tr').count()).toBe(ranking.items.length);
      const byResource = await s.get<{ items: { score: number | null }[] }>('/api/v1/quality/scores?by=resource');
      const scores = byResource.items.filter((s) => s.score !== null).map((s) => s.score!);
      expect(scores.length).toBeGreaterThan(0);
      await poll(() =>
        page
          .getByTestId('scores-by-resource')
          .locator('tbody tr')
          .evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-value')))),
      ).toEqual([...scores].sort((a, b) => a - b));
      await s.basics(page, 'console-governance');

      await page.goto(`${s.base}/api-docs/`);
      await page.locator('.swagger-ui .info .title').filter({ hasText: 'Kuaiji' }).waitFor();
    });
  });

  it('console catalogue: every visible resource, filtered by provider department', async () => {
    await s.withPage('catalogue', 1280, async (page) => {
      await s.signIn(page, s.adminToken, '#/catalog');
      const results = page.getByTestId('search-results').locator('li');
      const all = await s.get<{ items: any[] }>('/api/v1/resources?limit=20');
      await poll(() => results.count()).toBe(all.items.length);
      const police = all.items[0].providerDepartmentId;
      const theirs = await s.get<{ items: any[] }>(`/api/v1/resources?limit=20&providerDepartmentId=${police}`);
      expect(theirs.items.length).toBeLessThan(all.items.length);
      await page.getByLabel(zhCN['resource.provider']).selectOption(police);
      await poll(() => results.locator('a').allTextContents()).toEqual(theirs.items.map((r) => r.name));
      await s.basics(page, 'console-catalogue');

      // A resource page in the console reads a preview of its records only when asked (reads are audited).
      const target = theirs.items[0];
      await results.getByRole('link', { name: target.name, exact: true }).click();
      await page.getByTestId('resource-name').filter({ hasText: target.name }).waitFor();
      expect(await page.getByTestId('records-preview').count()).toBe(0);
      await page.getByRole('button', { name: zhCN['records.load'].replace('{n}', '10') }).click();
      const records = await s.get<{ items: Record<string, unknown>[]; total: number }>(`/api/v1/resources/${target.id}/records?limit=10`);
      await poll(() => page.getByTestId('records-preview').locator('tbody tr').count()).toBe(records.items.length);
      expect(await page.getByTestId('records-total').getAttribute('data-value')).toBe(String(records.total));
      const detail = await s.get<{ items: { code: string }[] }>(`/api/v1/resources/${target.id}`);
      const firstRow = await page.getByTestId('records-preview').locator('tbody tr').first().locator('td').allTextContents();
      expect(firstRow).toEqual(detail.items.map((i) => (records.items[0]![i.code] == null ? '' : String(records.items[0]![i.code]))));
      await s.basics(page, 'console-records');
    });
  });

  it('switches to English and back, at a phone’s width too', async () => {
    const en = (await import('../../web/src/i18n/en.json', { with: { type: 'json' } })).default as typeof zhCN;
    await s.withPage('english-phone', 390, async (page) => {
      await s.signIn(page, s.adminToken, '');
      await page.getByRole('heading', { level: 1, name: zhCN['nav.dashboard'] }).waitFor();
      await page.getByTestId('lang-switch').click();
      await page.getByRole('heading', { level: 1, name: en['nav.dashboard'] }).waitFor();
      await page.getByText(en['charts.recordsByRegion']).waitFor();
      await s.basics(page, 'console-dashboard-en-phone');
      const width = await page.evaluate<number>('document.documentElement.scrollWidth');
      expect(width).toBeLessThanOrEqual(390);
      // The choice is remembered for the next page.
      await page.goto(`${s.base}/#/resources`);
      await page.getByRole('heading', { level: 1, name: en['portal.heading'] }).waitFor();
      await page.getByTestId('lang-switch').click();
      await page.getByRole('heading', { level: 1, name: zhCN['portal.heading'] }).waitFor();
    });
  });

  it('a department officer’s dashboard shows their scope’s figures, as the API gives them to that officer', async () => {
    await s.withPage('officer', 1280, async (page) => {
      await page.goto(`${s.base}/console/`);
      await page.getByLabel(zhCN['console.token']).fill(officer().token);
      await page.getByRole('button', { name: zhCN['console.login'] }).click();
      await page.getByTestId('whoami').filter({ hasText: zhCN['role.OFFICER'] }).waitFor();
      await page.getByTestId('figure-records').waitFor();
      const catalog = await s.get('/api/v1/catalog/stats', officer().token);
      const collection = await s.get('/api/v1/collection/stats', officer().token);
      expect(catalog.scope).toBe('department');
      expect(await page.getByTestId('figure-resources').getAttribute('data-value')).toBe(String(catalog.resources));
      expect(await page.getByTestId('figure-records').getAttribute('data-value')).toBe(String(collection.records));
      await s.basics(page, 'console-dashboard-officer');
    });
  });

  it('fetched nothing from another origin and logged no console error (but the refused token’s 401)', () => {
    expect(s.outside).toEqual([]);
    expect(s.consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
  });
});
