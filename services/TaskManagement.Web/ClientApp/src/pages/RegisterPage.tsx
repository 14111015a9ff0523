import { useId, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { login, register } from '../api/auth';
import { MessageBar, TextField, usePageHeading } from '../components/common';
import { PasswordChecklist } from '../components/PasswordChecklist';
import { setFlash } from '../flash';
import { useFormSubmit } from '../hooks/useFormSubmit';
import { isPasswordValid, usernameProblem } from '../lib/password';
import { startSession } from '../session';

export function RegisterPage() {
  const heading = usePageHeading('Create an account');
  const navigate = useNavigate();
  const checklistId = useId();
  const [showPassword, setShowPassword] = useState(false);
  const { form, values, message, busy, attempted, field, onSubmit } = useFormSubmit({
    initial: { username: '', password: '' },
    validate: ({ username, password }) => ({
      username: usernameProblem(username) ?? undefined,
      password: isPasswordValid(password) ? undefined : 'This password does not meet every requirement below.',
    }),
    submit: async ({ username, password }) => {
      await register(username, password);
      try {
        const signedIn = await login(username, password);
        setFlash(`Welcome, ${username}! Your account is ready.`);
        startSession(signedIn);
        navigate('/dashboard', { replace: true });
      } catch {
        // The account exists; signing in is a separate step that can be retried.
        navigate('/login', { replace: true });
      }
    },
    blame: { conflict: 'username' },
  });

  return (
    <section className="auth-card" aria-labelledby="register-heading">
      <h1 id="register-heading" ref={heading} tabIndex={-1}>
        Create an account
      </h1>
      <MessageBar message={message} />
      <form ref={form} onSubmit={onSubmit} noValidate>
        <TextField
          label="Username"
          name="username"
          hint="3–50 letters, digits, underscores (_) or hyphens (-)."
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          maxLength={50}
          {...field('username')}
        />
        <TextField
          label="Password"
          name="new-password"
          type={showPassword ? 'text' : 'password'}
          autoComplete="new-password"
          required
          describedBy={checklistId}
          {...field('password')}
        >
          <label className="checkbox">
            <input type="checkbox" checked={showPassword} onChange={(e) => setShowPassword(e.target.checked)} />
            Show password
          </label>
          <PasswordChecklist id={checklistId} password={values.password} highlightUnmet={attempted} />
        </TextField>
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? 'Creating account…' : 'Create account'}
        </button>
      </form>
      <p className="auth-switch">
        Already registered? <Link to="/login">Log in</Link>
      </p>
    </section>
  );
}
