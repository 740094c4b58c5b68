import type { ReactNode } from 'react';
import { get } from '../api/client';
import type { Resource } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { loadCodes, loadDepartments } from './catalogue';
import { ErrorBox, Loading } from './Status';
import { useApi } from './use-api';

/** A catalogue entry: its metadata and its data items (信息项). */
export function ResourceDetail({ id, auth, backHref, children }: { id: string; auth: boolean; backHref: string; children?: (r: Resource) => ReactNode }) {
  const { t, label, lang } = useI18n();
  const loaded = useApi(() => Promise.all([get('/api/v1/resources/{id}', { params: { id }, auth }), loadCodes(), loadDepartments()]), [id, auth]);
  const [r, codes, departments] = loaded.data ?? [null, null, null];
  const find = <C,>(list: { code: C; zh: string; en: string }[] | undefined, code: C) => label(list?.find((x) => x.code === code));
  return (
    <article>
      <p>
        <a href={backHref}>← {t('common.back')}</a>
      </p>
      <ErrorBox error={loaded.error} />
      <Loading when={loaded.loading} />
      {r && codes && (
        <>
          <h2 data-testid="resource-name">{lang === 'en' && r.nameEn ? r.nameEn : r.name}</h2>
          {r.summary && <p>{r.summary}</p>}
          <dl className="meta">
            <dt>{t('resource.code')}</dt>
            <dd className="code">{r.code}</dd>
            <dt>{t('resource.provider')}</dt>
            <dd>{departments?.get(r.providerDepartmentId)?.name ?? '—'}</dd>
            <dt>{t('resource.category')}</dt>
            <dd>{find(codes.categories, r.category)}</dd>
            <dt>{t('resource.shareType')}</dt>
            <dd>{find(codes.shareTypes, r.shareType)}</dd>
            <dt>{t('resource.openType')}</dt>
            <dd>{find(codes.openTypes, r.openType)}</dd>
            <dt>{t('resource.openDomain')}</dt>
            <dd>{r.openDomain === null ? '—' : find(codes.openDomains, r.openDomain)}</dd>
            <dt>{t('resource.updateFrequency')}</dt>
            <dd>{find(codes.updateFrequencies, r.updateFrequency)}</dd>
            <dt>{t('resource.sensitivity')}</dt>
            <dd>{find(codes.sensitivityLevels, r.sensitivity)}</dd>
            <dt>{t('resource.publishedOn')}</dt>
            <dd>{r.publishedOn ?? '—'}</dd>
          </dl>
          <h3>{t('resource.api')}</h3>
          <p className="muted small">{t('resource.apiHelp')}</p>
          <pre className="code-block" data-testid="resource-api">{`curl ${window.location.origin}/api/v1/resources/${r.id}`}</pre>
          <h3>{t('resource.items', { n: r.items?.length ?? 0 })}</h3>
          <div className="table-wrap">
            <table data-testid="resource-items">
              <thead>
                <tr>
                  <th>#</th>
                  <th>{t('item.code')}</th>
                  <th>{t('item.name')}</th>
                  <th>{t('item.type')}</th>
                  <th>{t('item.length')}</th>
                  <th>{t('item.key')}</th>
                  <th>{t('resource.openType')}</th>
                  <th>{t('resource.sensitivity')}</th>
                </tr>
              </thead>
              <tbody>
                {r.items?.map((i) => (
                  <tr key={i.id}>
                    <td>{i.seq}</td>
                    <td className="code">{i.code}</td>
                    <td>{lang === 'en' && i.nameEn ? i.nameEn : i.name}</td>
                    <td>{i.dataType}</td>
                    <td>{i.length ?? '—'}</td>
                    <td>{i.primaryKey ? t('common.yes') : ''}</td>
                    <td>{find(codes.openTypes, i.openType)}</td>
                    <td>{find(codes.sensitivityLevels, i.sensitivity)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {children?.(r)}
        </>
      )}
    </article>
  );
}
