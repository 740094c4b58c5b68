import { useState, type FormEvent } from 'react';
import { get, send } from '../../api/client';
import type { Consumer } from '../../api/open-sharing-types';
import type { Me } from '../../api/types';
import { loadDepartments } from '../../components/catalogue';
import { ErrorBox, Loading } from '../../components/Status';
import { useApi } from '../../components/use-api';
import { useI18n } from '../../i18n/i18n';
import { can } from './can';

type Shown = { consumer: string; appKey: string; secret: string };

/** Consumer systems (对接系统) and their keys: register a census system, rotate or revoke its key; a new secret is shown once. */
export function Consumers({ me }: { me: Me }) {
  const { t, dateTime } = useI18n();
  const [systemId, setSystemId] = useState('');
  const [shown, setShown] = useState<Shown | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const list = useApi(() => get('/api/v1/sharing/consumers', { query: { limit: 200 } }), []);
  const lookups = useApi(
    () =>
      Promise.all([
        loadDepartments(),
        can.registerConsumer(me)
          ? get('/api/v1/systems', { query: { limit: 500, departmentId: me.role === 'OFFICER' ? (me.departmentId ?? undefined) : undefined } })
          : Promise.resolve(null),
      ]),
    [me.id],
  );
  const [departments, systems] = lookups.data ?? [null, null];
  const act = async (run: () => Promise<{ consumer: Consumer; credentials: { appKey: string; secret: string } } | unknown>) => {
    setBusy(true);
    setError(null);
    setShown(null);
    try {
      const answer = await run();
      if (answer && typeof answer === 'object' && 'credentials' in answer) {
        const a = answer as { consumer: Consumer; credentials: { appKey: string; secret: string } };
        setShown({ consumer: a.consumer.name, appKey: a.credentials.appKey, secret: a.credentials.secret });
      }
      list.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const register = (e: FormEvent) => {
    e.preventDefault();
    if (systemId) void act(() => send('post', '/api/v1/sharing/consumers', { body: { systemId } }));
  };
  return (
    <section>
      {can.registerConsumer(me) && systems && (
        <form className="search" onSubmit={register}>
          <label htmlFor="consumer-system">{t('sharing.system')}</label>
          <select id="consumer-system" value={systemId} onChange={(e) => setSystemId(e.target.value)} required>
            <option value="">{t('sharing.chooseSystem')}</option>
            {systems.items.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
          <button type="submit" disabled={busy}>
            {t('sharing.register')}
          </button>
        </form>
      )}
      {shown && (
        <div className="secret" role="status" data-testid="secret-once">
          <strong>{t('sharing.secretOnce', { name: shown.consumer })}</strong>
          <dl className="meta">
            <dt>{t('sharing.appKey')}</dt>
            <dd className="code" data-testid="new-app-key">
              {shown.appKey}
            </dd>
            <dt>{t('sharing.secret')}</dt>
            <dd className="code" data-testid="new-secret">
              {shown.secret}
            </dd>
          </dl>
          <button type="button" onClick={() => setShown(null)}>
            {t('sharing.secretSaved')}
          </button>
        </div>
      )}
      <ErrorBox error={error ?? list.error ?? lookups.error} />
      <Loading when={list.loading} />
      {list.data?.items.length === 0 && <p className="muted">{t('sharing.noConsumers')}</p>}
      <div className="table-wrap">
        <table data-testid="consumers">
          <thead>
            <tr>
              <th>{t('sharing.consumer')}</th>
              <th>{t('governance.department')}</th>
              <th>{t('sharing.status')}</th>
              <th>{t('sharing.appKey')}</th>
              <th>{t('sharing.keyCreated')}</th>
              <th>{t('sharing.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((c) => {
              const key = c.credentials.find((k) => k.active);
              return (
                <tr key={c.id} data-consumer={c.id} data-status={c.status}>
                  <td>{c.name}</td>
                  <td>{departments?.get(c.departmentId)?.name ?? '—'}</td>
                  <td>{t(`sharing.consumerState.${c.status}`)}</td>
                  <td className="code">{key ? `${key.appKey} · ••••${key.secretLast4 ?? ''}` : '—'}</td>
                  <td>{key ? dateTime(key.createdAt) : '—'}</td>
                  <td>
                    {can.manageConsumer(me, c) && (
                      <>
                        <button
                          type="button"
                          className="link-button"
                          disabled={busy}
                          onClick={() => void act(() => send('post', '/api/v1/sharing/consumers/{id}/keys', { params: { id: c.id } }))}
                        >
                          {t('sharing.rotate')}
                        </button>{' '}
                        <button
                          type="button"
                          className="link-button danger-link"
                          disabled={busy}
                          onClick={() => void act(() => send('post', '/api/v1/sharing/consumers/{id}/revoke', { params: { id: c.id }, body: {} }))}
                        >
                          {t('sharing.revoke')}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
