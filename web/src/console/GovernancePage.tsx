import { useState } from 'react';
import { get } from '../api/client';
import { loadDepartments, loadResourceNames } from '../components/catalogue';
import { Figure } from '../components/Chart';
import { ErrorBox, Loading } from '../components/Status';
import { useApi } from '../components/use-api';
import { useI18n, type MessageKey } from '../i18n/i18n';

const STATES = ['open', 'acknowledged', 'rectifying', 'submitted', 'rechecked', 'closed', 'explained'] as const;

/** Governance: the quality figures, the weekly department ranking and the problems inbox with deadlines. */
export function GovernancePage() {
  const { t, number, percent } = useI18n();
  const [status, setStatus] = useState<'' | (typeof STATES)[number]>('');
  const [overdue, setOverdue] = useState(false);
  const figures = useApi(
    () =>
      Promise.all([
        get('/api/v1/quality/stats'),
        get('/api/v1/quality/ranking'),
        loadDepartments(),
        get('/api/v1/quality/scores', { query: { by: 'resource' } }),
        loadResourceNames(),
      ]),
    [],
  );
  const problems = useApi(
    () => get('/api/v1/quality/problems', { query: { limit: 100, status: status || undefined, overdue: overdue ? 'true' : undefined } }),
    [status, overdue],
  );
  const [stats, ranking, departments, byResource, resources] = figures.data ?? [null, null, null, null, null];
  // Worst first: what needs attention.
  const scored = (byResource?.items ?? []).filter((s) => s.score !== null).sort((a, b) => a.score! - b.score!);
  return (
    <section>
      <h1>{t('nav.governance')}</h1>
      <ErrorBox error={figures.error} />
      {stats && (
        <div className="figures">
          <Figure id="g-score" label={t('figures.qualityScore')} value={percent(stats.score)} raw={stats.score} />
          <Figure
            id="g-governed"
            label={t('figures.governed')}
            value={stats.governed.percent === null ? '—' : `${number(stats.governed.percent, 1)}%`}
            raw={stats.governed.percent}
          />
          <Figure id="g-open" label={t('figures.problemsOpen')} value={number(stats.problems.open)} raw={stats.problems.open} />
          <Figure id="g-overdue" label={t('figures.problemsOverdue')} value={number(stats.problems.overdue)} raw={stats.problems.overdue} />
          <Figure id="g-closed" label={t('figures.problemsClosed')} value={number(stats.problems.closed)} raw={stats.problems.closed} />
        </div>
      )}

      <h2>{t('governance.ranking', { week: ranking?.week ?? '' })}</h2>
      <div className="table-wrap">
        <table data-testid="ranking">
          <thead>
            <tr>
              <th>{t('governance.rank')}</th>
              <th>{t('governance.department')}</th>
              <th>{t('figures.qualityScore')}</th>
              <th>{t('governance.resourcesScanned')}</th>
              <th>{t('figures.problemsOpen')}</th>
              <th>{t('figures.problemsOverdue')}</th>
            </tr>
          </thead>
          <tbody>
            {ranking?.items.map((r) => (
              <tr key={r.departmentId}>
                <td>{r.rank ?? '—'}</td>
                <td>{r.departmentName}</td>
                <td>{percent(r.score)}</td>
                <td>{number(r.resourcesScanned)}</td>
                <td>{number(r.problems.open)}</td>
                <td>{number(r.problems.overdue)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>{t('governance.byResource')}</h2>
      <div className="table-wrap">
        <table data-testid="scores-by-resource">
          <thead>
            <tr>
              <th>{t('jobs.resource')}</th>
              <th>{t('figures.qualityScore')}</th>
              <th>{t('governance.checked')}</th>
              <th>{t('governance.passed')}</th>
            </tr>
          </thead>
          <tbody>
            {scored.map((s) => (
              <tr key={s.key} data-value={s.score ?? ''}>
                <td>{resources?.get(s.key) ?? s.key}</td>
                <td>{percent(s.score)}</td>
                <td>{number(s.checked)}</td>
                <td>{number(s.passed)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>{t('governance.problems')}</h2>
      <form className="search" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="problem-status">{t('governance.status')}</label>
        <select id="problem-status" value={status} onChange={(e) => setStatus(e.target.value as (typeof STATES)[number])}>
          <option value="">{t('governance.anyStatus')}</option>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {t(`problem.state.${s}`)}
            </option>
          ))}
        </select>
        <label>
          <input type="checkbox" checked={overdue} onChange={(e) => setOverdue(e.target.checked)} /> {t('governance.overdueOnly')}
        </label>
      </form>
      <ErrorBox error={problems.error} />
      <Loading when={problems.loading} />
      {problems.data?.items.length === 0 && <p className="muted">{t('governance.noProblems')}</p>}
      <div className="table-wrap">
        <table data-testid="problems">
          <thead>
            <tr>
              <th>{t('jobs.resource')}</th>
              <th>{t('governance.department')}</th>
              <th>{t('governance.dimension')}</th>
              <th>{t('item.code')}</th>
              <th>{t('governance.failed')}</th>
              <th>{t('governance.status')}</th>
              <th>{t('governance.openedOn')}</th>
              <th>{t('governance.deadline')}</th>
            </tr>
          </thead>
          <tbody>
            {problems.data?.items.map((p) => (
              <tr key={p.id} className={p.overdue ? 'overdue' : ''}>
                <td>{resources?.get(p.resourceId) ?? p.resourceId}</td>
                <td>{departments?.get(p.departmentId)?.name ?? '—'}</td>
                <td>{p.dimension ? t(`dimension.${p.dimension}` as MessageKey) : '—'}</td>
                <td className="code">{p.itemCode ?? '—'}</td>
                <td>
                  {number(p.failed)} / {number(p.checked)}
                </td>
                <td>{t(`problem.state.${p.status}` as MessageKey)}</td>
                <td>{p.openedOn}</td>
                <td>
                  {p.deadline} {p.overdue && <span className="badge badge-failed">{t('governance.overdue')}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
