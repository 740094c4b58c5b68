// The server's time zone must not move a stored value (issue 7 item 4): every connection of this
// file is opened under Asia/Shanghai (UTC+8), where pg's default parsers turned DATE 2024-02-29
// into 2024-02-28T16:00:00.000Z.
process.env.TZ = 'Asia/Shanghai';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourceInput } from '../../src/modules/catalog/resources/resources.schemas.js';
import { createRecordReader, type ReadAccess, type RecordEntry } from '../../src/modules/collection/records/record-reader.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { bearer, buildTestApp, uploadCsv, type TestApp } from '../test-app.js';

const BIG = '9007199254740993'; // 2^53 + 1: a double would make it …992
const BIG2 = '9007199254740992'; // 2^53: exact in a double, but not a safe integer, so a string too
const ROWS = 25;

function everyTypeResource(departmentId: string, over: Partial<ResourceInput> = {}): ResourceInput {
  return resourceInput(departmentId, {
    name: '数据类型契约测试',
    items: [
      { code: 'region', name: '区划', dataType: 'STRING', length: 6, primaryKey: true },
      { code: 'seq_no', name: '序号', dataType: 'INTEGER', primaryKey: true },
      { code: 'full_name', name: '姓名', dataType: 'STRING', length: 20, primaryKey: false, maskingRule: 'NAME' },
      { code: 'citizen_id', name: '公民身份号码', dataType: 'STRING', length: 18, primaryKey: false, maskingRule: 'CITIZEN_ID' },
      { code: 'mobile', name: '手机号码', dataType: 'STRING', length: 11, primaryKey: false, maskingRule: 'MOBILE' },
      { code: 'note', name: '备注', dataType: 'TEXT', primaryKey: false },
      { code: 'big_count', name: '大整数', dataType: 'INTEGER', primaryKey: false },
      { code: 'amount', name: '金额', dataType: 'DECIMAL', length: 24, precision: 6, primaryKey: false },
      { code: 'ratio', name: '比例', dataType: 'DOUBLE', primaryKey: false },
      { code: 'birth_date', name: '出生日期', dataType: 'DATE', primaryKey: false },
      { code: 'updated_at', name: '更新时间', dataType: 'DATETIME', primaryKey: false },
      { code: 'active', name: '是否有效', dataType: 'BOOLEAN', primaryKey: false },
      { code: 'photo', name: '照片', dataType: 'BINARY', primaryKey: false },
    ],
    ...over,
  });
}

const HEADER = 'region,seq_no,full_name,citizen_id,mobile,note,big_count,amount,ratio,birth_date,updated_at,active,photo';
const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Row i of the file, as sent (CSV cells) and as the reader must return it (typed values). */
function row(i: number) {
  const region = i % 2 ? '330602' : '330603';
  // Keys 2^53 + 1 and 2^53 differ only beyond a double's precision: both must survive.
  const seq = i === 1 ? BIG : i === 2 ? BIG2 : String(i);
  const cells = {
    region,
    seq_no: seq,
    full_name: i === 3 ? '欧阳娜娜' : `张${i}`,
    citizen_id: `T1060219900101${pad(i, 4)}`,
    mobile: `138${pad(i, 8)}`,
    note: i % 5 === 0 ? '' : `第${i}行, "引号"\n换行`,
    big_count: i === 1 ? BIG : String(i * 1000),
    amount: i === 1 ? '123456789012345678.123456' : `${i}.5`,
    ratio: i === 1 ? '0.1' : String(i / 8),
    birth_date: i === 1 ? '2024-02-29' : i === 2 ? '1930-01-01' : `1990-01-${pad((i % 28) + 1, 2)}`,
    updated_at: i === 1 ? '2024-02-29T23:59:59.123456' : `2024-03-01 08:${pad(i, 2)}:00`,
    active: i % 3 === 0 ? '否' : '是',
    photo: Buffer.from([0, 1, 2, 255, i]).toString('base64'),
  };
  const expected = {
    region,
    seq_no: i <= 2 ? seq : Number(seq),
    full_name: cells.full_name,
    citizen_id: cells.citizen_id,
    mobile: cells.mobile,
    note: cells.note === '' ? null : cells.note,
    big_count: i === 1 ? BIG : i * 1000,
    amount: i === 1 ? '123456789012345678.123456' : `${i}.500000`,
    ratio: i === 1 ? 0.1 : i / 8,
    birth_date: cells.birth_date,
    updated_at: i === 1 ? '2024-02-29T23:59:59.123456' : `2024-03-01T08:${pad(i, 2)}:00`,
    active: i % 3 !== 0,
    photo: cells.photo,
  };
  return { cells, expected };
}

