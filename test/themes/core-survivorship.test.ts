import { describe, expect, it } from 'vitest';
import type { ThemeDefinition } from '../../src/modules/themes/contracts.js';
import { geometryOf, ranker, survive } from '../../src/modules/themes/masters/survivorship.js';

const def: ThemeDefinition = {
  code: 'population',
  name: '人口',
  nameEn: 'Population',
  keyKind: 'CITIZEN_ID',
  attributes: [
    { code: 'name', name: '姓名', nameEn: 'Name' },
    { code: 'mobile', name: '手机', nameEn: 'Mobile' },
    { code: 'address', name: '住址', nameEn: 'Address' },
  ],
  members: [
    { resourceId: 'pop', keyItem: 'id', attributes: {}, priority: 1 },
    { resourceId: 'soc', keyItem: 'id', attributes: {}, priority: 2 },
    { resourceId: 'hh', keyItem: 'id', attributes: {}, priority: 2 },
  ],
  attributePriority: { mobile: ['hh'] },
};

const src = (resourceId: string, receivedAt: string, attributes: Record<string, string | null>) => ({
  resourceId,
  sourceKey: `k-${resourceId}`,
  receivedAt,
  attributes,
});

describe('survivorship', () => {
  it('takes the most authoritative non-empty value, a tie going to the most recent; disagreements are conflicts', () => {
    const s = survive(def, ranker(def), [
      src('pop', '2026-01-01T00:00:00.000Z', { name: '张三', mobile: '13800000001', address: null }),
      src('soc', '2026-03-01T00:00:00.000Z', { name: '张三丰', mobile: '13800000002', address: '越城区一号' }),
      src('hh', '2026-02-01T00:00:00.000Z', { name: ' 张三 ', mobile: null, address: '越城区二号' }),
    ]);
    // name: pop (priority 1) although soc is newer; address: soc and hh tie on priority 2, soc is newer;
    // mobile: hh first by the attribute's own order, but hh has none, so the members not listed follow by priority.
    expect(s.attributes).toEqual({ name: '张三', mobile: '13800000001', address: '越城区一号' });
    expect(s.provenance).toEqual({
      name: { resourceId: 'pop', sourceKey: 'k-pop', receivedAt: '2026-01-01T00:00:00.000Z' },
      mobile: { resourceId: 'pop', sourceKey: 'k-pop', receivedAt: '2026-01-01T00:00:00.000Z' },
      address: { resourceId: 'soc', sourceKey: 'k-soc', receivedAt: '2026-03-01T00:00:00.000Z' },
    });
    expect(s.conflicts.map((c) => [c.attribute, c.candidates.map((x) => x.resourceId)])).toEqual([
      ['name', ['pop', 'soc', 'hh']],
      ['mobile', ['pop', 'soc']],
      ['address', ['soc', 'hh']],
    ]);
  });

  it('agrees when values differ only in blanks, width or case', () => {
    const s = survive(def, ranker(def), [
      src('pop', '2026-01-01T00:00:00.000Z', { name: 'ＡＢＣ', mobile: null, address: null }),
      src('soc', '2026-01-02T00:00:00.000Z', { name: ' abc ', mobile: null, address: null }),
    ]);
    expect(s.conflicts).toEqual([]);
    expect(s.attributes.name).toBe('ＡＢＣ');
  });

  it('builds a point geometry and its box from longitude/latitude, refuses out-of-range values', () => {
    const spatial: ThemeDefinition = { ...def, geometry: { longitude: 'lon', latitude: 'lat' } };
    expect(geometryOf(spatial, { lon: '120.58', lat: '30.01' })).toEqual({
      text: '{"type":"Point","coordinates":[120.58,30.01]}',
      minX: 120.58,
      minY: 30.01,
      maxX: 120.58,
      maxY: 30.01,
    });
    expect(geometryOf(spatial, { lon: '200', lat: '30' })).toBeNull();
    const gj: ThemeDefinition = { ...def, geometry: { geojson: 'g' } };
    expect(geometryOf(gj, { g: '{"type":"LineString","coordinates":[[120,30],[121,31.5]]}' })).toMatchObject({ minX: 120, minY: 30, maxX: 121, maxY: 31.5 });
    expect(geometryOf(gj, { g: 'not json' })).toBeNull();
  });
});
