import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordKeyText } from '../../src/modules/collection/index.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { citizenIdCheckChar } from '../../src/shared/validation/citizen-id.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

const first17 = '33060219650312123';
const P1 = first17 + citizenIdCheckChar(first17);
const SENTINEL = '2000-01-01T00:00:00.000Z';

const str = (code: string, name: string, o: Record<string, unknown> = {}) => ({
  code,
  name,
  dataType: 'STRING' as const,
  length: 200,
  primaryKey: false,
  ...o,
});

/**
 * The set-based sync (ADR 0033) against what it skips: an unchanged record is not written again,
 * and a master's lookup terms — rewritten only when they change — follow its surviving values, so
 * key-less records match on the new values and no longer on the old ones.
 */
describeEachDialect('themes sync: unchanged records and changed terms (set-based)', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  const r = { pop: '', hh: '' };
  const admin = () => bearer(t.adminToken);
  const unmasked = 'unmasked=true&reason=%E4%B8%BB%E9%A2%98%E5%BA%93%E6%A0%B8%E6%9F%A5%E6%B5%8B%E8%AF%95';
  const get = async (url: string) => {
    const res = await t.app.inject({ method: 'GET', url, headers: admin() });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  async function load(resourceId: string, csv: string) {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${resourceId}/uploads?wait=true&fileName=data.csv&mode=upsert`,
      headers: { ...admin(), 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(res.json().job?.status, res.body).toBe('succeeded');
    await t.services.themeSync.afterLoad(resourceId);
    await t.services.themeSync.idle();
  }
  const tierOf = async (sourceKey: string) => {
    const master = await get(`/api/v1/themes/population/masters/${P1}?${unmasked}`);
    return master.sources.find((s: { resourceId: string; sourceKey: string }) => s.resourceId === r.hh && s.sourceKey === sourceKey)?.tier ?? null;
  };

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
    const mk = async (items: ReturnType<typeof str>[]) => (await t.services.resources.create(SYSTEM_ACTOR, resourceInput(t.deptB.id, { items }))).id;
    r.pop = await mk([str('citizen_id', '公民身份号码', { primaryKey: true, length: 18 }), str('full_name', '姓名'), str('birth_date', '出生日期')]);
    r.hh = await mk([str('hh_id', '户号', { primaryKey: true }), str('id_no', '身份证号'), str('name', '姓名'), str('birth', '出生日期')]);
    await load(r.pop, `citizen_id,full_name,birth_date\n${P1},张三,1965-03-12\n`);
    await load(r.hh, `hh_id,id_no,name,birth\nH1,,张三,1965-03-12\n`);
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/themes/population',
      headers: admin(),
      payload: {
        name: '人口主题库',
        nameEn: 'Population',
        keyKind: 'CITIZEN_ID',
        attributes: [
          { code: 'name', name: '姓名', nameEn: 'Name' },
          { code: 'birth_date', name: '出生日期', nameEn: 'Birth date' },
        ],
        members: [
          { resourceId: r.pop, keyItem: 'citizen_id', attributes: { name: 'full_name', birth_date: 'birth_date' }, priority: 1 },
          { resourceId: r.hh, keyItem: 'id_no', attributes: { name: 'name', birth_date: 'birth' }, priority: 2 },
        ],
        fallbackMatch: [['name', 'birth_date']],
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    await t.services.themeSync.idle();
  }, 60_000);

  afterAll(async () => {
    await t?.app.close();
    await db?.drop();
  });

  it('leaves an unchanged record’s crosswalk row alone on the next sync', async () => {
    expect(await tierOf(recordKeyText({ hh_id: 'H1' }))).toBe('ATTRIBUTES');
    await db.db.updateTable('theme_sources').set({ updated_at: SENTINEL }).where('resource_id', '=', r.pop).execute();
    await t.services.themeSync.afterLoad(r.pop);
    await t.services.themeSync.idle();
    const row = await db.db.selectFrom('theme_sources').select('updated_at').where('resource_id', '=', r.pop).executeTakeFirstOrThrow();
    expect(new Date(row.updated_at as string).toISOString()).toBe(SENTINEL);
  });

  it('matches key-less records on the master’s new values once they change, and no longer on the old ones', async () => {
    await load(r.pop, `citizen_id,full_name,birth_date\n${P1},张三丰,1965-03-12\n`);
    const master = await get(`/api/v1/themes/population/masters/${P1}?${unmasked}`);
    expect(master.attributes).toEqual({ name: '张三丰', birth_date: '1965-03-12' });
    const row = await db.db.selectFrom('theme_sources').select('updated_at').where('resource_id', '=', r.pop).executeTakeFirstOrThrow();
    expect(new Date(row.updated_at as string).toISOString()).not.toBe(SENTINEL);

    await load(r.hh, `hh_id,id_no,name,birth\nH1,,张三,1965-03-12\nH2,,张三丰,1965-03-12\nH3,,张三,1965-03-12\n`);
    // H1 is unchanged and keeps its match; H2 carries the new values; H3 the old ones, which no master has now.
    expect(await tierOf(recordKeyText({ hh_id: 'H1' }))).toBe('ATTRIBUTES');
    expect(await tierOf(recordKeyText({ hh_id: 'H2' }))).toBe('ATTRIBUTES');
    expect(await tierOf(recordKeyText({ hh_id: 'H3' }))).toBeNull();
    const queue = await get(`/api/v1/themes/population/review?${unmasked}`);
    expect(queue.items.map((i: { sourceKey: string }) => i.sourceKey)).toEqual([recordKeyText({ hh_id: 'H3' })]);
  });
});
