import { useEffect, useState, type FormEvent } from 'react';
import type { Conflict, ReviewRow } from '../../api/themes-types';
import { loadResourceNames } from '../../components/catalogue';
import { ErrorBox, Loading } from '../../components/Status';
import { useApi } from '../../components/use-api';
import { useI18n } from '../../i18n/i18n';
import { MasterPicker } from './MasterPicker';
import { nameIn } from './theme-name';
import { themesApi } from './themes-api';

const STATUSES = ['PENDING', 'LINKED', 'DISMISSED'] as const;
const show = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** A crosswalk source key ([[item, value], …], the member record's key) as `item=value`. */
export function sourceKeyText(sourceKey: string): string {
  try {
    const pairs = JSON.parse(sourceKey) as unknown;
    if (Array.isArray(pairs) && pairs.every((p) => Array.isArray(p) && p.length === 2)) return pairs.map(([k, v]) => `${String(k)}=${String(v)}`).join(', ');
  } catch {
    // not JSON: shown as it is
  }
  return sourceKey;
}

type Action = { kind: 'link' | 'dismiss'; row: ReviewRow };

/** 待核查: member records no key or attribute combination could match (link one to a master, or dismiss it with a reason), and the theme's conflicts. */
export function ReviewQueue() {
  const { t, lang } = useI18n();
  const themes = useApi(themesApi.list, []);
  const [code, setCode] = useState('');
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('PENDING');
  const [rows, setRows] = useState<ReviewRow[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const [more, setMore] = useState<string | null>(null);
  const [action, setAction] = useState<Action | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const names = useApi(loadResourceNames, []);
  // The first theme with something waiting, once the themes are known.
  useEffect(() => {
    if (code || !themes.data?.items.length) return;
    setCode((themes.data.items.find((x) => x.counts.reviewPending > 0) ?? themes.data.items[0]!).code);
  }, [themes.data, code]);
  const page = useApi(async () => (code ? themesApi.review(code, { status, cursor: more }) : null), [code, status, more, tick]);
  useEffect(() => {
    if (!page.data) return;
    setRows((prev) => (more ? [...prev, ...page.data!.items] : page.data!.items));
    setCursor(page.data.nextCursor);
  }, [page.data]);
  const conflicts = useApi(async () => (code ? themesApi.conflicts(code, { status: 'OPEN' }) : null), [code, tick]);
  const refresh = () => {
    setMore(null);
    setTick((n) => n + 1);
  };
  return (
    <section>
      <form className="search" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="review-theme">{t('themes.theme')}</label>
        <select
          id="review-theme"
          value={code}
          onChange={(e) => {
            setMore(null);
            setCode(e.target.value);
          }}
        >
          {themes.data?.items.map((x) => (
            <option key={x.code} value={x.code}>
              {nameIn(lang, x)} ({x.counts.reviewPending})
            </option>
          ))}
        </select>
        <label htmlFor="review-status">{t('sharing.status')}</label>
        <select
          id="review-status"
          value={status}
          onChange={(e) => {
            setMore(null);
            setStatus(e.target.value as typeof status);
          }}
        >
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`review.status.${s}`)}
            </option>
          ))}
        </select>
      </form>
      {done && (
        <p role="status" className="muted" data-testid="review-done">
          {done}
        </p>
      )}
      <ErrorBox error={themes.error ?? page.error} />
      <Loading when={page.loading} />
      {page.data && rows.length === 0 && <p className="muted">{t('review.empty')}</p>}
      <div className="table-wrap">
        <table data-testid="review-queue" data-count={rows.length}>
          <thead>
            <tr>
              <th>{t('jobs.resource')}</th>
              <th>{t('review.sourceKey')}</th>
              <th>{t('review.rawKey')}</th>
              <th>{t('review.attributes')}</th>
              <th>{t('oneId.receivedAt')}</th>
              <th>{t('sharing.status')}</th>
              <th>{t('sharing.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.resourceId}:${r.sourceKey}`} data-source-key={r.sourceKey} data-resource={r.resourceId}>
                <td>{names.data?.get(r.resourceId) ?? r.resourceId}</td>
                <td className="code">{sourceKeyText(r.sourceKey)}</td>
                <td className="code">{show(r.rawKey)}</td>
                <td className="small">
                  {Object.entries(r.attributes)
                    .map(([k, v]) => `${k}: ${show(v)}`)
                    .join('; ')}
                </td>
                <td>{r.receivedAt ? new Date(r.receivedAt).toLocaleDateString(lang) : '—'}</td>
                <td title={r.reviewReason ?? undefined}>{t(`review.status.${r.reviewStatus}`)}</td>
                <td>
                  {r.reviewStatus === 'PENDING' && (
                    <>
                      <button type="button" className="link-button" onClick={() => setAction({ kind: 'link', row: r })}>
                        {t('review.link')}
                      </button>{' '}
                      <button type="button" className="link-button danger-link" onClick={() => setAction({ kind: 'dismiss', row: r })}>
                        {t('review.dismiss')}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {cursor && (
        <p>
          <button type="button" onClick={() => setMore(cursor)}>
            {t('review.more')}
          </button>
        </p>
      )}
      {action && (
        <ActionForm
          key={`${action.kind}:${action.row.sourceKey}`}
          code={code}
          action={action}
          onClose={() => setAction(null)}
          onDone={(message) => {
            setAction(null);
            setDone(message);
            refresh();
          }}
        />
      )}
      <h2>{t('review.conflicts')}</h2>
      <ErrorBox error={conflicts.error} />
      {conflicts.data && conflicts.data.items.length === 0 && <p className="muted">{t('review.noConflicts')}</p>}
      {conflicts.data && conflicts.data.items.length > 0 && <Conflicts items={conflicts.data.items} names={names.data} />}
    </section>
  );
}

function ActionForm({ code, action, onClose, onDone }: { code: string; action: Action; onClose(): void; onDone(message: string): void }) {
  const { t } = useI18n();
  // The chosen master's id (what the link sends) and its key as shown (masked as the API masks it).
  const [master, setMaster] = useState<{ id: string; shown: string } | null>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const { row, kind } = action;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      if (kind === 'link') {
        if (!master) return;
        await themesApi.link(code, { resourceId: row.resourceId, sourceKey: row.sourceKey, masterKey: master.id, note: text.trim() || undefined });
        onDone(t('review.linked', { key: sourceKeyText(row.sourceKey), master: master.shown }));
      } else {
        await themesApi.dismiss(code, { resourceId: row.resourceId, sourceKey: row.sourceKey, reason: text.trim() });
        onDone(t('review.dismissed', { key: sourceKeyText(row.sourceKey) }));
      }
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="panel decision" data-testid={`review-${kind}`} onSubmit={(e) => void submit(e)}>
      <h3>
        {t(kind === 'link' ? 'review.linkTitle' : 'review.dismissTitle')} <span className="code">{sourceKeyText(row.sourceKey)}</span>
      </h3>
      {kind === 'link' && <MasterPicker code={code} value={master?.id ?? ''} onChange={(id, shown) => setMaster({ id, shown })} />}
      {kind === 'link' && (
        <p className="small" data-testid="master-chosen">
          {t('review.masterKey')}: <span className="code">{master?.shown ?? '—'}</span>
        </p>
      )}
      <label htmlFor="review-text">{t(kind === 'link' ? 'review.note' : 'review.reason')}</label>
      <textarea id="review-text" rows={2} value={text} required={kind === 'dismiss'} onChange={(e) => setText(e.target.value)} />
      <ErrorBox error={error} />
      <div className="actions">
        <button type="submit" className={kind === 'dismiss' ? 'danger' : 'primary'} disabled={kind === 'link' ? master === null : text.trim() === ''}>
          {t(kind === 'link' ? 'review.link' : 'review.dismiss')}
        </button>
        <button type="button" onClick={onClose}>
          {t('sharing.close')}
        </button>
      </div>
    </form>
  );
}

function Conflicts({ items, names }: { items: Conflict[]; names: Map<string, string> | null }) {
  const { t, dateTime } = useI18n();
  return (
    <div className="table-wrap">
      <table data-testid="conflicts">
        <thead>
          <tr>
            <th>{t('review.masterKey')}</th>
            <th>{t('oneId.attribute')}</th>
            <th>{t('review.candidates')}</th>
            <th>{t('review.openedAt')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.id} data-conflict={c.id}>
              <td className="code">{c.masterKey}</td>
              <td className="code">{c.attribute}</td>
              <td>
                <ul className="candidates">
                  {c.candidates.map((x) => (
                    <li key={`${x.resourceId}:${x.sourceKey}`} title={sourceKeyText(x.sourceKey)}>
                      {show(x.value)} <span className="muted small">({names?.get(x.resourceId) ?? x.resourceId})</span>
                    </li>
                  ))}
                </ul>
              </td>
              <td>{dateTime(c.openedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
