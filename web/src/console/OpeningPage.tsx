import { get } from '../api/client';
import type { Me } from '../api/types';
import { Figure } from '../components/Chart';
import { ErrorBox } from '../components/Status';
import { useApi } from '../components/use-api';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { OpenApplications } from './opening/OpenApplications';
import { PublishedDatasets } from './opening/PublishedDatasets';

const TABS: { tab: string; key: MessageKey }[] = [
  { tab: 'datasets', key: 'opening.tab.datasets' },
  { tab: 'applications', key: 'opening.tab.applications' },
];

/** Opening 开放: the open figures, publishing resources as open datasets, and the restricted-open applications to review (`#/opening/<tab>`). */
export function OpeningPage({ me, tab }: { me: Me; tab: string }) {
  const { t, number } = useI18n();
  const current = TABS.find((x) => x.tab === tab)?.tab ?? 'datasets';
  const stats = useApi(() => get('/api/v1/open/stats'), []);
  const s = stats.data;
  return (
    <section>
      <h1>{t('nav.opening')}</h1>
      <ErrorBox error={stats.error} />
      {s && (
        <div className="figures">
          <Figure id="opening-datasets" label={t('open.figures.datasets')} value={number(s.figures.datasets)} raw={s.figures.datasets} />
          <Figure id="opening-records" label={t('open.figures.records')} value={number(s.figures.records)} raw={s.figures.records} />
          <Figure id="opening-views" label={t('opening.figures.views')} value={number(s.totals.views)} raw={s.totals.views} />
          <Figure id="opening-downloads" label={t('opening.figures.downloads')} value={number(s.totals.downloads)} raw={s.totals.downloads} />
          <Figure id="opening-api-calls" label={t('opening.figures.apiCalls')} value={number(s.totals.apiCalls)} raw={s.totals.apiCalls} />
        </div>
      )}
      <nav className="tabs" aria-label={t('nav.opening')}>
        {TABS.map((x) => (
          <a key={x.tab} href={`#/opening/${x.tab}`} className={x.tab === current ? 'active' : ''} aria-current={x.tab === current ? 'page' : undefined}>
            {t(x.key)}
          </a>
        ))}
      </nav>
      {current === 'applications' ? <OpenApplications me={me} /> : <PublishedDatasets me={me} />}
    </section>
  );
}
