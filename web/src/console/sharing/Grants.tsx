import { useState, type FormEvent } from 'react';
import { get, send } from '../../api/client';
import type { Me } from '../../api/types';
import { loadDepartments, loadResourceNames } from '../../components/catalogue';
import { ErrorBox, Loading } from '../../components/Status';
import { useApi } from '../../components/use-api';
import { useI18n } from '../../i18n/i18n';
import { can } from './can';

const STATES = ['ACTIVE', 'EXPIRED', 'REVOKED'] as const;

/** Grants: what each consumer may read, until when; the provider department revokes one with a reason (effective on the next call). */
export function Grants({ me }: { me: Me }) {
  const { t, dateTime } = useI18n();
  const [status, setStatus] = useState<'' | (typeof STATES)[number]>('ACTIVE');
  const [revoking, setRevoking] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const list = useApi(() => get('/api/v1/sharing/grants', { query: { limit: 200, status: status || undefined } }), [status]);
  const names = useApi(() => Promise.all([loadDepartments(), loadResourceNames()]), []);
  const [departments, resources] = names.data ?? [null, null];
  const revoke = async (e: FormEvent) => {
    e.preventDefault();
    if (!revoking) return;
    setError(null);
    try {
      await send('post', '/api/v1/sharing/grants/{id}/revoke', { params: { id: revoking }, body: { reason: reason.trim() } });
      setRevoking(null);
      setReason('');
      list.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section>
      <form className="search" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="grant-status">{t('sharing.status')}</label>
        <select id="grant-status" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
          <option value="">{t('governance.anyStatus')}</option>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {t(`sharing.grantState.${s}`)}
            </option>
          ))}
        </select>
      </form>
      <ErrorBox error={error ?? list.error ?? names.error} />
      <Loading when={list.loading} />
      {list.data?.items.length === 0 && <p className="muted">{t('sharing.noGrants')}</p>}
      <div className="table-wrap">
        <table data-testid="grants">
          <thead>
            <tr>
              <th>{t('jobs.resource')}</th>
              <th>{t('sharing.applicantDepartment')}</th>
              <th>{t('sharing.providerDepartment')}</th>
              <th>{t('sharing.items')}</th>
              <th>{t('sharing.validUntil')}</th>
              <th>{t('sharing.status')}</th>
              <th>{t('sharing.granted')}</th>
              <th>{t('sharing.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((g) => (
              <tr key={g.id} data-grant={g.id} data-status={g.status}>
                <td>{g.resourceId ? (resources?.get(g.resourceId) ?? g.resourceId) : (g.interfaceId ?? '—')}</td>
                <td>{departments?.get(g.consumerDepartmentId)?.name ?? '—'}</td>
                <td>{departments?.get(g.providerDepartmentId)?.name ?? '—'}</td>
                <td className="code">{g.items.join(', ')}</td>
                <td>{g.validUntil}</td>
                <td title={g.revokeReason ?? undefined}>{t(`sharing.grantState.${g.status}`)}</td>
                <td>{dateTime(g.createdAt)}</td>
                <td>
                  {can.revokeGrant(me, g) && (
                    <button type="button" className="link-button danger-link" onClick={() => setRevoking(g.id)}>
                      {t('sharing.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {revoking && (
        <form className="panel decision" onSubmit={(e) => void revoke(e)}>
          <label htmlFor="revoke-reason">{t('sharing.revokeReason')}</label>
          <textarea id="revoke-reason" value={reason} rows={2} required onChange={(e) => setReason(e.target.value)} />
          <div className="actions">
            <button type="submit" className="danger" disabled={reason.trim() === ''}>
              {t('sharing.revoke')}
            </button>
            <button type="button" onClick={() => setRevoking(null)}>
              {t('sharing.close')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
