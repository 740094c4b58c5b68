import type { SharingApplication } from '../../api/open-sharing-types';
import { useI18n } from '../../i18n/i18n';
import { daysLeft } from './deadline';

/** The current step's deadline and the days left (or overdue), with the escalation (督办) flag. */
export function Countdown({ app }: { app: SharingApplication }) {
  const { t } = useI18n();
  const due = app.awaiting === 'provider' ? app.reviewDue : app.awaiting === 'platform' ? (app.complianceDue ?? app.reviewDue) : null;
  if (!due) return <span className="muted">—</span>;
  const left = daysLeft(due);
  const late = app.overdue || left < 0;
  return (
    <span className={late ? 'sla sla-late' : left <= 1 ? 'sla sla-soon' : 'sla'} data-testid="sla" data-days={left}>
      {due} · {late ? t('sharing.sla.overdue', { n: Math.max(1, -left) }) : left === 0 ? t('sharing.sla.today') : t('sharing.sla.left', { n: left })}
      {app.escalated && <span className="badge badge-failed">{t('sharing.escalated')}</span>}
    </span>
  );
}
