import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectMappings } from '../../src/cli/commands/collect-mappings.js';
import { buildServices } from '../../src/deps.js';
import type { ResourceInput } from '../../src/modules/catalog/resources/resources.schemas.js';
import { headerSynonyms } from '../../src/modules/collection/mappings/header-synonyms.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

/** Synthetic keys: 'T' and digits, never a real citizen ID number. */
const pid = (i: number) => `T${String(i).padStart(17, '0')}`;

/** A population-like resource whose item names are not what departments put in their headers. */
function householdResource(departmentId: string, over: Partial<ResourceInput> = {}): ResourceInput {
  return resourceInput(departmentId, {
    name: '测试户籍人口',
    items: [
      { code: 'person_id', name: '公民身份号码', dataType: 'STRING', length: 18, primaryKey: true, dataElement: 'DE00001' },
      { code: 'full_name', name: '姓名', dataType: 'STRING', length: 20, primaryKey: false, nullable: false },
      { code: 'sex', name: '性别代码', dataType: 'STRING', length: 1, primaryKey: false },
      { code: 'phone', name: '联系电话', dataType: 'STRING', length: 20, primaryKey: false },
      { code: 'reg_addr', name: '户籍地址', dataType: 'STRING', length: 100, primaryKey: false },
      { code: 'home_addr', name: '现住址', dataType: 'STRING', length: 100, primaryKey: false },
      { code: 'birth_date', name: '出生日期', dataType: 'DATE', primaryKey: false, dataElement: 'DE00005' },
    ],
    ...over,
  });
}

