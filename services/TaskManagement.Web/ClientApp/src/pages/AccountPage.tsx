import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { changePassword, deleteAccount, getProfile } from '../api/auth';
import { ApiError } from '../api/errors';
import type { Profile } from '../api/types';
import { useFocusFirstInvalid, MessageBar, TextField, usePageHeading, type Message } from '../components/common';
import { ConfirmDialog } from '../components/Dialog';
import { PasswordChecklist } from '../components/PasswordChecklist';
import { formatTimestamp } from '../lib/format';
import { isPasswordValid } from '../lib/password';
import { navigate } from '../router';
import { endSession, type Session } from '../session';

interface PasswordErrors {
  currentPassword?: string | undefined;
  newPassword?: string | undefined;
  confirm?: string | undefined;
}

export function AccountPage({ session }: { session: Session }) {
  const heading = usePageHeading('Your account');
  const form = useRef<HTMLFormElement>(null);
  const focusInvalid = useFocusFirstInvalid(form);
  const checklistId = useId();
  const [profile, setProfile] = useState<Profile | null>(null);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<PasswordErrors>({});
  const [attempted, setAttempted] = useState(false);
  const [message, setMessage] = useState<Message | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [deleting, setDeleting] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    getProfile(session.token, controller.signal).then(setProfile, () => undefined);
    return () => controller.abort();
  }, [session.token]);

  function fail(found: PasswordErrors, text: string) {
    setErrors(found);
    setMessage({ tone: 'error', text });
    focusInvalid();
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setAttempted(true);
    const found: PasswordErrors = {
      currentPassword: current ? undefined : 'Enter your current password.',
      newPassword: isPasswordValid(next) ? undefined : 'The new password does not meet every requirement below.',
      confirm: confirm === next ? undefined : 'The two new passwords do not match.',
    };
    if (found.currentPassword || found.newPassword || found.confirm) {
      fail(found, 'Please fix the highlighted fields.');
      return;
    }
    setBusy(true);
    try {
      await changePassword(session.token, current, next);
      setErrors({});
      setAttempted(false);
      setCurrent('');
      setNext('');
      setConfirm('');
      setMessage({ tone: 'success', text: 'Your password has been changed.' });
    } catch (err) {
      if (!(err instanceof ApiError) || err.kind === 'unauthenticated') return;
      const serverErrors: PasswordErrors = { currentPassword: err.field('currentPassword'), newPassword: err.field('newPassword') };
      if (err.kind === 'credentials') serverErrors.currentPassword ??= err.message;
      fail(serverErrors, err.message);
    } finally {
      setBusy(false);
    }
  }

  async function removeAccount() {
    setDeleting(true);
    try {
      await deleteAccount(session.token);
      endSession('Your account and all its tasks have been deleted.');
      navigate('/login', { replace: true });
    } catch (err) {
      setDeleting(false);
      setConfirmingDelete(false);
      if (err instanceof ApiError && err.kind === 'unauthenticated') return;
      setMessage({ tone: 'error', text: `Your account was not deleted. ${err instanceof ApiError ? err.message : ''}`.trim() });
    }
  }

  return (
    <div className="account">
      <h1 ref={heading} tabIndex={-1}>
        Your account
      </h1>
      <MessageBar message={message} />
      <section className="card" aria-labelledby="profile-heading">
        <h2 id="profile-heading">Profile</h2>
        <dl className="profile">
          <div>
            <dt>Username</dt>
            <dd>{profile?.username ?? session.username}</dd>
          </div>
          <div>
            <dt>Member since</dt>
            <dd>{profile ? formatTimestamp(profile.createdAt) : '…'}</dd>
          </div>
        </dl>
      </section>

      <section className="card" aria-labelledby="password-heading">
        <h2 id="password-heading">Change password</h2>
        <form ref={form} onSubmit={submit} noValidate>
          <input type="text" name="username" autoComplete="username" value={session.username} readOnly hidden />
          <TextField
            label="Current password"
            name="current-password"
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onValueChange={setCurrent}
            error={errors.currentPassword}
          />
          <TextField
            label="New password"
            name="new-password"
            type="password"
            autoComplete="new-password"
            required
            value={next}
            onValueChange={setNext}
            error={errors.newPassword}
            describedBy={checklistId}
          >
            <PasswordChecklist id={checklistId} password={next} highlightUnmet={attempted} />
          </TextField>
          <TextField
            label="Repeat new password"
            name="confirm-password"
            type="password"
            autoComplete="new-password"
            required
            value={confirm}
            onValueChange={setConfirm}
            error={errors.confirm}
          />
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Changing…' : 'Change password'}
          </button>
        </form>
      </section>

      <section className="card card-danger" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete account</h2>
        <p>This deletes your account and every task in it. It cannot be undone.</p>
        <button type="button" className="button button-danger" onClick={() => setConfirmingDelete(true)}>
          Delete my account
        </button>
      </section>

      <ConfirmDialog
        open={confirmingDelete}
        title="Delete your account?"
        body={<p>Your account “{session.username}” and all of its tasks will be deleted permanently.</p>}
        confirmLabel={deleting ? 'Deleting…' : 'Delete account'}
        busy={deleting}
        onConfirm={() => void removeAccount()}
        onCancel={() => setConfirmingDelete(false)}
      />
    </div>
  );
}
