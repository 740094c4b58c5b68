import { useEffect, useState } from 'react';
import { get, type ResponseOf } from '../../api/client';
import { ErrorBox } from '../../components/Status';
import { useI18n } from '../../i18n/i18n';

type Master = ResponseOf<'/api/v1/themes/{code}/masters'>['items'][number];

const SEARCH_DELAY_MS = 300;
const SHOWN = 10;
const ATTRIBUTES_SHOWN = 3;
const show = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : String(v));

/**
 * Finds the master to link a waiting record to: the theme's masters whose key begins with what is
 * typed (the masters API's `q`, normalised as the theme's keys are), each shown with its key and a
 * few attributes masked as the API masks them. The choice is the master's id (the link API takes a
 * key or an id), so a masked key never has to be typed back.
 */
export function MasterPicker({ code, value, onChange }: { code: string; value: string; onChange(id: string, shown: string): void }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Master[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      get('/api/v1/themes/{code}/masters', { params: { code }, query: { q: q.trim() || undefined, limit: SHOWN } }).then(
        (page) => {
          if (!live) return;
          setFound(page.items);
          setError(null);
        },
        (err: unknown) => live && setError(err),
      );
    }, SEARCH_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [code, q]);
  return (
    <div data-testid="master-picker">
      <label htmlFor="review-master-search">{t('review.masterSearch')}</label>
      <input id="review-master-search" type="search" value={q} placeholder={t('review.masterSearchHelp')} onChange={(e) => setQ(e.target.value)} />
      <ErrorBox error={error} />
      {found && found.length === 0 && <p className="muted small">{t('review.noMasters')}</p>}
      {found && found.length > 0 && (
        <ul className="results" data-testid="master-results">
          {found.map((m) => (
            <li key={m.id} data-master={m.id}>
              <label>
                <input type="radio" name="review-master" value={m.id} checked={value === m.id} onChange={() => onChange(m.id, m.key ?? m.id)} />{' '}
                <span className="code">{m.key ?? m.id}</span>{' '}
                <span className="muted small">
                  {Object.entries(m.attributes)
                    .slice(0, ATTRIBUTES_SHOWN)
                    .map(([k, v]) => `${k}: ${show(v)}`)
                    .join('; ')}{' '}
                  {t('review.masterSources', { n: m.sourceCount })}
                </span>
              </label>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