const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const CSV = `${[
  HEADER,
  ...Array.from({ length: ROWS }, (_, n) =>
    Object.values(row(n + 1).cells)
      .map(csvCell)
      .join(','),
  ),
].join('\n')}\n`;
const expectedRows = Array.from({ length: ROWS }, (_, n) => row(n + 1).expected);

/** Key order as both dialects sort it: region, then seq_no numerically (BigInt: exact). */
const keyOrder = [...expectedRows].sort((a, b) => (a.region !== b.region ? (a.region < b.region ? -1 : 1) : BigInt(a.seq_no) < BigInt(b.seq_no) ? -1 : 1));

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o), 'utf8').toString('base64url');

describeEachDialect('record reader contract', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  let resourceId: string;
  let classifiedId: string;
  const get = (url: string, token: string) => t.app.inject({ method: 'GET', url, headers: bearer(token) });
  const records = (query: string, token = t.deptA.token) => get(`/api/v1/resources/${resourceId}/records?${query}`, token);

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
    resourceId = (await t.services.resources.create(SYSTEM_ACTOR, everyTypeResource(t.deptA.id))).id;
    classifiedId = (
      await t.services.resources.create(
        SYSTEM_ACTOR,
        everyTypeResource(t.deptA.id, { classified: true, openType: 'PROHIBITED', openCondition: null, openDomain: null }),
      )
    ).id;
    for (const id of [resourceId, classifiedId]) {
      expect(await uploadCsv(t, id, CSV)).toMatchObject({ status: 'succeeded', rows: { read: ROWS, inserted: ROWS, rejected: 0 } });
    }
  });

  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  const readAll = async (query: string, token = t.deptA.token) => {
    const all: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await records(`${query}${cursor ? `&cursor=${cursor}` : ''}`, token);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as { items: Record<string, unknown>[]; nextCursor: string | null };
      all.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    return { all, pages };
  };

  it('runs under Asia/Shanghai', () => {
    expect(new Date('2024-02-29T00:00:00').toISOString()).toBe('2024-02-28T16:00:00.000Z');
  });

  it('reads every data type back exactly as loaded: the same typed values on both dialects', async () => {
    const { all, pages } = await readAll('limit=10');
    expect(pages).toBe(3);
    expect(all).toEqual(keyOrder);
    const first = all.find((r) => r.seq_no === BIG)!;
    expect(first).toMatchObject({
      seq_no: BIG,
      big_count: BIG,
      amount: '123456789012345678.123456',
      birth_date: '2024-02-29',
      updated_at: '2024-02-29T23:59:59.123456',
      active: true,
      ratio: 0.1,
      photo: 'AAEC/wE=',
    });
    expect(all.find((r) => r.seq_no === BIG2)).toMatchObject({ birth_date: '1930-01-01' });
    // Provenance is never leaked raw; asked for, it is presented.
    expect(Object.keys(first).filter((k) => k.startsWith('_'))).toEqual([]);
    const withMeta = (await records('limit=1&meta=true')).json().items[0];
    expect(withMeta._meta).toEqual({
      batchId: expect.stringMatching(/^sha256-/),
      receivedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    });
    expect(Object.keys(withMeta).filter((k) => k.startsWith('_'))).toEqual(['_meta']);
  });

  it('projects chosen items, and refuses an unknown item', async () => {
    const page = (await records('limit=3&items=amount,birth_date')).json();
    expect(page.items).toEqual(keyOrder.slice(0, 3).map((r) => ({ amount: r.amount, birth_date: r.birth_date })));
    const bad = await records('items=amount,nope');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'query.items' }] });
  });

  it('filters on items: eq, in, range, null — values checked against the item type', async () => {
    const codes = async (q: string) => (await readAll(`limit=7&items=seq_no&${q}`)).all.map((r) => r.seq_no);
    expect(await codes('filter=region:eq:330603')).toEqual(keyOrder.filter((r) => r.region === '330603').map((r) => r.seq_no));
    const among = (wanted: unknown[]) => keyOrder.filter((r) => wanted.includes(r.seq_no)).map((r) => r.seq_no);
    expect(await codes(`filter=seq_no:in:${BIG},9007199254740992,7`)).toEqual(among([BIG, BIG2, 7]));
    expect(await codes(`filter=big_count:eq:${BIG}`)).toEqual([BIG]);
    expect(await codes('filter=birth_date:gte:1990-01-10&filter=birth_date:lte:1990-01-12')).toEqual(
      keyOrder.filter((r) => r.birth_date >= '1990-01-10' && r.birth_date <= '1990-01-12').map((r) => r.seq_no),
    );
    expect(await codes('filter=birth_date:lte:1930-01-01')).toEqual([BIG2]);
    expect(await codes('filter=note:null')).toEqual(keyOrder.filter((r) => r.note === null).map((r) => r.seq_no));
    expect(await codes('filter=active:eq:false')).toEqual(keyOrder.filter((r) => !r.active).map((r) => r.seq_no));
    // DECIMAL: equality on the exact value, order numerically (10.5 > 9.5, though '10.5' < '9.5' as text).
    expect(await codes('filter=amount:eq:123456789012345678.123456')).toEqual([BIG]);
    expect(await codes('filter=amount:gte:9.5&filter=amount:lte:11.5')).toEqual(among([9, 10, 11]));
    expect(await codes('filter=updated_at:gte:2024-03-01T08:24:00')).toEqual(
      keyOrder.filter((r) => r.updated_at >= '2024-03-01T08:24:00').map((r) => r.seq_no),
    );

    for (const bad of [
      'filter=seq_no:eq:abc',
      'filter=birth_date:gte:2024-02-30',
      'filter=amount:eq:1e',
      'filter=active:eq:yes',
      'filter=photo:eq:AAAA',
      'filter=nope:eq:1',
      "filter=region:eq:' or 1=1 --x&filter=seq_no:lte:1;drop",
      'filter=region:like:33',
      'filter=seq_no:eq:99999999999999999999',
    ]) {
      const res = await records(bad);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().code, bad).toBe('VALIDATION_FAILED');
    }
    // An injection attempt as a plain string value matches nothing and breaks nothing.
    expect(await codes("filter=region:eq:330602' or '1'='1")).toEqual([]);
  });

  it('pages across pages with a filter, without repeats or gaps', async () => {
    const { all, pages } = await readAll('limit=4&filter=active:eq:true&items=region,seq_no');
    const want = keyOrder.filter((r) => r.active).map((r) => ({ region: r.region, seq_no: r.seq_no }));
    expect(all).toEqual(want);
    expect(pages).toBe(Math.ceil(want.length / 4));
  });

  it('a crafted cursor is 400 INVALID_CURSOR, never 500', async () => {
    const crafted = [
      'not a cursor!',
      b64({ k: ['330602', 'abc'] }),
      b64({ k: ['330602'] }),
      b64({ k: ['330602', 1, 2] }),
      b64({ k: [null, null] }),
      b64({ k: ['330602', 1.5] }),
      b64({ k: ['330602', '99999999999999999999'] }),
      b64({ k: ['330602', '1e400'] }),
      b64({ k: [{ a: 1 }, '1'] }),
      b64({ k: ['330602\u0000', '1'] }),
      b64({ k: 'x' }),
      b64(['330602', 3]),
      Buffer.from('["330602",3]').toString('base64url'),
      'A'.repeat(1999),
    ];
    for (const cursor of crafted) {
      const res = await records(`limit=2&cursor=${encodeURIComponent(cursor)}`);
      expect(res.statusCode, cursor).toBe(400);
      expect(res.json().code, cursor).toBe('INVALID_CURSOR');
    }
    // A well-formed cursor of another key value simply starts after it.
    const after = await records(`limit=2&items=seq_no&cursor=${b64({ k: ['330602', '5'] })}`);
    expect(after.json().items).toEqual(
      keyOrder
        .filter((r) => r.region === '330602' && BigInt(r.seq_no) > 5n)
        .slice(0, 2)
        .map((r) => ({ seq_no: r.seq_no })),
    );
  });

  it('exports as NDJSON over HTTP: every record in key order, masked by role, bad filters refused before streaming', async () => {
    const url = (q: string) => `/api/v1/resources/${resourceId}/records.ndjson?${q}`;
    const res = await get(url('filter=region:eq:330602'), t.deptA.token);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = res.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual(keyOrder.filter((r) => r.region === '330602'));
    const masked = (await get(url('items=full_name'), t.auditorToken)).body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(masked).toHaveLength(ROWS);
    expect(masked.every((r: { full_name: string }) => /^(张|欧阳)\*+$/.test(r.full_name))).toBe(true);
    const bad = await get(url('filter=seq_no:eq:x'), t.deptA.token);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION_FAILED');
    expect((await get(`/api/v1/resources/${classifiedId}/records.ndjson`, t.deptB.token)).statusCode).toBe(404);
  });

  it('pages a resource without primary-key items by its content hash, which is never shown', async () => {
    const id = (
      await t.services.resources.create(
        SYSTEM_ACTOR,
        resourceInput(t.deptA.id, {
          items: [
            { code: 'place', name: '地点', dataType: 'STRING', length: 20, primaryKey: false },
            { code: 'visits', name: '次数', dataType: 'INTEGER', primaryKey: false },
          ],
        }),
      )
    ).id;
    const csv = `place,visits\n${Array.from({ length: 7 }, (_, i) => `地点${i},${i}`).join('\n')}\n`;
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${id}/uploads?wait=true&fileName=hash.csv`,
      headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(up.json().job.rows).toMatchObject({ inserted: 7 });
    const seen: unknown[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Record<string, unknown>[]; nextCursor: string | null } = (
        await get(`/api/v1/resources/${id}/records?limit=3${cursor ? `&cursor=${cursor}` : ''}`, t.deptA.token)
      ).json();
      for (const r of page.items) expect(Object.keys(r).sort()).toEqual(['place', 'visits']);
      seen.push(...page.items.map((r) => r.visits));
      cursor = page.nextCursor;
    } while (cursor);
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const crafted = await get(`/api/v1/resources/${id}/records?limit=3&cursor=${b64({ k: ["' or 1=1 --"] })}`, t.deptA.token);
    expect(crafted.json().code).toBe('INVALID_CURSOR');
  });

  describe('through the reader itself', () => {
    let entry: RecordEntry;
    const provider = (): ReadAccess => ({
      actor: { userId: 'u', username: 'officer-a', role: 'OFFICER', departmentId: t.deptA.id },
      scope: { departmentId: t.deptA.id },
      masked: false,
    });
    const reader = () => createRecordReader({ db: db.db, auditor: t.services.auditor });

    beforeAll(async () => {
      const r = await t.services.catalogReader.resource(resourceId, 'all');
      entry = { ...r!, items: r!.items ?? [] };
    });

    it('looks up one key and many keys at once, in the order asked', async () => {
      const one = await reader().get(entry, provider(), { region: '330602', seq_no: BIG });
      expect(one).toEqual(expectedRows[0]);
      expect(await reader().get(entry, provider(), { region: '330603', seq_no: BIG })).toBeNull();
      const many = await reader().getMany(
        entry,
        provider(),
        [
          { region: '330603', seq_no: BIG2 },
          { region: '330602', seq_no: 99 },
          { region: '330602', seq_no: BIG },
          { region: '330602', seq_no: '7' },
        ],
        { items: ['full_name', 'birth_date'] },
      );
      expect(many).toEqual([
        { full_name: '张2', birth_date: '1930-01-01' },
        null,
        { full_name: '张1', birth_date: '2024-02-29' },
        { full_name: '张7', birth_date: expectedRows[6]!.birth_date },
      ]);
      await expect(reader().get(entry, provider(), { region: '330602' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      await expect(reader().get(entry, provider(), { region: '330602', seq_no: 'x' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    it('marks a record under an open objection as disputed in key lookups too', async () => {
      const asked: string[][] = [];
      const disputed = createRecordReader({
        db: db.db,
        auditor: t.services.auditor,
        disputedKeys: async (_resourceId, keys) => {
          asked.push([...keys]);
          return new Set(keys.filter((k) => k.includes(String(BIG2))));
        },
      });
      const many = await disputed.getMany(entry, provider(), [
        { region: '330603', seq_no: BIG2 },
        { region: '330602', seq_no: 99 },
        { region: '330602', seq_no: BIG },
      ]);
      expect(many.map((r) => (r === null ? 'not found' : r._disputed === true))).toEqual([true, 'not found', false]);
      expect(asked).toHaveLength(1);
      expect(asked[0]).toHaveLength(2);
      expect((await disputed.get(entry, provider(), { region: '330603', seq_no: BIG2 }))?._disputed).toBe(true);
    });

    it('streams an export in key order, and audits what was read even when the consumer stops', async () => {
      const out = [];
      for await (const r of await reader().export(entry, provider(), { filters: [{ item: 'active', op: 'eq', value: true }] })) out.push(r);
      expect(out).toEqual(keyOrder.filter((r) => r.active));
      let taken = 0;
      for await (const _ of await reader().export(entry, provider())) if (++taken === 3) break;
      const trail = (await get('/api/v1/audit-events?action=records.export&limit=2', t.auditorToken)).json().items;
      expect(trail.map((e: { detail: { rows: number } }) => e.detail.rows)).toEqual([3, out.length]);
    });

    it('exports more than one fetch (1,000 rows) without repeats or gaps, big keys included', async () => {
      const id = (
        await t.services.resources.create(
          SYSTEM_ACTOR,
          resourceInput(t.deptA.id, {
            items: [
              { code: 'region', name: '区划', dataType: 'STRING', length: 6, primaryKey: true },
              { code: 'seq_no', name: '序号', dataType: 'INTEGER', primaryKey: true },
              { code: 'amount', name: '金额', dataType: 'DECIMAL', length: 30, precision: 2, primaryKey: false },
            ],
          }),
        )
      ).id;
      const n = 2500;
      // Keys around 2^53 in one region: an inexact cursor would repeat or skip rows there.
      const seq = (i: number) => (i % 2 ? (9007199254740000n + BigInt(i)).toString() : String(i));
      const lines = ['region,seq_no,amount', ...Array.from({ length: n }, (_, i) => `${i % 3 ? '330602' : '330603'},${seq(i)},${i}.25`)];
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/resources/${id}/uploads?wait=true&fileName=many.csv`,
        headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
        payload: `${lines.join('\n')}\n`,
      });
      expect(res.json().job.rows).toMatchObject({ inserted: n, rejected: 0 });
      const e = await t.services.catalogReader.resource(id, 'all');
      const got: string[] = [];
      for await (const r of await reader().export({ ...e!, items: e!.items ?? [] }, provider())) got.push(`${r.region}/${r.seq_no}`);
      expect(got).toHaveLength(n);
      expect(new Set(got).size).toBe(n);
      const want = Array.from({ length: n }, (_, i) => [i % 3 ? '330602' : '330603', BigInt(seq(i))] as const)
        .sort((a, b) => (a[0] !== b[0] ? (a[0] < b[0] ? -1 : 1) : a[1] < b[1] ? -1 : 1))
        .map(([r, q]) => `${r}/${q}`);
      expect(got).toEqual(want);
    });

    it('refuses a classified resource to a scope that does not cover it, as if it did not exist', async () => {
      const c = await t.services.catalogReader.resource(classifiedId, 'all');
      const other: ReadAccess = { actor: null, scope: { departmentId: t.deptB.id }, masked: true };
      await expect(reader().page({ ...c!, items: c!.items ?? [] }, other, { limit: 5 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('masking and audit', () => {
    const first = (token: string, q = '') => records(`limit=50&filter=seq_no:eq:${BIG}${q}`, token);

    it('the provider department reads in clear; other roles read masked; another department is sent to sharing', async () => {
      expect((await first(t.deptA.token)).json().items[0]).toEqual(expectedRows[0]);
      const masked = { ...expectedRows[0], full_name: '张*', citizen_id: 'T10602********0001', mobile: '138****0001' };
      expect((await first(t.auditorToken)).json().items[0]).toEqual(masked);
      expect((await first(t.adminToken)).json().items[0]).toEqual(masked);
      const compound = (await records('filter=seq_no:eq:3&items=full_name', t.auditorToken)).json().items[0];
      expect(compound).toEqual({ full_name: '欧阳**' });
      const other = await first(t.deptB.token);
      expect(other.statusCode).toBe(403);
    });

    it('an admin reads unmasked only with a stated reason, and that read is audited with it', async () => {
      const noReason = await first(t.adminToken, '&unmasked=true');
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'query.reason' }] });
      expect((await first(t.auditorToken, '&unmasked=true&reason=curious%20auditor')).statusCode).toBe(403);
      const clear = await first(t.adminToken, '&unmasked=true&reason=' + encodeURIComponent('核查举报线索 #2024-17'));
      expect(clear.statusCode).toBe(200);
      expect(clear.json().items[0]).toEqual(expectedRows[0]);

      const trail = (await get(`/api/v1/audit-events?action=records.read&targetId=${resourceId}&limit=1`, t.auditorToken)).json();
      expect(trail.items[0]).toMatchObject({
        action: 'records.read',
        outcome: 'success',
        actor: { name: 'admin' },
        target: { type: 'resource', id: resourceId },
        detail: {
          rows: 1,
          masked: false,
          unmasked: true,
          reason: '核查举报线索 #2024-17',
          items: Object.keys(expectedRows[0]!),
          filters: [{ item: 'seq_no', op: 'eq' }],
        },
      });
      // Filter values are not copied into the trail: they may be personal data themselves.
      expect(JSON.stringify(trail.items[0])).not.toContain(BIG);
    });

    it('every read is audited: who, resource, items returned, row count', async () => {
      const res = await records('limit=5&items=full_name,amount', t.auditorToken);
      expect(res.statusCode).toBe(200);
      const [event] = (await get('/api/v1/audit-events?action=records.read&limit=1', t.adminToken)).json().items;
      expect(event).toMatchObject({
        actor: { name: 'auditor' },
        target: { id: resourceId },
        detail: { items: ['full_name', 'amount'], rows: 5, masked: true },
      });
      expect(event.detail).not.toHaveProperty('unmasked');
    });

    it('the auditor pages through the audit trail with filters; officers may not read it', async () => {
      const all = (await get(`/api/v1/audit-events?targetId=${resourceId}&limit=500`, t.auditorToken)).json().items as {
        id: number;
        at: string;
        action: string;
      }[];
      expect(all.length).toBeGreaterThan(5);
      expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => b - a));
      const paged: number[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: { id: number }[]; nextCursor: string | null } = (
          await get(`/api/v1/audit-events?targetId=${resourceId}&limit=3${cursor ? `&cursor=${cursor}` : ''}`, t.auditorToken)
        ).json();
        paged.push(...page.items.map((e) => e.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(paged).toEqual(all.map((e) => e.id));
      const byTime = (await get(`/api/v1/audit-events?targetId=${resourceId}&from=${encodeURIComponent(all[2]!.at)}&limit=500`, t.auditorToken)).json().items;
      expect(byTime.every((e: { at: string }) => e.at >= all[2]!.at)).toBe(true);
      expect((await get('/api/v1/audit-events?action=resource.create&limit=500', t.auditorToken)).json().items.length).toBeGreaterThan(0);
      expect((await get('/api/v1/audit-events', t.deptA.token)).statusCode).toBe(403);
      expect((await get(`/api/v1/audit-events?cursor=${b64({ k: ['x'] })}`, t.auditorToken)).json().code).toBe('INVALID_CURSOR');
      expect((await get('/api/v1/audit-events?from=yesterday', t.auditorToken)).statusCode).toBe(400);
    });

    it("another department's officer gets 404 for a classified resource's records; its own officers read them", async () => {
      const url = `/api/v1/resources/${classifiedId}/records?limit=1`;
      expect((await get(url, t.deptB.token)).statusCode).toBe(404);
      expect((await get(url, t.deptB.token)).json().code).toBe('NOT_FOUND');
      expect((await get(url, t.deptA.token)).json().items).toHaveLength(1);
    });
  });
});
