import { useState, type FormEvent } from 'react';
import { ApiError, send } from '../../api/client';
import type { Codes, ResourceSummary } from '../../api/types';
import { ErrorBox } from '../../components/Status';
import './collection.css';
import { useI18n } from '../../i18n/i18n';
import {
  PAGING_KINDS,
  SOURCE_KINDS,
  SOURCE_MODES,
  type DatabaseConfig,
  type HttpConfig,
  type Paging,
  type Schedule,
  type Source,
  type SourceInput,
  type SourceKind,
  type SourceMode,
} from './collection-api';

type Form = {
  name: string;
  resourceId: string;
  kind: SourceKind;
  url: string;
  /** A database password typed here rather than in the URL: written into the URL when sent, never shown. */
  password: string;
  readFrom: 'table' | 'query';
  table: string;
  query: string;
  itemsPath: string;
  /** HTTP request headers; a value the API masked stays *** (it keeps the stored one). */
  headers: { id: number; name: string; value: string }[];
  pagingKind: Paging['kind'];
  pageSize: string;
  nextCursorPath: string;
  mode: SourceMode;
  watermarkColumn: string;
  schedule: Schedule;
  enabled: boolean;
  timeLimitS: string;
};

const text = (v: unknown) => (typeof v === 'string' ? v : '');
let nextHeaderId = 1;

/** The form's fields from a saved source (its URL as the API shows it: the password already ***). */
function formOf(source: Source | null, resourceId: string): Form {
  const c = source?.config ?? {};
  const paging = (c.paging ?? null) as Paging | null;
  return {
    name: source?.name ?? '',
    resourceId: source?.resourceId ?? resourceId,
    kind: (source?.kind as SourceKind | undefined) ?? 'postgres',
    url: text(c.url),
    password: '',
    readFrom: typeof c.query === 'string' ? 'query' : 'table',
    table: text(c.table),
    query: text(c.query),
    itemsPath: text(c.itemsPath),
    headers: Object.entries((c.headers ?? {}) as Record<string, string>).map(([name, value]) => ({ id: nextHeaderId++, name, value })),
    pagingKind: paging?.kind ?? 'page',
    pageSize: paging?.size ? String(paging.size) : '',
    nextCursorPath: paging?.kind === 'cursor' ? paging.nextCursorPath : '',
    mode: source?.mode ?? 'full',
    watermarkColumn: source?.watermarkColumn ?? '',
    schedule: (source?.schedule as Schedule | undefined) ?? 'auto',
    enabled: source?.enabled ?? true,
    timeLimitS: source?.timeLimitS ? String(source.timeLimitS) : '',
  };
}

/**
 * The body of a create or update. Settings the form does not show (columns, batch size, request
 * headers…) are sent back as the API showed them, masked values included: *** keeps the stored
 * secret, so an edit never needs (or shows) a password again.
 */
function inputOf(f: Form, source: Source | null): SourceInput {
  const previous = source && source.kind === f.kind ? source.config : {};
  const size = f.pageSize.trim() === '' ? undefined : Number(f.pageSize);
  const common = {
    resourceId: f.resourceId,
    name: f.name.trim(),
    mode: f.mode,
    watermarkColumn: f.mode === 'incremental' && f.watermarkColumn.trim() !== '' ? f.watermarkColumn.trim() : null,
    schedule: f.schedule,
    enabled: f.enabled,
    timeLimitS: f.timeLimitS.trim() === '' ? null : Number(f.timeLimitS),
  };
  if (f.kind === 'http') {
    const old = previous as Partial<HttpConfig>;
    const kept = old.paging?.kind === f.pagingKind ? old.paging : null;
    const paging: Paging =
      f.pagingKind === 'cursor'
        ? { ...(kept as Extract<Paging, { kind: 'cursor' }> | null), kind: 'cursor', nextCursorPath: f.nextCursorPath.trim(), size }
        : f.pagingKind === 'offset'
          ? { ...(kept as Extract<Paging, { kind: 'offset' }> | null), kind: 'offset', size }
          : { ...(kept as Extract<Paging, { kind: 'page' }> | null), kind: 'page', size };
    const named = f.headers.filter((x) => x.name.trim() !== '');
    const headers = named.length ? Object.fromEntries(named.map((x) => [x.name.trim(), x.value])) : undefined;
    return { ...common, kind: 'http', config: { ...old, url: f.url.trim(), itemsPath: f.itemsPath.trim(), paging, headers } };
  }
  const { table: _table, query: _query, ...rest } = previous as Partial<DatabaseConfig>;
  const config: DatabaseConfig = {
    ...rest,
    url: withPassword(f.url.trim(), f.password),
    ...(f.readFrom === 'table' ? { table: f.table.trim() } : { query: f.query.trim() }),
  };
  return f.kind === 'mysql' ? { ...common, kind: 'mysql', config } : { ...common, kind: 'postgres', config };
}

