// Takes the README's screenshots (docs/screenshots/*.png, 1280 px wide) of a running demo server in
// Debian's chromium: the portal's home and an open dataset's page; the console's
// dashboard, catalogue, a resource page, collection jobs, governance and the thematic databases.
// Start the demo with a known admin token, then run this against it (DEVELOPERS.md):
//   KUAIJI_ADMIN_TOKEN=<24+ characters> npm start
//   KUAIJI_ADMIN_TOKEN=<the same> npx tsx scripts/screenshots.ts [--url http://127.0.0.1:8080] [--out docs/screenshots]
// Chinese text needs a CJK font (apt-get install -y fonts-wqy-microhei); without one the script stops.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import zhCN from '../web/src/i18n/zh-CN.json' with { type: 'json' };

const WIDTH = 1280;
const HEIGHT = 900;
/** The README shows each picture at half its width; past this a picture is too heavy for the repository. */
const MAX_BYTES = 300 * 1024;
const CHROMIUM = process.env.KUAIJI_CHROMIUM ?? '/usr/bin/chromium';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.KUAIJI_URL ?? 'http://127.0.0.1:8080' },
    out: { type: 'string', default: path.resolve(import.meta.dirname, '../docs/screenshots') },
  },
});
const base = values.url.replace(/\/$/, '');
const out = path.resolve(values.out);
const token = process.env.KUAIJI_ADMIN_TOKEN;
if (!token) throw new Error('KUAIJI_ADMIN_TOKEN is not set: start the demo with KUAIJI_ADMIN_TOKEN=<24+ characters> npm start and pass the same token here');
const cjkFonts = execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).trim();
if (!cjkFonts) throw new Error('no Chinese font: the screenshots would show boxes (apt-get install -y fonts-wqy-microhei)');

async function api<T>(url: string, auth = true): Promise<T> {
  const res = await fetch(`${base}${url}`, { headers: auth ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Waits for `testId`, for every "loading" text to go, and for the charts' opening animation to end. */
async function ready(page: Page, testId: string) {
  await page.getByTestId(testId).first().waitFor({ timeout: 60_000 });
  // (A string evaluated in the page: waitForFunction's polling would need 'unsafe-eval', which the CSP refuses.)
  const loading = `document.body.innerText.includes(${JSON.stringify(zhCN['common.loading'])})`;
  for (const until = Date.now() + 60_000; await page.evaluate<boolean>(loading);) {
    if (Date.now() > until) throw new Error(`${page.url()}: still loading after 60 s`);
    await page.waitForTimeout(250);
  }
  await page.waitForTimeout(1_500);
}

const jobs = await api<{ items: { resourceId: string; status: string }[] }>('/api/v1/collection/jobs?limit=20');
const collected = jobs.items.find((j) => j.status === 'succeeded')?.resourceId;
if (!collected) throw new Error('the demo has no finished collection job yet: wait until `npm start` has loaded its records');
const datasets = await api<{ items: { id: string; recordCount: number }[] }>('/api/v1/open/datasets?limit=50', false);
const dataset = datasets.items.find((d) => d.recordCount > 0);
if (!dataset) throw new Error('the demo publishes no open dataset with records');
// The resource page of the population's base records when the demo has them, else of the last collected resource.
const population = await api<{ items: { id: string; name: string }[] }>(`/api/v1/resources?q=${encodeURIComponent('人口基本信息')}&limit=5`);
const resource = population.items.find((r) => r.name === '人口基本信息')?.id ?? collected;

const shots: { name: string; url: string; console?: boolean; wait: string }[] = [
  { name: 'portal-home', url: '/', wait: 'figure-open-datasets' },
  { name: 'portal-dataset', url: `/#/datasets/${dataset.id}`, wait: 'preview' },
  { name: 'console-dashboard', url: '/console/#/', console: true, wait: 'chart-records-by-region' },
  { name: 'console-catalogue', url: '/console/#/catalog', console: true, wait: 'search-results' },
  { name: 'console-resource', url: `/console/#/catalog/${resource}`, console: true, wait: 'resource-items' },
  { name: 'console-jobs', url: '/console/#/jobs', console: true, wait: 'jobs' },
  { name: 'console-governance', url: '/console/#/governance', console: true, wait: 'ranking' },
  { name: 'console-themes', url: '/console/#/themes/overview', console: true, wait: 'themes' },
];

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
try {
  fs.mkdirSync(out, { recursive: true });
  for (const shot of shots) {
    const page = await browser.newPage({ viewport: { width: WIDTH, height: HEIGHT }, deviceScaleFactor: 1 });
    try {
      if (shot.console) {
        await page.goto(`${base}/console/`);
        await page.evaluate(`sessionStorage.setItem('kuaiji.token', ${JSON.stringify(token)})`);
      }
      await page.goto(`${base}${shot.url}`);
      if (shot.console) await page.reload(); // the console reads the token when it starts
      await ready(page, shot.wait);
      const file = path.join(out, `${shot.name}.png`);
      await page.screenshot({ path: file });
      const bytes = fs.statSync(file).size;
      console.log(
        `${path.relative(process.cwd(), file)}  ${WIDTH}×${HEIGHT}  ${Math.round(bytes / 1024)} KB${bytes > MAX_BYTES ? '  (over 300 KB: too heavy for the README)' : ''}`,
      );
      if (bytes > MAX_BYTES) process.exitCode = 1;
    } finally {
      await page.close();
    }
  }
} finally {
  await browser.close();
}
