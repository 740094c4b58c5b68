import { useState } from 'react';
import { get, send } from '../../api/client';
import type { SharingApplication } from '../../api/open-sharing-types';
import type { Me } from '../../api/types';
import { ErrorBox, Loading } from '../../components/Status';
import { useApi } from '../../components/use-api';
import { useI18n } from '../../i18n/i18n';
import { can } from './can';

/** One application in full (purpose, basis, items, history) and the decision its current step awaits from this user. */
export function ApplicationPanel({ me, app, onDone, onClose }: { me: Me; app: SharingApplication; onDone(): void; onClose(): void }) {
  const { t, dateTime } = useI18n();
  const detail = useApi(() => get('/api/v1/sharing/applications/{id}', { params: { id: app.id } }), [app.id, app.status]);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const act = async (run: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await run();
      setText('');
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const decide = (decision: 'approve' | 'reject') =>
    act(() =>
      send('post', '/api/v1/sharing/applications/{id}/decisions', {
        params: { id: app.id },
        body: decision === 'reject' ? { decision, reason: text.trim() } : { decision, note: text.trim() || undefined },
      }),
    );
  const withdraw = () =>
    act(() => send('post', '/api/v1/sharing/applications/{id}/withdraw', { params: { id: app.id }, body: { note: text.trim() || undefined } }));
  const d = detail.data;
  const mayDecide = can.decide(me, app);
  const mayWithdraw = can.withdraw(me, app);
  return (
    <div className="panel" data-testid="application-panel">
      <div className="panel-head">
        <h3>{t('sharing.application')}</h3>
        <button type="button" className="link-button" onClick={onClose}>
          {t('sharing.close')}
        </button>
      </div>
      <Loading when={detail.loading && !d} />
      <ErrorBox error={detail.error} />
      {d && (
        <dl className="meta">
          <dt>{t('sharing.purpose')}</dt>
          <dd>{d.purpose}</dd>
          <dt>{t('sharing.scenario')}</dt>
          <dd>{d.scenario ?? '—'}</dd>
          <dt>{t('sharing.legalBasis')}</dt>
          <dd>{d.legalBasis ?? '—'}</dd>
          <dt>{t('sharing.items')}</dt>
          <dd className="code">{d.items.join(', ') || '—'}</dd>
          <dt>{t('sharing.validUntil')}</dt>
          <dd>{d.validUntil}</dd>
          {d.reason && (
            <>
              <dt>{t('sharing.reason')}</dt>
              <dd>{d.reason}</dd>
            </>
          )}
          <dt>{t('sharing.history')}</dt>
          <dd>
            <ol className="history">
              {d.history.map((h, n) => (
                <li key={n}>
                  {dateTime(h.at)} · {h.actor ?? '—'} · {h.from ? `${t(`sharing.state.${h.from}`)} → ` : ''}
                  {t(`sharing.state.${h.to}`)}
                  {h.note ? ` · ${h.note}` : ''}
                </li>
              ))}
            </ol>
          </dd>
        </dl>
      )}
      {(mayDecide || mayWithdraw) && (
        <div className="decision">
          <label htmlFor="decision-text">{t('sharing.decisionText')}</label>
          <textarea id="decision-text" value={text} rows={2} onChange={(e) => setText(e.target.value)} />
          <div className="actions">
            {mayDecide && (
              <>
                <button type="button" className="primary" disabled={busy} onClick={() => void decide('approve')}>
                  {t('sharing.approve')}
                </button>
                <button type="button" className="danger" disabled={busy || text.trim() === ''} onClick={() => void decide('reject')}>
                  {t('sharing.reject')}
                </button>
              </>
            )}
            {mayWithdraw && (
              <button type="button" disabled={busy} onClick={() => void withdraw()}>
                {t('sharing.withdraw')}
              </button>
            )}
          </div>
          {mayDecide && <p className="muted small">{t('sharing.rejectNeedsReason')}</p>}
          <ErrorBox error={error} />
        </div>
      )}
    </div>
  );
}
