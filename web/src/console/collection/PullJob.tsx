import { useEffect, useState } from 'react';
import { get } from '../../api/client';
import type { Job } from '../../api/types';
import { ErrorBox } from '../../components/Status';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { FINISHED_JOB } from './collection-api';

const POLL_MS = 700;

/** The job a pull started, followed live until it finishes, with a link to the jobs page. */
export function PullJob({ job: started, sourceName }: { job: Job; sourceName: string }) {
  const { t, number } = useI18n();
  const [job, setJob] = useState(started);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => setJob(started), [started]);
  useEffect(() => {
    if (FINISHED_JOB.has(job.status)) return;
    const timer = setTimeout(() => {
      get('/api/v1/collection/jobs/{id}', { params: { id: job.id } }).then(setJob, setError);
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [job]);
  const done = FINISHED_JOB.has(job.status);
  return (
    <div className="panel" data-testid="pull-job" data-job={job.id} data-status={job.status}>
      <h3>{t('pulls.jobTitle', { name: sourceName })}</h3>
      <p>
        <span className={`badge badge-${job.status}`}>{t(`jobs.state.${job.status}` as MessageKey)}</span>{' '}
        <progress max={1} value={job.progress ?? (done ? 1 : 0)} aria-label={t('jobs.progress')} />
      </p>
      <p data-testid="pull-job-rows">
        {t('upload.rows', {
          read: number(job.rows.read),
          inserted: number(job.rows.inserted),
          updated: number(job.rows.updated),
          unchanged: number(job.rows.unchanged),
          rejected: number(job.rows.rejected),
          deleted: number(job.rows.deleted),
        })}
      </p>
      {job.error && <p className="error">{job.error}</p>}
      <ErrorBox error={error} />
      <p>
        <a href="#/jobs">{t('pulls.openJobs')}</a>
      </p>
    </div>
  );
}
