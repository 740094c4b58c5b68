import { useState, type FormEvent } from 'react';
import { get, send, type ResponseOf } from '../../api/client';
import type { Codes, Department } from '../../api/types';
import { loadCodes, loadDepartments } from '../../components/catalogue';
import { ErrorBox, Loading } from '../../components/Status';
import { useApi } from '../../components/use-api';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { ITEM_FIELD_LABELS, RESOURCE_FIELD_LABELS } from './field-labels';
import './catalogue.css';

type Diff = ResponseOf<'/api/v1/editions/diff'>;
type FieldChange = Diff['changed'][number]['fields'][number];
const CURRENT = 'current';

/** Which code list names the values of a field (the diff shows labels, not codes). */
const CODED_FIELDS: Record<string, keyof Codes> = {
  category: 'categories',
  formatCategory: 'formatCategories',
  shareType: 'shareTypes',
  openType: 'openTypes',
  openDomain: 'openDomains',
  shareModes: 'shareModes',
  updateFrequency: 'updateFrequencies',
  sensitivity: 'sensitivityLevels',
  importance: 'importanceLevels',
  dataType: 'dataTypes',
  maskingRule: 'maskingRules',
};

/**
 * Catalogue editions (目录版本): the published editions, newest first, and the difference between
 * two of them or between one and the live catalogue — resources and data items added, removed and
 * changed, field by field. With `code`, only that resource's changes are shown (its page).
 * Administrators may publish a new edition here.
 */
export function EditionsPanel({ code, canPublish }: { code?: string; canPublish: boolean }) {
  const { t, number, dateTime } = useI18n();
  const editions = useApi(() => get('/api/v1/editions', { query: { limit: 100 } }), []);
  const lists = useApi(() => Promise.all([loadCodes(), loadDepartments()]), []);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState(CURRENT);
  const [diff, setDiff] = useState<Diff | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const items = editions.data?.items ?? [];
  const entries = useApi(
    () =>
      code
        ? entryStatuses(
            code,
            items.map((e) => e.id),
          )
        : Promise.resolve(null),
    [code, items.map((e) => e.id).join()],
  );
  const fromId = from || items[0]?.id || '';

  const compare = async () => {
    setBusy(true);
    setError(null);
    setDiff(null);
    try {
      // On a resource's page only that resource is compared (the API reads nothing else).
      setDiff(await get('/api/v1/editions/diff', { query: { from: fromId, to, code } }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="catalogue-editions" data-testid="editions">
      <h2>{t(code ? 'editions.resourceTitle' : 'editions.title')}</h2>
      <p className="muted small">{t(code ? 'editions.resourceHelp' : 'editions.help')}</p>
      <ErrorBox error={editions.error} />
      <Loading when={editions.loading && !editions.data} />
      {canPublish && <PublishEdition onPublished={editions.reload} />}
      {editions.data && items.length === 0 && <p className="muted">{t('editions.none')}</p>}
      {items.length > 0 && (
        <>
          <div className="table-wrap">
            <table data-testid="editions-list">
              <thead>
                <tr>
                  <th>{t('editions.name')}</th>
                  <th>{t('editions.note')}</th>
                  <th>{t('editions.publishedAt')}</th>
                  <th>{t('editions.resources')}</th>
                  <th>{t('editions.items')}</th>
                  <th>{t('editions.shareableItems')}</th>
                  {code && <th>{t('editions.entry')}</th>}
                </tr>
              </thead>
              <tbody>
                {items.map((e, i) => (
                  <tr key={e.id}>
                    <td>{e.name}</td>
                    <td>{e.note ?? '—'}</td>
                    <td>{dateTime(e.publishedAt)}</td>
                    <td>{number(e.resourceCount)}</td>
                    <td>{number(e.itemCount)}</td>
                    <td>{number(e.shareableItemCount)}</td>
                    {code && <td data-testid="edition-entry">{entries.data?.[i] ? t(entries.data[i]) : '…'}</td>}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="upload-controls">
            <label htmlFor={`diff-from${code ? '-r' : ''}`}>{t('editions.from')}</label>
            <select id={`diff-from${code ? '-r' : ''}`} value={fromId} onChange={(e) => setFrom(e.target.value)}>
              {items.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.name}
                </option>
              ))}
            </select>
            <label htmlFor={`diff-to${code ? '-r' : ''}`}>{t('editions.to')}</label>
            <select id={`diff-to${code ? '-r' : ''}`} value={to} onChange={(e) => setTo(e.target.value)}>
              <option value={CURRENT}>{t('editions.current')}</option>
              {items.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.name}
                </option>
              ))}
            </select>
            <button type="button" disabled={busy || !fromId} onClick={() => void compare()}>
              {t('editions.compare')}
            </button>
          </div>
        </>
      )}
      <ErrorBox error={error} />
      {diff && <DiffView diff={diff} code={code} codes={lists.data?.[0] ?? null} departments={lists.data?.[1] ?? null} />}
    </section>
  );
}

