import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { toJson } from '../../src/storage/dialect.js';
import { newId } from '../../src/shared/ids.js';
import type { ThemeDefinition } from '../../src/modules/themes/contracts.js';
import { featureAccessOf } from '../../src/modules/themes/spatial/spatial.policy.js';
import type { Resource } from '../../src/modules/catalog/index.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';
import { resourceInput } from '../factories.js';

// ---- a small structural validator of GeoJSON (RFC 7946) as the OGC API serves it ----

function isPosition(p: unknown): boolean {
  return (
    Array.isArray(p) &&
    (p.length === 2 || p.length === 3) &&
    p.every((n) => typeof n === 'number' && Number.isFinite(n)) &&
    (p[0] as number) >= -180 &&
    (p[0] as number) <= 180 &&
    (p[1] as number) >= -90 &&
    (p[1] as number) <= 90
  );
}
const positions = (c: unknown, depth: number): boolean =>
  depth === 0 ? isPosition(c) : Array.isArray(c) && c.length > 0 && c.every((x) => positions(x, depth - 1));
const ring = (r: unknown) =>
  positions(r, 1) && (r as number[][]).length >= 4 && JSON.stringify((r as number[][])[0]) === JSON.stringify((r as number[][]).at(-1));
const DEPTH: Record<string, number> = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 };

function geometryProblems(g: unknown): string[] {
  if (g === null) return [];
  if (typeof g !== 'object') return ['geometry is not an object'];
  const { type, coordinates } = g as { type: string; coordinates: unknown };
  if (!(type in DEPTH)) return [`unknown geometry type ${type}`];
  if (!positions(coordinates, DEPTH[type]!)) return [`${type} coordinates are not [lon, lat] numbers at depth ${DEPTH[type]}`];
  if (type === 'Polygon' && !(coordinates as unknown[]).every(ring)) return ['a polygon ring is not closed or has fewer than 4 positions'];
  return [];
}

function bboxProblems(b: unknown): string[] {
  if (b === undefined) return [];
  if (!Array.isArray(b) || b.length !== 4 || !b.every((n) => typeof n === 'number')) return ['bbox is not 4 numbers'];
  const [minX, minY, maxX, maxY] = b as [number, number, number, number];
  return minX <= maxX && minY <= maxY ? [] : ['bbox min > max'];
}

function featureProblems(f: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (f.type !== 'Feature') out.push('type is not Feature');
  if (typeof f.id !== 'string' && typeof f.id !== 'number') out.push('id is neither a string nor a number');
  if (!('geometry' in f)) out.push('geometry member missing');
  if (!('properties' in f) || (f.properties !== null && (typeof f.properties !== 'object' || Array.isArray(f.properties))))
    out.push('properties is not an object');
  out.push(...geometryProblems(f.geometry), ...bboxProblems(f.bbox));
  return out.map((p) => `${String(f.id)}: ${p}`);
}

function featureCollectionProblems(fc: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (fc.type !== 'FeatureCollection') out.push('type is not FeatureCollection');
  if (!Array.isArray(fc.features)) return [...out, 'features is not an array'];
  for (const f of fc.features) out.push(...featureProblems(f as Record<string, unknown>));
  if (fc.numberReturned !== fc.features.length) out.push('numberReturned differs from the features returned');
  if (typeof fc.numberMatched !== 'number') out.push('numberMatched missing');
  if (typeof fc.timeStamp !== 'string' || Number.isNaN(Date.parse(fc.timeStamp))) out.push('timeStamp is not a date-time');
  return out;
}

describe('the GeoJSON validator itself', () => {
  it('catches what it is meant to', () => {
    expect(featureProblems({ type: 'Feature', id: 'a', geometry: { type: 'Point', coordinates: [120.5, 30] }, properties: {} })).toEqual([]);
    expect(featureProblems({ type: 'Feature', id: 'a', geometry: { type: 'Point', coordinates: [30, 120.5] }, properties: {} })).toHaveLength(1);
    expect(featureProblems({ type: 'Feature', id: 'a', geometry: { type: 'Point', coordinates: ['120', 30] }, properties: {} })).toHaveLength(1);
    const openRing = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ],
      ],
    };
    expect(featureProblems({ type: 'Feature', id: 'a', geometry: openRing, properties: {} })).toHaveLength(1);
    expect(featureProblems({ type: 'Feature', geometry: null, properties: {}, bbox: [2, 0, 1, 1] })).toHaveLength(2);
  });
});

