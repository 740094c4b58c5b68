import { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n';

/** A failed request: the problem code's message in the UI's language (never the raw English detail). */
export function ErrorBox({ error }: { error: unknown }) {
  const { t, error: message } = useI18n();
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : 'NETWORK';
  return (
    <div className="error" role="alert" data-code={code}>
      <strong>{code === 'NETWORK' ? t('common.networkError') : message(code)}</strong>
      {code !== 'NETWORK' && <span className="muted"> ({code})</span>}
    </div>
  );
}

export function Loading({ when }: { when: boolean }) {
  const { t } = useI18n();
  return when ? <p className="muted">{t('common.loading')}</p> : null;
}
