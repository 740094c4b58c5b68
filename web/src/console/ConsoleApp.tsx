import { useEffect, useState } from 'react';
import { api, get, session } from '../api/client';
import type { Me } from '../api/types';
import { LangSwitch } from '../components/LangSwitch';
import { ResourceSearch } from '../components/ResourceSearch';
import { useHashPath } from '../components/use-hash';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { Dashboard } from './Dashboard';
import { GovernancePage } from './GovernancePage';
import { JobsPage } from './JobsPage';
import { Login } from './Login';
import { CollectionPage } from './collection/CollectionPage';
import { UploadPanel } from './collection/UploadPanel';
import { CatalogImport } from './catalogue/CatalogImport';
import { EditionsPanel } from './catalogue/EditionsPanel';
import { ResourcePage } from './catalogue/ResourcePage';
import { OpeningPage } from './OpeningPage';
import { RecordsPreview } from './RecordsPreview';
import { SharingPage } from './SharingPage';
import { ThemesPage } from './ThemesPage';

const NAV: { path: string; key: MessageKey }[] = [
  { path: '/', key: 'nav.dashboard' },
  { path: '/catalog', key: 'nav.catalog' },
  { path: '/jobs', key: 'nav.jobs' },
  { path: '/collection', key: 'nav.collection' },
  { path: '/governance', key: 'nav.governance' },
  { path: '/sharing', key: 'nav.sharing' },
  { path: '/opening', key: 'nav.opening' },
  { path: '/themes', key: 'nav.themes' },
];

/** The console: a token login (kept in sessionStorage), then the pages of the landed modules. */
export function ConsoleApp() {
  const { t } = useI18n();
  const path = useHashPath();
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(session.token() !== null);

  useEffect(() => {
    if (!session.token()) return;
    get('/api/v1/me').then(
      (who) => {
        setMe(who);
        setChecking(false);
      },
      () => {
        session.clear();
        setChecking(false);
      },
    );
  }, []);
  useEffect(() => {
    document.title = `${t('console.title')} · ${t('app.name')}`;
  }, [t]);

  if (checking) return <p className="muted">{t('common.loading')}</p>;
  if (!me) return <Login onLogin={setMe} />;

  const logout = () => {
    // A password sign-in's session is revoked on the server too; an API token stays valid (the server leaves it).
    void api('/api/v1/sessions/current', { method: 'DELETE' }).catch(() => undefined);
    session.clear();
    setMe(null);
  };
  const resourceId = /^\/catalog\/([^/]+)$/.exec(path)?.[1];
  const sub = /^\/(sharing|opening|themes|collection)(?:\/([\w-]+))?(?:\/([^/]+))?$/.exec(path);
  const section = resourceId ? '/catalog' : sub ? `/${sub[1]}` : path;
  return (
    <div className="app">
      <header className="topbar">
        <a href="#/" className="brand">
          {t('app.name')} · {t('console.title')}
        </a>
        <nav aria-label={t('console.title')}>
          {NAV.map((n) => (
            <a key={n.path} href={`#${n.path}`} className={section === n.path ? 'active' : ''}>
              {t(n.key)}
            </a>
          ))}
          <a href="/api-docs/">{t('nav.apiDocs')}</a>
          <a href="/">{t('nav.portal')}</a>
          <LangSwitch />
          <span className="muted small" data-testid="whoami">
            {me.displayName ?? me.username} ({t(`role.${me.role}` as MessageKey)})
          </span>
          <button type="button" className="link-button" onClick={logout}>
            {t('console.logout')}
          </button>
        </nav>
      </header>
      <main>
        {resourceId ? (
          <ResourcePage id={decodeURIComponent(resourceId)} me={me}>
            {(r) => (
              <>
                {(me.role === 'ADMIN' || (me.role === 'OFFICER' && me.departmentId === r.providerDepartmentId)) && <UploadPanel resource={r} />}
                <RecordsPreview resource={r} />
              </>
            )}
          </ResourcePage>
        ) : section === '/catalog' ? (
          <>
            <h1>{t('nav.catalog')}</h1>
            <ResourceSearch auth openOnly={false} hrefOf={(r) => `#/catalog/${r.id}`} />
            {(me.role === 'ADMIN' || me.role === 'OFFICER') && <CatalogImport />}
            <EditionsPanel canPublish={me.role === 'ADMIN'} />
          </>
        ) : section === '/jobs' ? (
          <JobsPage />
        ) : section === '/collection' ? (
          <CollectionPage me={me} tab={sub?.[2] ?? ''} resourceId={sub?.[3] ? decodeURIComponent(sub[3]) : undefined} />
        ) : section === '/governance' ? (
          <GovernancePage />
        ) : section === '/sharing' ? (
          <SharingPage me={me} tab={sub?.[2] ?? ''} />
        ) : section === '/opening' ? (
          <OpeningPage me={me} tab={sub?.[2] ?? ''} />
        ) : section === '/themes' ? (
          <ThemesPage me={me} tab={sub?.[2] ?? ''} />
        ) : (
          <Dashboard />
        )}
      </main>
    </div>
  );
}
