import { useEffect } from 'react';
import { LangSwitch } from '../components/LangSwitch';
import { ResourceDetail } from '../components/ResourceDetail';
import { ResourceSearch } from '../components/ResourceSearch';
import { useHashPath } from '../components/use-hash';
import { get } from '../api/client';
import { useApi } from '../components/use-api';
import { useI18n } from '../i18n/i18n';
import { Account } from './Account';
import { DatasetPage } from './DatasetPage';
import { DatasetSearch } from './DatasetSearch';
import { splitHash } from './hash-query';
import { OpenHome } from './OpenHome';
import { useOpenSession } from './open-session';
import { PortalFigures } from './PortalFigures';
import { Scenarios } from './Scenarios';

/**
 * The public portal (no login): the open-data home, dataset search and pages, scenarios; the public
 * catalogue of resources beside them (and as the home while the opening API does not answer).
 */
export function PortalApp() {
  const { t } = useI18n();
  const { path, query } = splitHash(useHashPath());
  const resourceId = /^\/resources\/([^/]+)$/.exec(path)?.[1];
  const datasetId = /^\/datasets\/([^/]+)$/.exec(path)?.[1];
  const domains = useApi(() => get('/api/v1/open/domains', { auth: false }), []);
  const open = domains.data !== null;
  const session = useOpenSession();
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
          {open && (
            <>
              <a href="#/datasets" className={path.startsWith('/datasets') ? 'active' : ''}>
                {t('open.datasets')}
              </a>
              <a href="#/scenarios" className={path === '/scenarios' ? 'active' : ''}>
                {t('open.scenarios')}
              </a>
            </>
          )}
          <a href="#/resources" className={path.startsWith('/resources') ? 'active' : ''}>
            {t('open.resources')}
          </a>
          {open && (
            <a href="#/account" className={path === '/account' ? 'active' : ''} data-testid="account-link">
              {session ? session.displayName : t('account.signIn')}
            </a>
          )}
          <a href="/console/">{t('portal.toConsole')}</a>
          <LangSwitch />
        </nav>
      </header>
      <main>
        {resourceId ? (
          <ResourceDetail id={decodeURIComponent(resourceId)} auth={false} backHref="#/resources" />
        ) : datasetId ? (
          <DatasetPage id={decodeURIComponent(datasetId)} />
        ) : path === '/datasets' ? (
          <DatasetSearch query={query} />
        ) : path === '/scenarios' ? (
          <Scenarios />
        ) : path === '/account' ? (
          <Account session={session} />
        ) : path === '/' && open ? (
          <OpenHome domains={domains.data!.items} />
        ) : path === '/' && domains.loading ? null : (
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
