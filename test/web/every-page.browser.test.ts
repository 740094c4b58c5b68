import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import zhCN from '../../web/src/i18n/zh-CN.json' with { type: 'json' };
import { hasChromium, poll, startTestServer, type TestServer } from './browser-harness.js';

// Every page of the portal and the console, reached the way a person reaches it: by following the
// app's own links from its first page, each page opened afresh and checked for the basics (a title,
// a label on every form field, no message key left untranslated), no console error, no error box.
// The routes the routers define (read from web/src) must all be among the pages reached, so a new
// page is walked as soon as it is linked, and an unlinked one fails here.
const WEB = path.resolve(import.meta.dirname, '../../web/src');
const read = (file: string) => fs.readFileSync(path.join(WEB, file), 'utf8');

/** A hash route's shape: `#/catalog/01a2…?q=x` → `/catalog/:id` (a segment with a digit is an id). */
const routeOf = (hash: string) =>
  hash
    .replace(/^#/, '')
    .split('?')[0]!
    .split('/')
    .map((segment) => (/\d/.test(segment) ? ':id' : segment))
    .join('/') || '/';

/** The routes a router file defines: `#/x` links, `{ path: '/x' }` entries and `/^\/x\/([^/]+)$/` id routes. */
function routesIn(source: string): string[] {
  const links = [...source.matchAll(/href="#(\/[\w/-]*)"/g)].map((m) => m[1]!);
  const paths = [...source.matchAll(/\{ path: '(\/[\w/-]*)'/g)].map((m) => m[1]!);
  const ids = [...source.matchAll(/\/\^\\\/([\w-]+)\\\/\(\[\^\/\]\+\)\$\//g)].map((m) => `/${m[1]}/:id`);
  return [...links, ...paths, ...ids];
}

/** The console's tabbed sections: each file that links `#/<section>/${x.tab}` defines `{ tab: '<name>' }` entries. */
function consoleTabs(): string[] {
  const files = fs.readdirSync(path.join(WEB, 'console'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tsx'));
  return files.flatMap((file) => {
    const source = read(path.join('console', file));
    const section = /href=\{`#\/([\w-]+)\/\$\{x\.tab\}`\}/.exec(source)?.[1];
    return section ? [...source.matchAll(/\{ tab: '([\w-]+)'/g)].map((m) => `/${section}/${m[1]}`) : [];
  });
}

describe.skipIf(!hasChromium)('every page of the portal and the console in chromium', { timeout: 300_000 }, () => {
  let s: TestServer;
  const errorsBefore = { count: 0 };

  beforeAll(async () => {
    s = await startTestServer({ name: 'every-page', demoRecords: 0.005 });
  }, 300_000);
  afterAll(() => s?.close());

  /** Waits until the page has its heading and nothing is loading any more. */
  const settle = async (page: Page, name: string) => {
    await page.locator('main :is(h1, h2)').first().waitFor();
    await poll(() => page.evaluate<boolean>(`document.body.innerText.includes(${JSON.stringify(zhCN['common.loading'])})`)).toBe(false);
    expect(await page.locator('.error[role="alert"]').allInnerTexts(), `${name}: an error box`).toEqual([]);
  };
  /** Basics of the page, and no console error logged since the last check. */
  const check = async (page: Page, name: string, app = true) => {
    if (app) await settle(page, name);
    await s.basics(page, name);
    expect(s.consoleErrors.slice(errorsBefore.count), `${name}: console errors`).toEqual([]);
    errorsBefore.count = s.consoleErrors.length;
  };

  /**
   * From `app`'s first page, follows every `#/…` link breadth-first, opening one page of each route (a fresh load
   * in the same tab, so a console sign-in in sessionStorage holds) and checking it. Returns the routes.
   */
  const walk = async (page: Page, app: string, label: string): Promise<string[]> => {
    const seen = new Map<string, string>([['/', '#/']]);
    const queue = ['#/'];
    while (queue.length > 0) {
      expect(seen.size, 'more routes than any page of the web UI has').toBeLessThan(80);
      const hash = queue.shift()!;
      await page.goto('about:blank');
      await page.goto(`${app}${hash}`);
      await check(page, `${label}${routeOf(hash)}`);
      const links = await page.evaluate<string[]>(`[...document.querySelectorAll('a[href^="#/"]')].map((a) => a.getAttribute('href'))`);
      for (const link of links) {
        const route = routeOf(link);
        if (seen.has(route)) continue;
        seen.set(route, link);
        queue.push(link);
      }
    }
    return [...seen.keys()].sort();
  };

  it('the portal: every route its router defines, reached by its links', async () => {
    await s.withPage('every-portal-page', 1280, async (page) => {
      const routes = await walk(page, `${s.base}/`, 'portal');
      const defined = [...new Set(routesIn(read('portal/PortalApp.tsx')))].sort();
      expect(defined.length).toBeGreaterThanOrEqual(6);
      expect(routes).toEqual(expect.arrayContaining(defined));
    });
  });

  it('the console as an administrator: every route and tab its router defines, reached by its links; the API reference', async () => {
    await s.withPage('every-console-page', 1280, async (page) => {
      await page.goto(`${s.base}/console/`);
      await check(page, 'console-login');
      await page.getByRole('tab', { name: zhCN['console.withPassword'] }).click();
      await check(page, 'console-login-password');
      await s.signIn(page, s.adminToken, '#/');
      const routes = await walk(page, `${s.base}/console/`, 'console');
      const defined = [...new Set([...routesIn(read('console/ConsoleApp.tsx')), ...consoleTabs()])].sort();
      expect(defined).toEqual(expect.arrayContaining(['/', '/catalog', '/catalog/:id', '/jobs', '/governance', '/sharing/calls', '/themes/map']));
      expect(routes).toEqual(expect.arrayContaining(defined));

      await page.goto(`${s.base}/api-docs/`);
      await page.locator('.swagger-ui .info .title').filter({ hasText: 'Kuaiji' }).waitFor();
      await check(page, 'api-docs', false);
    });
  });

  it('the console as a department officer and as a reviewer: every page their links reach', async () => {
    for (const role of ['OFFICER', 'REVIEWER'] as const) {
      const user = s.demoUsers.find((u) => u.role === role)!;
      expect(user, role).toBeTruthy();
      await s.withPage(`every-console-page-${role}`, 1280, async (page) => {
        await s.signIn(page, user.token, '#/');
        await page
          .getByTestId('whoami')
          .filter({ hasText: zhCN[`role.${role}`] })
          .waitFor();
        const routes = await walk(page, `${s.base}/console/`, `console-${role}`);
        expect(routes).toEqual(expect.arrayContaining(['/', '/catalog', '/catalog/:id']));
      });
    }
  });

  it('fetched nothing from another origin', () => {
    expect(s.outside).toEqual([]);
  });
});
