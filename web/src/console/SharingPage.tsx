import { get } from '../api/client';
import type { Me } from '../api/types';
import { useMemo } from 'react';
import { Chart, Figure } from '../components/Chart';
import { ErrorBox } from '../components/Status';
import { useApi } from '../components/use-api';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { ApprovalsInbox } from './sharing/ApprovalsInbox';
import { CallLog } from './sharing/CallLog';
import { can } from './sharing/can';
import { Consumers } from './sharing/Consumers';
import { Grants } from './sharing/Grants';
import { Interfaces } from './sharing/Interfaces';

const TABS: { tab: string; key: MessageKey; allowed?: (me: Me) => boolean }[] = [
  { tab: 'approvals', key: 'sharing.tab.approvals' },
  { tab: 'consumers', key: 'sharing.tab.consumers' },
  { tab: 'grants', key: 'sharing.tab.grants' },
  { tab: 'interfaces', key: 'sharing.tab.interfaces' },
  { tab: 'calls', key: 'sharing.tab.calls', allowed: can.readCalls },
];

/** Sharing 共享: the figures, then the approvals inbox, consumer systems and keys, grants, interfaces and the call audit (`#/sharing/<tab>`). */
export function SharingPage({ me, tab }: { me: Me; tab: string }) {
  const { t, number, percent } = useI18n();
  const tabs = TABS.filter((x) => !x.allowed || x.allowed(me));
  const current = tabs.find((x) => x.tab === tab)?.tab ?? 'approvals';
  const stats = useApi(() => get('/api/v1/sharing/stats'), []);
  const consumers = useApi(
    async () => new Map((await get('/api/v1/sharing/consumers', { query: { limit: 200 } })).items.map((c) => [c.id, c.name] as const)),
    [current],
  );
  const s = stats.data;
  const charts = useMemo(() => {
    if (!s) return null;
    const levels = ['CITY', 'PROVINCIAL', 'NATIONAL'] as const;
    return {
      byDay: {
        categories: s.calls.byDay.map((d) => d.day),
        series: [
          { name: t('sharing.figures.calls'), values: s.calls.byDay.map((d) => d.calls) },
          { name: t('sharing.chart.errors'), values: s.calls.byDay.map((d) => d.errors) },
        ],
      },
      byDepartment: {
        categories: s.calls.byDepartment.map((d) => d.departmentName ?? d.departmentId),
        series: [{ name: t('sharing.figures.calls'), values: s.calls.byDepartment.map((d) => d.calls) }],
      },
      byLevel: {
        categories: levels.map((l) => t(`sharing.level.${l}`)),
        series: [{ name: t('sharing.figures.interfaces'), values: levels.map((l) => s.interfaces.published.byLevel[l]) }],
      },
    };
  }, [s, t]);
  return (
    <section>
      <h1>{t('nav.sharing')}</h1>
      <ErrorBox error={stats.error} />
      {s && (
        <div className="figures">
          <Figure
            id="sharing-interfaces"
            label={t('sharing.figures.interfaces')}
            value={number(s.interfaces.published.total)}
            raw={s.interfaces.published.total}
          />
          <Figure id="sharing-connected" label={t('sharing.figures.connected')} value={number(s.systems.connected)} raw={s.systems.connected} />
          <Figure id="sharing-calls" label={t('sharing.figures.calls')} value={number(s.calls.calls)} raw={s.calls.calls} />
          <Figure id="sharing-error-rate" label={t('sharing.figures.errorRate')} value={percent(s.calls.errorRate)} raw={s.calls.errorRate} />
          <Figure id="sharing-pending" label={t('sharing.figures.pending')} value={number(s.applications.pending)} raw={s.applications.pending} />
          <Figure id="sharing-overdue" label={t('sharing.figures.overdue')} value={number(s.applications.overdue)} raw={s.applications.overdue} />
          <Figure id="sharing-grants" label={t('sharing.figures.grants')} value={number(s.grants.active)} raw={s.grants.active} />
        </div>
      )}
      {/* Charts only once there is something to draw: a new platform has no calls and no interfaces yet. */}
      {charts && s && (s.calls.calls > 0 || s.interfaces.published.total > 0) && (
        <div className="charts">
          {s.calls.byDay.length > 0 && (
            <Chart tableLabel={t('charts.table')} id="sharing-calls-by-day" title={t('sharing.chart.callsByDay')} {...charts.byDay} />
          )}
          {s.calls.byDepartment.length > 0 && (
            <Chart tableLabel={t('charts.table')} id="sharing-calls-by-department" title={t('sharing.chart.callsByDepartment')} {...charts.byDepartment} />
          )}
          {s.interfaces.published.total > 0 && (
            <Chart tableLabel={t('charts.table')} id="sharing-interfaces-by-level" title={t('sharing.chart.interfacesByLevel')} {...charts.byLevel} />
          )}
        </div>
      )}
      <nav className="tabs" aria-label={t('nav.sharing')}>
        {tabs.map((x) => (
          <a key={x.tab} href={`#/sharing/${x.tab}`} className={x.tab === current ? 'active' : ''} aria-current={x.tab === current ? 'page' : undefined}>
            {t(x.key)}
          </a>
        ))}
      </nav>
      {current === 'approvals' ? (
        <ApprovalsInbox me={me} />
      ) : current === 'consumers' ? (
        <Consumers me={me} />
      ) : current === 'grants' ? (
        <Grants me={me} />
      ) : current === 'interfaces' ? (
        <Interfaces me={me} />
      ) : (
        <CallLog me={me} consumers={consumers.data ?? new Map()} />
      )}
    </section>
  );
}
