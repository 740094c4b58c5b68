import { useState } from 'react';
import { get, type ResponseOf } from '../api/client';
import type { Resource } from '../api/types';
import { ErrorBox } from '../components/Status';
import { useI18n } from '../i18n/i18n';

const PREVIEW_ROWS = 10;

/**
 * The first records of a resource, masked as the API masks them for the caller. Read on request
 * only: every record read is audited (ADR 0007), so opening the page alone reads nothing.
 */
export function RecordsPreview({ resource }: { resource: Resource }) {
  const { t, number, lang } = useI18n();
  const [page, setPage] = useState<ResponseOf<'/api/v1/resources/{id}/records'> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const items = resource.items ?? [];
  const load = () =>
    get('/api/v1/resources/{id}/records', { params: { id: resource.id }, query: { limit: PREVIEW_ROWS } }).then(setPage, (err: unknown) => setError(err));
  return (
    <section>
      <h3>{t('records.title')}</h3>
      <p className="muted small">{t('records.help')}</p>
      {!page && (
        <button type="button" onClick={() => void load()}>
          {t('records.load', { n: PREVIEW_ROWS })}
        </button>
      )}
      <ErrorBox error={error} />
      {page && (
        <>
          <p className="muted small" data-testid="records-total" data-value={page.total}>
            {t('records.total', { n: number(page.total) })}
          </p>
          <div className="table-wrap">
            <table data-testid="records-preview">
              <thead>
                <tr>
                  {items.map((i) => (
                    <th key={i.code}>{lang === 'en' && i.nameEn ? i.nameEn : i.name}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {page.items.map((row, n) => (
                  <tr key={n}>
                    {items.map((i) => {
                      const value = row[i.code];
                      return <td key={i.code}>{value === null || value === undefined || typeof value === 'object' ? '' : String(value)}</td>;
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
