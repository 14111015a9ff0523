import { useEffect, useRef, useState, type FormEvent } from 'react';
import { login } from '../api/auth';
import { ApiError } from '../api/errors';
import { useFocusFirstInvalid, MessageBar, TextField, usePageHeading, type Message } from '../components/common';
import { Link, navigate } from '../router';
import { clearNotice, peekNotice, startSession } from '../session';

export function LoginPage() {
  const heading = usePageHeading('Log in');
  const form = useRef<HTMLFormElement>(null);
  const focusInvalid = useFocusFirstInvalid(form);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ username?: string; password?: string }>({});
  const [message, setMessage] = useState<Message | null>(() => {
    const notice = peekNotice();
    return notice ? { tone: 'info', text: notice } : null;
  });
  const [busy, setBusy] = useState(false);
  useEffect(() => clearNotice(), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const found = {
      ...(username.trim() ? {} : { username: 'Enter your username.' }),
      ...(password ? {} : { password: 'Enter your password.' }),
    };
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setMessage(null);
      focusInvalid();
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      startSession(await login(username.trim(), password));
      navigate('/dashboard', { replace: true });
    } catch (err) {
      const apiError = err instanceof ApiError ? err : null;
      setErrors({ username: apiError?.field('username'), password: apiError?.field('password') });
      setMessage({ tone: 'error', text: apiError?.message ?? 'Logging in failed. Please try again.' });
      setPassword('');
      setBusy(false);
    }
  }

  return (
    <section className="auth-card" aria-labelledby="login-heading">
      <h1 id="login-heading" ref={heading} tabIndex={-1}>
        Log in
      </h1>
      <MessageBar message={message} />
      <form ref={form} onSubmit={submit} noValidate>
        <TextField
          label="Username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={username}
          onValueChange={setUsername}
          error={errors.username}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onValueChange={setPassword}
          error={errors.password}
        />
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <p className="auth-switch">
        New here? <Link to="/register">Create an account</Link>
      </p>
    </section>
  );
}