// ---- fixtures: three themes over catalogue resources, masters inserted as the mechanism writes them ----

const HOST = 'ogc.test:8080';
const BASE = `http://${HOST}`;

/** 25 points on a 5 × 5 grid (0.1° apart, from 120°E 30°N), one polygon, two masters without a geometry. */
const points = Array.from({ length: 25 }, (_, i) => ({ key: `F${String(i).padStart(3, '0')}`, x: 120 + (i % 5) / 10, y: 30 + Math.floor(i / 5) / 10 }));
const polygon = {
  type: 'Polygon',
  coordinates: [
    [
      [121, 30],
      [121.2, 30],
      [121.2, 30.2],
      [121, 30.2],
      [121, 30],
    ],
  ],
};

function spatialResource(departmentId: string, openType: 'UNCONDITIONAL' | 'RESTRICTED', nameOpenType: 'UNCONDITIONAL' | 'RESTRICTED') {
  return resourceInput(departmentId, {
    shareType: 'UNCONDITIONAL',
    shareCondition: null,
    openType,
    openCondition: openType === 'RESTRICTED' ? '经审批后开放' : null,
    sensitivity: 'L1',
    items: [
      { code: 'feature_id', name: '要素编码', dataType: 'STRING', length: 40, primaryKey: true },
      {
        code: 'name',
        name: '名称',
        dataType: 'STRING',
        length: 100,
        primaryKey: false,
        openType: nameOpenType,
        openCondition: nameOpenType === 'RESTRICTED' ? '经审批后开放' : null,
      },
      { code: 'longitude', name: '经度', dataType: 'DOUBLE', primaryKey: false },
      { code: 'latitude', name: '纬度', dataType: 'DOUBLE', primaryKey: false },
      { code: 'note', name: '内部备注', dataType: 'STRING', length: 100, primaryKey: false, openType: 'PROHIBITED' },
    ],
  });
}

function definition(code: string, resourceId: string, geometry: ThemeDefinition['geometry']): ThemeDefinition {
  return {
    code,
    name: `${code} 主题`,
    nameEn: `${code} theme`,
    keyKind: 'FEATURE_ID',
    attributes: [
      { code: 'name', name: '名称', nameEn: 'Name' },
      { code: 'longitude', name: '经度', nameEn: 'Longitude' },
      { code: 'latitude', name: '纬度', nameEn: 'Latitude' },
    ],
    // The PROHIBITED `note` item is not mapped, so it does not close the theme.
    members: [{ resourceId, keyItem: 'feature_id', attributes: { name: 'name', longitude: 'longitude', latitude: 'latitude' }, priority: 1 }],
    ...(geometry ? { geometry } : {}),
  };
}

