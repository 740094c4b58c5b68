import { useEffect, useState } from 'react';
import { get, send } from '../../api/client';
import type { Me, Resource } from '../../api/types';
import { ErrorBox, Loading } from '../../components/Status';
import { useApi } from '../../components/use-api';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { canLoad, sampleHeaderFile, type Mappings, type Preview, type PreviewHeader } from './collection-api';
import { sendFile } from './upload-request';
import './collection.css';

/** One line of the editor: a file header and the item code it loads into ('' skips the header). */
type Row = { id: number; header: string; itemCode: string };

let nextRowId = 1;
const rowsOf = (mappings: Mappings): Row[] =>
  Object.entries(mappings)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([header, code]) => ({ id: nextRowId++, header, itemCode: code ?? '' }));
const mappingsOf = (rows: Row[]): Mappings => Object.fromEntries(rows.map((r) => [r.header.trim(), r.itemCode === '' ? null : r.itemCode]));
const sameMappings = (a: Mappings, b: Mappings) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/**
 * The saved column mappings of one resource (file header to data item, or skipped), which every
 * load of the resource uses: shown to anyone who may see the resource, edited by the provider
 * department's officers and administrators; and a dry run of sample headers under the saved mapping.
 */
export function ColumnMappings({ me, resourceId }: { me: Me; resourceId: string }) {
  const { t } = useI18n();
  const resource = useApi(() => get('/api/v1/resources/{id}', { params: { id: resourceId } }), [resourceId]);
  const saved = useApi(() => get('/api/v1/resources/{id}/column-mappings', { params: { id: resourceId } }), [resourceId]);
  const [rows, setRows] = useState<Row[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    if (saved.data) setRows(rowsOf(saved.data.mappings));
  }, [saved.data]);

  if (!resource.data || !saved.data) {
    return (
      <>
        <ErrorBox error={resource.error ?? saved.error} />
        <Loading when={resource.loading || saved.loading} />
      </>
    );
  }
  const r = resource.data;
  const editable = canLoad(me, r.providerDepartmentId);
  const current = mappingsOf(rows);
  const dirty = !sameMappings(current, saved.data.mappings);
  const headers = rows.map((x) => x.header.trim());
  const duplicate = headers.find((h, i) => h !== '' && headers.indexOf(h) !== i);
  const blank = headers.some((h) => h === '');

  const update = (id: number, patch: Partial<Row>) => setRows((all) => all.map((x) => (x.id === id ? { ...x, ...patch } : x)));
  const add = (header = '', itemCode = '') => setRows((all) => [...all, { id: nextRowId++, header, itemCode }]);
  const save = async () => {
    setError(null);
    setNotice(null);
    try {
      await send('put', '/api/v1/resources/{id}/column-mappings', { params: { id: resourceId }, body: { mappings: current } });
      setNotice(t('mappings.saved', { n: rows.length }));
      saved.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section data-testid="column-mappings">
      <p className="muted small">{t('mappings.help')}</p>
      {!editable && <p className="muted small">{t('mappings.readOnly')}</p>}
      <div className="table-wrap">
        <table data-testid="mapping-rows" data-count={rows.length}>
          <thead>
            <tr>
              <th>{t('upload.header')}</th>
              <th>{t('upload.mapsTo')}</th>
              {editable && <th>{t('sharing.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((x, i) => (
              <tr key={x.id} data-header={x.header}>
                <td>
                  {editable ? (
                    <input
                      aria-label={t('mappings.headerOf', { n: i + 1 })}
                      value={x.header}
                      maxLength={200}
                      onChange={(e) => update(x.id, { header: e.target.value })}
                    />
                  ) : (
                    x.header
                  )}
                </td>
                <td>
                  {editable ? (
                    <ItemSelect
                      resource={r}
                      label={t('mappings.targetOf', { n: i + 1 })}
                      value={x.itemCode}
                      onChange={(itemCode) => update(x.id, { itemCode })}
                    />
                  ) : (
                    <span className="code">{x.itemCode || t('mappings.skip')}</span>
                  )}
                </td>
                {editable && (
                  <td>
                    <button type="button" className="link-button danger-link" onClick={() => setRows((all) => all.filter((y) => y.id !== x.id))}>
                      {t('mappings.remove')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length === 0 && <p className="muted">{t('mappings.none')}</p>}
      {editable && (
        <div className="actions">
          <button type="button" onClick={() => add()}>
            {t('mappings.add')}
          </button>
          <button type="button" className="primary" disabled={!dirty || blank || duplicate !== undefined} onClick={() => void save()}>
            {t('mappings.save')}
          </button>
          <button type="button" disabled={!dirty} onClick={() => setRows(rowsOf(saved.data!.mappings))}>
            {t('mappings.revert')}
          </button>
        </div>
      )}
      {duplicate !== undefined && <p className="error">{t('mappings.duplicate', { header: duplicate })}</p>}
      {blank && <p className="error">{t('mappings.blank')}</p>}
      {notice && (
        <p role="status" className="muted" data-testid="mappings-saved">
          {notice}
        </p>
      )}
      <ErrorBox error={error} />
      <SampleTry
        resourceId={resourceId}
        dirty={dirty}
        onAdd={
          editable
            ? (header) => {
                if (!headers.includes(header)) add(header);
              }
            : undefined
        }
        savedVersion={saved.data}
      />
    </section>
  );
}

function ItemSelect({ resource, label, value, onChange }: { resource: Resource; label: string; value: string; onChange(code: string): void }) {
  const { t } = useI18n();
  const items = resource.items ?? [];
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{t('mappings.skip')}</option>
      {value !== '' && !items.some((i) => i.code === value) && <option value={value}>{value}</option>}
      {items.map((i) => (
        <option key={i.code} value={i.code}>
          {i.code} {i.name}
        </option>
      ))}
    </select>
  );
}

/** Sample headers tried under the saved mapping: a one-line CSV uploaded with dryRun=true, nothing stored. */
function SampleTry({
  resourceId,
  dirty,
  onAdd,
  savedVersion,
}: {
  resourceId: string;
  dirty: boolean;
  onAdd?: (header: string) => void;
  savedVersion: unknown;
}) {
  const { t } = useI18n();
  const [sample, setSample] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // A preview made under an older mapping no longer says what a load would do.
  useEffect(() => setPreview(null), [savedVersion]);
  const run = async () => {
    const file = sampleHeaderFile(sample);
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      setPreview(await sendFile<Preview>(`/api/v1/resources/${encodeURIComponent(resourceId)}/uploads`, { dryRun: true, fileName: file.name }, file));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const statusKey = (s: PreviewHeader['status']) => `upload.header.${s}` as MessageKey;
  return (
    <div className="panel mapping-try" data-testid="mapping-try">
      <h3>{t('mappings.tryTitle')}</h3>
      <label htmlFor="mapping-sample">{t('mappings.sample')}</label>
      <textarea id="mapping-sample" rows={2} value={sample} placeholder={t('mappings.samplePlaceholder')} onChange={(e) => setSample(e.target.value)} />
      {dirty && <p className="muted small">{t('mappings.tryUsesSaved')}</p>}
      <div className="actions">
        <button type="button" disabled={busy || sampleHeaderFile(sample) === null} onClick={() => void run()}>
          {t('mappings.try')}
        </button>
      </div>
      <ErrorBox error={error} />
      {preview && (
        <>
          <div className="table-wrap">
            <table data-testid="mapping-preview">
              <thead>
                <tr>
                  <th>{t('upload.header')}</th>
                  <th>{t('upload.mapsTo')}</th>
                  <th>{t('upload.how')}</th>
                  {onAdd && <th>{t('sharing.actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {preview.headers.map((h) => (
                  <tr key={h.index} data-header={h.header} data-status={h.status} data-how={h.how ?? ''} className={h.status === 'mapped' ? '' : 'warn'}>
                    <td>{h.header}</td>
                    <td className="code">{h.itemCode ?? t(statusKey(h.status))}</td>
                    <td className="small">{h.how ? t(`mappings.how.${h.how}` as MessageKey) : (h.candidates?.join(', ') ?? '')}</td>
                    {onAdd && (
                      <td>
                        {(h.status === 'unmapped' || h.status === 'ambiguous') && (
                          <button type="button" className="link-button" onClick={() => onAdd(h.header)}>
                            {t('mappings.addThis')}
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {preview.unfilledItems.length > 0 && (
            <p className="small" data-testid="mapping-unfilled">
              {t('upload.unfilled')}: {preview.unfilledItems.map((i) => t('mappings.itemLabel', { name: i.name, code: i.code })).join(t('mappings.listSep'))}
            </p>
          )}
        </>
      )}
    </div>
  );
}
