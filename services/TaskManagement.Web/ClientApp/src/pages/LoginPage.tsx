import { useEffect } from 'react';
import { Link, useNavigate } from 'react-router';
import { login } from '../api/auth';
import { MessageBar, TextField, usePageHeading } from '../components/common';
import { useFormSubmit } from '../hooks/useFormSubmit';
import { clearNotice, peekNotice, startSession } from '../session';

export function LoginPage() {
  const heading = usePageHeading('Log in');
  const navigate = useNavigate();
  const notice = peekNotice();
  const { form, message, busy, field, onSubmit } = useFormSubmit({
    initial: { username: '', password: '' },
    validate: ({ username, password }) => ({
      username: username.trim() ? undefined : 'Enter your username.',
      password: password ? undefined : 'Enter your password.',
    }),
    invalidMessage: null,
    submit: async ({ username, password }) => {
      startSession(await login(username.trim(), password));
      navigate('/dashboard', { replace: true });
    },
    clearOnError: ['password'],
    initialMessage: notice ? { tone: 'info', text: notice } : null,
  });
  useEffect(() => clearNotice(), []);

  return (
    <section className="auth-card" aria-labelledby="login-heading">
      <h1 id="login-heading" ref={heading} tabIndex={-1}>
        Log in
      </h1>
      <MessageBar message={message} />
      <form ref={form} onSubmit={onSubmit} noValidate>
        <TextField label="Username" name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} required {...field('username')} />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" required {...field('password')} />
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
