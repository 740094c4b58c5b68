import { useMemo, useState } from 'react';
import type { Me } from '../../api/types';
import { MATCH_TIERS, type ThemeFigures, type ThemeSummary } from '../../api/themes-types';
import { Chart, Figure } from '../../components/Chart';
import { ErrorBox, Loading } from '../../components/Status';
import { useApi } from '../../components/use-api';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { nameIn } from './theme-name';
import { themesApi } from './themes-api';

/** The six themes: masters, sources by match tier, open conflicts, pending reviews; each theme's members with their sync state. */
export function ThemeOverview({ me }: { me: Me }) {
  const { t, number, percent, lang } = useI18n();
  const loaded = useApi(() => Promise.all([themesApi.list(), themesApi.stats()]), []);
  const [list, stats] = loaded.data ?? [null, null];
  const [open, setOpen] = useState<string | null>(null);
  const byCode = useMemo(() => new Map((stats?.themes ?? []).map((s) => [s.code, s] as const)), [stats]);
  const chart = useMemo(() => {
    if (!stats) return null;
    return {
      categories: stats.themes.map((s) => nameIn(lang, s)),
      series: [
        { name: t('themes.masters'), values: stats.themes.map((s) => s.masters) },
        { name: t('themes.sources'), values: stats.themes.map((s) => s.sources) },
      ],
    };
  }, [stats, lang, t]);
  const selected = list?.items.find((x) => x.code === open) ?? null;
  return (
    <section>
      <ErrorBox error={loaded.error} />
      <Loading when={loaded.loading} />
      {stats && (
        <div className="figures">
          <Figure id="themes-masters" label={t('themes.masters')} value={number(stats.totals.masters)} raw={stats.totals.masters} />
          <Figure id="themes-sources" label={t('themes.sources')} value={number(stats.totals.sources)} raw={stats.totals.sources} />
          <Figure id="themes-match-rate" label={t('themes.matchRate')} value={percent(stats.totals.matchRate)} raw={stats.totals.matchRate} />
          <Figure id="themes-conflicts" label={t('themes.conflictsOpen')} value={number(stats.totals.conflictsOpen)} raw={stats.totals.conflictsOpen} />
          <Figure id="themes-review" label={t('themes.reviewPending')} value={number(stats.totals.reviewPending)} raw={stats.totals.reviewPending} />
        </div>
      )}
      {list && (
        <div className="table-wrap">
          <table data-testid="themes">
            <thead>
              <tr>
                <th>{t('themes.theme')}</th>
                <th>{t('themes.keyKind')}</th>
                <th>{t('themes.masters')}</th>
                <th>{t('themes.sources')}</th>
                {MATCH_TIERS.map((tier) => (
                  <th key={tier} title={t(`themes.tierHelp.${tier}` as MessageKey)}>
                    {t(`themes.tier.${tier}` as MessageKey)}
                  </th>
                ))}
                <th>{t('themes.matchRate')}</th>
                <th>{t('themes.conflictsOpen')}</th>
                <th>{t('themes.reviewPending')}</th>
                <th>{t('themes.members')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((theme) => (
                <ThemeRow
                  key={theme.code}
                  theme={theme}
                  figures={byCode.get(theme.code)}
                  open={open === theme.code}
                  onToggle={() => setOpen(open === theme.code ? null : theme.code)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {selected && <Members me={me} theme={selected} onSynced={loaded.reload} />}
      {chart && stats && stats.themes.length > 0 && (
        <div className="charts">
          <Chart tableLabel={t('charts.table')} id="themes-masters" title={t('themes.chart.masters')} {...chart} />
        </div>
      )}
      {stats && <p className="muted small">{t('themes.matchRateHelp')}</p>}
    </section>
  );
}

function ThemeRow({ theme, figures, open, onToggle }: { theme: ThemeSummary; figures: ThemeFigures | undefined; open: boolean; onToggle(): void }) {
  const { t, number, percent, lang } = useI18n();
  const cell = (field: string, value: number | null | undefined) => (
    <td data-field={field} data-value={value ?? ''}>
      {number(value)}
    </td>
  );
  return (
    <tr data-theme={theme.code}>
      <th scope="row">{nameIn(lang, theme)}</th>
      <td>{t(`themes.keyKind.${theme.keyKind}` as MessageKey)}</td>
      {cell('masters', figures?.masters ?? theme.counts.masters)}
      {cell('sources', figures?.sources ?? theme.counts.sources)}
      {MATCH_TIERS.map((tier) => (
        <td key={tier} data-field={`tier-${tier}`} data-value={figures?.tiers[tier] ?? ''}>
          {number(figures?.tiers[tier])}
        </td>
      ))}
      <td data-field="matchRate" data-value={figures?.matchRate ?? ''}>
        {percent(figures?.matchRate)}
      </td>
      {cell('conflictsOpen', figures?.conflictsOpen ?? theme.counts.conflictsOpen)}
      {cell('reviewPending', figures?.reviewPending ?? theme.counts.reviewPending)}
      <td>
        <button type="button" className="link-button" aria-expanded={open} onClick={onToggle}>
          {t('themes.membersCount', { n: theme.members.length })}
        </button>
      </td>
    </tr>
  );
}

/** A theme's member resources: the key item, priority and the last sync; an admin starts a sync of every member. */
function Members({ me, theme, onSynced }: { me: Me; theme: ThemeSummary; onSynced(): void }) {
  const { t, number, dateTime, lang } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const [queued, setQueued] = useState(false);
  const sync = async () => {
    setError(null);
    setQueued(false);
    try {
      await themesApi.sync(theme.code);
      setQueued(true);
      onSynced();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className="panel" data-testid="theme-members" data-theme={theme.code}>
      <div className="panel-head">
        <h3>{t('themes.membersOf', { theme: nameIn(lang, theme) })}</h3>
        {me.role === 'ADMIN' && (
          <button type="button" onClick={() => void sync()}>
            {t('themes.sync')}
          </button>
        )}
      </div>
      {queued && (
        <p role="status" className="muted" data-testid="sync-queued">
          {t('themes.syncQueued')}
        </p>
      )}
      <ErrorBox error={error} />
      <p className="muted small">
        {t('themes.attributes')}: {theme.attributes.map((a) => nameIn(lang, a)).join('、')}
      </p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{t('jobs.resource')}</th>
              <th>{t('themes.keyItem')}</th>
              <th>{t('themes.priority')}</th>
              <th>{t('themes.syncStatus')}</th>
              <th>{t('themes.syncedAt')}</th>
              <th>{t('themes.rowsSeen')}</th>
            </tr>
          </thead>
          <tbody>
            {theme.members.map((m) => (
              <tr key={m.resourceId} data-member={m.resourceId}>
                <td>
                  <a href={`#/catalog/${m.resourceId}`}>{m.resourceName ? `${m.resourceCode ?? ''} ${m.resourceName}`.trim() : m.resourceId}</a>
                </td>
                <td className="code">{m.keyItem}</td>
                <td>{m.priority}</td>
                <td title={m.state?.error ?? undefined}>
                  <span className={`badge badge-sync-${(m.state?.status ?? 'never').toLowerCase()}`}>
                    {syncLabel(t, m.state?.status === 'IDLE' && !m.state.syncedAt ? undefined : m.state?.status)}
                  </span>
                </td>
                <td>{m.state?.syncedAt ? dateTime(m.state.syncedAt) : '—'}</td>
                <td>{number(m.state?.rowsSeen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const SYNC_STATES = ['IDLE', 'QUEUED', 'RUNNING', 'SYNCED', 'FAILED'];
function syncLabel(t: (key: MessageKey) => string, status: string | undefined): string {
  if (!status || status === 'NEVER') return t('themes.sync.never');
  return SYNC_STATES.includes(status.toUpperCase()) ? t(`themes.sync.${status.toUpperCase()}` as MessageKey) : status;
}
