import { useEffect, useState, type FormEvent } from 'react';
import { get } from '../api/client';
import type { DatasetSearch as SearchAnswer, FacetName } from '../api/open-sharing-types';
import { loadCodes } from '../components/catalogue';
import { ErrorBox, Loading } from '../components/Status';
import { useApi } from '../components/use-api';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { searchHash } from './hash-query';

const FACETS: { name: FacetName; key: MessageKey }[] = [
  { name: 'domain', key: 'open.facet.domain' },
  { name: 'department', key: 'open.facet.department' },
  { name: 'region', key: 'open.facet.region' },
  { name: 'format', key: 'open.facet.format' },
  { name: 'openType', key: 'open.facet.openType' },
];
const SORTS = ['relevance', 'modified', 'name', 'records'] as const;
type Sort = (typeof SORTS)[number];
const PAGE = 20;

/** Open dataset search: words, facets with their counts (each narrows the others), sorting and paging; the state lives in the hash. */
export function DatasetSearch({ query }: { query: URLSearchParams }) {
  const { t, number, label } = useI18n();
  const params = Object.fromEntries(['q', 'sort', 'offset', ...FACETS.map((f) => f.name)].map((k) => [k, query.get(k) ?? '']));
  const [draft, setDraft] = useState(params.q!);
  useEffect(() => setDraft(params.q!), [params.q]);
  const offset = Number(params.offset) || 0;
  const sort = (SORTS as readonly string[]).includes(params.sort!) ? (params.sort as Sort) : undefined;
  const codes = useApi(() => loadCodes(), []);
  const found = useApi<SearchAnswer>(
    () =>
      get('/api/v1/open/datasets', {
        auth: false,
        query: {
          q: params.q || undefined,
          domain: params.domain || undefined,
          department: params.department || undefined,
          region: params.region || undefined,
          format: params.format || undefined,
          openType: params.openType || undefined,
          sort,
          offset,
          limit: PAGE,
        },
      }),
    [query.toString()],
  );
  const go = (change: Record<string, string>) => {
    window.location.hash = searchHash({ ...params, offset: '', ...change });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    go({ q: draft.trim() });
  };
  const facetLabel = (name: FacetName, value: string, fallback: string) =>
    name === 'openType'
      ? label(
          codes.data?.openTypes.find((o) => o.code === value),
          fallback,
        )
      : fallback;
  const data = found.data;
  return (
    <section>
      <h1>{t('open.searchTitle')}</h1>
      <form className="search" role="search" onSubmit={submit}>
        <label htmlFor="dataset-q" className="sr-only">
          {t('search.keyword')}
        </label>
        <input id="dataset-q" type="search" value={draft} placeholder={t('open.searchPlaceholder')} onChange={(e) => setDraft(e.target.value)} />
        <button type="submit">{t('search.submit')}</button>
        <label htmlFor="dataset-sort">{t('open.sort')}</label>
        <select id="dataset-sort" value={sort ?? 'relevance'} onChange={(e) => go({ sort: e.target.value === 'relevance' ? '' : e.target.value })}>
          {SORTS.map((s) => (
            <option key={s} value={s}>
              {t(`open.sort.${s}`)}
            </option>
          ))}
        </select>
      </form>
      <div className="search-layout">
        <aside className="facets" data-testid="facets">
          {FACETS.map((f) => (
            <div key={f.name} className="facet">
              <label htmlFor={`facet-${f.name}`}>{t(f.key)}</label>
              <select id={`facet-${f.name}`} value={params[f.name]} onChange={(e) => go({ [f.name]: e.target.value })}>
                <option value="">{t('open.facet.any')}</option>
                {data?.facets[f.name].map((v) => (
                  <option key={v.value} value={v.value}>
                    {facetLabel(f.name, v.value, v.label)} ({number(v.count)})
                  </option>
                ))}
              </select>
            </div>
          ))}
        </aside>
        <div className="search-main">
          <ErrorBox error={found.error} />
          <Loading when={found.loading} />
          {data && (
            <p className="muted" data-testid="dataset-total" data-value={data.total}>
              {t('open.found', { n: number(data.total) })}
            </p>
          )}
          <ul className="results" data-testid="dataset-results">
            {data?.items.map((d) => (
              <li key={d.id} className="result">
                <a href={`#/datasets/${encodeURIComponent(d.id)}`} className="result-title">
                  {d.title}
                </a>
                <span className="badge">{facetLabel('openType', d.openType, d.openType)}</span>
                <div className="muted small">
                  {d.departmentName} · {d.domainName} · {d.regionName} · {t('resource.itemCount', { n: d.itemCount })} ·{' '}
                  {t('open.records', { n: number(d.recordCount) })}
                </div>
                {d.description && <p className="summary">{d.description}</p>}
                <div className="small">
                  {d.distributions.map((x) => (
                    <span key={x.id} className="badge">
                      {x.format}
                    </span>
                  ))}
                </div>
              </li>
            ))}
          </ul>
          {data && (
            <div className="pager">
              <button type="button" disabled={offset === 0} onClick={() => go({ offset: String(Math.max(0, offset - PAGE)) })}>
                {t('open.previous')}
              </button>
              <button type="button" disabled={offset + PAGE >= data.total} onClick={() => go({ offset: String(offset + PAGE) })}>
                {t('open.next')}
              </button>
            </div>
          )}
        </div>
      </div>
    </section>
  );
}
