import { useState } from 'react';
import { get, send } from '../../api/client';
import type { OpenApplication } from '../../api/open-sharing-types';
import type { Me } from '../../api/types';
import { ErrorBox, Loading } from '../../components/Status';
import { useApi } from '../../components/use-api';
import { useI18n } from '../../i18n/i18n';

const STATES = ['submitted', 'approved', 'active', 'rejected', 'revoked'] as const;

/** Restricted-open applications (受限开放申请) addressed to the user's department (all for platform roles): approve with a validity, or reject with reasons. */
export function OpenApplications({ me }: { me: Me }) {
  const { t, dateTime } = useI18n();
  const [status, setStatus] = useState<'' | (typeof STATES)[number]>('submitted');
  const [open, setOpen] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [validUntil, setValidUntil] = useState('');
  const [error, setError] = useState<unknown>(null);
  const list = useApi(() => get('/api/v1/open/applications', { query: { limit: 100, status: status || undefined } }), [status]);
  const mayDecide = (a: OpenApplication) => a.status === 'submitted' && (me.role === 'ADMIN' || (me.role === 'OFFICER' && me.departmentId === a.departmentId));
  const review = async (a: OpenApplication, decision: 'approve' | 'reject') => {
    setError(null);
    try {
      await send('post', '/api/v1/open/applications/{id}/review', {
        params: { id: a.id },
        body:
          decision === 'reject' ? { decision, reason: reason.trim() } : { decision, validUntil: validUntil || undefined, reason: reason.trim() || undefined },
      });
      setOpen(null);
      setReason('');
      setValidUntil('');
      list.reload();
    } catch (err) {
      setError(err);
    }
  };
  const selected = list.data?.items.find((a) => a.id === open) ?? null;
  return (
    <section>
      <form className="search" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="open-app-status">{t('sharing.status')}</label>
        <select id="open-app-status" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
          <option value="">{t('governance.anyStatus')}</option>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {t(`opening.appState.${s}`)}
            </option>
          ))}
        </select>
      </form>
      <ErrorBox error={error ?? list.error} />
      <Loading when={list.loading} />
      {list.data?.items.length === 0 && <p className="muted">{t('sharing.noApplications')}</p>}
      <div className="table-wrap">
        <table data-testid="open-applications">
          <thead>
            <tr>
              <th>{t('opening.datasetTitle')}</th>
              <th>{t('opening.applicant')}</th>
              <th>{t('sharing.purpose')}</th>
              <th>{t('sharing.status')}</th>
              <th>{t('opening.submittedAt')}</th>
              <th>{t('sharing.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((a) => (
              <tr key={a.id} data-application={a.id} data-status={a.status}>
                <td>{a.datasetTitle}</td>
                <td>
                  {a.applicant.displayName} ({a.applicant.username})
                </td>
                <td>{a.purpose}</td>
                <td>{t(`opening.appState.${a.status}`)}</td>
                <td>{dateTime(a.createdAt)}</td>
                <td>
                  <button type="button" className="link-button" onClick={() => setOpen(open === a.id ? null : a.id)}>
                    {mayDecide(a) ? t('sharing.review') : t('sharing.details')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {selected && (
        <div className="panel" data-testid="open-application-panel">
          <dl className="meta">
            <dt>{t('sharing.purpose')}</dt>
            <dd>{selected.purpose}</dd>
            <dt>{t('sharing.scenario')}</dt>
            <dd>{selected.scenario}</dd>
            <dt>{t('opening.securityMeasures')}</dt>
            <dd>{selected.securityMeasures}</dd>
            <dt>{t('opening.contact')}</dt>
            <dd>{selected.applicant.contact ?? '—'}</dd>
            {selected.reason && (
              <>
                <dt>{t('sharing.reason')}</dt>
                <dd>{selected.reason}</dd>
              </>
            )}
            {selected.agreement && (
              <>
                <dt>{t('opening.agreement')}</dt>
                <dd>
                  {selected.agreement.version} · {dateTime(selected.agreement.acceptedAt)}
                </dd>
              </>
            )}
          </dl>
          {mayDecide(selected) && (
            <div className="decision">
              <label htmlFor="open-valid-until">{t('sharing.validUntil')}</label>
              <input id="open-valid-until" type="date" value={validUntil} onChange={(e) => setValidUntil(e.target.value)} />
              <label htmlFor="open-reason">{t('sharing.decisionText')}</label>
              <textarea id="open-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
              <div className="actions">
                <button type="button" className="primary" onClick={() => void review(selected, 'approve')}>
                  {t('sharing.approve')}
                </button>
                <button type="button" className="danger" disabled={reason.trim() === ''} onClick={() => void review(selected, 'reject')}>
                  {t('sharing.reject')}
                </button>
              </div>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
