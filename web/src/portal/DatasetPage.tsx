import { get } from '../api/client';
import { loadCodes } from '../components/catalogue';
import { ErrorBox, Loading } from '../components/Status';
import { useApi } from '../components/use-api';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { ApplyForm } from './ApplyForm';
import { DatasetPreview } from './DatasetPreview';
import { useOpenSession } from './open-session';

const DOWNLOADS: { key: MessageKey; query: string; testId: string }[] = [
  { key: 'open.download.csv', query: 'format=csv', testId: 'download-csv' },
  { key: 'open.download.csvGbk', query: 'format=csv&encoding=gbk', testId: 'download-csv-gbk' },
  { key: 'open.download.xlsx', query: 'format=xlsx', testId: 'download-xlsx' },
  { key: 'open.download.json', query: 'format=json', testId: 'download-json' },
];

/** One open dataset: its metadata, data items, a preview of its rows, downloads and how to call its API. */
export function DatasetPage({ id }: { id: string }) {
  const { t, label, number, dateTime } = useI18n();
  // A signed-in public user with an active application also sees the restricted items granted to them.
  const bearer = useOpenSession()?.token;
  const loaded = useApi(() => Promise.all([get('/api/v1/open/datasets/{id}', { auth: false, bearer, params: { id } }), loadCodes()]), [id, bearer]);
  const [d, codes] = loaded.data ?? [null, null];
  const origin = window.location.origin;
  const path = `/api/v1/open/datasets/${encodeURIComponent(id)}`;
  return (
    <section>
      <p>
        <a href="#/datasets">← {t('open.backToSearch')}</a>
      </p>
      <ErrorBox error={loaded.error} />
      <Loading when={loaded.loading} />
      {d && (
        <>
          <h1 data-testid="dataset-title">{d.title}</h1>
          {d.description && <p>{d.description}</p>}
          <dl className="meta" data-testid="dataset-meta">
            <dt>{t('open.provider')}</dt>
            <dd>{d.departmentName}</dd>
            <dt>{t('resource.openDomain')}</dt>
            <dd>{d.domainName}</dd>
            <dt>{t('open.facet.region')}</dt>
            <dd>{d.regionName}</dd>
            <dt>{t('resource.openType')}</dt>
            <dd>
              {label(
                codes?.openTypes.find((o) => o.code === d.openType),
                d.openType,
              )}
            </dd>
            <dt>{t('open.licence')}</dt>
            <dd className="code">{d.licenceId}</dd>
            <dt>{t('open.updateFrequency')}</dt>
            <dd>
              {d.updateFrequency
                ? label(
                    codes?.updateFrequencies.find((o) => o.code === d.updateFrequency),
                    d.updateFrequency,
                  )
                : '—'}
            </dd>
            <dt>{t('open.temporal')}</dt>
            <dd>{d.temporal ? `${d.temporal.from ?? '…'} – ${d.temporal.to ?? '…'}` : '—'}</dd>
            <dt>{t('open.recordCount')}</dt>
            <dd data-testid="dataset-records" data-value={d.recordCount}>
              {number(d.recordCount)}
            </dd>
            <dt>{t('open.tags')}</dt>
            <dd>{d.tags.length ? d.tags.join(' · ') : '—'}</dd>
            <dt>{t('open.published')}</dt>
            <dd>{dateTime(d.publishedAt)}</dd>
            <dt>{t('open.modified')}</dt>
            <dd>{dateTime(d.modifiedAt)}</dd>
          </dl>

          <h2>{t('resource.items', { n: d.items.length })}</h2>
          <div className="table-wrap">
            <table data-testid="dataset-items">
              <thead>
                <tr>
                  <th>{t('item.code')}</th>
                  <th>{t('item.name')}</th>
                  <th>{t('item.type')}</th>
                  <th>{t('resource.openType')}</th>
                  <th>{t('open.masked')}</th>
                </tr>
              </thead>
              <tbody>
                {d.items.map((i) => (
                  <tr key={i.code}>
                    <td className="code">{i.code}</td>
                    <td>{i.name}</td>
                    <td>
                      {label(
                        codes?.dataTypes.find((o) => o.code === i.dataType),
                        i.dataType,
                      )}
                    </td>
                    <td>
                      {label(
                        codes?.openTypes.find((o) => o.code === i.openType),
                        i.openType,
                      )}
                    </td>
                    <td>{i.masked ? t('common.yes') : t('common.no')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {d.withheld.length > 0 && <p className="muted small">{t('open.withheld', { n: d.withheld.length })}</p>}

          <h2>{t('open.preview')}</h2>
          <DatasetPreview id={id} bearer={bearer} />

          {(d.openType === 'RESTRICTED' || d.withheld.length > 0) && (
            <>
              <h2>{t('account.restrictedTitle')}</h2>
              <p className="muted small">{t('account.restrictedHelp')}</p>
              <ApplyForm datasetId={d.id} />
            </>
          )}

          <h2>{t('open.downloads')}</h2>
          <ul className="downloads" data-testid="downloads">
            {DOWNLOADS.map((x) => (
              <li key={x.testId}>
                <a href={`${path}/download?${x.query}`} data-testid={x.testId} download>
                  {t(x.key)}
                </a>
              </li>
            ))}
          </ul>

          <h2>{t('open.apiUsage')}</h2>
          <p className="muted small">{t('open.apiRows')}</p>
          <pre className="code-block" data-testid="api-rows">{`curl '${origin}${path}/rows?limit=10'`}</pre>
          <p className="muted small">{t('open.apiCkan')}</p>
          <pre className="code-block" data-testid="api-ckan">{`curl '${origin}/api/3/action/package_show?id=${encodeURIComponent(d.name)}'`}</pre>
        </>
      )}
    </section>
  );
}
