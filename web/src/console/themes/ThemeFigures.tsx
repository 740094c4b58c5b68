import { useMemo } from 'react';
import { Chart, Figure } from '../../components/Chart';
import { ErrorBox } from '../../components/Status';
import { useApi } from '../../components/use-api';
import { useI18n } from '../../i18n/i18n';
import { nameIn } from './theme-name';
import { themesApi } from './themes-api';

/** The dashboard's 六大主题库 figures: master records per theme and their match rate, read live from /api/v1/themes/stats. */
export function ThemeFigures() {
  const { t, number, lang } = useI18n();
  const stats = useApi(themesApi.stats, []);
  const s = stats.data;
  const chart = useMemo(() => {
    if (!s) return null;
    return {
      categories: s.themes.map((x) => nameIn(lang, x)),
      series: [{ name: t('themes.masters'), values: s.themes.map((x) => x.masters) }],
    };
  }, [s, lang, t]);
  return (
    <section data-testid="dashboard-themes">
      <h2>{t('themes.six')}</h2>
      <ErrorBox error={stats.error} />
      {s && chart && (
        <>
          <div className="figures">
            <Figure id="themes-masters" label={t('themes.masters')} value={number(s.totals.masters)} raw={s.totals.masters} />
            {s.themes.map((x) => (
              <Figure key={x.code} id={`theme-${x.code}`} label={nameIn(lang, x)} value={number(x.masters)} raw={x.masters} />
            ))}
          </div>
          <div className="charts">
            <Chart tableLabel={t('charts.table')} id="themes-masters-by-theme" title={t('themes.chart.masters')} {...chart} />
          </div>
        </>
      )}
    </section>
  );
}
