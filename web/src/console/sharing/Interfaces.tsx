import { useState } from 'react';
import { get, send } from '../../api/client';
import type { SharedInterface } from '../../api/open-sharing-types';
import type { Me } from '../../api/types';
import { loadDepartments } from '../../components/catalogue';
import { ErrorBox, Loading } from '../../components/Status';
import { useApi } from '../../components/use-api';
import { useI18n } from '../../i18n/i18n';
import { can } from './can';

const NEXT: Record<SharedInterface['status'], SharedInterface['status'] | null> = { DRAFT: 'PUBLISHED', PUBLISHED: 'OFFLINE', OFFLINE: 'PUBLISHED' };

/** Shared interfaces (共享接口), generated from resources or proxied upstream: their limits, gateway path, status and OpenAPI description. */
export function Interfaces({ me }: { me: Me }) {
  const { t, number } = useI18n();
  const [kind, setKind] = useState<'' | SharedInterface['kind']>('');
  const [error, setError] = useState<unknown>(null);
  const list = useApi(() => get('/api/v1/sharing/interfaces', { query: { limit: 200, kind: kind || undefined } }), [kind]);
  const departments = useApi(() => loadDepartments(), []);
  const move = async (i: SharedInterface, status: SharedInterface['status']) => {
    setError(null);
    try {
      await send('patch', '/api/v1/sharing/interfaces/{id}', { params: { id: i.id }, body: { status } });
      list.reload();
    } catch (err) {
      setError(err);
    }
  };
  const limit = (n: number | null) => (n === null ? '∞' : number(n));
  return (
    <section>
      <form className="search" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="iface-kind">{t('sharing.kind')}</label>
        <select id="iface-kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
          <option value="">{t('sharing.anyKind')}</option>
          <option value="GENERATED">{t('sharing.kind.GENERATED')}</option>
          <option value="UPSTREAM">{t('sharing.kind.UPSTREAM')}</option>
        </select>
      </form>
      <ErrorBox error={error ?? list.error} />
      <Loading when={list.loading} />
      {list.data?.items.length === 0 && <p className="muted">{t('sharing.noInterfaces')}</p>}
      <div className="table-wrap">
        <table data-testid="interfaces">
          <thead>
            <tr>
              <th>{t('sharing.interfaceCode')}</th>
              <th>{t('sharing.interfaceName')}</th>
              <th>{t('sharing.kind')}</th>
              <th>{t('sharing.level')}</th>
              <th>{t('governance.department')}</th>
              <th>{t('sharing.limits')}</th>
              <th>{t('sharing.gatewayPath')}</th>
              <th>{t('sharing.status')}</th>
              <th>{t('sharing.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((i) => {
              const next = NEXT[i.status];
              return (
                <tr key={i.id} data-interface={i.id} data-status={i.status}>
                  <td className="code">
                    {i.code} v{i.version}
                  </td>
                  <td>{i.name}</td>
                  <td>{t(`sharing.kind.${i.kind}`)}</td>
                  <td>{t(`sharing.level.${i.level}`)}</td>
                  <td>{departments.data?.get(i.departmentId)?.name ?? '—'}</td>
                  <td className="small">
                    {t('sharing.limitsValue', { second: limit(i.ratePerSecond), day: limit(i.quotaPerDay), month: limit(i.quotaPerMonth) })}
                  </td>
                  <td className="code">{i.gatewayPath}</td>
                  <td>{t(`sharing.interfaceState.${i.status}`)}</td>
                  <td>
                    {next && can.manageInterface(me, i) && (
                      <button type="button" className="link-button" onClick={() => void move(i, next)}>
                        {t(`sharing.moveTo.${next}`)}
                      </button>
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
