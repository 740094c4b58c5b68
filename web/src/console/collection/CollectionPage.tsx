import type { Me } from '../../api/types';
import { ErrorBox, Loading } from '../../components/Status';
import { useApi } from '../../components/use-api';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { canLoad, loadResources } from './collection-api';
import { ColumnMappings } from './ColumnMappings';
import { SavedPulls } from './SavedPulls';

const TABS: { tab: string; key: MessageKey }[] = [
  { tab: 'mappings', key: 'collection.tab.mappings' },
  { tab: 'pulls', key: 'collection.tab.pulls' },
];

/** Collection settings (`#/collection/<tab>`): column mappings per resource (`#/collection/mappings/<resource id>`) and saved pulls. */
export function CollectionPage({ me, tab, resourceId: asked }: { me: Me; tab: string; resourceId?: string }) {
  const { t } = useI18n();
  const current = TABS.find((x) => x.tab === tab)?.tab ?? 'mappings';
  const resources = useApi(loadResources, []);
  // An officer edits their own department's resources: those come first in the choice.
  const choices = (resources.data ?? []).slice().sort((a, b) => Number(canLoad(me, b.providerDepartmentId)) - Number(canLoad(me, a.providerDepartmentId)));
  const resourceId = asked ?? choices[0]?.id ?? '';
  return (
    <section>
      <h1>{t('nav.collection')}</h1>
      <nav className="tabs" aria-label={t('nav.collection')}>
        {TABS.map((x) => (
          <a
            key={x.tab}
            href={x.tab === 'mappings' && asked ? `#/collection/mappings/${encodeURIComponent(asked)}` : `#/collection/${x.tab}`}
            className={x.tab === current ? 'active' : ''}
            aria-current={x.tab === current ? 'page' : undefined}
          >
            {t(x.key)}
          </a>
        ))}
      </nav>
      <ErrorBox error={resources.error} />
      <Loading when={resources.loading} />
      {resources.data && current === 'pulls' && <SavedPulls me={me} resources={resources.data} />}
      {resources.data && current === 'mappings' && (
        <>
          <form className="search" onSubmit={(e) => e.preventDefault()}>
            <label htmlFor="mappings-resource">{t('pulls.resource')}</label>
            <select
              id="mappings-resource"
              value={resourceId}
              onChange={(e) => (window.location.hash = `#/collection/mappings/${encodeURIComponent(e.target.value)}`)}
            >
              {choices.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.code} {r.name}
                </option>
              ))}
            </select>
          </form>
          {choices.length === 0 && <p className="muted">{t('mappings.noResources')}</p>}
          {resourceId && <ColumnMappings key={resourceId} me={me} resourceId={resourceId} />}
        </>
      )}
    </section>
  );
}
