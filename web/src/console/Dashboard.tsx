import { useMemo } from 'react';
import { get } from '../api/client';
import { loadDepartments } from '../components/catalogue';
import { Chart, Figure } from '../components/Chart';
import { ErrorBox, Loading } from '../components/Status';
import { useApi } from '../components/use-api';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { ThemeFigures } from './themes/ThemeFigures';

async function loadFigures() {
  const [catalog, collection, quality, byDimension, byDepartment, ranking, departments, sharing, open] = await Promise.all([
    get('/api/v1/catalog/stats'),
    get('/api/v1/collection/stats'),
    get('/api/v1/quality/stats'),
    get('/api/v1/quality/scores', { query: { by: 'dimension' } }),
    get('/api/v1/quality/scores', { query: { by: 'department' } }),
    get('/api/v1/quality/ranking'),
    loadDepartments(),
    get('/api/v1/sharing/stats'),
    get('/api/v1/open/stats'),
  ]);
  return { catalog, collection, quality, byDimension, byDepartment, ranking, departments, sharing, open };
}

const score100 = (s: number | null) => (s === null ? null : Math.round(s * 1000) / 10);

/** The platform's figures, each read live from the stats endpoints (nothing typed in). */
export function Dashboard() {
  const { t, number, percent, lang } = useI18n();
  const loaded = useApi(loadFigures, []);
  const f = loaded.data;
  const pct = (n: number | null) => (n === null ? '—' : `${number(n, 1)}%`);
  const tableLabel = t('charts.table');

  const charts = useMemo(() => {
    if (!f) return null;
    const regionName = (r: { regionName: string; regionCode: string }) => r.regionName || r.regionCode;
    return {
      records: {
        categories: f.collection.byRegion.map(regionName),
        series: [{ name: t('figures.records'), values: f.collection.byRegion.map((r) => r.records) }],
      },
      coverage: {
        categories: f.collection.byRegion.map(regionName),
        series: [{ name: t('figures.coverage'), values: f.collection.byRegion.map((r) => (r.coverage === null ? null : Math.round(r.coverage * 1000) / 10)) }],
      },
      category: {
        categories: f.catalog.byCategory.map((c) => (lang === 'en' ? c.en : c.zh)),
        series: [
          { name: t('figures.resources'), values: f.catalog.byCategory.map((c) => c.resources) },
          { name: t('figures.items'), values: f.catalog.byCategory.map((c) => c.items) },
        ],
      },
      cityVsDistricts: {
        categories: [t('figures.cityLevel'), t('figures.districts')],
        series: [
          { name: t('figures.resources'), values: [f.catalog.cityLevel.resources, f.catalog.districts.resources] },
          { name: t('figures.items'), values: [f.catalog.cityLevel.items, f.catalog.districts.items] },
          { name: t('figures.records'), values: [f.collection.cityLevel.records, f.collection.districts.records] },
        ],
      },
      dimension: {
        categories: f.byDimension.items.map((d) => t(`dimension.${d.key}` as MessageKey)),
        series: [{ name: t('figures.qualityScore'), values: f.byDimension.items.map((d) => score100(d.score)) }],
      },
      department: {
        categories: f.byDepartment.items.map((d) => f.departments.get(d.key)?.name ?? d.key),
        series: [{ name: t('figures.qualityScore'), values: f.byDepartment.items.map((d) => score100(d.score)) }],
      },
    };
  }, [f, t, lang]);

  return (
    <section>
      <h1>{t('nav.dashboard')}</h1>
      <ErrorBox error={loaded.error} />
      <Loading when={loaded.loading} />
      {f && charts && (
        <>
          <div className="figures">
            <Figure id="resources" label={t('figures.resources')} value={number(f.catalog.resources)} raw={f.catalog.resources} />
            <Figure id="items" label={t('figures.items')} value={number(f.catalog.items)} raw={f.catalog.items} />
            <Figure id="shareable-items" label={t('figures.shareableItems')} value={number(f.catalog.shareableItems)} raw={f.catalog.shareableItems} />
            <Figure id="records" label={t('figures.records')} value={number(f.collection.records)} raw={f.collection.records} />
            <Figure id="coverage" label={t('figures.coverage')} value={percent(f.collection.coverage)} raw={f.collection.coverage} />
            <Figure id="governed" label={t('figures.governed')} value={pct(f.quality.governed.percent)} raw={f.quality.governed.percent} />
            <Figure id="quality-score" label={t('figures.qualityScore')} value={percent(f.quality.score)} raw={f.quality.score} />
            <Figure id="problems-open" label={t('figures.problemsOpen')} value={number(f.quality.problems.open)} raw={f.quality.problems.open} />
            <Figure
              id="interfaces"
              label={t('sharing.figures.interfaces')}
              value={number(f.sharing.interfaces.published.total)}
              raw={f.sharing.interfaces.published.total}
            />
            <Figure
              id="connected-systems"
              label={t('sharing.figures.connected')}
              value={number(f.sharing.systems.connected)}
              raw={f.sharing.systems.connected}
            />
            <Figure id="calls" label={t('sharing.figures.calls')} value={number(f.sharing.calls.calls)} raw={f.sharing.calls.calls} />
            <Figure id="open-datasets" label={t('open.figures.datasets')} value={number(f.open.figures.datasets)} raw={f.open.figures.datasets} />
            <Figure id="open-records" label={t('open.figures.records')} value={number(f.open.figures.records)} raw={f.open.figures.records} />
          </div>
          <div className="charts">
            <Chart tableLabel={tableLabel} id="records-by-region" title={t('charts.recordsByRegion')} {...charts.records} />
            <Chart tableLabel={tableLabel} id="city-vs-districts" title={t('charts.cityVsDistricts')} {...charts.cityVsDistricts} />
            <Chart tableLabel={tableLabel} id="coverage-by-region" title={t('charts.coverageByRegion')} {...charts.coverage} max={100} format={(n) => pct(n)} />
            <Chart tableLabel={tableLabel} id="catalog-by-category" title={t('charts.catalogByCategory')} {...charts.category} />
            <Chart
              tableLabel={tableLabel}
              id="quality-by-dimension"
              title={t('charts.qualityByDimension')}
              {...charts.dimension}
              max={100}
              format={(n) => pct(n)}
            />
            <Chart
              tableLabel={tableLabel}
              id="quality-by-department"
              title={t('charts.qualityByDepartment')}
              {...charts.department}
              max={100}
              format={(n) => pct(n)}
            />
          </div>
          <ThemeFigures />
          {f.byDimension.items.length === 0 && <p className="muted">{t('dashboard.noScans')}</p>}
          <p className="muted small">{t('dashboard.live', { year: f.collection.year, week: f.ranking.week })}</p>
        </>
      )}
    </section>
  );
}
