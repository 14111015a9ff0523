import { useId, useRef, useState, type FormEvent } from 'react';
import { login, register } from '../api/auth';
import { ApiError } from '../api/errors';
import { useFocusFirstInvalid, MessageBar, TextField, usePageHeading, type Message } from '../components/common';
import { PasswordChecklist } from '../components/PasswordChecklist';
import { isPasswordValid, usernameProblem } from '../lib/password';
import { Link, navigate } from '../router';
import { startSession } from '../session';
import { setFlash } from '../flash';

interface Errors {
  username?: string | undefined;
  password?: string | undefined;
}

export function RegisterPage() {
  const heading = usePageHeading('Create an account');
  const form = useRef<HTMLFormElement>(null);
  const focusInvalid = useFocusFirstInvalid(form);
  const checklistId = useId();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [attempted, setAttempted] = useState(false);
  const [message, setMessage] = useState<Message | null>(null);
  const [busy, setBusy] = useState(false);

  function fail(found: Errors, text: string) {
    setErrors(found);
    setMessage({ tone: 'error', text });
    focusInvalid();
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setAttempted(true);
    const found: Errors = {
      username: usernameProblem(username) ?? undefined,
      password: isPasswordValid(password) ? undefined : 'This password does not meet every requirement below.',
    };
    if (found.username || found.password) {
      fail(found, 'Please fix the highlighted fields.');
      return;
    }

    setBusy(true);
    setErrors({});
    setMessage(null);
    try {
      await register(username, password);
    } catch (err) {
      setBusy(false);
      if (!(err instanceof ApiError)) throw err;
      const serverErrors: Errors = { username: err.field('username'), password: err.field('password') };
      if (err.kind === 'conflict') serverErrors.username ??= err.message;
      fail(serverErrors, err.message);
      return;
    }

    try {
      startSession(await login(username, password));
      setFlash(`Welcome, ${username}! Your account is ready.`);
      navigate('/dashboard', { replace: true });
    } catch {
      // The account exists; signing in is a separate step that can be retried.
      navigate('/login', { replace: true });
    }
  }

  return (
    <section className="auth-card" aria-labelledby="register-heading">
      <h1 id="register-heading" ref={heading} tabIndex={-1}>
        Create an account
      </h1>
      <MessageBar message={message} />
      <form ref={form} onSubmit={submit} noValidate>
        <TextField
          label="Username"
          name="username"
          hint="3–50 letters, digits, underscores (_) or hyphens (-)."
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          maxLength={50}
          value={username}
          onValueChange={setUsername}
          error={errors.username}
        />
        <TextField
          label="Password"
          name="new-password"
          type={showPassword ? 'text' : 'password'}
          autoComplete="new-password"
          required
          value={password}
          onValueChange={setPassword}
          error={errors.password}
          describedBy={checklistId}
        >
          <label className="checkbox">
            <input type="checkbox" checked={showPassword} onChange={(e) => setShowPassword(e.target.checked)} />
            Show password
          </label>
          <PasswordChecklist id={checklistId} password={password} highlightUnmet={attempted} />
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
