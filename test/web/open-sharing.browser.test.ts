import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import zhCN from '../../web/src/i18n/zh-CN.json' with { type: 'json' };
import { hasChromium, poll, startTestServer, type TestServer } from './browser-harness.js';

// The open-data portal and the console's sharing and opening pages in Debian's chromium, over the
// demo city with a small share of its records. Open datasets are published by this test through
// the API when the demo city has none.
describe.skipIf(!hasChromium)('open-data portal, sharing and opening pages in chromium', { timeout: 120_000 }, () => {
  let s: TestServer;
  const officer = () => s.demoUsers.find((u) => u.role === 'OFFICER')!;

  beforeAll(async () => {
    s = await startTestServer({
      name: 'open-sharing',
      demoRecords: 0.005,
      // Open datasets: the demo city's own when it publishes them, else three collected open resources published here.
      seed: async ({ get, call }) => {
        if ((await get('/api/v1/open/datasets?limit=1', null)).total > 0) return;
        const jobs = await get<{ items: { resourceId: string }[] }>('/api/v1/collection/jobs?limit=100');
        const collected = new Set(jobs.items.map((j) => j.resourceId));
        const open = await get<{ items: { id: string }[] }>('/api/v1/resources?openType=UNCONDITIONAL&limit=500');
        const chosen = open.items.filter((r) => collected.has(r.id)).slice(0, 3);
        expect(chosen.length).toBeGreaterThan(0);
        for (const r of chosen) await call('POST', '/api/v1/open/datasets', { payload: { resourceId: r.id } });
      },
    });
  }, 300_000);
  afterAll(() => s?.close());

  it('portal home: the open domains with their counts and the open figures, as the API gives them', async () => {
    const domains = await s.get<{ items: { code: string; datasets: number }[] }>('/api/v1/open/domains', null);
    const stats = await s.get('/api/v1/open/stats', null);
    await s.withPage('open-home', 1280, async (page) => {
      await page.goto(`${s.base}/`);
      await page.getByRole('heading', { level: 1, name: zhCN['open.heading'] }).waitFor();
      const shown = page.getByTestId('open-domains').locator('li');
      await poll(() => shown.count()).toBe(domains.items.length);
      const counts = await shown.evaluateAll((lis) =>
        lis.map((li) => [li.getAttribute('data-domain'), Number(li.querySelector('[data-value]')!.getAttribute('data-value'))]),
      );
      expect(counts).toEqual(domains.items.map((d) => [d.code, d.datasets]));
      expect(domains.items.some((d) => d.datasets > 0)).toBe(true);
      await page.getByTestId('figure-open-datasets').waitFor();
      expect(await page.getByTestId('figure-open-datasets').getAttribute('data-value')).toBe(String(stats.figures.datasets));
      // The catalogue's figures stay on the home page.
      expect(await page.getByTestId('figure-portal-resources').getAttribute('data-value')).toBe(String((await s.get('/api/v1/catalog/stats', null)).resources));
      await s.basics(page, 'portal-home');

      // A domain opens the search narrowed to it.
      const domain = domains.items.find((d) => d.datasets > 0)!;
      await page.locator(`[data-domain="${domain.code}"] a`).click();
      await poll(() => page.getByTestId('dataset-results').locator('li').count()).toBe(Math.min(domain.datasets, 20));
      expect(await page.getByTestId('dataset-total').getAttribute('data-value')).toBe(String(domain.datasets));
    });
  });

  it('portal: a search finds a dataset, the facets narrow it, and its page shows metadata, a preview, downloads and API usage', async () => {
    const all = await s.get<{ items: { id: string; name: string; title: string; recordCount: number }[]; facets: any }>(
      '/api/v1/open/datasets?limit=100&openType=UNCONDITIONAL',
      null,
    );
    const target = all.items.find((d) => d.recordCount > 0)!;
    expect(target, 'an open dataset with records').toBeTruthy();
    await s.withPage('dataset', 1280, async (page) => {
      await page.goto(`${s.base}/`);
      await page.getByLabel(zhCN['search.keyword']).fill(target.title);
      await page.getByRole('button', { name: zhCN['search.submit'] }).click();
      const found = await s.get(`/api/v1/open/datasets?q=${encodeURIComponent(target.title)}&limit=20`, null);
      const results = page.getByTestId('dataset-results').locator('li');
      await poll(() => page.getByTestId('dataset-total').getAttribute('data-value')).toBe(String(found.total));
      await poll(() => results.count()).toBe(found.items.length);
      const hit = page.getByTestId('dataset-results').getByRole('link', { name: target.title, exact: true });
      await hit.waitFor();

      // Every facet lists the API's values with their counts; choosing the open type narrows the results.
      const facet = found.facets.openType[0];
      const options = await page.getByLabel(zhCN['open.facet.openType']).locator('option').count();
      expect(options).toBe(found.facets.openType.length + 1);
      await page.getByLabel(zhCN['open.facet.openType']).selectOption(facet.value);
      const narrowed = await s.get(`/api/v1/open/datasets?q=${encodeURIComponent(target.title)}&openType=${facet.value}&limit=20`, null);
      await poll(() => page.getByTestId('dataset-total').getAttribute('data-value')).toBe(String(narrowed.total));
      await page.getByLabel(zhCN['open.sort']).selectOption('name');
      await poll(() => page.evaluate('location.hash')).toContain('sort=name');
      await s.basics(page, 'dataset-search');

      await page.getByTestId('dataset-results').getByRole('link', { name: target.title, exact: true }).click();
      await page.getByTestId('dataset-title').filter({ hasText: target.title }).waitFor();
      const detail = await s.get(`/api/v1/open/datasets/${target.id}`, null);
      await poll(() => page.getByTestId('dataset-items').locator('tbody tr').count()).toBe(detail.items.length);
      expect(await page.getByTestId('dataset-records').getAttribute('data-value')).toBe(String(detail.recordCount));
      const preview = await s.get(`/api/v1/open/datasets/${target.id}/preview?limit=10`, null);
      expect(preview.records.length).toBeGreaterThan(0);
      await poll(() => page.getByTestId('preview').locator('tbody tr').count()).toBe(preview.records.length);
      expect(await page.getByTestId('preview').locator('thead th').allTextContents()).toEqual(preview.fields.map((f: { title: string }) => f.title));
      const firstRow = await page.getByTestId('preview').locator('tbody tr').first().locator('td').allTextContents();
      expect(firstRow).toEqual(preview.fields.map((f: { id: string }) => (preview.records[0][f.id] == null ? '' : String(preview.records[0][f.id]))));

      // The download links answer: CSV with a BOM, GBK, XLSX (a zip) and JSON.
      const href = (id: string) => page.getByTestId(id).getAttribute('href');
      const csv = await s.app.inject({ url: (await href('download-csv'))! });
      expect(csv.statusCode).toBe(200);
      expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const gbk = await s.app.inject({ url: (await href('download-csv-gbk'))! });
      expect(gbk.statusCode).toBe(200);
      expect(gbk.headers['content-type']).toMatch(/gbk/i);
      const xlsx = await s.app.inject({ url: (await href('download-xlsx'))! });
      expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
      const json = await s.app.inject({ url: (await href('download-json'))! });
      expect(json.statusCode).toBe(200);

      // API usage: both example requests work as printed.
      const rowsExample = (await page.getByTestId('api-rows').textContent())!;
      const ckanExample = (await page.getByTestId('api-ckan').textContent())!;
      const urlOf = (curl: string) => new URL(/'([^']+)'/.exec(curl)![1]!);
      const rows = urlOf(rowsExample);
      expect(rows.origin).toBe(s.base);
      expect((await s.get(rows.pathname + rows.search, null)).records.length).toBeGreaterThan(0);
      const ckan = urlOf(ckanExample);
      const pkg = await s.get(ckan.pathname + ckan.search, null);
      expect(pkg).toMatchObject({ success: true, result: { name: target.name } });
      await s.basics(page, 'portal-dataset');

      // The same page in English.
      await page.getByTestId('lang-switch').click();
      await page.getByRole('heading', { level: 2, name: en['open.preview'] }).waitFor();
      await page.getByTestId('download-csv-gbk').filter({ hasText: en['open.download.csvGbk'] }).waitFor();
      await s.basics(page, 'dataset-page-en');
      await page.getByTestId('lang-switch').click();
      await page.getByRole('heading', { level: 2, name: zhCN['open.preview'] }).waitFor();
    });
  });

  it('portal at a phone’s width: search and scenarios fit the screen', async () => {
    await s.withPage('open-phone', 390, async (page) => {
      await page.goto(`${s.base}/#/datasets`);
      await page.getByRole('heading', { level: 1, name: zhCN['open.searchTitle'] }).waitFor();
      await page.getByTestId('dataset-results').locator('li').first().waitFor();
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await page.goto(`${s.base}/#/scenarios`);
      await page.getByRole('heading', { level: 1, name: zhCN['open.scenarios'] }).waitFor();
      const scenarios = await s.get('/api/v1/open/scenarios?limit=20', null);
      await poll(() => page.getByTestId('scenarios').locator('li').count()).toBe(scenarios.items.length);
      await s.basics(page, 'scenarios');
    });
  });

  it('console sharing: the approvals inbox with its deadline; approving from the UI moves the application on', async () => {
    // A conditional resource of one department, applied for by a system of another.
    const conditional = await s.get<{ items: { id: string; providerDepartmentId: string }[] }>('/api/v1/resources?shareType=CONDITIONAL&limit=100');
    const resource = conditional.items[0]!;
    const detail = await s.get<{ items: { code: string; shareType: string }[] }>(`/api/v1/resources/${resource.id}`);
    const item = detail.items.find((i) => i.shareType === 'CONDITIONAL')!;
    const systems = await s.get<{ items: { id: string; departmentId: string }[] }>('/api/v1/systems?limit=500');
    const system = systems.items.find((x) => x.departmentId !== resource.providerDepartmentId)!;
    const { consumer } = await s.call('POST', '/api/v1/sharing/consumers', { payload: { systemId: system.id } });
    const application = await s.call('POST', '/api/v1/sharing/applications', {
      payload: {
        consumerId: consumer.id,
        resourceId: resource.id,
        items: [item.code],
        purpose: '浏览器测试：核验申报信息',
        scenario: '窗口受理',
        validUntil: '2099-12-31',
      },
    });
    expect(application.status).toBe('COMPLIANCE_CHECK');
    // A published interface of that resource, for the interfaces figures and chart.
    const iface = await s.call('POST', '/api/v1/sharing/interfaces', { payload: { resourceId: resource.id, code: 'browser-test', name: '浏览器测试接口' } });
    await s.call('PATCH', `/api/v1/sharing/interfaces/${iface.id}`, { payload: { status: 'PUBLISHED' } });

    await s.withPage('sharing', 1280, async (page) => {
      await s.signIn(page, s.adminToken, '#/sharing');
      await page.getByRole('heading', { level: 1, name: zhCN['nav.sharing'] }).waitFor();
      const stats = await s.get('/api/v1/sharing/stats');
      await page.getByTestId('figure-sharing-pending').waitFor();
      expect(await page.getByTestId('figure-sharing-pending').getAttribute('data-value')).toBe(String(stats.applications.pending));
      // The charts' tables hold the API's numbers.
      const cells = (id: string) =>
        page
          .getByTestId(`chart-${id}`)
          .locator('td')
          .evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-value'))));
      // (A chart is drawn once it has something to show: a new platform has no calls and no interfaces.)
      expect(stats.interfaces.published.total).toBeGreaterThan(0);
      const byLevel = stats.interfaces.published.total > 0 ? ['CITY', 'PROVINCIAL', 'NATIONAL'].map((l) => stats.interfaces.published.byLevel[l]) : [];
      expect(await cells('sharing-interfaces-by-level')).toEqual(byLevel);
      expect(await cells('sharing-calls-by-day')).toEqual(stats.calls.byDay.flatMap((d: { calls: number; errors: number }) => [d.calls, d.errors]));
      const row = page.getByTestId('applications').locator(`tr[data-application="${application.id}"]`);
      await row.waitFor();
      expect(await row.getByTestId('application-status').textContent()).toBe(zhCN['sharing.state.COMPLIANCE_CHECK']);
      const sla = row.getByTestId('sla');
      expect(await sla.textContent()).toContain(application.complianceDue);
      expect(Number(await sla.getAttribute('data-days'))).toBeGreaterThanOrEqual(0);
      await s.basics(page, 'console-sharing');

      await row.getByRole('button', { name: zhCN['sharing.review'] }).click();
      const panel = page.getByTestId('application-panel');
      await panel.getByText('浏览器测试：核验申报信息').waitFor();
      // A rejection needs its reasons: the button waits for them.
      expect(await panel.getByRole('button', { name: zhCN['sharing.reject'] }).isDisabled()).toBe(true);
      await panel.getByLabel(zhCN['sharing.decisionText']).fill('用途与依据相符');
      await panel.getByRole('button', { name: zhCN['sharing.approve'] }).click();
      await poll(() => row.getByTestId('application-status').textContent()).toBe(zhCN['sharing.state.PROVIDER_REVIEW']);
      const after = await s.get(`/api/v1/sharing/applications/${application.id}`);
      expect(after).toMatchObject({ status: 'PROVIDER_REVIEW', awaiting: 'provider' });
      expect(after.history.at(-1)).toMatchObject({ to: 'PROVIDER_REVIEW', note: '用途与依据相符' });
      // Now the provider department reviews; the administrator (not escalated) may only read it.
      await panel.getByText(zhCN['sharing.state.PROVIDER_REVIEW'], { exact: false }).first().waitFor();
      expect(await panel.getByRole('button', { name: zhCN['sharing.approve'] }).count()).toBe(0);
      expect(await sla.textContent()).toContain(after.reviewDue);

      // A new application from the console: unconditional items are granted at once.
      const open = await s.get<{ items: { id: string; providerDepartmentId: string }[] }>('/api/v1/resources?shareType=UNCONDITIONAL&limit=100');
      const provider = open.items.find((r) => r.providerDepartmentId !== system.departmentId)!;
      const providerItems = await s.get<{ items: { code: string; shareType: string }[] }>(`/api/v1/resources/${provider.id}`);
      const free = providerItems.items.find((i) => i.shareType === 'UNCONDITIONAL')!;
      await page.getByRole('button', { name: zhCN['sharing.newApplication'] }).click();
      const form = page.getByTestId('sharing-apply');
      await form.getByLabel(zhCN['sharing.consumer']).selectOption(consumer.id);
      await form.getByLabel(zhCN['jobs.resource']).selectOption(provider.id);
      await form.locator('label', { hasText: free.code }).locator('input').check();
      await form.getByLabel(zhCN['sharing.purpose']).fill('浏览器测试：无条件共享');
      await form.getByLabel(zhCN['sharing.validUntil']).fill('2099-12-31');
      await s.basics(page, 'sharing-apply');
      await form.getByRole('button', { name: zhCN['sharing.submitApplication'] }).click();
      await page.getByTestId('application-sent').filter({ hasText: zhCN['sharing.state.GRANTED'] }).waitFor();
      const granted = await s.get<{ items: { consumerId: string; resourceId: string; items: string[] }[] }>(`/api/v1/sharing/grants?consumerId=${consumer.id}`);
      expect(granted.items).toEqual([expect.objectContaining({ resourceId: provider.id, items: [free.code] })]);

      // Consumer systems: rotating a key shows the new secret once; the API keeps only its last four characters.
      await page.getByRole('link', { name: zhCN['sharing.tab.consumers'] }).click();
      const consumerRow = page.getByTestId('consumers').locator(`tr[data-consumer="${consumer.id}"]`);
      await consumerRow.getByRole('button', { name: zhCN['sharing.rotate'] }).click();
      const secret = (await page.getByTestId('new-secret').textContent())!;
      const appKey = (await page.getByTestId('new-app-key').textContent())!;
      const stored = await s.get(`/api/v1/sharing/consumers/${consumer.id}`);
      const active = stored.credentials.find((c: { active: boolean }) => c.active);
      expect(active).toMatchObject({ appKey, secretLast4: secret.slice(-4) });
      expect(JSON.stringify(stored)).not.toContain(secret);
      await s.basics(page, 'sharing-consumers');
      await page.getByRole('button', { name: zhCN['sharing.secretSaved'] }).click();
      expect(await page.getByTestId('new-secret').count()).toBe(0);

      // Grants, interfaces and the call audit answer as the API does.
      await page.getByRole('link', { name: zhCN['sharing.tab.grants'] }).click();
      const grants = await s.get('/api/v1/sharing/grants?limit=200&status=ACTIVE');
      await poll(() => page.getByTestId('grants').locator('tbody tr').count()).toBe(grants.items.length);
      await page.getByRole('link', { name: zhCN['sharing.tab.interfaces'] }).click();
      const interfaces = await s.get('/api/v1/sharing/interfaces?limit=200');
      await poll(() => page.getByTestId('interfaces').locator('tbody tr').count()).toBe(interfaces.items.length);
      await page.getByRole('link', { name: zhCN['sharing.tab.calls'] }).click();
      await page.getByRole('button', { name: zhCN['sharing.verifyChain'] }).click();
      await page
        .getByTestId('chain-check')
        .filter({ hasText: zhCN['sharing.chainOk'].split('（')[0]! })
        .waitFor();
      await s.basics(page, 'sharing-calls');
    });
  });

  it('a department officer sees only what their role allows (no call audit, only their applications), at a phone’s width', async () => {
    const apps = await s.get('/api/v1/sharing/applications?limit=100', officer().token);
    await s.withPage('sharing-officer', 390, async (page) => {
      await s.signIn(page, officer().token, '#/sharing');
      await page.getByRole('heading', { level: 1, name: zhCN['nav.sharing'] }).waitFor();
      await page.getByTestId('applications').waitFor();
      await poll(() => page.getByTestId('applications').locator('tbody tr').count()).toBe(apps.items.length);
      expect(await page.getByRole('link', { name: zhCN['sharing.tab.calls'] }).count()).toBe(0);
      // At a phone's width nothing but the tables' own scrolling boxes is wider than the screen.
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      // A hand-typed address of the audit shows the inbox instead.
      await page.goto(`${s.base}/console/#/sharing/calls`);
      await page.getByTestId('applications').waitFor();
      expect(await page.getByTestId('calls').count()).toBe(0);
      await s.basics(page, 'sharing-officer');
    });
  });

  it('console opening: the published datasets and the restricted-open applications inbox', async () => {
    const published = await s.get('/api/v1/open/datasets?limit=100&sort=modified');
    await s.withPage('opening', 1280, async (page) => {
      await s.signIn(page, s.adminToken, '#/opening');
      await page.getByRole('heading', { level: 1, name: zhCN['nav.opening'] }).waitFor();
      await poll(() => page.getByTestId('open-datasets').locator('tbody tr').count()).toBe(published.items.length);
      // The publish form offers the resources whose open type allows it.
      const openable = await s.get('/api/v1/resources?openType=UNCONDITIONAL&limit=500');
      const restricted = await s.get('/api/v1/resources?openType=RESTRICTED&limit=500');
      await poll(() => page.getByLabel(zhCN['jobs.resource']).locator('option').count()).toBe(1 + openable.items.length + restricted.items.length);
      await s.basics(page, 'opening-datasets');
      await page.getByRole('link', { name: zhCN['opening.tab.applications'] }).click();
      const submitted = await s.get('/api/v1/open/applications?limit=100&status=submitted');
      await page.getByTestId('open-applications').waitFor();
      await poll(() => page.getByTestId('open-applications').locator('tbody tr').count()).toBe(submitted.items.length);
      await s.basics(page, 'opening-applications');
    });
  });

  it('portal: a public user registers and applies for restricted data; the provider approves in the console; the user accepts the agreement', async () => {
    let restricted = (await s.get('/api/v1/open/datasets?openType=RESTRICTED&limit=1', null)).items[0];
    if (!restricted) {
      const resources = await s.get<{ items: { id: string }[] }>('/api/v1/resources?openType=RESTRICTED&limit=1');
      restricted = await s.call('POST', '/api/v1/open/datasets', { payload: { resourceId: resources.items[0]!.id } });
    }
    // The public user's page has a browser context of its own (as every withPage has): the console's sign-in below does not touch it.
    await s.withPage('open-apply', 1280, async (portal) => {
      await portal.goto(`${s.base}/#/datasets/${restricted.id}`);
      await portal.getByTestId('dataset-title').waitFor();
      await portal.getByRole('link', { name: zhCN['account.signInToApply'] }).click();
      await portal.getByRole('button', { name: zhCN['account.toRegister'] }).click();
      await portal.getByLabel(zhCN['account.username']).fill('browser-tester');
      await portal.getByLabel(zhCN['account.password']).fill('a long enough passphrase');
      await portal.getByLabel(zhCN['account.displayName']).fill('测试用户');
      await portal.getByLabel(zhCN['account.email']).fill('tester@example.org');
      await s.basics(portal, 'open-register');
      await portal.getByRole('button', { name: zhCN['account.registerSubmit'] }).click();
      await portal.getByTestId('open-user').filter({ hasText: 'browser-tester' }).waitFor();
      await portal.getByTestId('account-link').filter({ hasText: '测试用户' }).waitFor();

      await portal.goto(`${s.base}/#/datasets/${restricted.id}`);
      await portal.getByLabel(zhCN['sharing.purpose']).fill('交通出行研究');
      await portal.getByLabel(zhCN['sharing.scenario']).fill('高校交通规划课题研究');
      await portal.getByLabel(zhCN['opening.securityMeasures']).fill('内网存储，专人管理');
      await portal.getByRole('button', { name: zhCN['account.apply'] }).click();
      await portal.getByTestId('applied').waitFor();
      const inbox = await s.get<{ items: { id: string; purpose: string; status: string }[] }>('/api/v1/open/applications?status=submitted&limit=100');
      const application = inbox.items.find((a) => a.purpose === '交通出行研究')!;
      expect(application).toBeTruthy();

      await s.withPage('opening-review', 1280, async (page) => {
        await s.signIn(page, s.adminToken, '#/opening/applications');
        const row = page.getByTestId('open-applications').locator(`tr[data-application="${application.id}"]`);
        await row.getByRole('button', { name: zhCN['sharing.review'] }).click();
        await page.getByTestId('open-application-panel').getByText('内网存储，专人管理').waitFor();
        await page.getByRole('button', { name: zhCN['sharing.approve'] }).click();
        await row.waitFor({ state: 'detached' });
      });
      expect((await s.get(`/api/v1/open/applications/${application.id}`)).status).toBe('approved');

      await portal.goto(`${s.base}/#/account`);
      const mine = portal.getByTestId('my-applications').locator(`tr[data-application="${application.id}"]`);
      await mine.and(portal.locator('[data-status="approved"]')).waitFor();
      await portal.getByTestId('agreement').waitFor();
      await s.basics(portal, 'open-account');
      await mine.getByRole('button', { name: zhCN['account.accept'] }).click();
      await mine.and(portal.locator('[data-status="active"]')).waitFor();
      expect((await s.get(`/api/v1/open/applications/${application.id}`)).agreement).toMatchObject({ version: expect.any(String) });
    });
  });

  it('fetched nothing from another origin and logged no console error', () => {
    expect(s.outside).toEqual([]);
    expect(s.consoleErrors).toEqual([]);
  });
});
