import { useEffect, useMemo, useState, type ReactElement } from 'react';
import type { Feature, Geometry, Position } from '../../api/themes-types';
import { ErrorBox, Loading } from '../../components/Status';
import { useApi } from '../../components/use-api';
import { useI18n } from '../../i18n/i18n';
import { ogcApi } from './themes-api';

/** [minLon, minLat, maxLon, maxLat] */
type Bbox = [number, number, number, number];
const WIDTH = 800;
const LIMITS = [50, 100, 500, 1000];
// The demo city's neighbourhood when a collection states no extent.
const FALLBACK: Bbox = [119.9, 29.8, 120.9, 30.5];

const round = (n: number) => Math.round(n * 1e6) / 1e6;
const bboxParam = (b: Bbox) => b.map(round).join(',');

/** Every position of a geometry (for the features' own extent). */
function positions(g: Geometry | null): Position[] {
  if (!g) return [];
  switch (g.type) {
    case 'Point':
      return [g.coordinates];
    case 'MultiPoint':
    case 'LineString':
      return g.coordinates;
    case 'MultiLineString':
    case 'Polygon':
      return g.coordinates.flat();
    case 'MultiPolygon':
      return g.coordinates.flat(2);
    case 'GeometryCollection':
      return g.geometries.flatMap(positions);
  }
}

/** An extent padded by 5 % (and at least ~100 m), so points on its edge stay visible. */
function padded(b: Bbox): Bbox {
  const dx = Math.max((b[2] - b[0]) * 0.05, 0.001);
  const dy = Math.max((b[3] - b[1]) * 0.05, 0.001);
  return [b[0] - dx, b[1] - dy, b[2] + dx, b[3] + dy];
}

/**
 * 空间地理: the features of an OGC API – Features collection drawn as SVG in an equirectangular
 * projection (longitude scaled by the cosine of the view's middle latitude), read for the view's
 * bbox a page at a time. Nothing is fetched from another origin: no tiles, no map library.
 */
