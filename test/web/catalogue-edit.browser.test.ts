import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import zhCN from '../../web/src/i18n/zh-CN.json' with { type: 'json' };
import { peopleResource } from '../collection/collection-fixtures.js';
import { departmentInput, seedRegions } from '../factories.js';
import { hasChromium, poll, startTestServer, type TestServer } from './browser-harness.js';

/** A zh-CN message with its `{name}` placeholders filled, as the UI shows it. */
const translate = (_lang: 'zh-CN', key: keyof typeof zhCN, vars: Record<string, string | number>) =>
  zhCN[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name]));

/** The accessible name of a data item's field in the editor's item table. */
const itemField = (n: number, field: keyof typeof zhCN) => translate('zh-CN', 'catalogueEdit.itemField', { n, field: zhCN[field] });

// The console's catalogue editor (a resource and its data items, problems shown at their fields,
// only for those the API lets write) and catalogue editions with their diff, in chromium.
describe.skipIf(!hasChromium)('console: edit a catalogue entry, compare editions', { timeout: 180_000 }, () => {
  let server: TestServer;
  let adminToken: string;
  let ownOfficerToken: string;
  let otherOfficerToken: string;
  let resourceId: string;
  let base = '';
  const read = async (token = adminToken) =>
    (await server.app.inject({ url: `/api/v1/resources/${resourceId}`, headers: { authorization: `Bearer ${token}` } })).json() as {
      name: string;
      version: number;
      items: { code: string; name: string; nullable: boolean }[];
    };
  const openEditor = async (page: Page) => {
    await page.getByRole('button', { name: zhCN['catalogueEdit.edit'] }).click();
    await page.getByTestId('resource-edit-form').waitFor();
    // The code lists fill the selects: wait for them before editing.
    await poll(() => page.locator('#ce-shareType option').count()).toBeGreaterThan(1);
  };

  beforeAll(async () => {
    server = await startTestServer({
      name: 'catalogue-edit',
      seed: async ({ services, adminToken: token }) => {
        adminToken = token;
        await seedRegions(services);
        const civil = await services.departments.create(SYSTEM_ACTOR, departmentInput({ name: '绍兴市民政局' }));
        const health = await services.departments.create(SYSTEM_ACTOR, departmentInput({ name: '绍兴市卫生健康委员会' }));
        resourceId = (await services.resources.create(SYSTEM_ACTOR, peopleResource(civil.id))).id;
        const officer = (username: string, departmentId: string) => services.identity.createUser(SYSTEM_ACTOR, { username, role: 'OFFICER', departmentId });
        ownOfficerToken = (await officer('mz-officer', civil.id)).token.token;
        otherOfficerToken = (await officer('wj-officer', health.id)).token.token;
        await services.editions.publish(SYSTEM_ACTOR, { name: '2026版', note: '编辑前' });
      },
    });
    base = server.base;
  }, 300_000);

  afterAll(async () => {
    await server?.close();
  });

  it("edits a resource's name and a data item, and shows the API's problems at their fields", async () => {
    await server.withPage('catalogue-edit', 1400, async (page) => {
      await server.signIn(page, adminToken, `#/catalog/${resourceId}`);
      await page.getByTestId('resource-name').waitFor();
      const before = await read();
      await openEditor(page);
      await page.getByLabel(zhCN['field.resource.name'], { exact: true }).fill('测试人口信息（修订）');
      await page.getByLabel(itemField(2, 'field.item.name'), { exact: true }).fill('姓名（户籍）');
      await server.basics(page, 'catalogue-edit-form');
      await page.getByRole('button', { name: zhCN['catalogueEdit.save'], exact: true }).click();
      await page.getByTestId('resource-saved').waitFor();
      expect(await page.getByTestId('resource-saved').innerText()).toBe(translate('zh-CN', 'catalogueEdit.saved', { version: before.version + 1 }));
      // Saved: the API answers the new name and item name; nothing else of the items moved.
      const after = await read();
      expect(after.name).toBe('测试人口信息（修订）');
      expect(after.version).toBe(before.version + 1);
      expect(after.items.map((i) => i.code)).toEqual(before.items.map((i) => i.code));
      expect(after.items[1]!.name).toBe('姓名（户籍）');
      expect(after.items[0]!.name).toBe(before.items[0]!.name);
      await poll(() => page.getByTestId('resource-name').innerText()).toBe('测试人口信息（修订）');

      // A schema error (an item code that is not an identifier) is shown at that item's code.
      await openEditor(page);
      await page.getByLabel(itemField(1, 'field.item.code'), { exact: true }).fill('1-bad');
      await page.getByRole('button', { name: zhCN['catalogueEdit.save'], exact: true }).click();
      const codeProblem = page.locator('[data-testid="field-error"][data-path="items.0.code"]');
      await codeProblem.waitFor();
      expect(await codeProblem.getAttribute('data-code')).toBe('invalid_format');
      expect(await codeProblem.innerText()).toBe(zhCN['validation.invalid_format']);
      await page.getByTestId('resource-edit-problems').waitFor();

      // A catalogue rule (a nullable primary key) is shown at that item's nullable box.
      await page.getByLabel(itemField(1, 'field.item.code'), { exact: true }).fill('person_id');
      await page.getByLabel(itemField(1, 'field.item.nullable'), { exact: true }).check();
      await page.getByRole('button', { name: zhCN['catalogueEdit.save'], exact: true }).click();
      const nullableProblem = page.locator('[data-testid="field-error"][data-path="items.0.nullable"]');
      await nullableProblem.waitFor();
      expect(await nullableProblem.innerText()).toBe(zhCN['invariant.PRIMARY_KEY_NULLABLE']);
      expect(await page.locator('[data-testid="field-error"][data-path="items.0.code"]').count()).toBe(0);
      await server.basics(page, 'catalogue-edit-problems');
      // Neither failed save stored anything.
      expect((await read()).version).toBe(after.version);

      // Adding and removing item rows: a new item, saved, then gone again.
      await page.getByLabel(itemField(1, 'field.item.nullable'), { exact: true }).uncheck();
      await page.getByRole('button', { name: zhCN['catalogueEdit.addItem'] }).click();
      const n = after.items.length + 1;
      await page.getByLabel(itemField(n, 'field.item.code'), { exact: true }).fill('remark');
      await page.getByLabel(itemField(n, 'field.item.name'), { exact: true }).fill('备注');
      // A new item is nullable; making it a key clears that (a key is never nullable).
      const nullable = page.getByLabel(itemField(n, 'field.item.nullable'), { exact: true });
      expect(await nullable.isChecked()).toBe(true);
      await page.getByLabel(itemField(n, 'field.item.primaryKey'), { exact: true }).check();
      expect(await nullable.isChecked()).toBe(false);
      await page.getByLabel(itemField(n, 'field.item.primaryKey'), { exact: true }).uncheck();
      await nullable.check();
      await page.getByRole('button', { name: zhCN['catalogueEdit.save'], exact: true }).click();
      await poll(async () => (await read()).items.map((i) => i.code)).toEqual([...after.items.map((i) => i.code), 'remark']);
      await page.getByTestId('resource-saved').waitFor();
      await openEditor(page);
      await page.getByRole('button', { name: translate('zh-CN', 'catalogueEdit.removeItem', { n }) }).click();
      await page.getByRole('button', { name: zhCN['catalogueEdit.save'], exact: true }).click();
      await poll(async () => (await read()).items.map((i) => i.code)).toEqual(after.items.map((i) => i.code));
    });
    // The failed saves' 400 (schema) and 422 (catalogue rule) are the only failed requests the browser reports.
    expect(server.consoleErrors.filter((e) => !/status of (400|422)/.test(e))).toEqual([]);
    expect(server.outside).toEqual([]);
  });

  it("shows the resource's changes since an edition, field by field", async () => {
    await server.withPage('catalogue-resource-editions', 1400, async (page) => {
      await server.signIn(page, adminToken, `#/catalog/${resourceId}`);
      const panel = page.getByTestId('editions');
      await panel.getByTestId('editions-list').getByText('2026版').waitFor();
      await poll(() => panel.getByTestId('edition-entry').allInnerTexts()).toEqual([zhCN['editions.entryIncluded']]);
      await panel.getByRole('button', { name: zhCN['editions.compare'] }).click();
      await panel.getByTestId('edition-diff').waitFor();
      expect(await panel.getByTestId('edition-diff-summary').innerText()).toBe(zhCN['editions.resourceChanged']);
      // The editor's round trip changed nothing but what was edited: one field of the resource, one of one item.
      expect(await panel.locator('[data-testid="edition-diff-fields"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-field')))).toEqual([
        'name',
      ]);
      expect(await panel.getByTestId('edition-diff-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-code')))).toEqual(['full_name']);
      expect(await panel.locator('[data-testid="edition-diff-item"] tbody tr').count()).toBe(1);
      expect(await panel.getByTestId('edition-diff-items-added').count()).toBe(0);
      expect(await panel.getByTestId('edition-diff-items-removed').count()).toBe(0);
      const name = panel.locator('[data-testid="edition-diff-fields"] tr[data-field="name"] td');
      expect(await name.allInnerTexts()).toEqual([zhCN['field.resource.name'], '测试人口信息', '测试人口信息（修订）']);
      const item = panel.locator('[data-testid="edition-diff-item"][data-code="full_name"] tr[data-field="name"] td');
      expect(await item.allInnerTexts()).toEqual([zhCN['field.item.name'], '姓名', '姓名（户籍）']);
      await server.basics(page, 'catalogue-resource-editions');

      // The same page in English: the editor and the diff speak it too.
      await page.evaluate("localStorage.setItem('kuaiji.lang', 'en')");
      await page.reload();
      await page.getByRole('heading', { name: en['editions.resourceTitle'] }).waitFor();
      await page.getByRole('button', { name: en['catalogueEdit.edit'] }).click();
      await page.getByLabel(en['field.resource.name'], { exact: true }).waitFor();
      await page.getByRole('button', { name: en['editions.compare'] }).click();
      await page.getByText(en['editions.resourceChanged']).waitFor();
      await server.basics(page, 'catalogue-resource-editions-en');
      await page.evaluate("localStorage.removeItem('kuaiji.lang')");
    });
  });

  it('publishes an edition from the catalogue page and compares two editions', async () => {
    await server.withPage('catalogue-editions', 1400, async (page) => {
      await server.signIn(page, adminToken, '#/catalog');
      const panel = page.getByTestId('editions');
      await panel.getByTestId('editions-list').waitFor();
      await panel.getByLabel(zhCN['editions.name']).fill('2026版（修订）');
      await panel.getByRole('button', { name: zhCN['editions.publish'] }).click();
      await poll(() => panel.getByTestId('editions-list').locator('tbody tr').count()).toBe(2);
      const editions = (await (await server.app.inject({ url: '/api/v1/editions' })).json()) as { items: { id: string; name: string }[] };
      expect(editions.items.map((e) => e.name)).toEqual(['2026版（修订）', '2026版']);
      await panel.getByLabel(zhCN['editions.from']).selectOption({ label: '2026版' });
      await panel.getByLabel(zhCN['editions.to']).selectOption({ label: '2026版（修订）' });
      await panel.getByRole('button', { name: zhCN['editions.compare'] }).click();
      await poll(() => panel.getByTestId('edition-diff-summary').innerText()).toBe(
        translate('zh-CN', 'editions.summary', { ra: 0, rr: 0, rc: 1, ia: 0, ir: 0, ic: 1 }),
      );
      const changed = panel.getByTestId('edition-diff-resource');
      expect(await changed.count()).toBe(1);
      expect(await changed.locator('tr[data-field="name"] td').nth(2).innerText()).toBe('测试人口信息（修订）');
      // The live catalogue against the newest edition: nothing changed since.
      await panel.getByLabel(zhCN['editions.from']).selectOption({ label: '2026版（修订）' });
      await panel.getByLabel(zhCN['editions.to']).selectOption({ label: zhCN['editions.current'] });
      await panel.getByRole('button', { name: zhCN['editions.compare'] }).click();
      await poll(() => panel.getByTestId('edition-diff-summary').innerText()).toBe(
        translate('zh-CN', 'editions.summary', { ra: 0, rr: 0, rc: 0, ia: 0, ir: 0, ic: 0 }),
      );
      await server.basics(page, 'catalogue-editions');

      // The resource's own editions: in both, changed in the newer one.
      await page.goto(`${base}/console/#/catalog/${resourceId}`);
      await poll(() => page.getByTestId('edition-entry').allInnerTexts()).toEqual([zhCN['editions.entryChanged'], zhCN['editions.entryIncluded']]);
    });
  });

  it("offers editing to the provider department's officer only; the API refuses the others", async () => {
    await server.withPage('catalogue-edit-officers', 1280, async (page) => {
      await server.signIn(page, otherOfficerToken, `#/catalog/${resourceId}`);
      await page.getByTestId('resource-edit-denied').waitFor();
      expect(await page.getByRole('button', { name: zhCN['catalogueEdit.edit'] }).count()).toBe(0);
      // No publishing of editions for an officer either.
      await server.signIn(page, otherOfficerToken, '#/catalog');
      await page.getByTestId('editions').waitFor();
      expect(await page.getByTestId('edition-publish').count()).toBe(0);

      await server.signIn(page, ownOfficerToken, `#/catalog/${resourceId}`);
      await page.getByTestId('resource-edit').waitFor();
      await openEditor(page);
      // An officer cannot hand the entry to another department.
      expect(await page.locator('#ce-providerDepartmentId').isDisabled()).toBe(true);
    });
    const current = (await server.app.inject({ url: `/api/v1/resources/${resourceId}`, headers: { authorization: `Bearer ${adminToken}` } })).json() as Record<
      string,
      unknown
    >;
    const put = (token: string) =>
      server.app.inject({
        method: 'PUT',
        url: `/api/v1/resources/${resourceId}`,
        headers: { authorization: `Bearer ${token}` },
        payload: peopleResource(current.providerDepartmentId as string, { code: current.code as string, name: '越权修改' }),
      });
    const refused = await put(otherOfficerToken);
    expect(refused.statusCode).toBe(403);
    expect((await read()).name).toBe('测试人口信息（修订）');
  });

  it('lists a resource catalogued after the editions as absent from them, then first included', async () => {
    const current = (await server.app.inject({ url: `/api/v1/resources/${resourceId}`, headers: { authorization: `Bearer ${adminToken}` } })).json() as {
      providerDepartmentId: string;
    };
    const later = (
      await server.app.inject({
        method: 'POST',
        url: '/api/v1/resources',
        headers: { authorization: `Bearer ${adminToken}` },
        payload: peopleResource(current.providerDepartmentId, { name: '新增人口信息' }),
      })
    ).json() as { id: string };
    await server.withPage('catalogue-resource-own-editions', 1280, async (page) => {
      await server.signIn(page, adminToken, `#/catalog/${later.id}`);
      await poll(() => page.getByTestId('edition-entry').allInnerTexts()).toEqual([zhCN['editions.entryAbsent'], zhCN['editions.entryAbsent']]);
      await server.app.inject({ method: 'POST', url: '/api/v1/editions', headers: { authorization: `Bearer ${adminToken}` }, payload: { name: '2027版' } });
      await page.reload();
      await poll(() => page.getByTestId('edition-entry').allInnerTexts()).toEqual([
        zhCN['editions.entryFirst'],
        zhCN['editions.entryAbsent'],
        zhCN['editions.entryAbsent'],
      ]);
    });
    // No request failed on the way (an edition without the resource is no 404).
    expect(server.consoleErrors.filter((e) => !/status of (400|422)/.test(e))).toEqual([]);
  });
});
