import { useState } from 'react';
import type { Job, Resource } from '../../api/types';
import { ErrorBox } from '../../components/Status';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { downloadWithToken, sendFile } from './upload-request';
import { FINISHED_JOB } from './collection-api';
import { JobRowCounts, useJobFollow } from './job-follow';

type Preview = {
  format: string;
  encoding: string | null;
  headers: {
    index: number;
    header: string;
    status: 'mapped' | 'skipped' | 'unmapped' | 'ambiguous' | 'duplicate';
    itemCode?: string;
    how?: string;
    reason?: string;
    candidates?: string[];
  }[];
  unfilledItems: { code: string; name: string; required: boolean }[];
  loadable: boolean;
  problems: string[];
  rows: { rowNumber: number; values: Record<string, string | number | boolean | null> }[];
  rejects: { rowNumber: number; field: string | null; reason: string }[];
  more: boolean;
};

/**
 * Collection from the console (归集): choose a file, preview how its headers map to the resource's
 * data items (nothing stored), upload it with a progress bar, follow the job's progress live, and
 * download the rows it rejected with their reasons.
 */
export function UploadPanel({ resource }: { resource: Resource }) {
  const { t, number } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<'upsert' | 'snapshot'>('upsert');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [sent, setSent] = useState<{ loaded: number; total: number } | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const path = `/api/v1/resources/${encodeURIComponent(resource.id)}/uploads`;

  // Follow a running job until it finishes.
  useJobFollow(job, setJob, setError);

  const choose = (f: File | null) => {
    setFile(f);
    setPreview(null);
    setJob(null);
    setSent(null);
    setError(null);
  };
  const runPreview = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      setPreview(await sendFile<Preview>(path, { dryRun: true, fileName: file.name }, file));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setJob(null);
    try {
      const res = await sendFile<{ job: Job; duplicate: boolean }>(path, { fileName: file.name, mode }, file, (loaded, total) => setSent({ loaded, total }));
      setJob(res.job);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const statusKey = (s: Preview['headers'][number]['status']) => `upload.header.${s}` as MessageKey;
  return (
    <section className="upload-panel" data-testid="upload-panel">
      <h3>{t('upload.title')}</h3>
      <p className="muted small">{t('upload.help')}</p>
      <p className="small">
        <a href={`#/collection/mappings/${encodeURIComponent(resource.id)}`}>{t('upload.editMappings')}</a> ·{' '}
        <a href="#/collection/pulls">{t('upload.savedPulls')}</a>
      </p>
      <div className="upload-controls">
        <label htmlFor="upload-file">{t('upload.file')}</label>
        <input id="upload-file" type="file" accept=".csv,.tsv,.txt,.xlsx,.json,.ndjson" onChange={(e) => choose(e.target.files?.[0] ?? null)} />
        <label htmlFor="upload-mode">{t('upload.mode')}</label>
        <select id="upload-mode" value={mode} onChange={(e) => setMode(e.target.value as 'upsert' | 'snapshot')}>
          <option value="upsert">{t('upload.mode.upsert')}</option>
          <option value="snapshot">{t('upload.mode.snapshot')}</option>
        </select>
        <button type="button" disabled={!file || busy} onClick={() => void runPreview()}>
          {t('upload.preview')}
        </button>
        <button type="button" disabled={!file || busy || (preview !== null && !preview.loadable)} onClick={() => void upload()}>
          {t('upload.start')}
        </button>
      </div>
      <ErrorBox error={error} />

      {preview && (
        <div data-testid="upload-preview">
          <p>{t('upload.format', { format: preview.format, encoding: preview.encoding ?? '—' })}</p>
          {preview.problems.length > 0 && (
            <ul className="problems" data-testid="upload-problems">
              {preview.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
          <div className="table-wrap">
            <table data-testid="upload-mapping">
              <thead>
                <tr>
                  <th>{t('upload.header')}</th>
                  <th>{t('upload.mapsTo')}</th>
                  <th>{t('upload.how')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.headers.map((h) => (
                  <tr key={h.index} className={h.status === 'mapped' ? '' : 'warn'}>
                    <td>{h.header}</td>
                    <td className="code">{h.itemCode ?? t(statusKey(h.status))}</td>
                    <td className="small">{h.how ?? h.reason ?? h.candidates?.join(', ') ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {preview.unfilledItems.length > 0 && (
            <p className="small">
              {t('upload.unfilled')}: {preview.unfilledItems.map((i) => `${i.name}（${i.code}）`).join('、')}
            </p>
          )}
          {preview.rejects.length > 0 && (
            <ul className="small" data-testid="upload-preview-rejects">
              {preview.rejects.map((r) => (
                <li key={`${r.rowNumber}-${r.field}`}>{t('upload.rejectLine', { row: r.rowNumber, field: r.field ?? '—', reason: r.reason })}</li>
              ))}
            </ul>
          )}
        </div>
      )}

      {sent && (
        <p>
          <label htmlFor="upload-sent">{t('upload.sending')}</label> <progress id="upload-sent" max={sent.total || 1} value={sent.loaded} />{' '}
          {number(sent.loaded)} / {number(sent.total)} B
        </p>
      )}
      {job && (
        <div data-testid="upload-job" data-status={job.status}>
          <p>
            <label htmlFor="upload-job-progress">{t('upload.job', { status: t(`jobs.state.${job.status}` as MessageKey), phase: job.phase })}</label>{' '}
            <progress id="upload-job-progress" max={1} value={job.progress ?? (FINISHED_JOB.has(job.status) ? 1 : 0)} />
          </p>
          <JobRowCounts job={job} testId="upload-job-rows" />
          {job.error && <p className="error">{job.error}</p>}
          {job.rows.rejected > 0 && (
            <button
              type="button"
              onClick={() =>
                void downloadWithToken(`/api/v1/collection/jobs/${encodeURIComponent(job.id)}/rejects.csv`, `rejects-${job.id}.csv`).catch(setError)
              }
            >
              {t('upload.rejects', { n: number(job.rows.rejected) })}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
