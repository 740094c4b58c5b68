import { useState, type FormEvent } from 'react';
import { get, session } from '../api/client';
import type { Me } from '../api/types';
import { LangSwitch } from '../components/LangSwitch';
import { ErrorBox } from '../components/Status';
import { useI18n } from '../i18n/i18n';

/** Log in with an API token (printed by `kuaiji serve` for the first administrator, or issued to a user). */
export function Login({ onLogin }: { onLogin: (me: Me) => void }) {
  const { t } = useI18n();
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    session.save(token.trim());
    try {
      onLogin(await get('/api/v1/me'));
    } catch (err) {
      session.clear();
      setError(err);
    }
  };
  return (
    <main className="login">
      <div className="topbar-right">
        <LangSwitch />
      </div>
      <h1>{t('console.loginTitle')}</h1>
      <form onSubmit={(e) => void submit(e)}>
        <label htmlFor="login-token">{t('console.token')}</label>
        <input id="login-token" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} required />
        <p className="muted small">{t('console.tokenHelp')}</p>
        <button type="submit">{t('console.login')}</button>
      </form>
      <ErrorBox error={error} />
      <p>
        <a href="/">{t('nav.portal')}</a>
      </p>
    </main>
  );
}