/**
 * One resource across the editions (newest first): in each, absent, or present and the same as or
 * changed since the edition before. Read through the one-resource diff — the oldest edition against
 * the live catalogue, then each edition against the one before it — so an edition that does not
 * hold the resource is no failed request, and nothing but this resource is read.
 */
async function entryStatuses(code: string, editionIds: string[]): Promise<MessageKey[]> {
  const n = editionIds.length;
  if (n === 0) return [];
  const diff = (from: string, to: string) => get('/api/v1/editions/diff', { query: { from, to, code } });
  const [sinceOldest, ...pairs] = await Promise.all([
    diff(editionIds[n - 1]!, 'current'),
    ...editionIds.slice(0, -1).map((id, i) => diff(editionIds[i + 1]!, id)),
  ]);
  // The resource is live (this is its page): absent from the oldest edition only if added since.
  const present: boolean[] = new Array<boolean>(n);
  present[n - 1] = sinceOldest!.added.length === 0;
  const out: MessageKey[] = new Array<MessageKey>(n);
  out[n - 1] = present[n - 1] ? 'editions.entryIncluded' : 'editions.entryAbsent';
  for (let i = n - 2; i >= 0; i--) {
    const d = pairs[i]!;
    present[i] = d.added.length > 0 ? true : d.removed.length > 0 ? false : present[i + 1]!;
    out[i] = !present[i]
      ? 'editions.entryAbsent'
      : !present[i + 1]
        ? 'editions.entryFirst'
        : d.changed.length > 0
          ? 'editions.entryChanged'
          : 'editions.entryUnchanged';
  }
  return out;
}

