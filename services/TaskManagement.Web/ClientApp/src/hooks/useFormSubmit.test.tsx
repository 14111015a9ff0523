// @vitest-environment jsdom
import { act, renderHook } from '@testing-library/react';
import type { FormEvent } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/errors';
import { useFormSubmit, type FormSubmitOptions } from './useFormSubmit';

type Field = 'username' | 'password';
const submitEvent = { preventDefault: () => {} } as FormEvent;

function render(options: Partial<FormSubmitOptions<Field>>) {
  const submit = vi.fn(options.submit ?? (async () => undefined));
  const hook = renderHook(() =>
    useFormSubmit<Field>({
      initial: { username: '', password: '' },
      validate: ({ username }) => ({ username: username ? undefined : 'Enter your username.' }),
      ...options,
      submit,
    }),
  );
  const type = (name: Field, value: string) => act(() => hook.result.current.field(name).onValueChange(value));
  const send = () => act(() => hook.result.current.onSubmit(submitEvent));
  return { hook, submit, type, send };
}

describe('useFormSubmit', () => {
  it('checks the fields first and sends nothing while one is wrong', async () => {
    const { hook, submit, send } = render({});
    await send();
    expect(submit).not.toHaveBeenCalled();
    expect(hook.result.current.errors).toEqual({ username: 'Enter your username.' });
    expect(hook.result.current.field('username').error).toBe('Enter your username.');
    expect(hook.result.current.message).toEqual({ tone: 'error', text: 'Please fix the highlighted fields.' });
    expect(hook.result.current.attempted).toBe(true);
  });

  it('can leave the message bar empty for a failed check', async () => {
    const { hook, send } = render({ invalidMessage: null, initialMessage: { tone: 'info', text: 'You have been logged out.' } });
    expect(hook.result.current.message).toEqual({ tone: 'info', text: 'You have been logged out.' });
    await send();
    expect(hook.result.current.message).toBeNull();
  });

  it('puts the server’s answer next to its fields, blames a field by kind, and empties the ones asked', async () => {
    const taken = new ApiError('conflict', 409, 'That username is taken.');
    const { hook, submit, type, send } = render({
      submit: async () => {
        throw taken;
      },
      blame: { conflict: 'username' },
      clearOnError: ['password'],
    });
    type('username', 'alice');
    type('password', 'Secret-1');
    await send();
    expect(submit).toHaveBeenCalledWith({ username: 'alice', password: 'Secret-1' });
    expect(hook.result.current.errors).toEqual({ username: 'That username is taken.', password: undefined });
    expect(hook.result.current.message).toEqual({ tone: 'error', text: 'That username is taken.' });
    expect(hook.result.current.values).toEqual({ username: 'alice', password: '' });
    expect(hook.result.current.busy).toBe(false);
  });

  it('prefers the server’s field messages to blaming', async () => {
    const refused = new ApiError('validation', 400, 'Validation failed', { password: ['Too short.'] });
    const { hook, type, send } = render({
      submit: async () => {
        throw refused;
      },
      blame: { validation: 'password' },
    });
    type('username', 'alice');
    await send();
    expect(hook.result.current.errors).toEqual({ username: undefined, password: 'Too short.' });
  });

  it('says nothing when a 401 has ended the session, and something general for a non-API failure', async () => {
    let failure: unknown = new ApiError('unauthenticated', 401, 'Your session has expired. Please log in again.');
    const { hook, type, send } = render({
      submit: async () => {
        throw failure;
      },
    });
    type('username', 'alice');
    await send();
    expect(hook.result.current.message).toBeNull();
    failure = new TypeError('boom');
    await send();
    expect(hook.result.current.message).toEqual({ tone: 'error', text: 'Something went wrong. Please try again.' });
  });

  it('empties the form and shows the message a finished submit returns', async () => {
    const { hook, type, send } = render({ submit: async () => ({ tone: 'success', text: 'Your password has been changed.' }) });
    type('username', 'alice');
    type('password', 'Secret-1');
    await send();
    expect(hook.result.current.values).toEqual({ username: '', password: '' });
    expect(hook.result.current.attempted).toBe(false);
    expect(hook.result.current.message).toEqual({ tone: 'success', text: 'Your password has been changed.' });
  });
});
