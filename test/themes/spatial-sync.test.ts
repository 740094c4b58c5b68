import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';
import { resourceInput } from '../factories.js';

/**
 * The OGC API over masters the real mechanism wrote: a resource with longitude/latitude is
 * collected, the spatial theme is defined over it (PUT /api/v1/themes/spatial), its sync runs,
 * and /ogc serves the points it made — the ones without valid coordinates left out.
 */
const rows = Array.from({ length: 10 }, (_, i) => ({ id: `ADDR${String(i).padStart(4, '0')}`, x: 120.5 + i * 0.01, y: 30 + i * 0.02 }));
const csv = [
  'feature_id,name,longitude,latitude',
  ...rows.map((r) => `${r.id},地址${r.id},${r.x},${r.y}`),
  'ADDR0100,无经度,,30.1',
  'ADDR0101,经度越界,200,30.1',
  '',
].join('\n');

describeEachDialect('OGC API over synced spatial masters', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { host: 'maps.test' } });

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db);
    const resource = await t.services.resources.create(
      SYSTEM_ACTOR,
      resourceInput(t.deptA.id, {
        shareType: 'UNCONDITIONAL',
        shareCondition: null,
        openType: 'UNCONDITIONAL',
        openCondition: null,
        sensitivity: 'L1',
        items: [
          { code: 'feature_id', name: '地址编码', dataType: 'STRING', length: 40, primaryKey: true },
          { code: 'name', name: '标准地址', dataType: 'STRING', length: 100, primaryKey: false },
          { code: 'longitude', name: '经度', dataType: 'DOUBLE', primaryKey: false },
          { code: 'latitude', name: '纬度', dataType: 'DOUBLE', primaryKey: false },
        ],
      }),
    );
    const upload = await t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${resource.id}/uploads?wait=true&fileName=addresses.csv`,
      headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(upload.json().job?.status, upload.body).toBe('succeeded');
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/themes/spatial',
      headers: bearer(t.adminToken),
      payload: {
        name: '空间地理',
        nameEn: 'Spatial',
        keyKind: 'FEATURE_ID',
        attributes: [
          { code: 'name', name: '标准地址', nameEn: 'Address' },
          { code: 'longitude', name: '经度', nameEn: 'Longitude' },
          { code: 'latitude', name: '纬度', nameEn: 'Latitude' },
        ],
        members: [{ resourceId: resource.id, keyItem: 'feature_id', attributes: { name: 'name', longitude: 'longitude', latitude: 'latitude' }, priority: 1 }],
        geometry: { longitude: 'longitude', latitude: 'latitude' },
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    // The sync runs in the worker pool (inline for an in-memory database): wait until every member is idle.
    for (let i = 0; ; i++) {
      const theme = await t.app.inject({ method: 'GET', url: '/api/v1/themes/spatial', headers: bearer(t.adminToken) });
      const states = (theme.json().members as { state: { status: string; error: string | null } }[]).map((m) => m.state);
      expect(
        states.filter((s) => s.status === 'FAILED'),
        theme.body,
      ).toEqual([]);
      if (states.every((s) => s.status === 'IDLE')) break;
      expect(i, 'the sync did not finish in 30 s').toBeLessThan(300);
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 60_000);
  afterAll(async () => {
    await t?.app.close();
    await db?.drop();
  });

  it('serves every synced master with valid coordinates as a point feature, open to anyone', async () => {
    const res = await get('/ogc/collections/spatial/items?limit=100');
    expect(res.statusCode, res.body).toBe(200);
    const fc = res.json();
    expect([fc.numberMatched, fc.numberReturned]).toEqual([10, 10]);
    for (const [i, f] of (fc.features as { id: string; geometry: { type: string; coordinates: number[] }; properties: Record<string, unknown> }[]).entries()) {
      expect(f.id).toBe(rows[i]!.id);
      expect(f.geometry.type).toBe('Point');
      expect(f.geometry.coordinates[0]).toBeCloseTo(rows[i]!.x, 9);
      expect(f.geometry.coordinates[1]).toBeCloseTo(rows[i]!.y, 9);
      expect(f.properties.name).toBe(`地址${rows[i]!.id}`);
    }
    const collection = (await get('/ogc/collections/spatial')).json();
    const [[minX, minY, maxX, maxY]] = collection.extent.spatial.bbox;
    expect(minX).toBeCloseTo(120.5, 4);
    expect(minY).toBeCloseTo(30, 4);
    expect(maxX).toBeCloseTo(120.59, 4);
    expect(maxY).toBeCloseTo(30.18, 4);
  });

  it('filters the synced features by bbox', async () => {
    // x in [120.525, 120.555] → rows 3, 4, 5; y bound keeps them all.
    const fc = (await get('/ogc/collections/spatial/items?bbox=120.525,29,120.555,31')).json();
    expect(fc.features.map((f: { id: string }) => f.id)).toEqual(['ADDR0003', 'ADDR0004', 'ADDR0005']);
    expect(fc.numberMatched).toBe(3);
  });
});
