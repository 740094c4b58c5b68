import { useEffect, useState } from 'react';
import type { Job } from '../../api/types';
import { ErrorBox } from '../../components/Status';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { FINISHED_JOB } from './collection-api';
import { JobRowCounts, useJobFollow } from './job-follow';

/** The job a pull started, followed live until it finishes, with a link to the jobs page. */
export function PullJob({ job: started, sourceName }: { job: Job; sourceName: string }) {
  const { t } = useI18n();
  const [job, setJob] = useState(started);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => setJob(started), [started]);
  useJobFollow(job, setJob, setError);
  const done = FINISHED_JOB.has(job.status);
  return (
    <div className="panel" data-testid="pull-job" data-job={job.id} data-status={job.status}>
      <h3>{t('pulls.jobTitle', { name: sourceName })}</h3>
      <p>
        <span className={`badge badge-${job.status}`}>{t(`jobs.state.${job.status}` as MessageKey)}</span>{' '}
        <progress max={1} value={job.progress ?? (done ? 1 : 0)} aria-label={t('jobs.progress')} />
      </p>
      <JobRowCounts job={job} testId="pull-job-rows" />
      {job.error && <p className="error">{job.error}</p>}
      <ErrorBox error={error} />
      <p>
        <a href="#/jobs">{t('pulls.openJobs')}</a>
      </p>
    </div>
  );
}
