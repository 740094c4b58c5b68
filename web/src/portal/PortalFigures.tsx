import { get } from '../api/client';
import { Figure } from '../components/Chart';
import { useApi } from '../components/use-api';
import { useI18n } from '../i18n/i18n';

/** The public catalogue's size, as anonymous callers see it. */
export function PortalFigures() {
  const { t, number } = useI18n();
  const stats = useApi(() => get('/api/v1/catalog/stats', { auth: false }), []);
  const s = stats.data;
  if (!s) return null;
  return (
    <div className="figures">
      <Figure id="portal-resources" label={t('figures.resources')} value={number(s.resources)} raw={s.resources} />
      <Figure id="portal-items" label={t('figures.items')} value={number(s.items)} raw={s.items} />
      <Figure id="portal-openable" label={t('figures.openableItems')} value={number(s.openableItems)} raw={s.openableItems} />
    </div>
  );
}
