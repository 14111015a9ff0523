import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { changePassword, deleteAccount, getProfile } from '../api/auth';
import { ApiError } from '../api/errors';
import { MessageBar, TextField, usePageHeading } from '../components/common';
import { ConfirmDialog } from '../components/Dialog';
import { PasswordChecklist } from '../components/PasswordChecklist';
import { useFormSubmit } from '../hooks/useFormSubmit';
import { formatTimestamp } from '../lib/format';
import { isPasswordValid } from '../lib/password';
import { endSession, type Session } from '../session';

export function AccountPage({ session }: { session: Session }) {
  const heading = usePageHeading('Your account');
  const checklistId = useId();
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const profile = useQuery({
    queryKey: ['profile', session.userId],
    queryFn: ({ signal }) => getProfile(session.token, signal),
  });
  const { form, values, message, setMessage, busy, attempted, field, onSubmit } = useFormSubmit({
    initial: { currentPassword: '', newPassword: '', confirm: '' },
    validate: ({ currentPassword, newPassword, confirm }) => ({
      currentPassword: currentPassword ? undefined : 'Enter your current password.',
      newPassword: isPasswordValid(newPassword) ? undefined : 'The new password does not meet every requirement below.',
      confirm: confirm === newPassword ? undefined : 'The two new passwords do not match.',
    }),
    submit: async ({ currentPassword, newPassword }) => {
      await changePassword(session.token, currentPassword, newPassword);
      return { tone: 'success', text: 'Your password has been changed.' };
    },
    blame: { credentials: 'currentPassword' },
  });
  const removal = useMutation({
    mutationFn: () => deleteAccount(session.token),
    // The route guard then takes the user to the login page, which shows this notice.
    onSuccess: () => endSession('Your account and all its tasks have been deleted.'),
    onError: (err) => {
      setConfirmingDelete(false);
      if (err instanceof ApiError && err.kind === 'unauthenticated') return;
      setMessage({ tone: 'error', text: `Your account was not deleted. ${err instanceof ApiError ? err.message : ''}`.trim() });
    },
  });

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
            <dd>{profile.data?.username ?? session.username}</dd>
          </div>
          <div>
            <dt>Member since</dt>
            <dd>{profile.data ? formatTimestamp(profile.data.createdAt) : '…'}</dd>
          </div>
        </dl>
      </section>

      <section className="card" aria-labelledby="password-heading">
        <h2 id="password-heading">Change password</h2>
        <form ref={form} onSubmit={onSubmit} noValidate>
          <input type="text" name="username" autoComplete="username" value={session.username} readOnly hidden />
          <TextField label="Current password" name="current-password" type="password" autoComplete="current-password" required {...field('currentPassword')} />
          <TextField
            label="New password"
            name="new-password"
            type="password"
            autoComplete="new-password"
            required
            describedBy={checklistId}
            {...field('newPassword')}
          >
            <PasswordChecklist id={checklistId} password={values.newPassword} highlightUnmet={attempted} />
          </TextField>
          <TextField label="Repeat new password" name="confirm-password" type="password" autoComplete="new-password" required {...field('confirm')} />
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
        confirmLabel={removal.isPending ? 'Deleting…' : 'Delete account'}
        busy={removal.isPending}
        onConfirm={() => removal.mutate()}
        onCancel={() => setConfirmingDelete(false)}
      />
    </div>
  );
}
