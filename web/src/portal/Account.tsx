import { useState } from 'react';
import { get, send } from '../api/client';
import type { OpenApplication } from '../api/open-sharing-types';
import { ErrorBox, Loading } from '../components/Status';
import { useApi } from '../components/use-api';
import { useI18n } from '../i18n/i18n';
import { openSession, type OpenSession } from './open-session';
import { SignIn } from './SignIn';

/** The public user's page: sign in or register; then their applications for restricted data, and the use agreement to accept once approved. */
export function Account({ session }: { session: OpenSession | null }) {
  if (!session) return <SignIn />;
  return <MyApplications session={session} />;
}

function MyApplications({ session }: { session: OpenSession }) {
  const { t, dateTime } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const list = useApi(() => get('/api/v1/open/applications', { bearer: session.token, query: { limit: 100 } }), [session.token]);
  const agreement = useApi(() => get('/api/v1/open/agreement', { auth: false }), []);
  const accept = async (a: OpenApplication) => {
    setError(null);
    try {
      await send('post', '/api/v1/open/applications/{id}/agreement', {
        params: { id: a.id },
        body: { version: agreement.data!.version },
        bearer: session.token,
      });
      list.reload();
    } catch (err) {
      setError(err);
    }
  };
  const signOut = async () => {
    await send('delete', '/api/v1/open/sessions/current', { bearer: session.token }).catch(() => undefined);
    openSession.clear();
  };
  const approved = list.data?.items.some((a) => a.status === 'approved');
  return (
    <section>
      <h1>{t('account.title')}</h1>
      <p data-testid="open-user">
        {session.displayName} ({session.username}) ·{' '}
        <button type="button" className="link-button" onClick={() => void signOut()}>
          {t('account.signOut')}
        </button>
      </p>
      <h2>{t('account.applications')}</h2>
      <ErrorBox error={error ?? list.error} />
      <Loading when={list.loading} />
      {list.data?.items.length === 0 && <p className="muted">{t('account.noApplications')}</p>}
      <div className="table-wrap">
        <table data-testid="my-applications">
          <thead>
            <tr>
              <th>{t('opening.datasetTitle')}</th>
              <th>{t('sharing.purpose')}</th>
              <th>{t('sharing.status')}</th>
              <th>{t('sharing.validUntil')}</th>
              <th>{t('opening.submittedAt')}</th>
              <th>{t('sharing.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((a) => (
              <tr key={a.id} data-application={a.id} data-status={a.status}>
                <td>
                  <a href={`#/datasets/${encodeURIComponent(a.datasetId)}`}>{a.datasetTitle}</a>
                </td>
                <td>{a.purpose}</td>
                <td title={a.reason ?? undefined}>{t(`opening.appState.${a.status}`)}</td>
                <td>{a.validUntil ?? '—'}</td>
                <td>{dateTime(a.createdAt)}</td>
                <td>
                  {a.status === 'approved' && agreement.data && (
                    <button type="button" className="primary" onClick={() => void accept(a)}>
                      {t('account.accept')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {approved && agreement.data && (
        <>
          <h2>
            {t('opening.agreement')} ({agreement.data.version})
          </h2>
          <pre className="code-block agreement" data-testid="agreement">
            {agreement.data.text}
          </pre>
        </>
      )}
    </section>
  );
}
