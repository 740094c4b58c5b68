import { useEffect, useState, type FormEvent } from 'react';
import { get } from '../api/client';
import type { ResourceSummary } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { loadCodes, loadDepartments } from './catalogue';
import { ErrorBox, Loading } from './Status';
import { useApi } from './use-api';

/**
 * Search over the catalogue: a keyword and the open type. Anonymous callers (the portal) see every
 * entry that is not classified; `openOnly` starts on openly published resources.
 */
export function ResourceSearch({ auth, hrefOf, openOnly }: { auth: boolean; hrefOf: (r: ResourceSummary) => string; openOnly: boolean }) {
  const { t, label, lang } = useI18n();
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const [openType, setOpenType] = useState(openOnly ? 'UNCONDITIONAL' : '');
  const [openDomain, setOpenDomain] = useState('');
  const [department, setDepartment] = useState('');
  const [pages, setPages] = useState<ResourceSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const lookups = useApi(() => Promise.all([loadCodes(), loadDepartments()]), []);
  const query = {
    q,
    openType: openType || undefined,
    openDomain: openDomain ? Number(openDomain) : undefined,
    providerDepartmentId: department || undefined,
    limit: 20,
  };
  const first = useApi(() => get('/api/v1/resources', { auth, query }), [q, openType, openDomain, department, auth]);
  useEffect(() => {
    setPages(first.data?.items ?? []);
    setCursor(first.data?.nextCursor ?? null);
  }, [first.data]);

  const more = async () => {
    const page = await get('/api/v1/resources', {
      auth,
      query: { ...query, cursor: cursor ?? undefined },
    });
    setPages((p) => [...p, ...page.items]);
    setCursor(page.nextCursor);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setQ(draft.trim());
  };
  const [codes, departments] = lookups.data ?? [null, null];

  return (
    <section>
      <form className="search" role="search" onSubmit={submit}>
        <label htmlFor="search-q" className="sr-only">
          {t('search.keyword')}
        </label>
        <input id="search-q" type="search" value={draft} placeholder={t('search.placeholder')} onChange={(e) => setDraft(e.target.value)} />
        <label htmlFor="search-open">{t('search.openType')}</label>
        <select id="search-open" value={openType} onChange={(e) => setOpenType(e.target.value)}>
          <option value="">{t('search.anyOpenType')}</option>
          {codes?.openTypes.map((o) => (
            <option key={o.code} value={o.code}>
              {label(o)}
            </option>
          ))}
        </select>
        <label htmlFor="search-domain">{t('search.openDomain')}</label>
        <select id="search-domain" value={openDomain} onChange={(e) => setOpenDomain(e.target.value)}>
          <option value="">{t('search.anyOpenDomain')}</option>
          {codes?.openDomains.map((o) => (
            <option key={o.code} value={o.code}>
              {label(o)}
            </option>
          ))}
        </select>
        <label htmlFor="search-department">{t('resource.provider')}</label>
        <select id="search-department" value={department} onChange={(e) => setDepartment(e.target.value)}>
          <option value="">{t('search.anyDepartment')}</option>
          {[...(departments?.values() ?? [])].map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
        <button type="submit">{t('search.submit')}</button>
      </form>
      <ErrorBox error={first.error ?? lookups.error} />
      <Loading when={first.loading} />
      {!first.loading && pages.length === 0 && !first.error && <p className="muted">{t('search.none')}</p>}
      <ul className="results" data-testid="search-results">
        {pages.map((r) => (
          <li key={r.id} className="result">
            <a href={hrefOf(r)} className="result-title">
              {lang === 'en' && r.nameEn ? r.nameEn : r.name}
            </a>
            <span className="code">{r.code}</span>
            <div className="muted small">
              {departments?.get(r.providerDepartmentId)?.name ?? '—'} · {label(codes?.openTypes.find((o) => o.code === r.openType))} ·{' '}
              {t('resource.itemCount', { n: r.itemCount })}
            </div>
            {r.summary && <p className="summary">{r.summary}</p>}
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
