import { useState, type FormEvent } from 'react';
import { api, get, session } from '../api/client';
import type { Me } from '../api/types';
import { LangSwitch } from '../components/LangSwitch';
import { ErrorBox } from '../components/Status';
import { useI18n } from '../i18n/i18n';

type Mode = 'password' | 'token';

/**
 * Sign in with a username and password (POST /api/v1/sessions: a 12-hour session token), or with an
 * API token (printed by `kuaiji serve` for the first administrator, or issued to a user).
 */
export function Login({ onLogin }: { onLogin: (me: Me) => void }) {
  const { t } = useI18n();
  const [mode, setMode] = useState<Mode>('token');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      if (mode === 'password') {
        const signedIn = await api<{ token: { token: string } }>('/api/v1/sessions', {
          method: 'POST',
          body: { username: username.trim(), password },
          auth: false,
        });
        session.save(signedIn.token.token);
      } else {
        session.save(token.trim());
      }
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
      <div className="tabs" role="tablist">
        {(['token', 'password'] as const).map((m) => (
          <button key={m} type="button" role="tab" aria-selected={mode === m} className={mode === m ? 'tab active' : 'tab'} onClick={() => setMode(m)}>
            {t(m === 'password' ? 'console.withPassword' : 'console.withToken')}
          </button>
        ))}
      </div>
      <form onSubmit={(e) => void submit(e)}>
        {mode === 'password' ? (
          <>
            <label htmlFor="login-username">{t('console.username')}</label>
            <input id="login-username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
            <label htmlFor="login-password">{t('console.password')}</label>
            <input
              id="login-password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
            <p className="muted small">{t('console.passwordHelp')}</p>
          </>
        ) : (
          <>
            <label htmlFor="login-token">{t('console.token')}</label>
            <input id="login-token" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} required />
            <p className="muted small">{t('console.tokenHelp')}</p>
          </>
        )}
        <button type="submit">{t('console.login')}</button>
      </form>
      <ErrorBox error={error} />
      <p>
        <a href="/">{t('nav.portal')}</a>
      </p>
    </main>
  );
}
