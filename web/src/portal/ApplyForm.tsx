import { useState, type FormEvent } from 'react';
import { send } from '../api/client';
import { ErrorBox } from '../components/Status';
import { useI18n } from '../i18n/i18n';
import { useOpenSession } from './open-session';

/** The application for a restricted dataset (purpose, scenario, security measures), by the signed-in public user. */
export function ApplyForm({ datasetId }: { datasetId: string }) {
  const { t } = useI18n();
  const session = useOpenSession();
  const [purpose, setPurpose] = useState('');
  const [scenario, setScenario] = useState('');
  const [securityMeasures, setSecurityMeasures] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState(false);
  if (!session)
    return (
      <p>
        <a href="#/account">{t('account.signInToApply')}</a>
      </p>
    );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await send('post', '/api/v1/open/applications', {
        body: { datasetId, purpose: purpose.trim(), scenario: scenario.trim(), securityMeasures: securityMeasures.trim() },
        bearer: session.token,
      });
      setSent(true);
    } catch (err) {
      setError(err);
    }
  };
  if (sent)
    return (
      <p role="status" data-testid="applied">
        {t('account.applied')} <a href="#/account">{t('account.applications')}</a>
      </p>
    );
  return (
    <form className="panel publish" onSubmit={(e) => void submit(e)} data-testid="apply-form">
      <label htmlFor="apply-purpose">{t('sharing.purpose')}</label>
      <textarea id="apply-purpose" rows={2} minLength={5} value={purpose} required onChange={(e) => setPurpose(e.target.value)} />
      <label htmlFor="apply-scenario">{t('sharing.scenario')}</label>
      <textarea id="apply-scenario" rows={2} minLength={5} value={scenario} required onChange={(e) => setScenario(e.target.value)} />
      <label htmlFor="apply-security">{t('opening.securityMeasures')}</label>
      <textarea id="apply-security" rows={2} minLength={5} value={securityMeasures} required onChange={(e) => setSecurityMeasures(e.target.value)} />
      <p className="muted small">{t('account.applyHelp')}</p>
      <div className="actions">
        <button type="submit">{t('account.apply')}</button>
      </div>
      <ErrorBox error={error} />
    </form>
  );
}
