import http from 'node:http';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readingRow, readingsCsv, readingsResource } from '../../bench/generators/open-readings.js';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { buildTestApp, type TestApp } from '../test-app.js';
import { mixedCsv, mixedResource, publish, upload } from './opening-fixtures.js';

// A full collection between samples, so the heap figure is what the download retains, not garbage.
v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;

/** A million rows on SQLite; PostgreSQL takes a fifth of them (the same bound per row), to keep the suite's time. */
const BIG = { sqlite: 1_000_000, postgres: 200_000 } as const;

describeEachDialect('open downloads', (fresh, dialect) => {
  let db: TestDb;
  let t: TestApp;
  let mixedDataset: string;
  let bigDataset: string;
  const rows = BIG[dialect as keyof typeof BIG];

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
    const mixed = await t.services.resources.create(SYSTEM_ACTOR, mixedResource(t.deptA.id));
    await upload(t, mixed.id, mixedCsv(1, 20));
    mixedDataset = (await publish(t, { resourceId: mixed.id })).json().id;
    const big = await t.services.resources.create(SYSTEM_ACTOR, readingsResource(t.deptB.id, '301001/90001'));
    const { job } = await t.services.collection.upload(SYSTEM_ACTOR, {
      resourceId: big.id,
      body: readingsCsv(1, rows),
      contentType: 'text/csv',
      fileName: 'readings.csv',
      mode: 'upsert',
      wait: true,
    });
    expect(job.status, job.error ?? '').toBe('succeeded');
    bigDataset = (await publish(t, { resourceId: big.id })).json().id;
  }, 600_000);

  afterAll(async () => {
    await t.services.jobs.stop();
    await t.app.close();
    await db.drop();
  });

  it('downloads GBK CSV that decodes to the UTF-8 download (for Excel users)', async () => {
    const utf8 = await t.app.inject({ method: 'GET', url: `/api/v1/open/datasets/${mixedDataset}/download?format=csv` });
    const gbk = await t.app.inject({ method: 'GET', url: `/api/v1/open/datasets/${mixedDataset}/download?format=csv&encoding=gbk` });
    expect(gbk.statusCode).toBe(200);
    expect(gbk.headers['content-type']).toBe('text/csv; charset=GBK');
    const bytes = gbk.rawPayload;
    // Not UTF-8: 统 is D7 B3 in GBK (E7 BB 9F in UTF-8), and there is no BOM.
    expect([...bytes.subarray(0, 2)]).toEqual([0xcd, 0xb3]);
    const decoded = iconv.decode(bytes, 'gbk');
    expect(decoded).toBe(utf8.body.replace(/^\ufeff/, ''));
    expect(decoded.split('\r\n')[1]).toBe('U00000000000000001,企业1,100,张**');
  });

  it('is a live view: a new load shows at once in the portal, its search and its downloads', async () => {
    const mixed = (await t.services.openCatalog.dataset(mixedDataset))!;
    await upload(t, mixed.resourceId, mixedCsv(21, 25));
    const d = (await t.app.inject({ method: 'GET', url: `/api/v1/open/datasets/${mixedDataset}` })).json();
    expect(d.recordCount).toBe(25);
    const search = (await t.app.inject({ method: 'GET', url: '/api/v1/open/datasets?q=%E4%BC%81%E4%B8%9A' })).json();
    expect(search.items.find((x: { id: string }) => x.id === mixedDataset).recordCount).toBe(25);
    const csv = await t.app.inject({ method: 'GET', url: `/api/v1/open/datasets/${mixedDataset}/download` });
    expect(csv.body.trim().split('\r\n')).toHaveLength(26);
  });

  it(`streams a ${rows.toLocaleString('en')}-row CSV download in constant memory`, async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    gc();
    const base = process.memoryUsage().heapUsed;
    let nextSample = 50_000;
    let peak = 0;
    let lines = 0;
    let bytes = 0;
    let last = '';
    let first = '';
    const started = Date.now();
    await new Promise<void>((resolve, reject) => {
      http
        .get(`http://127.0.0.1:${port}/api/v1/open/datasets/${bigDataset}/download?format=csv`, (res) => {
          expect(res.statusCode).toBe(200);
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
            if (first.length < 400) first += chunk.subarray(0, 400).toString('utf8');
            last = chunk.subarray(Math.max(0, chunk.length - 200)).toString('latin1');
            if (lines >= nextSample) {
              nextSample += rows / 10;
              gc();
              peak = Math.max(peak, process.memoryUsage().heapUsed - base);
            }
          });
          res.on('end', resolve);
          res.on('error', reject);
        })
        .on('error', reject);
    });
    expect(lines).toBe(rows + 1);
    expect(first.startsWith('\ufeff序号,监测站点,读数,监测日期,备注\r\n')).toBe(true);
    expect(first.split('\r\n')[1]).toBe(readingRow(1));
    expect(Buffer.from(last, 'latin1').toString('utf8')).toContain(`${rows},`);
    const growthMb = peak / 2 ** 20;
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `[open downloads ${dialect}] ${rows} rows, ${(bytes / 2 ** 20).toFixed(1)} MB sent, retained heap growth (after GC, 10 samples) at most ${growthMb.toFixed(1)} MB, ${Math.round(rows / seconds)} rows/s`,
    );
    // The file is 50+ MB at a million rows (twice that as JS strings); what the download holds is a page of records and a chunk.
    expect(growthMb).toBeLessThan(16);
  }, 600_000);
});
