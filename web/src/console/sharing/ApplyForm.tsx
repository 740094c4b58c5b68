import { useState, type FormEvent } from 'react';
import { get, send } from '../../api/client';
import type { Consumer } from '../../api/open-sharing-types';
import type { Me } from '../../api/types';
import { ErrorBox } from '../../components/Status';
import { useApi } from '../../components/use-api';
import { useI18n, type MessageKey } from '../../i18n/i18n';

/**
 * A consumer system's access application: a resource, the items wanted (each with its share type),
 * purpose, scenario, legal basis and validity. Unconditional items are granted at once; the others
 * go to the platform's check and the provider's review.
 */
export function ApplyForm({ me, onSent }: { me: Me; onSent(status: string): void }) {
  const { t } = useI18n();
  const [consumerId, setConsumerId] = useState('');
  const [resourceId, setResourceId] = useState('');
  const [items, setItems] = useState<string[]>([]);
  const [purpose, setPurpose] = useState('');
  const [scenario, setScenario] = useState('');
  const [legalBasis, setLegalBasis] = useState('');
  const [validUntil, setValidUntil] = useState('');
  const [error, setError] = useState<unknown>(null);
  const lookups = useApi(
    () =>
      Promise.all([
        get('/api/v1/sharing/consumers', {
          query: { limit: 200, status: 'ACTIVE', departmentId: me.role === 'OFFICER' ? (me.departmentId ?? undefined) : undefined },
        }),
        get('/api/v1/resources', { query: { limit: 500 } }),
      ]),
    [me.id],
  );
  const resource = useApi(() => (resourceId ? get('/api/v1/resources/{id}', { params: { id: resourceId } }) : Promise.resolve(null)), [resourceId]);
  const [consumers, resources] = lookups.data ?? [null, null];
  const consumer: Consumer | undefined = consumers?.items.find((c) => c.id === consumerId);
  const toggle = (code: string, on: boolean) => setItems((xs) => (on ? [...xs, code] : xs.filter((x) => x !== code)));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const a = await send('post', '/api/v1/sharing/applications', {
        body: {
          consumerId,
          resourceId,
          items,
          purpose: purpose.trim(),
          scenario: scenario.trim() || undefined,
          legalBasis: legalBasis.trim() || undefined,
          validUntil,
        },
      });
      setItems([]);
      setPurpose('');
      onSent(a.status);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="panel publish" onSubmit={(e) => void submit(e)} data-testid="sharing-apply">
      <h3>{t('sharing.newApplication')}</h3>
      <label htmlFor="apply-consumer">{t('sharing.consumer')}</label>
      <select id="apply-consumer" value={consumerId} required onChange={(e) => setConsumerId(e.target.value)}>
        <option value="">{t('sharing.chooseConsumer')}</option>
        {consumers?.items.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      <label htmlFor="apply-resource">{t('jobs.resource')}</label>
      <select
        id="apply-resource"
        value={resourceId}
        required
        onChange={(e) => {
          setResourceId(e.target.value);
          setItems([]);
        }}
      >
        <option value="">{t('opening.chooseResource')}</option>
        {resources?.items
          .filter((r) => !consumer || r.providerDepartmentId !== consumer.departmentId)
          .map((r) => (
            <option key={r.id} value={r.id}>
              {r.code} {r.name}
            </option>
          ))}
      </select>
      {resource.data && (
        <fieldset className="items-pick">
          <legend>{t('sharing.items')}</legend>
          {(resource.data.items ?? []).map((i) => (
            <label key={i.code}>
              <input type="checkbox" checked={items.includes(i.code)} onChange={(e) => toggle(i.code, e.target.checked)} /> {i.name}{' '}
              <span className="code">{i.code}</span> <span className="badge">{t(`sharing.shareType.${i.shareType}` as MessageKey)}</span>
            </label>
          ))}
        </fieldset>
      )}
      <label htmlFor="apply-purpose-s">{t('sharing.purpose')}</label>
      <textarea id="apply-purpose-s" rows={2} value={purpose} required onChange={(e) => setPurpose(e.target.value)} />
      <label htmlFor="apply-scenario-s">{t('sharing.scenario')}</label>
      <input id="apply-scenario-s" value={scenario} onChange={(e) => setScenario(e.target.value)} />
      <label htmlFor="apply-basis">{t('sharing.legalBasis')}</label>
      <input id="apply-basis" value={legalBasis} onChange={(e) => setLegalBasis(e.target.value)} />
      <label htmlFor="apply-until">{t('sharing.validUntil')}</label>
      <input id="apply-until" type="date" value={validUntil} required onChange={(e) => setValidUntil(e.target.value)} />
      <div className="actions">
        <button type="submit" disabled={items.length === 0}>
          {t('sharing.submitApplication')}
        </button>
      </div>
      <ErrorBox error={error ?? lookups.error ?? resource.error} />
    </form>
  );
}
