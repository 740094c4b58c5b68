import { useEffect, useState } from 'react';
import { get } from '../api/client';
import type { Job } from '../api/types';
import { loadResourceNames } from '../components/catalogue';
import { ErrorBox } from '../components/Status';
import { useI18n, type MessageKey } from '../i18n/i18n';

// Poll fast while a job runs, slower otherwise, so a job submitted meanwhile (an upload, a
// scheduled pull) appears without a reload.
const POLL_MS = 2000;
const IDLE_POLL_MS = 5000;
const UNFINISHED = new Set(['queued', 'running']);

/** Collection jobs, newest first, polled while the page is open. */
export function JobsPage() {
  const { t, number, dateTime } = useI18n();
  const [jobs, setJobs] = useState<Job[] | null>(null);
  const [names, setNames] = useState(new Map<string, string>());
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    const poll = async () => {
      try {
        const page = await get('/api/v1/collection/jobs', { query: { limit: 50 } });
        if (!live) return;
        setJobs(page.items);
        setError(null);
        timer = setTimeout(() => void poll(), page.items.some((j) => UNFINISHED.has(j.status)) ? POLL_MS : IDLE_POLL_MS);
      } catch (err) {
        if (!live) return;
        setError(err);
        timer = setTimeout(() => void poll(), IDLE_POLL_MS);
      }
    };
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, []);

  useEffect(() => {
    loadResourceNames().then(setNames, setError);
  }, []);

  return (
    <section>
      <h1>{t('nav.jobs')}</h1>
      <ErrorBox error={error} />
      {jobs && jobs.length === 0 && <p className="muted">{t('jobs.none')}</p>}
      <div className="table-wrap">
        <table data-testid="jobs">
          <thead>
            <tr>
              <th>{t('jobs.resource')}</th>
              <th>{t('jobs.file')}</th>
              <th>{t('jobs.status')}</th>
              <th>{t('jobs.progress')}</th>
              <th>{t('jobs.read')}</th>
              <th>{t('jobs.inserted')}</th>
              <th>{t('jobs.unchanged')}</th>
              <th>{t('jobs.rejected')}</th>
              <th>{t('jobs.created')}</th>
            </tr>
          </thead>
          <tbody>
            {jobs?.map((j) => (
              <tr key={j.id} data-job={j.id} data-status={j.status}>
                <td>{names.get(j.resourceId) ?? j.resourceId}</td>
                <td className="code">{j.sourceRef ?? j.batchId}</td>
                <td>
                  <span className={`badge badge-${j.status}`}>{t(`jobs.state.${j.status}` as MessageKey)}</span>
                </td>
                <td>
                  <progress max={1} value={j.progress ?? 0} aria-label={t('jobs.progress')} /> {number((j.progress ?? 0) * 100)}%
                </td>
                <td>{number(j.rows.read)}</td>
                <td>{number(j.rows.inserted)}</td>
                <td>{number(j.rows.unchanged)}</td>
                <td>{number(j.rows.rejected)}</td>
                <td className="small">{dateTime(j.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
