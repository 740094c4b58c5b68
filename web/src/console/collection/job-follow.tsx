import { useEffect } from 'react';
import { get } from '../../api/client';
import type { Job } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { FINISHED_JOB } from './collection-api';

const POLL_MS = 700;

/** Re-reads a running job every POLL_MS until it finishes (an upload's job, a pull's job). */
export function useJobFollow(job: Job | null, setJob: (job: Job) => void, setError: (e: unknown) => void) {
  useEffect(() => {
    if (!job || FINISHED_JOB.has(job.status)) return;
    const timer = setTimeout(() => {
      get('/api/v1/collection/jobs/{id}', { params: { id: job.id } }).then(setJob, setError);
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [job, setJob, setError]);
}

/** A job's row counts: read, inserted, updated, unchanged, rejected, deleted. */
export function JobRowCounts({ job, testId }: { job: Job; testId: string }) {
  const { t, number } = useI18n();
  return (
    <p data-testid={testId}>
      {t('upload.rows', {
        read: number(job.rows.read),
        inserted: number(job.rows.inserted),
        updated: number(job.rows.updated),
        unchanged: number(job.rows.unchanged),
        rejected: number(job.rows.rejected),
        deleted: number(job.rows.deleted),
      })}
    </p>
  );
}
