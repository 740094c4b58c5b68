import type { Me } from '../api/types';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { FeatureMap } from './themes/FeatureMap';
import { OneIdView } from './themes/OneIdView';
import { ReviewQueue } from './themes/ReviewQueue';
import { ThemeOverview } from './themes/ThemeOverview';

const TABS: { tab: string; key: MessageKey; admin?: boolean }[] = [
  { tab: 'overview', key: 'themes.tab.overview' },
  { tab: 'one-id', key: 'themes.tab.oneId' },
  { tab: 'review', key: 'themes.tab.review', admin: true },
  { tab: 'map', key: 'themes.tab.map' },
];

/** Thematic databases 主题库: the six themes and their figures, the one-ID view, the review queue and the map of spatial features (`#/themes/<tab>`). */
export function ThemesPage({ me, tab }: { me: Me; tab: string }) {
  const { t } = useI18n();
  const tabs = TABS.filter((x) => !x.admin || me.role === 'ADMIN');
  const current = tabs.find((x) => x.tab === tab)?.tab ?? 'overview';
  return (
    <section>
      <h1>{t('nav.themes')}</h1>
      <nav className="tabs" aria-label={t('nav.themes')}>
        {tabs.map((x) => (
          <a key={x.tab} href={`#/themes/${x.tab}`} className={x.tab === current ? 'active' : ''} aria-current={x.tab === current ? 'page' : undefined}>
            {t(x.key)}
          </a>
        ))}
      </nav>
      {current === 'one-id' ? <OneIdView /> : current === 'review' ? <ReviewQueue /> : current === 'map' ? <FeatureMap /> : <ThemeOverview me={me} />}
    </section>
  );
}
