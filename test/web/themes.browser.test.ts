import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_THEMES, resolveDemoTheme } from '../../src/demo/themes.js';
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import zhCN from '../../web/src/i18n/zh-CN.json' with { type: 'json' };
import { hasChromium, poll, startTestServer, type TestServer, type TestServerParts } from './browser-harness.js';

// The console's themes pages (主题库, issue 13) in Debian's chromium over the demo city with a small
// share of its records, the themes built from them by the real mechanism: the six themes' figures,
// the one-ID view, the review queue, the map of spatial features, and the dashboard's 六大主题库.
const TIERS = ['KEY', 'LEGACY', 'BRIDGE', 'ATTRIBUTES', 'UNMATCHED'] as const;

/** The six demo themes (defined here through the API when the demo start has not), each synced. */
async function syncDemoThemes({ get, call }: TestServerParts) {
  let themes = await get<{ items: { code: string }[] }>('/api/v1/themes');
  if (themes.items.length === 0) {
    const ids = new Map<string, string>();
    let cursor: string | null = null;
    do {
      const page: { items: { id: string; code: string }[]; nextCursor: string | null } = await get(
        `/api/v1/resources?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      for (const r of page.items) ids.set(r.code, r.id);
      cursor = page.nextCursor;
    } while (cursor);
    for (const theme of DEMO_THEMES) {
      const { code, ...definition } = resolveDemoTheme(theme, (c) => ids.get(c));
      await call('PUT', `/api/v1/themes/${code}`, { payload: definition });
    }
    themes = await get('/api/v1/themes');
  }
  for (const t of themes.items) await call('POST', `/api/v1/themes/${t.code}/sync`);
  const busy = async () =>
    (await get<{ items: { members: { state: { status: string } | null }[] }[] }>('/api/v1/themes')).items
      .flatMap((t) => t.members)
      .filter((m) => m.state?.status === 'QUEUED' || m.state?.status === 'RUNNING').length;
  const until = Date.now() + 240_000;
  while ((await busy()) > 0) {
    if (Date.now() > until) throw new Error('the demo themes did not finish syncing in 240 s');
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe.skipIf(!hasChromium)('the console themes pages in chromium', { timeout: 120_000 }, () => {
  let s: TestServer;

  beforeAll(async () => {
    s = await startTestServer({ name: 'themes-web', demoRecords: 0.005, seed: syncDemoThemes });
  }, 400_000);
  afterAll(() => s?.close());

  it('the six themes with their masters, sources by tier, conflicts and reviews, as the API counts them; an admin queues a sync', async () => {
    const stats = await s.get('/api/v1/themes/stats');
    const list = await s.get('/api/v1/themes');
    expect(list.items.map((t: { code: string }) => t.code).sort()).toEqual(['credit', 'elicence', 'grassroots', 'legal_entity', 'population', 'spatial']);
    expect(stats.totals.masters).toBeGreaterThan(0);
    await s.withPage('themes', 1280, async (page) => {
      await s.signIn(page, s.adminToken, '#/themes/overview');
      await page.getByRole('heading', { level: 1, name: zhCN['nav.themes'] }).waitFor();
      const rows = page.getByTestId('themes').locator('tbody tr');
      await poll(() => rows.count()).toBe(list.items.length);
      const shown = await rows.evaluateAll((trs) =>
        trs.map((tr) => ({
          code: tr.getAttribute('data-theme'),
          values: Object.fromEntries([...tr.querySelectorAll('td[data-field]')].map((td) => [td.getAttribute('data-field'), td.getAttribute('data-value')])),
        })),
      );
      for (const theme of stats.themes) {
        const row = shown.find((r) => r.code === theme.code);
        expect(row, theme.code).toBeTruthy();
        expect(row!.values.masters, theme.code).toBe(String(theme.masters));
        expect(row!.values.sources, theme.code).toBe(String(theme.sources));
        expect(row!.values.conflictsOpen, theme.code).toBe(String(theme.conflictsOpen));
        expect(row!.values.reviewPending, theme.code).toBe(String(theme.reviewPending));
        for (const tier of TIERS) expect(row!.values[`tier-${tier}`], `${theme.code} ${tier}`).toBe(String(theme.tiers[tier]));
      }
      expect(await page.getByTestId('figure-themes-masters').getAttribute('data-value')).toBe(String(stats.totals.masters));
      expect(await page.getByTestId('figure-themes-sources').getAttribute('data-value')).toBe(String(stats.totals.sources));
      expect(await page.getByTestId('figure-themes-match-rate').getAttribute('data-value')).toBe(String(stats.totals.matchRate));
      expect(await page.getByTestId('figure-themes-conflicts').getAttribute('data-value')).toBe(String(stats.totals.conflictsOpen));
      expect(await page.getByTestId('figure-themes-review').getAttribute('data-value')).toBe(String(stats.totals.reviewPending));
      await s.basics(page, 'console-themes');

      // A theme's members with their sync state; the admin's sync answers 202 and says so.
      const population = list.items.find((t: { code: string }) => t.code === 'population');
      await page.locator('[data-theme="population"] button').click();
      const members = page.getByTestId('theme-members').locator('tbody tr');
      await poll(() => members.count()).toBe(population.members.length);
      expect(population.members.length).toBeGreaterThan(0);
      await page.getByRole('button', { name: zhCN['themes.sync'] }).click();
      await page.getByTestId('sync-queued').waitFor();

      // In English: the headings, tiers and theme names switch; the figures stay.
      await page.getByTestId('lang-switch').click();
      await page.getByRole('heading', { level: 1, name: en['nav.themes'] }).waitFor();
      await page.getByRole('columnheader', { name: en['themes.tier.BRIDGE'] }).waitFor();
      const english = stats.themes.find((t: { code: string }) => t.code === 'population');
      expect(await page.getByTestId('themes').locator('tr[data-theme="population"] th').textContent()).toBe(english.nameEn);
      await s.basics(page, 'console-themes-en');
      await page.getByTestId('lang-switch').click();
      await page.getByRole('heading', { level: 1, name: zhCN['nav.themes'] }).waitFor();
    });
  });

  it('one-ID view: a person’s master attributes with the resource each came from, and their member records', async () => {
    const masters = await s.get(`/api/v1/themes/population/masters?limit=5&unmasked=true&reason=${encodeURIComponent('浏览器测试取一个主键')}`);
    expect(masters.items.length).toBeGreaterThan(0);
    const key: string = masters.items[0].key;
    const purpose = '办理社保转移（测试）';
    const answer = await s.get(`/api/v1/one-id/${key}`, s.adminToken, { 'x-purpose': encodeURIComponent(purpose) });
    const subject = answer.subjects.find((s: { theme: string }) => s.theme === 'population');
    expect(subject, 'the population master').toBeTruthy();
    const attributes = Object.keys(subject.attributes);
    expect(attributes.length).toBeGreaterThan(0);
    await s.withPage('one-id', 1280, async (page) => {
      await s.signIn(page, s.adminToken, '#/themes/one-id');
      await page.getByLabel(zhCN['oneId.id']).fill(key);
      await page.getByLabel(zhCN['oneId.purpose']).fill(purpose);
      await page.getByRole('button', { name: zhCN['oneId.query'] }).click();
      await page.getByTestId('one-id-result').waitFor();
      expect(await page.getByTestId('one-id-normalised').textContent()).toBe(answer.id);
      await poll(() => page.getByTestId('one-id-subject').count()).toBe(answer.subjects.length);
      const table = page.locator('[data-testid="one-id-subject"][data-theme="population"] tbody tr');
      await poll(() => table.count()).toBe(attributes.length);
      const shown = await table.evaluateAll((trs) =>
        trs.map((tr) => ({
          attribute: tr.getAttribute('data-attribute'),
          value: tr.querySelector('[data-field="value"]')!.textContent,
          resource: tr.querySelector('[data-field="source"]')!.getAttribute('data-resource'),
        })),
      );
      for (const row of shown) {
        const value = subject.attributes[row.attribute!];
        expect(row.value, row.attribute!).toBe(value === null || value === '' ? '—' : String(value));
        expect(row.resource, row.attribute!).toBe(subject.provenance[row.attribute!]?.resourceId ?? '');
      }
      // Provenance names the resource, not just its id, once the names are read.
      const first = shown.find((r) => r.resource)!;
      await poll(() => page.locator(`[data-attribute="${first.attribute}"] [data-field="source"]`).textContent()).not.toBe(first.resource);
      await poll(() => page.locator('[data-testid="one-id-records"] details').count()).toBe(answer.records.length);
      await s.basics(page, 'console-one-id');
    });
  });

  it('review queue: dismissing a pending record with a reason takes it off the queue', async () => {
    const list = await s.get('/api/v1/themes');
    let target: { code: string; row: { resourceId: string; sourceKey: string } } | null = null;
    for (const t of list.items) {
      const page = await s.get(`/api/v1/themes/${t.code}/review?status=PENDING`);
      if (page.items.length) {
        target = { code: t.code, row: page.items[0] };
        break;
      }
    }
    expect(target, 'a pending review in the demo data').toBeTruthy();
    const before = (await s.get(`/api/v1/themes/${target!.code}/review?status=PENDING`)).items.length;
    await s.withPage('review', 1280, async (page) => {
      await s.signIn(page, s.adminToken, '#/themes/review');
      await page.getByRole('combobox', { name: zhCN['themes.theme'] }).selectOption(target!.code);
      const rows = page.getByTestId('review-queue').locator('tbody tr');
      await poll(() => rows.count()).toBe(before);
      const keys = () => rows.evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-resource')} ${tr.getAttribute('data-source-key')}`));
      const wanted = `${target!.row.resourceId} ${target!.row.sourceKey}`;
      const index = (await keys()).indexOf(wanted);
      expect(index).toBeGreaterThanOrEqual(0);
      await rows.nth(index).getByRole('button', { name: zhCN['review.dismiss'] }).click();
      await page.getByLabel(zhCN['review.reason']).fill('重复记录，已人工核实（测试）');
      await s.basics(page, 'console-review');
      await page.getByTestId('review-dismiss').getByRole('button', { name: zhCN['review.dismiss'] }).click();
      await page.getByTestId('review-done').waitFor();
      await poll(async () => (await keys()).includes(wanted)).toBe(false);
      expect(await rows.count()).toBe(before - 1);
    });
    const pending = await s.get(`/api/v1/themes/${target!.code}/review?status=PENDING`);
    expect(pending.items.length).toBe(before - 1);
    const dismissed = await s.get(`/api/v1/themes/${target!.code}/review?status=DISMISSED`);
    expect(dismissed.items.some((r: { sourceKey: string }) => r.sourceKey === target!.row.sourceKey)).toBe(true);
  });

  for (const [name, width] of [
    ['map', 1280],
    ['map-phone', 390],
  ] as const) {
    it(`map of spatial features at ${width} px: as many features drawn as the items API returns for the view's bbox`, async () => {
      const collections = await s.get('/ogc/collections?f=json');
      expect(collections.collections.length).toBeGreaterThan(0);
      const id: string = collections.collections[0].id;
      await s.withPage(name, width, async (page) => {
        await s.signIn(page, s.adminToken, '#/themes/map');
        const status = page.getByTestId('map-status');
        await poll(() => status.getAttribute('data-matched')).not.toBe('');
        const count = async () => {
          const bbox = (await status.getAttribute('data-bbox'))!;
          const items = await s.get(`/ogc/collections/${id}/items?f=json&bbox=${bbox}&limit=100&offset=0`);
          await poll(() => page.getByTestId('map-feature').count()).toBe(items.numberReturned);
          expect(await status.getAttribute('data-returned')).toBe(String(items.numberReturned));
          return items;
        };
        const all = await count();
        expect(all.numberReturned).toBeGreaterThan(0);
        // Zoomed in: a smaller bbox, read again.
        const bbox = await status.getAttribute('data-bbox');
        await page.getByRole('button', { name: zhCN['map.zoomIn'] }).click();
        await poll(() => status.getAttribute('data-bbox')).not.toBe(bbox);
        await poll(() => page.locator('.muted', { hasText: zhCN['common.loading'] }).count()).toBe(0);
        const zoomed = await count();
        expect(zoomed.numberMatched).toBeLessThanOrEqual(all.numberMatched);
        const svg = await page.getByTestId('feature-map').boundingBox();
        expect(svg!.width).toBeLessThanOrEqual(width);
        await s.basics(page, `console-${name}`);
      });
    });
  }

  it('dashboard: the 六大主题库 figures, master records per theme, as the API gives them', async () => {
    const stats = await s.get('/api/v1/themes/stats');
    await s.withPage('dashboard-themes', 1280, async (page) => {
      await s.signIn(page, s.adminToken, '#/');
      await page.getByTestId('figure-themes-masters').waitFor();
      expect(await page.getByTestId('figure-themes-masters').getAttribute('data-value')).toBe(String(stats.totals.masters));
      for (const theme of stats.themes)
        expect(await page.getByTestId(`figure-theme-${theme.code}`).getAttribute('data-value'), theme.code).toBe(String(theme.masters));
      const cells = page.getByTestId('chart-themes-masters-by-theme').locator('tbody td');
      expect(await cells.evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-value'))))).toEqual(
        stats.themes.map((t: { masters: number }) => t.masters),
      );
    });
  });

  it('fetched nothing from another origin and logged no console error', () => {
    expect(s.outside).toEqual([]);
    expect(s.consoleErrors).toEqual([]);
  });
});
