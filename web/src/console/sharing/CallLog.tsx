import { useEffect, useState } from 'react';
import { get } from '../../api/client';
import type { GatewayCall } from '../../api/open-sharing-types';
import type { Me } from '../../api/types';
import { loadDepartments } from '../../components/catalogue';
import { ErrorBox, Loading } from '../../components/Status';
import { useApi } from '../../components/use-api';
import { useI18n } from '../../i18n/i18n';
import { can } from './can';

/** The gateway's call audit (auditors and administrators): one row per call, newest first, and the hash chain's check. */
export function CallLog({ me, consumers }: { me: Me; consumers: Map<string, string> }) {
  const { t, dateTime, number } = useI18n();
  const [consumerId, setConsumerId] = useState('');
  const [rows, setRows] = useState<GatewayCall[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [verify, setVerify] = useState<{ ok: boolean; checked: number; broken: { seq: number } | null } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const departments = useApi(() => loadDepartments(), []);
  const first = useApi(() => get('/api/v1/sharing/calls', { query: { limit: 50, consumerId: consumerId || undefined } }), [consumerId]);
  useEffect(() => {
    setRows(first.data?.items ?? []);
    setCursor(first.data?.nextCursor ?? null);
  }, [first.data]);
  const more = async () => {
    try {
      const page = await get('/api/v1/sharing/calls', { query: { limit: 50, consumerId: consumerId || undefined, cursor: cursor ?? undefined } });
      setRows((r) => [...r, ...page.items]);
      setCursor(page.nextCursor);
    } catch (err) {
      setError(err);
    }
  };
  const check = async () => {
    setError(null);
    try {
      setVerify(await get('/api/v1/sharing/calls/verify'));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section>
      <form className="search" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="call-consumer">{t('sharing.consumer')}</label>
        <select id="call-consumer" value={consumerId} onChange={(e) => setConsumerId(e.target.value)}>
          <option value="">{t('sharing.anyConsumer')}</option>
          {[...consumers].map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
        {can.verifyCalls(me) && (
          <button type="button" onClick={() => void check()}>
            {t('sharing.verifyChain')}
          </button>
        )}
        {verify && (
          <span className={verify.ok ? 'badge badge-succeeded' : 'badge badge-failed'} data-testid="chain-check">
            {verify.ok ? t('sharing.chainOk', { n: number(verify.checked) }) : t('sharing.chainBroken', { seq: verify.broken?.seq ?? '?' })}
          </span>
        )}
      </form>
      <ErrorBox error={error ?? first.error} />
      <Loading when={first.loading} />
      {first.data && rows.length === 0 && <p className="muted">{t('sharing.noCalls')}</p>}
      <div className="table-wrap">
        <table data-testid="calls">
          <thead>
            <tr>
              <th>{t('sharing.callAt')}</th>
              <th>{t('sharing.consumer')}</th>
              <th>{t('governance.department')}</th>
              <th>{t('sharing.interfaceCode')}</th>
              <th>{t('sharing.purpose')}</th>
              <th>{t('sharing.items')}</th>
              <th>{t('sharing.rows')}</th>
              <th>{t('sharing.httpStatus')}</th>
              <th>{t('sharing.latency')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id} data-seq={c.seq} className={c.status >= 400 ? 'overdue' : ''}>
                <td>{dateTime(c.at)}</td>
                <td>{c.consumerId ? (consumers.get(c.consumerId) ?? c.consumerId) : '—'}</td>
                <td>{c.departmentId ? (departments.data?.get(c.departmentId)?.name ?? '—') : '—'}</td>
                <td className="code">{c.interfaceCode ?? '—'}</td>
                <td>{c.purpose ?? '—'}</td>
                <td className="code">{c.items.join(', ')}</td>
                <td>{number(c.rowCount)}</td>
                <td>
                  {c.status}
                  {c.errorCode ? ` ${c.errorCode}` : ''}
                </td>
                <td>{number(c.latencyMs, 1)} ms</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {cursor && (
        <button type="button" onClick={() => void more()}>
          {t('search.more')}
        </button>
      )}
    </section>
  );
}
