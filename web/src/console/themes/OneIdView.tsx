import { Fragment, useMemo, useState, type FormEvent } from 'react';
import type { OneIdAnswer } from '../../api/themes-types';
import { loadResourceNames } from '../../components/catalogue';
import { ErrorBox, Loading } from '../../components/Status';
import { useApi } from '../../components/use-api';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { nameIn } from './theme-name';
import { themesApi } from './themes-api';

const show = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/**
 * 一证通办: a citizen ID or a USCC and the purpose of the query → the subject's master attributes with
 * where each came from, every member record the caller is granted (masked), and what was withheld and why.
 */
export function OneIdView() {
  const { t } = useI18n();
  const [id, setId] = useState('');
  const [purpose, setPurpose] = useState('');
  const [answer, setAnswer] = useState<OneIdAnswer | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setAnswer(await themesApi.oneId(id.trim(), purpose.trim()));
    } catch (err) {
      setAnswer(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section>
      <form className="search one-id" onSubmit={(e) => void submit(e)}>
        <label htmlFor="one-id">{t('oneId.id')}</label>
        <input id="one-id" value={id} required autoComplete="off" placeholder={t('oneId.idHint')} onChange={(e) => setId(e.target.value)} />
        <label htmlFor="one-id-purpose">{t('oneId.purpose')}</label>
        <input id="one-id-purpose" value={purpose} required minLength={2} placeholder={t('oneId.purposeHint')} onChange={(e) => setPurpose(e.target.value)} />
        <button type="submit" disabled={busy || id.trim() === '' || purpose.trim().length < 2}>
          {t('oneId.query')}
        </button>
      </form>
      <p className="muted small">{t('oneId.audited')}</p>
      <ErrorBox error={error} />
      <Loading when={busy} />
      {answer && <OneIdResult answer={answer} />}
    </section>
  );
}

function OneIdResult({ answer }: { answer: OneIdAnswer }) {
  const { t, dateTime, lang } = useI18n();
  const names = useApi(loadResourceNames, []);
  // The themes' attribute names, so a row reads 姓名 rather than only its code.
  const themes = useApi(themesApi.list, []);
  const attributeName = (theme: string, code: string) => {
    const a = themes.data?.items.find((x) => x.code === theme)?.attributes.find((x) => x.code === code);
    return a ? nameIn(lang, a) : null;
  };
  const resourceName = (id: string) => names.data?.get(id) ?? id;
  const groups = useMemo(() => {
    const byTheme = new Map<string, OneIdAnswer['records']>();
    for (const r of answer.records) byTheme.set(r.theme, [...(byTheme.get(r.theme) ?? []), r]);
    return [...byTheme];
  }, [answer]);
  const themeName = (code: string) => answer.subjects.find((s) => s.theme === code)?.themeName ?? code;
  return (
    <div data-testid="one-id-result" data-id={answer.id}>
      <p>
        {t('oneId.normalised')}:{' '}
        <span className="code" data-testid="one-id-normalised">
          {answer.id}
        </span>{' '}
        · {t(`themes.keyKind.${answer.kind}` as MessageKey)}
      </p>
      {answer.subjects.length === 0 && answer.records.length === 0 && <p className="muted">{t('oneId.nothing')}</p>}
      {answer.subjects.map((s) => (
        <section key={`${s.theme}:${s.masterKey}`} className="panel" data-testid="one-id-subject" data-theme={s.theme}>
          <h3>
            {s.themeName} <span className="muted code">{s.masterKey}</span>
          </h3>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t('oneId.attribute')}</th>
                  <th>{t('oneId.value')}</th>
                  <th>{t('oneId.source')}</th>
                  <th>{t('oneId.receivedAt')}</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(s.attributes).map(([code, value]) => {
                  const p = s.provenance[code];
                  return (
                    <tr key={code} data-attribute={code}>
                      <th scope="row">
                        {attributeName(s.theme, code) ?? ''} <span className="muted code small">{code}</span>
                      </th>
                      <td data-field="value">{show(value)}</td>
                      <td data-field="source" data-resource={p?.resourceId ?? ''}>
                        {p ? resourceName(p.resourceId) : '—'}
                      </td>
                      <td data-field="receivedAt">{p ? dateTime(p.receivedAt) : '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      ))}
      {groups.length > 0 && <h2>{t('oneId.records')}</h2>}
      {groups.map(([theme, records]) => (
        <section key={theme} data-testid="one-id-records" data-theme={theme}>
          <h3>{themeName(theme)}</h3>
          {records.map((r, i) => (
            <details key={`${r.resourceId}:${i}`} className="panel" open data-resource={r.resourceId}>
              <summary>
                {r.resourceCode} {r.resourceName} <span className="badge">{t(`themes.tier.${r.tier}` as MessageKey)}</span>
              </summary>
              <dl className="meta">
                {Object.entries(r.record).map(([k, v]) => (
                  <Fragment key={k}>
                    <dt className="code">{k}</dt>
                    <dd>{show(v)}</dd>
                  </Fragment>
                ))}
              </dl>
            </details>
          ))}
        </section>
      ))}
      {answer.withheld.length > 0 && (
        <section className="panel" data-testid="one-id-withheld">
          <h3>{t('oneId.withheld')}</h3>
          <ul>
            {answer.withheld.map((w) => (
              <li key={w.resourceId} data-resource={w.resourceId}>
                {w.resourceName}: {withheldReason(t, w.reason)}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

const REASONS = ['OTHER_DEPARTMENT', 'NOT_GRANTED', 'NO_GRANTED_ITEMS', 'CLASSIFIED'];
function withheldReason(t: (key: MessageKey) => string, reason: string): string {
  return REASONS.includes(reason) ? t(`oneId.reason.${reason}` as MessageKey) : reason;
}
