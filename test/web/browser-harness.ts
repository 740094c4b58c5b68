import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import zhCN from '../../web/src/i18n/zh-CN.json' with { type: 'json' };

// What the browser tests share: Debian's chromium driven by playwright-core (DEVELOPERS.md's flags),
// a failing step's screenshot under .ci/out/, and the basics every view is checked for. Under
// CI=true a missing chromium is a failure; elsewhere the suites are skipped with a message.
export const CHROMIUM = process.env.KUAIJI_CHROMIUM ?? '/usr/bin/chromium';
export const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
export const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium && process.env.CI === 'true') throw new Error(`CI=true but ${CHROMIUM} is missing: .ci/run installs it (apt-get install -y chromium)`);

/** expect.poll waits 1 s by default: too short for a loaded CI machine. */
export const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000 });
export const SHOTS = path.resolve(import.meta.dirname, '../../.ci/out');

export const launch = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: ARGS });

/**
 * A browser session's pages for one suite: each page records console errors and requests to another
 * origin; `withPage` saves the last screen of a failing test under .ci/out/; `basics` checks a view's
 * title, form labels and untranslated keys (KUAIJI_SCREENSHOTS=<folder> also keeps a screenshot).
 */
export function browserHarness(origin: () => string, browser: () => Browser) {
  const consoleErrors: string[] = [];
  const outside: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('request', (r) => !r.url().startsWith(origin()) && !r.url().startsWith('data:') && outside.push(r.url()));
  };
  const basics = async (page: Page, name: string) => {
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
  const withPage = async (name: string, width: number, body: (page: Page) => Promise<void>) => {
    const page = await browser().newPage({ viewport: { width, height: 900 } });
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
  /** Opens the console signed in with `token` (kept in sessionStorage, read when the console starts) at `hash`. */
  const signIn = async (page: Page, token: string, hash: string) => {
    await page.goto(`${origin()}/console/`);
    await page.evaluate(`sessionStorage.setItem('kuaiji.token', ${JSON.stringify(token)})`);
    await page.goto(`${origin()}/console/${hash}`);
    await page.reload();
  };
  return { consoleErrors, outside, basics, withPage, signIn };
}
