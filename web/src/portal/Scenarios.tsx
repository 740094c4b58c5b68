import { useEffect, useState } from 'react';
import { get } from '../api/client';
import type { Scenario } from '../api/open-sharing-types';
import { ErrorBox, Loading } from '../components/Status';
import { useApi } from '../components/use-api';
import { useI18n } from '../i18n/i18n';

/** Reuses of the open data (应用场景), as moderated and published, each with the datasets it uses. */
export function Scenarios() {
  const { t, dateTime } = useI18n();
  const [items, setItems] = useState<Scenario[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const first = useApi(() => get('/api/v1/open/scenarios', { auth: false, query: { limit: 20 } }), []);
  // Dataset titles for the links (the most recently updated hundred; an older one shows its id).
  const titles = useApi(
    async () =>
      new Map((await get('/api/v1/open/datasets', { auth: false, query: { limit: 100, sort: 'modified' } })).items.map((d) => [d.id, d.title] as const)),
    [],
  );
  useEffect(() => {
    setItems(first.data?.items ?? []);
    setCursor(first.data?.nextCursor ?? null);
  }, [first.data]);
  const more = async () => {
    const page = await get('/api/v1/open/scenarios', { auth: false, query: { limit: 20, cursor: cursor ?? undefined } });
    setItems((s) => [...s, ...page.items]);
    setCursor(page.nextCursor);
  };
  return (
    <section>
      <h1>{t('open.scenarios')}</h1>
      <p className="muted">{t('open.scenariosIntro')}</p>
      <ErrorBox error={first.error} />
      <Loading when={first.loading} />
      {first.data && items.length === 0 && <p className="muted">{t('open.noScenarios')}</p>}
      <ul className="results" data-testid="scenarios">
        {items.map((s) => (
          <li key={s.id} className="result">
            <span className="result-title">
              {s.url ? (
                <a href={s.url} rel="noopener noreferrer">
                  {s.title}
                </a>
              ) : (
                s.title
              )}
            </span>
            <span className="badge">{t(`open.scenarioType.${s.type}`)}</span>
            <p className="summary">{s.description}</p>
            <div className="muted small">
              {t('open.usesDatasets')}:{' '}
              {s.datasetIds.map((id, n) => (
                <span key={id}>
                  {n > 0 && ' · '}
                  <a href={`#/datasets/${encodeURIComponent(id)}`}>{titles.data?.get(id) ?? id}</a>
                </span>
              ))}{' '}
              · {dateTime(s.createdAt)}
            </div>
          </li>
        ))}
      </ul>
      {cursor && (
        <button type="button" onClick={() => void more()}>
          {t('search.more')}
        </button>
      )}
    </section>
  );
}
