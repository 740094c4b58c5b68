import { get } from '../api/client';
import { ErrorBox, Loading } from '../components/Status';
import { useApi } from '../components/use-api';
import { useI18n } from '../i18n/i18n';

const ROWS = 10;

/** The first rows of an open dataset, masked as the portal serves them. */
export function DatasetPreview({ id, bearer }: { id: string; bearer?: string }) {
  const { t, number } = useI18n();
  const preview = useApi(() => get('/api/v1/open/datasets/{id}/preview', { auth: false, bearer, params: { id }, query: { limit: ROWS } }), [id, bearer]);
  const p = preview.data;
  const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return (
    <>
      <ErrorBox error={preview.error} />
      <Loading when={preview.loading} />
      {p && p.fields.length === 0 && <p className="muted small">{t('open.previewWithheld')}</p>}
      {p && p.fields.length > 0 && (
        <>
          <p className="muted small" data-testid="preview-total" data-value={p.total}>
            {t('open.previewOf', { shown: number(p.records.length), total: number(p.total) })}
          </p>
          <div className="table-wrap">
            <table data-testid="preview">
              <thead>
                <tr>
                  {p.fields.map((f) => (
                    <th key={f.id} title={f.id}>
                      {f.title}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {p.records.map((r, n) => (
                  <tr key={n}>
                    {p.fields.map((f) => (
                      <td key={f.id}>{cell(r[f.id])}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
