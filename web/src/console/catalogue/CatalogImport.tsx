import { useState } from 'react';
import { ApiError } from '../../api/client';
import { ErrorBox } from '../../components/Status';
import { useI18n } from '../../i18n/i18n';
import { downloadWithToken, sendFile } from '../collection/upload-request';

type ImportProblem = { sheet: string | null; row: number | null; column: string | null; code: string; message: string };
type ImportSummary = { dryRun: boolean; resources: number; items: number; created: number; updated: number; unchanged: number; warnings: ImportProblem[] };

/**
 * The catalogue's Excel import (编目导入): the blank template and the current catalogue as
 * workbooks, a check of a filled-in workbook that stores nothing, and the import itself — all or
 * nothing; a rejected file lists its problems row by row (sheet, Excel row, column, reason).
 */
export function CatalogImport() {
  const { t, number } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  const [rejected, setRejected] = useState<{ errors: ImportProblem[]; errorCount: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const run = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setSummary(null);
    setRejected(null);
    setError(null);
    try {
      setSummary(await sendFile<ImportSummary>('/api/v1/catalog/import', { dryRun }, file));
    } catch (err) {
      const problem = err instanceof ApiError ? err.problem : {};
      if (Array.isArray(problem.errors)) {
        setRejected({ errors: problem.errors as ImportProblem[], errorCount: Number(problem.errorCount ?? problem.errors.length) });
      }
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const problemRows = (list: ImportProblem[], testId: string) => (
    <div className="table-wrap">
      <table data-testid={testId}>
        <thead>
          <tr>
            <th>{t('catalogImport.sheet')}</th>
            <th>{t('catalogImport.row')}</th>
            <th>{t('catalogImport.column')}</th>
            <th>{t('catalogImport.code')}</th>
            <th>{t('catalogImport.message')}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((p, i) => (
            <tr key={i}>
              <td>{p.sheet ?? '—'}</td>
              <td>{p.row ?? '—'}</td>
              <td>{p.column ?? '—'}</td>
              <td className="code">{p.code}</td>
              <td>{p.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );

  return (
    <section className="upload-panel" data-testid="catalog-import">
      <h2>{t('catalogImport.title')}</h2>
      <p className="muted small">{t('catalogImport.help')}</p>
      <div className="upload-controls">
        <button type="button" onClick={() => void downloadWithToken('/api/v1/catalog/template.xlsx', t('catalogImport.templateFile')).catch(setError)}>
          {t('catalogImport.template')}
        </button>
        <button type="button" onClick={() => void downloadWithToken('/api/v1/catalog/export.xlsx', t('catalogImport.exportFile')).catch(setError)}>
          {t('catalogImport.export')}
        </button>
      </div>
      <div className="upload-controls">
        <label htmlFor="catalog-file">{t('catalogImport.file')}</label>
        <input
          id="catalog-file"
          type="file"
          accept=".xlsx"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setSummary(null);
            setRejected(null);
            setError(null);
          }}
        />
        <button type="button" disabled={!file || busy} onClick={() => void run(true)}>
          {t('catalogImport.check')}
        </button>
        <button type="button" disabled={!file || busy} onClick={() => void run(false)}>
          {t('catalogImport.import')}
        </button>
      </div>
      <ErrorBox error={error} />
      {rejected && (
        <>
          <p data-testid="catalog-import-rejected">{t('catalogImport.rejected', { n: number(rejected.errorCount) })}</p>
          {problemRows(rejected.errors, 'catalog-import-errors')}
        </>
      )}
      {summary && (
        <>
          <p data-testid="catalog-import-summary">
            {t(summary.dryRun ? 'catalogImport.checked' : 'catalogImport.done', {
              resources: number(summary.resources),
              items: number(summary.items),
              created: number(summary.created),
              updated: number(summary.updated),
              unchanged: number(summary.unchanged),
            })}
          </p>
          {summary.warnings.length > 0 && problemRows(summary.warnings, 'catalog-import-warnings')}
        </>
      )}
    </section>
  );
}
