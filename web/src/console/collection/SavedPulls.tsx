import { useEffect, useState } from 'react';
import { get, send } from '../../api/client';
import type { Job, Me, ResourceSummary } from '../../api/types';
import { loadCodes } from '../../components/catalogue';
import { ErrorBox, Loading } from '../../components/Status';
import { useApi } from '../../components/use-api';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { canLoad, type Source, type SourceTest } from './collection-api';
import { PullForm } from './PullForm';
import { PullJob } from './PullJob';
import './collection.css';

const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** Where a source reads: its URL as the API shows it (passwords and credentials already ***), and the table or query. */
function whereOf(s: Source): string {
  const c = s.config;
  const what = text(c.table) || (typeof c.query === 'string' ? 'SELECT …' : text(c.itemsPath));
  return [text(c.url), what].filter(Boolean).join(' · ');
}

/**
 * Saved pulls from department databases and APIs: the list the caller may see (an officer sees
 * their own department's), created, edited, tested, run now (the job followed live) and removed
 * by whoever may load the resource.
 */
export function SavedPulls({ me, resources }: { me: Me; resources: ResourceSummary[] }) {
  const { t, label, dateTime } = useI18n();
  const [tick, setTick] = useState(0);
  const [more, setMore] = useState<string | null>(null);
  const [items, setItems] = useState<Source[]>([]);
  const page = useApi(() => get('/api/v1/collection/sources', { query: { limit: 100, cursor: more ?? undefined } }), [more, tick]);
  const codes = useApi(loadCodes, []);
  const [editing, setEditing] = useState<Source | 'new' | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [running, setRunning] = useState<{ job: Job; name: string } | null>(null);
  const [tested, setTested] = useState<{ name: string; result: SourceTest } | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (page.data) setItems((prev) => (more ? [...prev, ...page.data!.items] : page.data!.items));
  }, [page.data]);

  const byId = new Map(resources.map((r) => [r.id, r]));
  const loadable = resources.filter((r) => canLoad(me, r.providerDepartmentId));
  const may = (s: Source) => {
    const r = byId.get(s.resourceId);
    return r !== undefined && canLoad(me, r.providerDepartmentId);
  };
  const refresh = () => {
    setMore(null);
    setTick((n) => n + 1);
  };
  const act = async (body: () => Promise<void>) => {
    setError(null);
    try {
      await body();
    } catch (err) {
      setError(err);
    }
  };
  const run = (s: Source) =>
    act(async () => {
      const res = await send('post', '/api/v1/collection/sources/{id}/run', { params: { id: s.id } });
      setRunning({ job: res.job, name: s.name });
      refresh();
    });
  const test = (s: Source) =>
    act(async () => {
      setTested(null);
      setTested({ name: s.name, result: await send('post', '/api/v1/collection/sources/{id}/test', { params: { id: s.id } }) });
    });
  const remove = (s: Source) =>
    act(async () => {
      await send('delete', '/api/v1/collection/sources/{id}', { params: { id: s.id } });
      setConfirming(null);
      refresh();
    });
  const scheduleLabel = (s: string) =>
    s === 'auto' || s === 'manual'
      ? t(`pulls.schedule.${s}`)
      : label(
          codes.data?.updateFrequencies.find((c) => String(c.code) === s),
          s,
        );

  return (
    <section data-testid="saved-pulls">
      <p className="muted small">{t('pulls.help')}</p>
      {loadable.length > 0 && editing === null && (
        <div className="actions">
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            {t('pulls.new')}
          </button>
        </div>
      )}
      {editing !== null && (
        <PullForm
          key={editing === 'new' ? 'new' : editing.id}
          source={editing === 'new' ? null : editing}
          resources={loadable}
          codes={codes.data}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            refresh();
          }}
        />
      )}
      <ErrorBox error={page.error ?? error} />
      <Loading when={page.loading} />
      {page.data && items.length === 0 && <p className="muted">{t('pulls.none')}</p>}
      <div className="table-wrap">
        <table data-testid="pull-list" data-count={items.length}>
          <thead>
            <tr>
              <th>{t('pulls.name')}</th>
              <th>{t('pulls.resource')}</th>
              <th>{t('pulls.kind')}</th>
              <th>{t('pulls.where')}</th>
              <th>{t('pulls.mode')}</th>
              <th>{t('pulls.schedule')}</th>
              <th>{t('pulls.nextRun')}</th>
              <th>{t('pulls.lastJob')}</th>
              <th>{t('sharing.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id} data-source={s.id} data-name={s.name}>
                <td>
                  {s.name}
                  {!s.enabled && <span className="muted small"> ({t('pulls.disabled')})</span>}
                </td>
                <td>{byId.has(s.resourceId) ? `${byId.get(s.resourceId)!.code} ${byId.get(s.resourceId)!.name}` : s.resourceId}</td>
                <td>{t(`pulls.kind.${s.kind}` as MessageKey)}</td>
                <td className="code small pull-where" data-testid="pull-where">
                  {whereOf(s)}
                </td>
                <td>{t(`pulls.mode.${s.mode}`)}</td>
                <td>{scheduleLabel(s.schedule)}</td>
                <td className="small">{s.nextRunAt ? dateTime(s.nextRunAt) : '—'}</td>
                <td className="small">{s.lastJobId ? <a href="#/jobs">{s.lastJobId.slice(0, 8)}</a> : '—'}</td>
                <td>
                  {may(s) && (
                    <span className="pull-actions">
                      <button type="button" className="link-button" onClick={() => void run(s)}>
                        {t('pulls.run')}
                      </button>
                      <button type="button" className="link-button" onClick={() => void test(s)}>
                        {t('pulls.test')}
                      </button>
                      <button type="button" className="link-button" onClick={() => setEditing(s)}>
                        {t('pulls.edit')}
                      </button>
                      {confirming === s.id ? (
                        <>
                          <button type="button" className="link-button danger-link" onClick={() => void remove(s)}>
                            {t('pulls.confirmDelete')}
                          </button>
                          <button type="button" className="link-button" onClick={() => setConfirming(null)}>
                            {t('pulls.cancel')}
                          </button>
                        </>
                      ) : (
                        <button type="button" className="link-button danger-link" onClick={() => setConfirming(s.id)}>
                          {t('pulls.delete')}
                        </button>
                      )}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page.data?.nextCursor && (
        <p>
          <button type="button" onClick={() => setMore(page.data!.nextCursor)}>
            {t('review.more')}
          </button>
        </p>
      )}
      {running && <PullJob job={running.job} sourceName={running.name} />}
      {tested && <TestResult name={tested.name} result={tested.result} />}
    </section>
  );
}

/** The connection test: the header and first rows as the loader would see them; nothing loaded. */
function TestResult({ name, result }: { name: string; result: SourceTest }) {
  const { t } = useI18n();
  return (
    <div className="panel" data-testid="pull-test">
      <h3>{t('pulls.testTitle', { name })}</h3>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              {result.header.map((h) => (
                <th key={h}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {result.rows.map((row, i) => (
              <tr key={i}>
                {row.map((v, j) => (
                  <td key={j}>{v ?? '—'}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {result.rejects.length > 0 && (
        <ul className="small">
          {result.rejects.map((r) => (
            <li key={r.rowNumber}>{t('upload.rejectLine', { row: r.rowNumber, field: '—', reason: r.reason })}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
