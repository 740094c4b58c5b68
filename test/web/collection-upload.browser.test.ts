import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import zhCN from '../../web/src/i18n/zh-CN.json' with { type: 'json' };
import { HEADER_ZH, peopleResource, personRow } from '../collection/collection-fixtures.js';
import { departmentInput, seedRegions } from '../factories.js';
import { hasChromium, poll, startTestServer, type TestServer } from './browser-harness.js';

// The console's collection panel on a resource page (preview, upload with progress, live job,
// rejects download) and the username-and-password sign-in, in chromium over a small catalogue.
describe.skipIf(!hasChromium)('console: sign in with a password, upload a file to collect', { timeout: 180_000 }, () => {
  let s: TestServer;
  let resourceId: string;

  beforeAll(async () => {
    s = await startTestServer({
      name: 'upload',
      seed: async ({ services }) => {
        await seedRegions(services);
        const dept = await services.departments.create(SYSTEM_ACTOR, departmentInput({ name: '绍兴市民政局' }));
        resourceId = (await services.resources.create(SYSTEM_ACTOR, peopleResource(dept.id))).id;
        const { user } = await services.identity.createUser(SYSTEM_ACTOR, { username: 'mz-officer', role: 'OFFICER', departmentId: dept.id });
        await services.identity.setPassword(SYSTEM_ACTOR, user.id, { password: 'Minzheng-Pass-2026' });
      },
    });
  }, 300_000);
  afterAll(() => s?.close());

  it('an officer signs in with username and password, and a wrong password shows the Chinese message', async () => {
    await s.withPage('password-sign-in', 1280, async (page) => {
      await page.goto(`${s.base}/console/`);
      await page.getByRole('tab', { name: zhCN['console.withPassword'] }).click();
      await page.getByLabel(zhCN['console.username']).fill('mz-officer');
      await page.getByLabel(zhCN['console.password'], { exact: true }).fill('Wrong-Pass-0000');
      await page.getByRole('button', { name: zhCN['console.login'], exact: true }).click();
      await page.getByText(zhCN['errors.CREDENTIALS_INVALID']).waitFor();
      await page.getByLabel(zhCN['console.password'], { exact: true }).fill('Minzheng-Pass-2026');
      await page.getByRole('button', { name: zhCN['console.login'], exact: true }).click();
      await page.getByRole('button', { name: zhCN['console.logout'] }).waitFor();
      await s.basics(page, 'console-after-password');
      // Signing out revokes the session token on the server.
      const token = (await page.evaluate("sessionStorage.getItem('kuaiji.token')")) as string;
      expect((await s.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
      await page.getByRole('button', { name: zhCN['console.logout'] }).click();
      await poll(async () => (await s.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
    });
  });

  it('previews the mapping, uploads with progress, follows the job and downloads the rejected rows', async () => {
    const file = path.join(s.dir, '低保人员.csv');
    const rows = [HEADER_ZH, personRow(1), personRow(2), personRow(3, { income: 'not-a-number' }), personRow(4)];
    fs.writeFileSync(file, `${rows.join('\n')}\n`);
    await s.withPage('collection-upload', 1280, async (page) => {
      await s.signIn(page, s.adminToken, `#/catalog/${resourceId}`);
      const panel = page.getByTestId('upload-panel');
      await panel.waitFor();
      await page.getByLabel(zhCN['upload.file']).setInputFiles(file);
      await page.getByRole('button', { name: zhCN['upload.preview'] }).click();
      const mapping = page.getByTestId('upload-mapping').locator('tbody tr');
      await poll(() => mapping.count()).toBe(7);
      expect(await mapping.nth(0).locator('td').nth(1).innerText()).toBe('person_id');
      await page.getByTestId('upload-preview-rejects').getByText('第 4 行').waitFor();
      // The preview stored nothing.
      expect(
        (await s.app.inject({ url: `/api/v1/resources/${resourceId}/records?limit=5`, headers: { authorization: `Bearer ${s.adminToken}` } })).json().total,
      ).toBe(0);
      await s.basics(page, 'collection-preview');

      await page.getByRole('button', { name: zhCN['upload.start'] }).click();
      const job = page.getByTestId('upload-job');
      // The load runs in the worker pool: a worker's first start is slow on a loaded machine.
      await expect.poll(() => job.getAttribute('data-status'), { timeout: 90_000 }).toBe('succeeded');
      expect(await page.getByTestId('upload-job-rows').innerText()).toBe('读取 4 行：新增 3，更新 0，未变更 0，拒收 1，删除 0');
      expect(await page.locator('#upload-sent').getAttribute('value')).toBe(String(fs.statSync(file).size));
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /下载拒收行/ }).click()]);
      const saved = path.join(s.dir, 'rejects.csv');
      await download.saveAs(saved);
      const text = fs.readFileSync(saved, 'utf8');
      expect(text).toContain('年收入');
      expect(text).toContain('not-a-number');
    });
    // The wrong password's 401 is the only failed request the browser reports.
    expect(s.consoleErrors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    expect(s.outside).toEqual([]);
  });

  it('checks and imports the catalogue workbook, listing the problems of a rejected file row by row', async () => {
    const exported = await s.app.inject({ url: '/api/v1/catalog/export.xlsx', headers: { authorization: `Bearer ${s.adminToken}` } });
    expect(exported.statusCode).toBe(200);
    const good = path.join(s.dir, '目录.xlsx');
    fs.writeFileSync(good, exported.rawPayload);
    // The same workbook with a share type that is not in the code list, in the first data row.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('信息资源目录')!;
    let at: { row: number; col: number } | null = null;
    ws.eachRow((row, r) => row.eachCell((cell, c) => void (!at && String(cell.value ?? '').startsWith('共享类型') && (at = { row: r, col: c }))));
    expect(at).not.toBeNull();
    const { row: headerRow, col } = at as unknown as { row: number; col: number };
    ws.getCell(headerRow + 1, col).value = '有时共享';
    const bad = path.join(s.dir, '目录-有误.xlsx');
    fs.writeFileSync(bad, Buffer.from(await wb.xlsx.writeBuffer()));

    await s.withPage('catalog-import', 1280, async (page) => {
      await s.signIn(page, s.adminToken, '#/catalog');
      await page.getByTestId('catalog-import').waitFor();
      await page.getByLabel(zhCN['catalogImport.file']).setInputFiles(bad);
      await page.getByRole('button', { name: zhCN['catalogImport.check'] }).click();
      await page.getByTestId('catalog-import-rejected').waitFor();
      const first = page.getByTestId('catalog-import-errors').locator('tbody tr').first().locator('td');
      expect(await first.nth(1).innerText()).toBe(String(headerRow + 1));
      expect(await first.nth(3).innerText()).toBe('UNKNOWN_VALUE');
      await s.basics(page, 'catalog-import-rejected');

      await page.getByLabel(zhCN['catalogImport.file']).setInputFiles(good);
      await page.getByRole('button', { name: zhCN['catalogImport.check'] }).click();
      await poll(() => page.getByTestId('catalog-import-summary').innerText()).toBe('检查通过（未入库）：1 个资源、7 个信息项；将新增 0、更新 0、不变 1。');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: zhCN['catalogImport.template'] }).click()]);
      expect(download.suggestedFilename()).toBe('公共数据资源目录模板.xlsx');
    });
  });
});
