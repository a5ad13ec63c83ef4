/** The login page (and the forced password change of the generated admin). */
import { useState, type FormEvent, type ReactElement } from 'react';
import { apiGet, apiPost, type Session } from '../api.ts';

export function Login({
  onLogin,
  mustChange,
}: {
  onLogin: (s: Session) => void;
  mustChange?: Session;
}): ReactElement {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      if (mustChange) {
        await apiPost('auth/password', { currentPassword: password, newPassword });
        onLogin(await apiGet<Session>('auth/session'));
      } else {
        onLogin(await apiPost<Session>('auth/login', { username, password }));
      }
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login">
      <form className="login-card" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <div className="brand big">
          <img src="/favicon.svg" alt="" width={40} height={40} />
          <span>FlowLens</span>
        </div>
        <h1 id="login-title">{mustChange ? 'Choose a new password' : 'Sign in'}</h1>
        <p className="muted">
          {mustChange
            ? 'The generated password works once. Pick your own (8 characters or more).'
            : 'See what is on your network and what it is doing.'}
        </p>
        {!mustChange && (
          <label>
            User name
            <input
              name="username"
              autoComplete="username"
              required
              autoFocus
              value={username}
              onChange={(e) => setUsername(e.target.value)}
            />
          </label>
        )}
        <label>
          {mustChange ? 'Current password' : 'Password'}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {mustChange && (
          <label>
            New password
            <input
              name="newPassword"
              type="password"
              autoComplete="new-password"
              minLength={8}
              required
              value={newPassword}
              onChange={(e) => setNewPassword(e.target.value)}
            />
          </label>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button className="btn primary" type="submit" disabled={busy}>
          {busy ? 'Signing in…' : mustChange ? 'Save and continue' : 'Sign in'}
        </button>
        <p className="muted small">
          First start? The log shows a one-time password for <code>admin</code>; <code>npm run demo</code>{' '}
          prints its own.
        </p>
      </form>
    </div>
  );
}