/** The connection URL with `password` as its password (none given: the URL as it is, *** keeping the stored one). */
function withPassword(url: string, password: string): string {
  if (password === '' || !URL.canParse(url)) return url;
  const u = new URL(url);
  u.password = password;
  return u.toString();
}

/** Creates a saved pull, or edits one (`source`), for one of the resources the caller may load. */
export function PullForm({
  source,
  resources,
  codes,
  onSaved,
  onClose,
}: {
  source: Source | null;
  resources: ResourceSummary[];
  codes: Codes | null;
  onSaved(saved: Source): void;
  onClose(): void;
}) {
  const { t, label } = useI18n();
  const [f, setF] = useState<Form>(() => formOf(source, resources[0]?.id ?? ''));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setF((x) => ({ ...x, [key]: value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = inputOf(f, source);
      onSaved(
        source
          ? await send('put', '/api/v1/collection/sources/{id}', { params: { id: source.id }, body })
          : await send('post', '/api/v1/collection/sources', { body }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const fields =
    error instanceof ApiError && Array.isArray(error.problem.errors)
      ? (error.problem.errors as { path?: string }[]).map((x) => x.path).filter((p): p is string => typeof p === 'string')
      : [];
  const database = f.kind !== 'http';
  return (
    <form className="panel publish" data-testid="pull-form" onSubmit={(e) => void submit(e)}>
      <h3>{t(source ? 'pulls.editTitle' : 'pulls.newTitle')}</h3>
      <label htmlFor="pull-name">{t('pulls.name')}</label>
      <input id="pull-name" value={f.name} required maxLength={200} onChange={(e) => set('name', e.target.value)} />
      <label htmlFor="pull-resource">{t('pulls.resource')}</label>
      <select id="pull-resource" value={f.resourceId} required onChange={(e) => set('resourceId', e.target.value)}>
        {resources.map((r) => (
          <option key={r.id} value={r.id}>
            {r.code} {r.name}
          </option>
        ))}
      </select>
      <label htmlFor="pull-kind">{t('pulls.kind')}</label>
      <select id="pull-kind" value={f.kind} onChange={(e) => set('kind', e.target.value as SourceKind)}>
        {SOURCE_KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`pulls.kind.${k}`)}
          </option>
        ))}
      </select>
      <label htmlFor="pull-url">{t(database ? 'pulls.url' : 'pulls.apiUrl')}</label>
      <input
        id="pull-url"
        value={f.url}
        required
        maxLength={2000}
        autoComplete="off"
        placeholder={t(f.kind === 'mysql' ? 'pulls.urlExample.mysql' : f.kind === 'http' ? 'pulls.urlExample.http' : 'pulls.urlExample.postgres')}
        onChange={(e) => set('url', e.target.value)}
      />
      <p className="muted small">{t(source ? 'pulls.secretKept' : 'pulls.secretHidden')}</p>
      {database ? (
        <>
          <label htmlFor="pull-password">{t('pulls.password')}</label>
          <input
            id="pull-password"
            type="password"
            autoComplete="new-password"
            value={f.password}
            placeholder={source ? t('pulls.passwordKept') : ''}
            onChange={(e) => set('password', e.target.value)}
          />
          <label htmlFor="pull-read-from">{t('pulls.readFrom')}</label>
          <select id="pull-read-from" value={f.readFrom} onChange={(e) => set('readFrom', e.target.value as Form['readFrom'])}>
            <option value="table">{t('pulls.readFrom.table')}</option>
            <option value="query">{t('pulls.readFrom.query')}</option>
          </select>
          {f.readFrom === 'table' ? (
            <>
              <label htmlFor="pull-table">{t('pulls.table')}</label>
              <input id="pull-table" value={f.table} required maxLength={127} onChange={(e) => set('table', e.target.value)} />
            </>
          ) : (
            <>
              <label htmlFor="pull-query">{t('pulls.query')}</label>
              <textarea id="pull-query" rows={4} value={f.query} required onChange={(e) => set('query', e.target.value)} />
            </>
          )}
        </>
      ) : (
        <>
          <label htmlFor="pull-items-path">{t('pulls.itemsPath')}</label>
          <input id="pull-items-path" value={f.itemsPath} placeholder="data.items" onChange={(e) => set('itemsPath', e.target.value)} />
          <label htmlFor="pull-paging">{t('pulls.paging')}</label>
          <select id="pull-paging" value={f.pagingKind} onChange={(e) => set('pagingKind', e.target.value as Paging['kind'])}>
            {PAGING_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`pulls.paging.${k}`)}
              </option>
            ))}
          </select>
          <label htmlFor="pull-page-size">{t('pulls.pageSize')}</label>
          <input id="pull-page-size" type="number" min={1} max={100000} value={f.pageSize} onChange={(e) => set('pageSize', e.target.value)} />
          {f.pagingKind === 'cursor' && (
            <>
              <label htmlFor="pull-next-cursor">{t('pulls.nextCursorPath')}</label>
              <input id="pull-next-cursor" value={f.nextCursorPath} required placeholder="meta.next" onChange={(e) => set('nextCursorPath', e.target.value)} />
            </>
          )}
          <fieldset className="pull-headers" data-testid="pull-headers">
            <legend>{t('pulls.headers')}</legend>
            {f.headers.map((x, i) => (
              <div key={x.id} className="pull-header">
                <input
                  aria-label={t('pulls.headerName', { n: i + 1 })}
                  value={x.name}
                  maxLength={100}
                  placeholder="Authorization"
                  onChange={(e) =>
                    set(
                      'headers',
                      f.headers.map((y) => (y.id === x.id ? { ...y, name: e.target.value } : y)),
                    )
                  }
                />
                <input
                  aria-label={t('pulls.headerValue', { n: i + 1 })}
                  type="password"
                  autoComplete="off"
                  value={x.value}
                  maxLength={4000}
                  onChange={(e) =>
                    set(
                      'headers',
                      f.headers.map((y) => (y.id === x.id ? { ...y, value: e.target.value } : y)),
                    )
                  }
                />
                <button
                  type="button"
                  className="link-button danger-link"
                  onClick={() =>
                    set(
                      'headers',
                      f.headers.filter((y) => y.id !== x.id),
                    )
                  }
                >
                  {t('mappings.remove')}
                </button>
              </div>
            ))}
            <button type="button" onClick={() => set('headers', [...f.headers, { id: nextHeaderId++, name: '', value: '' }])}>
              {t('pulls.addHeader')}
            </button>
          </fieldset>
        </>
      )}
      <label htmlFor="pull-mode">{t('pulls.mode')}</label>
      <select id="pull-mode" value={f.mode} onChange={(e) => set('mode', e.target.value as SourceMode)}>
        {SOURCE_MODES.map((m) => (
          <option key={m} value={m}>
            {t(`pulls.mode.${m}`)}
          </option>
        ))}
      </select>
      {f.mode === 'incremental' && (
        <>
          <label htmlFor="pull-watermark">{t('pulls.watermarkColumn')}</label>
          <input id="pull-watermark" value={f.watermarkColumn} required={database} maxLength={100} onChange={(e) => set('watermarkColumn', e.target.value)} />
        </>
      )}
      <label htmlFor="pull-schedule">{t('pulls.schedule')}</label>
      <select id="pull-schedule" value={f.schedule} onChange={(e) => set('schedule', e.target.value as Schedule)}>
        <option value="auto">{t('pulls.schedule.auto')}</option>
        <option value="manual">{t('pulls.schedule.manual')}</option>
        {codes?.updateFrequencies.map((c) => (
          <option key={String(c.code)} value={String(c.code)}>
            {label(c)}
          </option>
        ))}
      </select>
      <label>
        <input type="checkbox" checked={f.enabled} onChange={(e) => set('enabled', e.target.checked)} /> {t('pulls.enabled')}
      </label>
      <label htmlFor="pull-time-limit">{t('pulls.timeLimitS')}</label>
      <input id="pull-time-limit" type="number" min={1} max={604800} value={f.timeLimitS} onChange={(e) => set('timeLimitS', e.target.value)} />
      <ErrorBox error={error} />
      {fields.length > 0 && <p className="small error">{t('pulls.badFields', { fields: fields.join(', ') })}</p>}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || f.resourceId === ''}>
          {t('pulls.save')}
        </button>
        <button type="button" onClick={onClose}>
          {t('sharing.close')}
        </button>
      </div>
    </form>
  );
}
