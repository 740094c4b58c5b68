import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadDemoCity, type DemoUserCreated } from '../../src/demo/load.js';
import { loadDemoRecords } from '../../src/demo/records.js';
import { buildServices, type Services } from '../../src/deps.js';
import type { Storage } from '../../src/storage/dialect.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { openSqlite } from '../../src/storage/sqlite.js';
import zhCN from '../../web/src/i18n/zh-CN.json' with { type: 'json' };

// What the browser tests share: a server over a fresh SQLite database serving a fresh build of the
// web UI (`startTestServer`), Debian's chromium driven by playwright-core (DEVELOPERS.md's flags), a
// failing step's screenshot under .ci/out/, and the basics every view is checked for. Under CI=true
// a missing chromium is a failure; elsewhere the suites are skipped with a message.
export const CHROMIUM = process.env.KUAIJI_CHROMIUM ?? '/usr/bin/chromium';
export const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
export const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium && process.env.CI === 'true') throw new Error(`CI=true but ${CHROMIUM} is missing: .ci/run installs it (apt-get install -y chromium)`);
if (!hasChromium) console.warn(`[kuaiji tests] ${CHROMIUM} is missing: the browser tests are SKIPPED (apt-get install -y chromium)`);

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

/** A variable, so the type check does not follow the import into the build script. */
const buildWebScript = '../../scripts/build-web.mjs';

type CallOptions = { token?: string | null; payload?: unknown; headers?: Record<string, string> };

/** What a suite's `seed` gets: the server's parts before it listens. */
export type TestServerParts = {
  dir: string;
  storage: Storage;
  services: Services;
  app: FastifyInstance;
  adminToken: string;
  /** The demo city's users with their tokens (empty without `demoRecords`). */
  demoUsers: DemoUserCreated[];
  /** `method url` through `app.inject` as the admin (or `token`, or nobody when null); fails the test unless it answers 2xx. */
  call<T = any>(method: string, url: string, options?: CallOptions): Promise<T>;
  /** A GET through `call`, as the admin unless `token` says otherwise (null: no token). */
  get<T = any>(url: string, token?: string | null, headers?: Record<string, string>): Promise<T>;
};

export type TestServer = TestServerParts &
  ReturnType<typeof browserHarness> & {
    /** `http://127.0.0.1:<port>` */
    base: string;
    browser: Browser;
    /** Closes the browser, the server, the job pool and the database, and removes the folder. */
    close(): Promise<void>;
  };

export type TestServerOptions = {
  /** The temporary folder's prefix. */
  name: string;
  /** Loads the demo city (绍兴市) and this share of its synthetic records (0.005: half a percent). */
  demoRecords?: number;
  /** Data a suite needs, written after the app is built and before it listens. */
  seed?: (server: TestServerParts) => Promise<void>;
};

/**
 * A server for one browser suite: a fresh SQLite database in a temporary folder, the first
 * administrator, optionally the demo city, the web UI built into the folder (so a test never serves
 * a stale dist/), listening on a free loopback port, and a chromium to drive it. Call it in
 * `beforeAll` (give that hook a few minutes: the build and the demo records take their time on a
 * loaded machine) and `close()` in `afterAll`.
 */
export async function startTestServer(options: TestServerOptions): Promise<TestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kuaiji-${options.name}-`));
  const storage = openSqlite(path.join(dir, 'kuaiji.sqlite'));
  let services: Services | undefined;
  let app: FastifyInstance | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await app?.close();
    await services?.jobs.stop();
    await storage.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const { buildWeb } = (await import(buildWebScript)) as { buildWeb(out: string): Promise<string> };
    const webDir = await buildWeb(path.join(dir, 'web'));
    await migrateToLatest(storage);
    services = buildServices(storage, undefined, { dataDir: dir });
    const adminToken = (await services.identity.ensureFirstAdmin('admin', undefined))!.token;
    let demoUsers: DemoUserCreated[] = [];
    if (options.demoRecords !== undefined) {
      const city = await loadDemoCity(services);
      if (!city.loaded) throw new Error(city.reason);
      demoUsers = city.users;
      await loadDemoRecords(services, { dataDir: dir, scale: options.demoRecords });
    }
    const served = await buildApp(services, { logger: false, webDir });
    app = served;
    const call = async <T = any>(method: string, url: string, { token = adminToken, payload, headers = {} }: CallOptions = {}): Promise<T> => {
      const res = await served.inject({
        method: method as 'GET',
        url,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        payload: payload as object,
      });
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
      return res.json() as T;
    };
    const get = <T = any>(url: string, token: string | null = adminToken, headers?: Record<string, string>) => call<T>('GET', url, { token, headers });
    const parts: TestServerParts = { dir, storage, services, app: served, adminToken, demoUsers, call, get };
    await options.seed?.(parts);
    await served.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(served.server.address() as AddressInfo).port}`;
    const launched = await launch();
    browser = launched;
    const harness = browserHarness(
      () => base,
      () => launched,
    );
    return { ...parts, ...harness, base, browser: launched, close };
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
}
