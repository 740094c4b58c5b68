import { useState } from 'react';
import { get } from '../../api/client';
import type { Me } from '../../api/types';
import { loadDepartments, loadResourceNames } from '../../components/catalogue';
import { ErrorBox, Loading } from '../../components/Status';
import { useApi } from '../../components/use-api';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { ApplicationPanel } from './ApplicationPanel';
import { ApplyForm } from './ApplyForm';
import { Countdown } from './Countdown';
import { can } from './can';

export const APPLICATION_STATES = ['COMPLIANCE_CHECK', 'PROVIDER_REVIEW', 'ARBITRATION', 'GRANTED', 'REJECTED', 'WITHDRAWN'] as const;
const ROLES = ['provider', 'applicant', 'admin'] as const;

/** Access applications: the inbox of what awaits the user, each step's deadline, and the decision panel. */
export function ApprovalsInbox({ me }: { me: Me }) {
  const { t } = useI18n();
  const [status, setStatus] = useState('');
  const [role, setRole] = useState('');
  const [escalated, setEscalated] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const [applying, setApplying] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const mayApply = me.role === 'ADMIN' || (me.role === 'OFFICER' && me.departmentId !== null);
  const names = useApi(() => Promise.all([loadDepartments(), loadResourceNames()]), []);
  const list = useApi(
    () =>
      get('/api/v1/sharing/applications', {
        query: {
          limit: 100,
          status: (status || undefined) as (typeof APPLICATION_STATES)[number] | undefined,
          role: (role || undefined) as (typeof ROLES)[number] | undefined,
          escalated: escalated ? 'true' : undefined,
        },
      }),
    [status, role, escalated],
  );
  const [departments, resources] = names.data ?? [null, null];
  const items = list.data?.items ?? [];
  const selected = items.find((a) => a.id === open) ?? null;
  return (
    <section>
      {mayApply && (
        <p>
          <button type="button" onClick={() => setApplying(!applying)} aria-expanded={applying}>
            {t('sharing.newApplication')}
          </button>
          {sent && (
            <span role="status" className="muted" data-testid="application-sent">
              {' '}
              {t('sharing.sent', { status: t(`sharing.state.${sent}` as MessageKey) })}
            </span>
          )}
        </p>
      )}
      {applying && (
        <ApplyForm
          me={me}
          onSent={(status) => {
            setSent(status);
            setApplying(false);
            list.reload();
          }}
        />
      )}
      <form className="search" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="app-status">{t('sharing.status')}</label>
        <select id="app-status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">{t('governance.anyStatus')}</option>
          {APPLICATION_STATES.map((s) => (
            <option key={s} value={s}>
              {t(`sharing.state.${s}`)}
            </option>
          ))}
        </select>
        {me.role !== 'AUDITOR' && me.role !== 'REVIEWER' && (
          <>
            <label htmlFor="app-role">{t('sharing.inboxOf')}</label>
            <select id="app-role" value={role} onChange={(e) => setRole(e.target.value)}>
              <option value="">{t('sharing.inbox.all')}</option>
              {ROLES.filter((r) => r !== 'admin' || me.role === 'ADMIN').map((r) => (
                <option key={r} value={r}>
                  {t(`sharing.inbox.${r}`)}
                </option>
              ))}
            </select>
          </>
        )}
        <label>
          <input type="checkbox" checked={escalated} onChange={(e) => setEscalated(e.target.checked)} /> {t('sharing.escalatedOnly')}
        </label>
      </form>
      <ErrorBox error={list.error ?? names.error} />
      <Loading when={list.loading} />
      {list.data && items.length === 0 && <p className="muted">{t('sharing.noApplications')}</p>}
      <div className="table-wrap">
        <table data-testid="applications">
          <thead>
            <tr>
              <th>{t('jobs.resource')}</th>
              <th>{t('sharing.applicantDepartment')}</th>
              <th>{t('sharing.providerDepartment')}</th>
              <th>{t('resource.shareType')}</th>
              <th>{t('sharing.status')}</th>
              <th>{t('sharing.submittedOn')}</th>
              <th>{t('sharing.deadline')}</th>
              <th>{t('sharing.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id} data-application={a.id} data-status={a.status} className={a.overdue ? 'overdue' : ''}>
                <td>{a.resourceId ? (resources?.get(a.resourceId) ?? a.resourceId) : (a.interfaceId ?? '—')}</td>
                <td>{departments?.get(a.consumerDepartmentId)?.name ?? '—'}</td>
                <td>{departments?.get(a.providerDepartmentId)?.name ?? '—'}</td>
                <td>{t(`sharing.shareType.${a.shareType}` as MessageKey)}</td>
                <td data-testid="application-status">{t(`sharing.state.${a.status}`)}</td>
                <td>{a.submittedOn}</td>
                <td>
                  <Countdown app={a} />
                </td>
                <td>
                  <button type="button" className="link-button" onClick={() => setOpen(open === a.id ? null : a.id)}>
                    {can.decide(me, a) ? t('sharing.review') : t('sharing.details')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {selected && (
        <ApplicationPanel
          key={selected.id}
          me={me}
          app={selected}
          onDone={() => {
            list.reload();
          }}
          onClose={() => setOpen(null)}
        />
      )}
    </section>
  );
}