export function FeatureMap() {
  const { t, number } = useI18n();
  const collections = useApi(ogcApi.collections, []);
  const [collection, setCollection] = useState('');
  const [view, setView] = useState<Bbox | null>(null);
  const [limit, setLimit] = useState(100);
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<Feature | null>(null);
  const list = collections.data?.collections ?? [];
  useEffect(() => {
    if (!collection && list.length) setCollection(list[0]!.id);
  }, [list, collection]);
  const current = list.find((c) => c.id === collection);
  const extent = useMemo<Bbox>(() => {
    const b = current?.extent?.spatial?.bbox?.[0];
    return b && b.length >= 4 ? padded([b[0]!, b[1]!, b[2]!, b[3]!]) : FALLBACK;
  }, [current]);
  useEffect(() => {
    setView(null);
    setOffset(0);
    setSelected(null);
  }, [collection]);
  const bbox = view ?? extent;
  const items = useApi(
    async () => (collection ? ogcApi.items(collection, { bbox: bboxParam(bbox), limit, offset }) : null),
    [collection, bboxParam(bbox), limit, offset],
  );
  const fc = items.data;
  const features = fc?.features ?? [];
  const returned = fc?.numberReturned ?? features.length;
  const matched = fc?.numberMatched;
  const hasNext = fc?.links?.some((l) => l.rel === 'next') ?? (matched !== undefined && offset + returned < matched);

  // Equirectangular: x ∝ lon·cos(φ₀), y ∝ −lat, fitted to the view's width.
  const k = Math.cos((((bbox[1] + bbox[3]) / 2) * Math.PI) / 180);
  const height = Math.max(120, Math.min(1200, Math.round((WIDTH * (bbox[3] - bbox[1])) / ((bbox[2] - bbox[0]) * k))));
  const px = (p: Position): [number, number] => [((p[0]! - bbox[0]) / (bbox[2] - bbox[0])) * WIDTH, ((bbox[3] - p[1]!) / (bbox[3] - bbox[1])) * height];
  const pathOf = (ring: Position[], close: boolean) =>
    ring
      .map(
        (p, i) =>
          `${i ? 'L' : 'M'}${px(p)
            .map((n) => n.toFixed(1))
            .join(' ')}`,
      )
      .join('') + (close ? 'Z' : '');

  const move = (next: Bbox) => {
    setOffset(0);
    setView(next);
  };
  const zoom = (factor: number) => {
    const cx = (bbox[0] + bbox[2]) / 2;
    const cy = (bbox[1] + bbox[3]) / 2;
    const hw = ((bbox[2] - bbox[0]) / 2) * factor;
    const hh = ((bbox[3] - bbox[1]) / 2) * factor;
    move([cx - hw, cy - hh, cx + hw, cy + hh]);
  };
  const pan = (dx: number, dy: number) => {
    const w = (bbox[2] - bbox[0]) * dx;
    const h = (bbox[3] - bbox[1]) * dy;
    move([bbox[0] + w, bbox[1] + h, bbox[2] + w, bbox[3] + h]);
  };
  const fit = () => {
    const all = features.flatMap((f) => positions(f.geometry));
    if (!all.length) return;
    const xs = all.map((p) => p[0]!);
    const ys = all.map((p) => p[1]!);
    move(padded([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]));
  };

  const draw = (g: Geometry | null, key: string): ReactElement[] => {
    if (!g) return [];
    switch (g.type) {
      case 'Point': {
        const [x, y] = px(g.coordinates);
        return [<circle key={key} cx={Math.round(x * 10) / 10} cy={Math.round(y * 10) / 10} r={5} />];
      }
      case 'MultiPoint':
        return g.coordinates.flatMap((c, i) => draw({ type: 'Point', coordinates: c }, `${key}.${i}`));
      case 'LineString':
        return [<path key={key} d={pathOf(g.coordinates, false)} className="line" />];
      case 'MultiLineString':
        return g.coordinates.map((c, i) => <path key={`${key}.${i}`} d={pathOf(c, false)} className="line" />);
      case 'Polygon':
        return [<path key={key} d={g.coordinates.map((r) => pathOf(r, true)).join('')} fillRule="evenodd" />];
      case 'MultiPolygon':
        return g.coordinates.map((p, i) => <path key={`${key}.${i}`} d={p.map((r) => pathOf(r, true)).join('')} fillRule="evenodd" />);
      case 'GeometryCollection':
        return g.geometries.flatMap((x, i) => draw(x, `${key}.${i}`));
    }
  };
  const label = (f: Feature) => String(f.properties?.name ?? f.properties?.title ?? f.id ?? '');

  return (
    <section>
      <form className="search" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="map-collection">{t('map.collection')}</label>
        <select id="map-collection" value={collection} onChange={(e) => setCollection(e.target.value)}>
          {list.map((c) => (
            <option key={c.id} value={c.id}>
              {c.title ?? c.id}
            </option>
          ))}
        </select>
        <label htmlFor="map-limit">{t('map.limit')}</label>
        <select
          id="map-limit"
          value={limit}
          onChange={(e) => {
            setOffset(0);
            setLimit(Number(e.target.value));
          }}
        >
          {LIMITS.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </form>
      <div className="map-tools" role="group" aria-label={t('map.tools')}>
        <button type="button" onClick={() => zoom(0.5)} aria-label={t('map.zoomIn')} title={t('map.zoomIn')}>
          +
        </button>
        <button type="button" onClick={() => zoom(2)} aria-label={t('map.zoomOut')} title={t('map.zoomOut')}>
          −
        </button>
        <button type="button" onClick={() => pan(-0.25, 0)} aria-label={t('map.west')} title={t('map.west')}>
          ←
        </button>
        <button type="button" onClick={() => pan(0, 0.25)} aria-label={t('map.north')} title={t('map.north')}>
          ↑
        </button>
        <button type="button" onClick={() => pan(0, -0.25)} aria-label={t('map.south')} title={t('map.south')}>
          ↓
        </button>
        <button type="button" onClick={() => pan(0.25, 0)} aria-label={t('map.east')} title={t('map.east')}>
          →
        </button>
        <button type="button" onClick={() => move(extent)}>
          {t('map.reset')}
        </button>
        <button type="button" onClick={fit} disabled={features.length === 0}>
          {t('map.fit')}
        </button>
      </div>
      <ErrorBox error={collections.error ?? items.error} />
      <Loading when={items.loading} />
      {collections.data && list.length === 0 && <p className="muted">{t('map.noCollections')}</p>}
      <p className="muted small" data-testid="map-status" data-returned={returned} data-matched={matched ?? ''} data-bbox={bboxParam(bbox)}>
        {t('map.showing', {
          returned: number(returned),
          matched: matched === undefined ? '—' : number(matched),
          from: number(features.length ? offset + 1 : 0),
        })}{' '}
        · bbox <span className="code">{bboxParam(bbox)}</span>
      </p>
      <svg
        className="feature-map"
        viewBox={`0 0 ${WIDTH} ${height}`}
        role="img"
        aria-label={t('map.label', { n: returned })}
        data-testid="feature-map"
        data-features={features.length}
      >
        <rect x={0} y={0} width={WIDTH} height={height} className="map-bg" />
        {features.map((f, i) => (
          <g
            key={`${String(f.id ?? i)}`}
            data-testid="map-feature"
            data-id={f.id ?? ''}
            className={selected === f ? 'selected' : ''}
            onClick={() => setSelected(f)}
          >
            <title>{label(f)}</title>
            {draw(f.geometry, String(i))}
          </g>
        ))}
      </svg>
      <div className="pager">
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - limit))}>
          {t('map.previous')}
        </button>
        <button type="button" disabled={!hasNext} onClick={() => setOffset(offset + limit)}>
          {t('map.next')}
        </button>
      </div>
      {selected && (
        <section className="panel" data-testid="map-selected">
          <h3>{label(selected) || t('map.feature')}</h3>
          <dl className="meta">
            {Object.entries(selected.properties ?? {}).map(([k, v]) => [
              <dt key={`k:${k}`} className="code">
                {k}
              </dt>,
              <dd key={`v:${k}`}>{v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v)}</dd>,
            ])}
          </dl>
        </section>
      )}
    </section>
  );
}