describe('header synonyms (shipped list and a platform file)', () => {
  it('ships the common Chinese column names, and a platform file replaces a concept or adds one', () => {
    const shipped = headerSynonyms();
    const phone = shipped.find((g) => g.includes('联系电话'))!;
    expect(phone).toEqual(expect.arrayContaining(['电话', '手机', '手机号码']));
    expect(shipped.find((g) => g.includes('公民身份号码'))).toEqual(expect.arrayContaining(['身份证号', '身份证号码', '证件号码']));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-syn-'));
    try {
      const file = path.join(dir, 'synonyms.json');
      fs.writeFileSync(
        file,
        JSON.stringify({
          source: 'test',
          groups: [
            { concept: 'phone', labels: ['联系电话', '座机'] },
            { concept: 'pet', labels: ['宠物', '爱宠'] },
          ],
        }),
      );
      const merged = headerSynonyms(file);
      expect(merged.find((g) => g.includes('联系电话'))).toEqual(['联系电话', '座机']);
      expect(merged).toContainEqual(['宠物', '爱宠']);
      expect(merged).toHaveLength(shipped.length + 1);
      fs.writeFileSync(file, JSON.stringify({ groups: [{ concept: 'x', labels: [] }] }));
      expect(() => headerSynonyms(file)).toThrow(/header synonyms file .*synonyms\.json: groups\.0\.labels/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeEachDialect('collection: headers matched beyond exact code and name', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let resource: { id: string; code: string };

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/resources', headers: bearer(t.adminToken), payload: householdResource(t.deptA.id) });
    expect(res.statusCode).toBe(201);
    resource = res.json();
  });
  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  const upload = (csv: string, query = '') =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${resource.id}/uploads?wait=true&fileName=people.csv${query}`,
      headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
      payload: csv,
    });
  const putMappings = (mappings: Record<string, string | null>) =>
    t.app.inject({ method: 'PUT', url: `/api/v1/resources/${resource.id}/column-mappings`, headers: bearer(t.adminToken), payload: { mappings } });
  const record = async (key: string) => {
    const page = (await t.app.inject({ method: 'GET', url: `/api/v1/resources/${resource.id}/records?limit=500`, headers: bearer(t.adminToken) })).json();
    return (page.items as Record<string, unknown>[]).find((r) => r.person_id === key);
  };

  it('loads a department file by data element, synonym, prefix and suffix; an ambiguous header is reported, never guessed', async () => {
    const csv = `DE00001,名字,性别,手机号码,地址,（出生日期）\n${pid(1)},张三,1,13800000001,绍兴市越城区,1990-01-02\n`;
    const res = await upload(csv);
    expect(res.statusCode, res.body).toBe(200);
    const { job } = res.json();
    expect(job.status).toBe('succeeded');
    // 地址 is a synonym of both 户籍地址 and 现住址: left out and listed, the rest loaded.
    expect(job.unmappedHeaders).toEqual(['地址']);
    expect(job.unfilledItems).toEqual(['reg_addr', 'home_addr']);
    expect(await record(pid(1))).toMatchObject({ full_name: '张三', sex: '1', phone: '13800000001', reg_addr: null, home_addr: null });
    expect(String((await record(pid(1)))!.birth_date)).toMatch(/^1990-01-02/);
  });

  it('onUnmapped=reject fails a file with an ambiguous header', async () => {
    const res = await upload(`公民身份号码,姓名,地址\n${pid(2)},李四,绍兴\n`, '&onUnmapped=reject');
    expect(res.json().job).toMatchObject({ status: 'failed', error: expect.stringContaining("'地址'") });
    expect(await record(pid(2))).toBeUndefined();
  });

  it('a saved mapping wins over a synonym, and a skipped header is neither loaded nor reported as unmapped', async () => {
    const saved = await putMappings({ 地址: 'home_addr', 手机号码: null });
    expect(saved.statusCode, saved.body).toBe(200);
    const got = (await t.app.inject({ method: 'GET', url: `/api/v1/resources/${resource.id}/column-mappings`, headers: bearer(t.adminToken) })).json();
    expect(got.mappings).toEqual({ 地址: 'home_addr', 手机号码: null });
    const res = await upload(`身份证号码,姓名,手机号码,地址\n${pid(3)},王五,13800000003,上虞区\n`);
    const { job } = res.json();
    expect(job.status, job.error).toBe('succeeded');
    expect(job.unmappedHeaders).toEqual([]);
    expect(job.unfilledItems).toEqual(['sex', 'phone', 'reg_addr', 'birth_date']);
    expect(await record(pid(3))).toMatchObject({ full_name: '王五', phone: null, home_addr: '上虞区' });
    // A saved mapping to an item the resource lacks is refused; an empty code is not a skip.
    expect((await putMappings({ 地址: 'nope' })).statusCode).toBe(400);
    expect((await putMappings({ 地址: '' })).statusCode).toBe(400);
    expect((await putMappings({})).statusCode).toBe(200);
  });

  it('mappings are read and saved by the resource code too; another department may not save them', async () => {
    const url = `/api/v1/resources/${encodeURIComponent(resource.code)}/column-mappings`;
    const put = await t.app.inject({ method: 'PUT', url, headers: bearer(t.deptA.token), payload: { mappings: { 电话号码: 'phone' } } });
    expect(put.statusCode, put.body).toBe(200);
    expect((await t.app.inject({ method: 'GET', url, headers: bearer(t.deptA.token) })).json().mappings).toEqual({ 电话号码: 'phone' });
    const other = await t.app.inject({ method: 'PUT', url, headers: bearer(t.deptB.token), payload: { mappings: {} } });
    expect(other.statusCode).toBe(403);
    const missing = await t.app.inject({
      method: 'GET',
      url: `/api/v1/resources/${encodeURIComponent('301001/99999')}/column-mappings`,
      headers: bearer(t.adminToken),
    });
    expect(missing.statusCode).toBe(404);
    expect((await putMappings({})).statusCode).toBe(200);
  });

  it('kuaiji collect mappings get|set: merges pairs, header=- skips, header= forgets, by code, through the same service', async () => {
    expect(await collectMappings(t.services, 'get', resource.code, [])).toEqual({});
    expect(await collectMappings(t.services, 'set', resource.code, ['地址=home_addr', '备注=-'])).toEqual({ 地址: 'home_addr', 备注: null });
    expect(await collectMappings(t.services, 'set', resource.id, ['地址=', '手机=phone'])).toEqual({ 备注: null, 手机: 'phone' });
    expect((await t.services.mappings.get(SYSTEM_ACTOR, resource.id)).mappings).toEqual({ 备注: null, 手机: 'phone' });
    await expect(collectMappings(t.services, 'set', resource.code, ['手机=nope'])).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(collectMappings(t.services, 'set', resource.code, ['no-equals-sign'])).rejects.toThrow(/header=item/);
    expect(await collectMappings(t.services, 'set', resource.code, [], true)).toEqual({});
  });

  it("a platform's synonyms reach the load workers", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kuaiji-syn-data-'));
    const services = buildServices(db, undefined, {
      dataDir,
      headerSynonyms: [...headerSynonyms(), ['户籍地址', '户口所在地']],
    });
    try {
      const csv = `公民身份号码,姓名,户口所在地\n${pid(4)},赵六,诸暨市\n`;
      const { job } = await services.collection.upload(SYSTEM_ACTOR, {
        resourceId: resource.code,
        body: Readable.from([Buffer.from(csv)]),
        contentType: 'text/csv',
        mode: 'upsert',
        wait: true,
      });
      expect(job.status, job.error ?? '').toBe('succeeded');
      expect(job.unmappedHeaders).toEqual([]);
      expect(await record(pid(4))).toMatchObject({ reg_addr: '诸暨市' });
    } finally {
      await services.jobs.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
