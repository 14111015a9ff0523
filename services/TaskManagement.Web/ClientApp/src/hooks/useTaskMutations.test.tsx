// @vitest-environment jsdom
import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TaskPage } from '../api/types';
import { createQueryClient } from '../queryClient';
import { scriptFetch, session, task, wrapperFor } from '../testing/fakeApi';
import { useTaskMutations } from './useTaskMutations';
import { taskKeys } from './useTaskQueries';

const query = { status: null, priority: null, q: '', sort: '-created', page: 1 } as const;
const listKey = taskKeys.list(session.userId, query);
const milk = task('t-milk', 'Buy milk', 3);
const report = task('t-report', 'Write report', 5);

function setUp() {
  const client = createQueryClient();
  client.setQueryData<TaskPage>(listKey, { total: 2, tasks: [milk, report] });
  const onMessage = vi.fn();
  const onEditRefused = vi.fn();
  const hook = renderHook(() => useTaskMutations({ session, listKey, onMessage, onEditRefused }), { wrapper: wrapperFor(client) });
  const shown = () => client.getQueryData<TaskPage>(listKey);
  return { client, hook, onMessage, onEditRefused, shown };
}

const unavailable = { status: 503, body: { status: 503, title: 'Service Unavailable', error: 'The service is temporarily unavailable.' } };

afterEach(() => vi.unstubAllGlobals());

describe('useTaskMutations', () => {
  it('shows a status change at once, marks the task busy, and keeps what the server saved', async () => {
    let release = () => {};
    const saved = { ...milk, status: 'completed' as const, completedAt: '2030-01-02T00:00:00Z', version: 4 };
    const sent = scriptFetch({ status: 200, body: saved, hold: new Promise<void>((r) => (release = r)) });
    const { hook, onMessage, shown, client } = setUp();

    act(() => hook.result.current.change({ kind: 'status', task: milk, status: 'completed' }));

    await waitFor(() => expect(shown()?.tasks[0]?.status).toBe('completed'));
    expect(hook.result.current.busyIds).toEqual([milk.id]);
    expect(sent[0]).toMatchObject({ method: 'PATCH', url: `/api/tasks/${milk.id}`, body: { status: 'completed' } });
    expect(sent[0]?.headers['If-Match']).toBe('"3"');

    release();
    await waitFor(() => expect(hook.result.current.busyIds).toEqual([]));
    expect(shown()?.tasks[0]).toEqual(saved);
    expect(onMessage).toHaveBeenCalledWith({ tone: 'success', text: '“Buy milk” is now completed.' });
    // The list and summary are stale now and are fetched again when shown.
    expect(client.getQueryState(listKey)?.isInvalidated).toBe(true);
  });

  it('puts back only the task whose change failed, and says so', async () => {
    scriptFetch(unavailable);
    const { hook, onMessage, shown } = setUp();

    act(() => hook.result.current.change({ kind: 'status', task: report, status: 'in_progress' }));

    await waitFor(() => expect(onMessage).toHaveBeenCalled());
    expect(shown()).toEqual({ total: 2, tasks: [milk, report] });
    expect(onMessage).toHaveBeenCalledWith({
      tone: 'error',
      text: 'Could not update “Write report”. The service is temporarily unavailable. Please try again shortly. Your change was undone.',
    });
  });

  it('says a task changed elsewhere (412) was not changed, and restores a refused delete in its place', async () => {
    scriptFetch({ status: 412, body: { status: 412, error: 'Precondition failed' } });
    const { hook, onMessage, shown } = setUp();

    act(() => hook.result.current.change({ kind: 'delete', task: milk }));

    await waitFor(() => expect(onMessage).toHaveBeenCalled());
    expect(shown()).toEqual({ total: 2, tasks: [milk, report] });
    const [[message]] = onMessage.mock.calls as [[{ text: string }]];
    expect(message.text).toBe('Could not delete “Buy milk”. This task was changed elsewhere. The latest version has been loaded. Your change was undone.');
  });

  it('reopens an edit the server refused, with its field messages', async () => {
    scriptFetch({ status: 400, body: { status: 400, error: 'Validation failed', errors: { Title: ['Title is too long.'] } } });
    const { hook, onMessage, onEditRefused, shown } = setUp();
    const input = { title: 'x'.repeat(10), description: null, priority: 'high' as const, status: 'pending' as const, dueDate: null };

    act(() => hook.result.current.change({ kind: 'edit', task: report, input }));

    await waitFor(() => expect(onEditRefused).toHaveBeenCalled());
    const [refusedTask, refusedInput, error] = onEditRefused.mock.calls[0]!;
    expect([refusedTask, refusedInput]).toEqual([report, input]);
    expect(error.fieldErrors).toEqual({ title: ['Title is too long.'] });
    expect(onMessage).not.toHaveBeenCalled();
    expect(shown()?.tasks[1]).toEqual(report);
  });

  it('stays quiet when a 401 has ended the session', async () => {
    const sent = scriptFetch({ status: 401, body: { status: 401, error: 'Unauthorized' } });
    const { hook, onMessage, shown, client } = setUp();

    act(() => hook.result.current.change({ kind: 'delete', task: milk }));

    await waitFor(() => expect(sent).toHaveLength(1));
    await waitFor(() => expect(client.isMutating()).toBe(0));
    expect(shown()).toEqual({ total: 2, tasks: [milk, report] });
    expect(onMessage).not.toHaveBeenCalled();
  });

  it('creates a task, or hands back what to show in the form', async () => {
    const sent = scriptFetch(
      { status: 400, body: { status: 400, error: 'Validation failed', errors: { title: ['Enter a title.'] } } },
      unavailable,
      { status: 201, body: { message: 'Task created', taskId: 't-new', task: task('t-new', 'Call plumber') } },
    );
    const { hook, onMessage } = setUp();
    const input = { title: 'Call plumber', description: null, priority: 'low' as const, status: 'pending' as const, dueDate: null };

    await expect(hook.result.current.create(input)).resolves.toEqual({ title: ['Enter a title.'] });
    await expect(hook.result.current.create(input)).resolves.toEqual({ form: ['The service is temporarily unavailable. Please try again shortly.'] });
    await expect(hook.result.current.create(input)).resolves.toBeNull();
    expect(sent[2]).toMatchObject({ method: 'POST', url: '/api/tasks', body: input });
    expect(onMessage).toHaveBeenCalledWith({ tone: 'success', text: 'Task “Call plumber” created.' });
  });
});
