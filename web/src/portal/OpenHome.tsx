import { useState, type FormEvent } from 'react';
import type { OpenDomain } from '../api/open-sharing-types';
import { Figure } from '../components/Chart';
import { useApi } from '../components/use-api';
import { get } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { searchHash } from './hash-query';
import { PortalFigures } from './PortalFigures';

/** The open-data portal's home: a search box, the open figures and the open domains with their dataset counts. */
export function OpenHome({ domains }: { domains: OpenDomain[] }) {
  const { t, number, lang } = useI18n();
  const [draft, setDraft] = useState('');
  const stats = useApi(() => get('/api/v1/open/stats', { auth: false }), []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    window.location.hash = searchHash({ q: draft.trim() });
  };
  const f = stats.data?.figures;
  return (
    <>
      <h1>{t('open.heading')}</h1>
      <p className="muted">{t('open.intro')}</p>
      <form className="search hero-search" role="search" onSubmit={submit}>
        <label htmlFor="open-q" className="sr-only">
          {t('search.keyword')}
        </label>
        <input id="open-q" type="search" value={draft} placeholder={t('open.searchPlaceholder')} onChange={(e) => setDraft(e.target.value)} />
        <button type="submit">{t('search.submit')}</button>
      </form>
      {f && (
        <div className="figures">
          <Figure id="open-datasets" label={t('open.figures.datasets')} value={number(f.datasets)} raw={f.datasets} />
          <Figure id="open-units" label={t('open.figures.units')} value={number(f.units)} raw={f.units} />
          <Figure id="open-domains" label={t('open.figures.domains')} value={number(f.domains)} raw={f.domains} />
          <Figure id="open-items" label={t('open.figures.dataItems')} value={number(f.dataItems)} raw={f.dataItems} />
          <Figure id="open-records" label={t('open.figures.records')} value={number(f.records)} raw={f.records} />
          <Figure id="open-apis" label={t('open.figures.apis')} value={number(f.apis)} raw={f.apis} />
          <Figure id="open-scenarios" label={t('open.figures.scenarios')} value={number(f.scenarios)} raw={f.scenarios} />
        </div>
      )}
      <h2>{t('open.domains')}</h2>
      <ul className="domains" data-testid="open-domains">
        {domains.map((d) => (
          <li key={d.code} className={d.datasets === 0 ? 'empty' : ''} data-domain={d.code}>
            <a href={searchHash({ domain: d.code })}>{lang === 'en' ? d.nameEn : d.name}</a>
            <span className="domain-count" data-value={d.datasets}>
              {t('open.datasetCount', { n: number(d.datasets) })}
            </span>
          </li>
        ))}
      </ul>
      <h2>{t('open.catalogue')}</h2>
      <PortalFigures />
      <p>
        <a href="#/resources">{t('open.browseCatalogue')}</a> · <a href="#/scenarios">{t('open.scenarios')}</a>
      </p>
    </>
  );
}
