import { useState, type FormEvent } from 'react';
import { send } from '../api/client';
import { ErrorBox } from '../components/Status';
import { useI18n } from '../i18n/i18n';
import { openSession } from './open-session';

/** Sign in as a public user, or register (a username and a password; e-mail optional). */
export function SignIn() {
  const { t } = useI18n();
  const [mode, setMode] = useState<'login' | 'register'>('login');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      if (mode === 'register')
        await send('post', '/api/v1/open/users', {
          body: {
            username: username.trim(),
            password,
            displayName: displayName.trim() || undefined,
            email: email.trim() || undefined,
            phone: phone.trim() || undefined,
          },
        });
      const s = await send('post', '/api/v1/open/sessions', { body: { login: username.trim(), password } });
      openSession.save({ token: s.token, username: s.user.username, displayName: s.user.displayName });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className="login">
      <h1>{mode === 'login' ? t('account.signIn') : t('account.register')}</h1>
      <form onSubmit={(e) => void submit(e)}>
        <label htmlFor="account-username">{t('account.username')}</label>
        <input id="account-username" autoComplete="username" value={username} required onChange={(e) => setUsername(e.target.value)} />
        <label htmlFor="account-password">{t('account.password')}</label>
        <input
          id="account-password"
          type="password"
          autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
          value={password}
          required
          onChange={(e) => setPassword(e.target.value)}
        />
        {mode === 'register' && (
          <>
            <label htmlFor="account-name">{t('account.displayName')}</label>
            <input id="account-name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
            <label htmlFor="account-email">{t('account.email')}</label>
            <input id="account-email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />
            <label htmlFor="account-phone">{t('account.phone')}</label>
            <input id="account-phone" type="tel" autoComplete="tel" value={phone} onChange={(e) => setPhone(e.target.value)} />
            <p className="muted small">{t('account.contactHelp')}</p>
          </>
        )}
        <button type="submit">{mode === 'login' ? t('account.signIn') : t('account.registerSubmit')}</button>
      </form>
      <ErrorBox error={error} />
      <p>
        <button type="button" className="link-button" onClick={() => setMode(mode === 'login' ? 'register' : 'login')}>
          {mode === 'login' ? t('account.toRegister') : t('account.toSignIn')}
        </button>
      </p>
    </section>
  );
}