function PublishEdition({ onPublished }: { onPublished(): void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    try {
      const edition = await send('post', '/api/v1/editions', { body: { name: name.trim(), note: note.trim() || null } });
      setDone(edition.name);
      setName('');
      setNote('');
      onPublished();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="upload-controls" onSubmit={(e) => void submit(e)} data-testid="edition-publish">
      <label htmlFor="edition-name">{t('editions.name')}</label>
      <input id="edition-name" value={name} onChange={(e) => setName(e.target.value)} />
      <label htmlFor="edition-note">{t('editions.note')}</label>
      <input id="edition-note" value={note} onChange={(e) => setNote(e.target.value)} />
      <button type="submit" disabled={!name.trim()}>
        {t('editions.publish')}
      </button>
      <ErrorBox error={error} />
      {done && <span role="status">{t('editions.published', { name: done })}</span>}
    </form>
  );
}

function DiffView({ diff, code, codes, departments }: { diff: Diff; code?: string; codes: Codes | null; departments: Map<string, Department> | null }) {
  const { t, label } = useI18n();
  const value = (field: string, v: unknown): string => {
    if (v === null || v === undefined || v === '') return '—';
    if (Array.isArray(v)) return v.length ? v.map((x) => value(field, x)).join(', ') : '—';
    if (typeof v === 'boolean') return t(v ? 'common.yes' : 'common.no');
    if (field === 'providerDepartmentId' && typeof v === 'string') return departments?.get(v)?.name ?? v;
    const list = CODED_FIELDS[field] ? (codes?.[CODED_FIELDS[field]] as { code: string | number; zh: string; en: string }[] | undefined) : undefined;
    const coded = list?.find((c) => String(c.code) === String(v));
    if (coded) return label(coded);
    return typeof v === 'object' ? JSON.stringify(v) : String(v as string | number);
  };
  const fieldsTable = (fields: FieldChange[], labels: Record<string, string>, testId: string) => (
    <div className="table-wrap">
      <table data-testid={testId}>
        <thead>
          <tr>
            <th>{t('editions.field')}</th>
            <th>{t('editions.before')}</th>
            <th>{t('editions.after')}</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f) => (
            <tr key={f.field} data-field={f.field}>
              <td>{labels[f.field] ? t(labels[f.field] as Parameters<typeof t>[0]) : f.field}</td>
              <td className="diff-value diff-removed">{value(f.field, f.from)}</td>
              <td className="diff-value diff-added">{value(f.field, f.to)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );

  const { added, removed, changed } = diff;
  const s = diff.summary;
  const names = `${diff.from.name ?? diff.from.id} → ${diff.to.id === CURRENT ? t('editions.current') : (diff.to.name ?? diff.to.id)}`;
  return (
    <div data-testid="edition-diff">
      <h3>{t('editions.diffTitle', { names })}</h3>
      {code ? (
        <p data-testid="edition-diff-summary">
          {t(
            added.length
              ? 'editions.resourceAdded'
              : removed.length
                ? 'editions.resourceRemoved'
                : changed.length
                  ? 'editions.resourceChanged'
                  : 'editions.resourceUnchanged',
          )}
        </p>
      ) : (
        <p data-testid="edition-diff-summary">
          {t('editions.summary', {
            ra: s.resourcesAdded,
            rr: s.resourcesRemoved,
            rc: s.resourcesChanged,
            ia: s.itemsAdded,
            ir: s.itemsRemoved,
            ic: s.itemsChanged,
          })}
        </p>
      )}
      {!code && added.length > 0 && (
        <>
          <h4>{t('editions.added')}</h4>
          <ul data-testid="edition-diff-added">
            {added.map((r) => (
              <li key={r.code} className="diff-added">
                <span className="code">{r.code}</span> {r.name}
              </li>
            ))}
          </ul>
        </>
      )}
      {!code && removed.length > 0 && (
        <>
          <h4>{t('editions.removed')}</h4>
          <ul data-testid="edition-diff-removed">
            {removed.map((r) => (
              <li key={r.code} className="diff-removed">
                <span className="code">{r.code}</span> {r.name}
              </li>
            ))}
          </ul>
        </>
      )}
      {!code && changed.length > 0 && <h4>{t('editions.changed')}</h4>}
      {changed.map((r) => (
        <section key={r.code} data-testid="edition-diff-resource" data-code={r.code}>
          <h4>
            <span className="code">{r.code}</span> {r.name}
          </h4>
          {r.fields.length > 0 && fieldsTable(r.fields, RESOURCE_FIELD_LABELS, 'edition-diff-fields')}
          {r.items.added.length > 0 && (
            <p className="diff-added" data-testid="edition-diff-items-added">
              {t('editions.itemsAdded')}: <span className="code">{r.items.added.join(', ')}</span>
            </p>
          )}
          {r.items.removed.length > 0 && (
            <p className="diff-removed" data-testid="edition-diff-items-removed">
              {t('editions.itemsRemoved')}: <span className="code">{r.items.removed.join(', ')}</span>
            </p>
          )}
          {r.items.changed.map((i) => (
            <div key={i.code} data-testid="edition-diff-item" data-code={i.code}>
              <h5>{t('editions.itemChanged', { code: i.code })}</h5>
              {fieldsTable(i.fields, ITEM_FIELD_LABELS, 'edition-diff-item-fields')}
            </div>
          ))}
        </section>
      ))}
    </div>
  );
}
