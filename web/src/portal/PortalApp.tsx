import { useEffect } from 'react';
import { LangSwitch } from '../components/LangSwitch';
import { ResourceDetail } from '../components/ResourceDetail';
import { ResourceSearch } from '../components/ResourceSearch';
import { useHashPath } from '../components/use-hash';
import { useI18n } from '../i18n/i18n';
import { PortalFigures } from './PortalFigures';

/** The public portal (no login): search over the open catalogue, and a page per resource. */
export function PortalApp() {
  const { t } = useI18n();
  const path = useHashPath();
  const resourceId = /^\/resources\/([^/]+)$/.exec(path)?.[1];
  useEffect(() => {
    document.title = `${t('portal.title')} · ${t('app.name')}`;
  }, [t]);
  return (
    <div className="app">
      <header className="topbar">
        <a href="#/" className="brand">
          {t('app.name')} · {t('portal.title')}
        </a>
        <nav>
          <a href="/console/">{t('portal.toConsole')}</a>
          <LangSwitch />
        </nav>
      </header>
      <main>
        {resourceId ? (
          <ResourceDetail id={decodeURIComponent(resourceId)} auth={false} backHref="#/" />
        ) : (
          <>
            <h1>{t('portal.heading')}</h1>
            <p className="muted">{t('portal.intro')}</p>
            <PortalFigures />
            <ResourceSearch auth={false} openOnly hrefOf={(r) => `#/resources/${r.id}`} />
          </>
        )}
      </main>
      <footer className="muted small">{t('app.footer')}</footer>
    </div>
  );
}