async function insertTheme(db: TestDb, def: ThemeDefinition): Promise<string> {
  const id = newId();
  const now = new Date().toISOString();
  await db.db
    .insertInto('themes')
    .values({
      id,
      code: def.code,
      name: def.name,
      name_en: def.nameEn,
      key_kind: def.keyKind,
      definition: toJson(def),
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

type Master = { key: string; attributes: Record<string, unknown>; geometry: object | null; bbox: [number, number, number, number] | null };

async function insertMasters(db: TestDb, themeId: string, masters: Master[]) {
  const now = new Date().toISOString();
  await db.db
    .insertInto('theme_masters')
    .values(
      masters.map((m) => ({
        id: newId(),
        theme_id: themeId,
        master_key: m.key,
        attributes: toJson(m.attributes),
        provenance: toJson({}),
        source_count: 1,
        region_code: '330602',
        geometry: m.geometry ? JSON.stringify(m.geometry) : null,
        min_x: m.bbox?.[0] ?? null,
        min_y: m.bbox?.[1] ?? null,
        max_x: m.bbox?.[2] ?? null,
        max_y: m.bbox?.[3] ?? null,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
}

describeEachDialect('OGC API – Features at /ogc', (fresh, dialect) => {
  let db: TestDb;
  let t: TestApp;
  const get = (url: string, token?: string) => t.app.inject({ method: 'GET', url, headers: { host: HOST, ...(token ? bearer(token) : {}) } });

  beforeAll(async () => {
    db = await fresh();
    t = await buildTestApp(db);
    const open = await t.services.resources.create(SYSTEM_ACTOR, spatialResource(t.deptA.id, 'UNCONDITIONAL', 'UNCONDITIONAL'));
    // Open as a resource, but the mapped `name` item is restricted: the theme is staff-only.
    const half = await t.services.resources.create(SYSTEM_ACTOR, spatialResource(t.deptA.id, 'UNCONDITIONAL', 'RESTRICTED'));
    const spatialId = await insertTheme(db, definition('spatial', open.id, { longitude: 'longitude', latitude: 'latitude' }));
    const sitesId = await insertTheme(db, definition('sites', half.id, { longitude: 'longitude', latitude: 'latitude' }));
    await insertTheme(db, definition('population', open.id, undefined));
    await insertMasters(db, spatialId, [
      ...points.map((p) => ({
        key: p.key,
        attributes: { name: `地址${p.key}`, longitude: p.x, latitude: p.y },
        geometry: { type: 'Point', coordinates: [p.x, p.y] },
        bbox: [p.x, p.y, p.x, p.y] as [number, number, number, number],
      })),
      { key: 'P001', attributes: { name: '片区' }, geometry: polygon, bbox: [121, 30, 121.2, 30.2] },
      { key: 'N001', attributes: { name: '无坐标' }, geometry: null, bbox: null },
      { key: 'N002', attributes: { name: '无坐标' }, geometry: null, bbox: null },
    ]);
    await insertMasters(db, sitesId, [
      { key: 'S1', attributes: { name: '站点' }, geometry: { type: 'Point', coordinates: [120.6, 30.0] }, bbox: [120.6, 30, 120.6, 30] },
    ]);
  });
  afterAll(async () => {
    await t?.app.close();
    await db?.drop();
  });

  it('landing page links self, the API definition, conformance and the collections, absolute from the Host header', async () => {
    const res = await get('/ogc');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const rels = Object.fromEntries((res.json().links as { rel: string; href: string; type: string }[]).map((l) => [l.rel, l]));
    expect(rels.self!.href).toBe(`${BASE}/ogc`);
    expect(rels['service-desc']).toEqual(expect.objectContaining({ href: `${BASE}/ogc/api`, type: 'application/vnd.oai.openapi+json;version=3.0' }));
    expect(rels.conformance!.href).toBe(`${BASE}/ogc/conformance`);
    expect(rels.data!.href).toBe(`${BASE}/ogc/collections`);
    const api = await get('/ogc/api');
    expect(api.statusCode).toBe(200);
    // Fastify writes the parameter quoted (version="3.0"), the same media type.
    expect(api.headers['content-type']).toMatch(/^application\/vnd\.oai\.openapi\+json; ?version="?3\.0"?/);
    const doc = api.json();
    expect(doc.openapi).toMatch(/^3\.0\./);
    expect(doc.servers).toEqual([{ url: `${BASE}/ogc` }]);
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/',
        '/api',
        '/collections',
        '/collections/{collectionId}',
        '/collections/{collectionId}/items',
        '/collections/{collectionId}/items/{featureId}',
        '/conformance',
      ].sort(),
    );
    // Every $ref resolves inside the document.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const r of refs)
      expect(
        r.split('/').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], doc),
        r,
      ).toBeDefined();
  });

  it('declares the core, GeoJSON and OpenAPI 3.0 conformance classes', async () => {
    const res = await get('/ogc/conformance?f=json');
    expect(res.statusCode).toBe(200);
    expect(res.json().conformsTo).toEqual([
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
    ]);
  });

  it('lists one collection per spatial theme the caller may read, with the extent of its features in CRS84', async () => {
    const anonymous = (await get('/ogc/collections')).json();
    expect(anonymous.collections.map((c: { id: string }) => c.id)).toEqual(['spatial']);
    const admin = (await get('/ogc/collections', t.adminToken)).json();
    expect(admin.collections.map((c: { id: string }) => c.id)).toEqual(['sites', 'spatial']);

    const res = await get('/ogc/collections/spatial');
    expect(res.statusCode).toBe(200);
    const c = res.json();
    expect(c.id).toBe('spatial');
    expect(c.itemType).toBe('feature');
    expect(c.crs).toEqual(['http://www.opengis.net/def/crs/OGC/1.3/CRS84']);
    expect(c.extent.spatial.crs).toBe('http://www.opengis.net/def/crs/OGC/1.3/CRS84');
    const [[minX, minY, maxX, maxY]] = c.extent.spatial.bbox;
    expect([minX, minY]).toEqual([120, 30]);
    // The bbox columns are double precision on both dialects: the extent is exact.
    expect(maxX).toBe(121.2);
    expect(maxY).toBe(30.4);
    expect(c.links).toEqual(
      expect.arrayContaining([
        { href: `${BASE}/ogc/collections/spatial`, rel: 'self', type: 'application/json', title: 'spatial 主题' },
        { href: `${BASE}/ogc/collections/spatial/items`, rel: 'items', type: 'application/geo+json', title: 'spatial 主题 features' },
      ]),
    );
  });

  it('serves items as valid GeoJSON, masters without a geometry left out', async () => {
    const res = await get('/ogc/collections/spatial/items?limit=100');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    const fc = res.json();
    expect(featureCollectionProblems(fc)).toEqual([]);
    expect(fc.numberMatched).toBe(26);
    expect(fc.numberReturned).toBe(26);
    expect(fc.features.map((f: { id: string }) => f.id)).toEqual([...points.map((p) => p.key), 'P001']);
    expect(fc.features[7]).toEqual({
      type: 'Feature',
      id: 'F007',
      bbox: [120.2, 30.1, 120.2, 30.1],
      geometry: { type: 'Point', coordinates: [120.2, 30.1] },
      properties: { name: '地址F007', longitude: 120.2, latitude: 30.1 },
    });
    expect(fc.features[25].bbox).toEqual([121, 30, 121.2, 30.2]);

    const one = await get('/ogc/collections/spatial/items/P001');
    expect(one.statusCode).toBe(200);
    expect(one.headers['content-type']).toMatch(/^application\/geo\+json/);
    const f = one.json();
    expect(featureProblems(f)).toEqual([]);
    expect(f.geometry).toEqual(polygon);
    expect(f.links).toEqual([
      { href: `${BASE}/ogc/collections/spatial/items/P001`, rel: 'self', type: 'application/geo+json', title: 'This feature' },
      { href: `${BASE}/ogc/collections/spatial`, rel: 'collection', type: 'application/json', title: 'spatial 主题' },
    ]);
  });

  it('filters by bbox on the bounding boxes: intersecting features, edges included', async () => {
    const count = async (bbox: string) => {
      const res = await get(`/ogc/collections/spatial/items?bbox=${bbox}&limit=1000`);
      expect(res.statusCode, res.body).toBe(200);
      const fc = res.json();
      expect(featureCollectionProblems(fc)).toEqual([]);
      expect(fc.numberReturned).toBe(fc.numberMatched);
      return fc.features.map((f: { id: string }) => f.id);
    };
    expect(await count('120.15,30.15,120.35,30.35')).toEqual(['F012', 'F013', 'F017', 'F018']);
    // A window inside the polygon's box touches none of its vertices but intersects it.
    expect(await count('121.05,30.05,121.1,30.1')).toEqual(['P001']);
    // A degenerate window on one point, and the whole grid.
    expect(await count('120.2,30.1,120.2,30.1')).toEqual(['F007']);
    expect(await count('119,29,121,31')).toHaveLength(26);
    expect(await count('-10,-10,10,10')).toEqual([]);
  });

  it('pages with next links until exhausted, numberMatched on every page, prev back', async () => {
    let url: string | undefined = `/ogc/collections/spatial/items?limit=10&bbox=119,29,122,31`;
    const seen: string[] = [];
    const sizes: number[] = [];
    let pages = 0;
    while (url) {
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      const fc = res.json();
      expect(featureCollectionProblems(fc)).toEqual([]);
      expect(fc.numberMatched).toBe(26);
      sizes.push(fc.numberReturned);
      seen.push(...fc.features.map((f: { id: string }) => f.id));
      const links = fc.links as { rel: string; href: string }[];
      expect(links.find((l) => l.rel === 'self')!.href).toBe(`${BASE}/ogc/collections/spatial/items?bbox=119%2C29%2C122%2C31&limit=10&offset=${pages * 10}`);
      expect(links.some((l) => l.rel === 'prev')).toBe(pages > 0);
      const next = links.find((l) => l.rel === 'next')?.href;
      expect(next === undefined || next.startsWith(BASE)).toBe(true);
      url = next?.slice(BASE.length);
      pages += 1;
      expect(pages).toBeLessThan(10);
    }
    expect(sizes).toEqual([10, 10, 6]);
    expect(new Set(seen).size).toBe(26);

    const second = (await get('/ogc/collections/spatial/items?limit=10&offset=10')).json();
    const prev = (second.links as { rel: string; href: string }[]).find((l) => l.rel === 'prev')!.href;
    expect(prev).toBe(`${BASE}/ogc/collections/spatial/items?limit=10&offset=0`);
    // Defaults: 10 a page; a limit above the maximum (10000) is served as the maximum.
    expect((await get('/ogc/collections/spatial/items')).json().numberReturned).toBe(10);
    const big = (await get('/ogc/collections/spatial/items?limit=50000')).json();
    expect(big.numberReturned).toBe(26);
    expect(big.links.find((l: { rel: string }) => l.rel === 'self').href).toContain('limit=10000');
    // An offset past the end: an empty page, still counted.
    const past = (await get('/ogc/collections/spatial/items?offset=100')).json();
    expect([past.numberReturned, past.numberMatched]).toEqual([0, 26]);
  });

  it('answers 400 problem+json for an invalid bbox, limit, offset, datetime, f or an unknown parameter', async () => {
    for (const q of [
      'bbox=1,2,3',
      'bbox=1,2,3,4,5,6',
      'bbox=a,b,c,d',
      'bbox=10,0,5,1',
      'bbox=0,10,1,5',
      'bbox=0,0,1,95',
      'bbox=-181,0,1,1',
      'bbox=1,1,2,2&bbox=1,1,2,2',
      'limit=0',
      'limit=-1',
      'limit=abc',
      'limit=1.5',
      'offset=-1',
      'datetime=yesterday',
      'datetime=2024-02-01T00:00:00Z/2024-01-01T00:00:00Z',
      'datetime=../..',
      'f=html',
      'foo=1',
      'bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4326',
    ]) {
      const res = await get(`/ogc/collections/spatial/items?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.headers['content-type'], q).toMatch(/^application\/problem\+json/);
      expect(res.json().code, q).toBe('VALIDATION_FAILED');
    }
    expect((await get('/ogc/collections?limit=5')).statusCode).toBe(400);
    expect((await get('/ogc?bbox=1,2,3,4')).statusCode).toBe(400);
    // datetime is accepted (features carry no time: it filters nothing).
    for (const q of ['datetime=2024-01-01T00:00:00Z', 'datetime=2024-01-01/..', 'datetime=../2024-01-01T08:00:00%2B08:00']) {
      const res = await get(`/ogc/collections/spatial/items?${q}`);
      expect(res.statusCode, q).toBe(200);
      expect(res.json().numberMatched, q).toBe(26);
    }
  });

  it('answers 404 problem+json for unknown collections and features, and for themes without a geometry', async () => {
    for (const url of [
      '/ogc/collections/nowhere',
      '/ogc/collections/nowhere/items',
      '/ogc/collections/population',
      '/ogc/collections/spatial/items/F999',
      '/ogc/collections/spatial/items/N001',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/^application\/problem\+json/);
      expect(res.json().code, url).toBe('NOT_FOUND');
    }
  });

  it('finds a feature wider than any before it once it is written (the widest-box bound of the window query follows)', async () => {
    const window = '/ogc/collections/spatial/items?bbox=121.4,30,121.45,30.1';
    expect((await get(window)).json().numberMatched).toBe(0);
    const themeId = (await db.db.selectFrom('themes').select('id').where('code', '=', 'spatial').executeTakeFirstOrThrow()).id;
    const line = {
      type: 'LineString',
      coordinates: [
        [100, 30.05],
        [121.5, 30.05],
      ],
    };
    await insertMasters(db, themeId, [{ key: 'W001', attributes: { name: '长线' }, geometry: line, bbox: [100, 30.05, 121.5, 30.05] }]);
    // SQLite's change stamp makes the cached bound exact; on PostgreSQL it lives at most 1 s.
    if (dialect === 'postgres') await new Promise((r) => setTimeout(r, 1100));
    try {
      const fc = (await get(window)).json();
      expect(featureCollectionProblems(fc)).toEqual([]);
      expect(fc.features.map((f: { id: string }) => f.id)).toEqual(['W001']);
    } finally {
      await db.db.deleteFrom('theme_masters').where('master_key', '=', 'W001').execute();
    }
  });

  it('serves a theme that is not wholly open only to staff: admin and the provider department, 401 anonymous, 403 others', async () => {
    expect((await get('/ogc/collections/sites')).statusCode).toBe(401);
    expect((await get('/ogc/collections/sites/items')).statusCode).toBe(401);
    expect((await get('/ogc/collections/sites/items/S1')).statusCode).toBe(401);
    expect((await get('/ogc/collections/sites/items', t.deptB.token)).statusCode).toBe(403);
    expect((await get('/ogc/collections/sites/items', t.auditorToken)).statusCode).toBe(403);
    for (const token of [t.adminToken, t.deptA.token]) {
      const res = await get('/ogc/collections/sites/items', token);
      expect(res.statusCode).toBe(200);
      expect(res.json().features.map((f: { id: string }) => f.id)).toEqual(['S1']);
    }
    expect((await get('/ogc/collections', t.deptA.token)).json().collections.map((c: { id: string }) => c.id)).toEqual(['sites', 'spatial']);
    expect((await get('/ogc/collections', t.deptB.token)).json().collections.map((c: { id: string }) => c.id)).toEqual(['spatial']);
    // A bad token is an error, never anonymous.
    expect((await get('/ogc/collections/spatial', 'not-a-token')).statusCode).toBe(401);
  });
});

describe('featureAccessOf (the open rule)', () => {
  const item = (code: string, over: Partial<Resource['items'] extends (infer I)[] | undefined ? I : never> = {}) =>
    ({ code, openType: 'UNCONDITIONAL', sensitivity: 'L1', maskingRule: null, ...over }) as never;
  const resource = (over: Partial<Resource> = {}) =>
    ({
      id: 'r1',
      classified: false,
      openType: 'UNCONDITIONAL',
      sensitivity: 'L1',
      items: [item('k'), item('a'), item('b', { openType: 'PROHIBITED' })],
      ...over,
    }) as Resource;
  const members = [{ resourceId: 'r1', keyItem: 'k', attributes: { a: 'a' }, priority: 1 }];

  it('is public only when every member and every mapped item opens without condition', () => {
    expect(featureAccessOf(members, [resource()])).toBe('public');
    expect(featureAccessOf(members, [])).toBe('staff');
    expect(featureAccessOf([], [])).toBe('staff');
    expect(featureAccessOf(members, [resource({ classified: true })])).toBe('staff');
    expect(featureAccessOf(members, [resource({ openType: 'RESTRICTED' })])).toBe('staff');
    expect(featureAccessOf(members, [resource({ sensitivity: 'L4' })])).toBe('staff');
    expect(featureAccessOf(members, [resource({ items: [item('k'), item('a', { maskingRule: 'NAME' })] })])).toBe('staff');
    expect(featureAccessOf(members, [resource({ items: [item('k', { sensitivity: 'L4' }), item('a')] })])).toBe('staff');
    expect(featureAccessOf(members, [resource({ items: [item('k')] })])).toBe('staff');
  });
});
