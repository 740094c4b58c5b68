import { useState } from 'react';
import { get, send } from '../../api/client';
import type { Me } from '../../api/types';
import { ErrorBox, Loading } from '../../components/Status';
import { useApi } from '../../components/use-api';
import { useI18n } from '../../i18n/i18n';
import { PublishForm } from './PublishForm';

/** The open datasets as published, with a link to each portal page; their department's officers and administrators publish and withdraw. */
export function PublishedDatasets({ me }: { me: Me }) {
  const { t, number, dateTime } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const list = useApi(() => get('/api/v1/open/datasets', { query: { limit: 100, sort: 'modified' } }), []);
  const mayPublish = me.role === 'ADMIN' || (me.role === 'OFFICER' && me.departmentId !== null);
  const mayManage = (departmentId: string) => me.role === 'ADMIN' || (me.role === 'OFFICER' && me.departmentId === departmentId);
  const withdraw = async (id: string) => {
    setError(null);
    try {
      await send('delete', '/api/v1/open/datasets/{id}', { params: { id } });
      list.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section>
      {mayPublish && <PublishForm me={me} onPublished={list.reload} />}
      <h2>{t('opening.published', { n: number(list.data?.total ?? 0) })}</h2>
      <ErrorBox error={error ?? list.error} />
      <Loading when={list.loading} />
      <div className="table-wrap">
        <table data-testid="open-datasets">
          <thead>
            <tr>
              <th>{t('opening.datasetTitle')}</th>
              <th>{t('open.provider')}</th>
              <th>{t('resource.openDomain')}</th>
              <th>{t('resource.openType')}</th>
              <th>{t('open.recordCount')}</th>
              <th>{t('open.modified')}</th>
              <th>{t('sharing.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((d) => (
              <tr key={d.id} data-dataset={d.id}>
                <td>
                  <a href={`/#/datasets/${encodeURIComponent(d.id)}`}>{d.title}</a>
                </td>
                <td>{d.departmentName}</td>
                <td>{d.domainName}</td>
                <td>{t(`opening.openType.${d.openType}`)}</td>
                <td>{number(d.recordCount)}</td>
                <td>{dateTime(d.modifiedAt)}</td>
                <td>
                  {mayManage(d.departmentId) && (
                    <button type="button" className="link-button danger-link" onClick={() => void withdraw(d.id)}>
                      {t('opening.withdraw')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
