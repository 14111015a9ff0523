// @vitest-environment jsdom
import { renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Task, TaskPage } from '../api/types';
import { createQueryClient } from '../queryClient';
import { session, task, wrapperFor } from '../testing/fakeApi';
import { fakeStreamServer } from '../testing/fakeStream';
import { taskKeys } from './useTaskQueries';
import { useTaskStream, type TaskEvent } from './useTaskStream';

const query = { status: null, priority: null, q: '', sort: '-created', page: 1 } as const;
const listKey = taskKeys.list(session.userId, query);
const milk = task('t-milk', 'Buy milk', 3);
const report = task('t-report', 'Write report', 5);

const event = (id: string, kind: string, changed: Task) =>
  `id: ${id}\nevent: com.taskmanagement.task.${kind}.v1\ndata: ${JSON.stringify({ taskId: changed.id, userId: session.userId, task: changed })}\n\n`;

async function setUp() {
  const connections = fakeStreamServer();
  const client = createQueryClient();
  const fresh = () => {
    client.setQueryData<TaskPage>(listKey, { total: 2, tasks: [milk, report] });
    client.setQueryData(taskKeys.summary(session.userId), { total: 2 });
  };
  fresh();
  const seen: TaskEvent[] = [];
  const hook = renderHook(() => useTaskStream(session, (e) => seen.push(e)), { wrapper: wrapperFor(client) });
  const send = (text: string) => connections.at(-1)?.send(text);
  const shown = () => client.getQueryData<TaskPage>(listKey);
  const stale = () => client.getQueryState(listKey)?.isInvalidated && client.getQueryState(taskKeys.summary(session.userId))?.isInvalidated;
  await waitFor(() => expect(hook.result.current).toBe('live'));
  return { client, connections, hook, seen, send, shown, stale };
}

afterEach(() => vi.unstubAllGlobals());

describe('useTaskStream', () => {
  it('shows a change made elsewhere at once, then refetches the list and summary', async () => {
    const { hook, seen, send, shown, stale } = await setUp();
    const renamed = { ...milk, title: 'Buy oat milk', version: 4 };

    send(event('e-1', 'updated', renamed));

    await waitFor(() => expect(shown()?.tasks[0]?.title).toBe('Buy oat milk'));
    expect(shown()?.tasks[0]?.version).toBe(4);
    expect(seen).toEqual([{ kind: 'updated', task: renamed }]);
    await waitFor(() => expect(stale()).toBe(true));
    hook.unmount();
  });

  it('takes a deleted task off the page', async () => {
    const { hook, send, shown } = await setUp();

    send(event('e-1', 'deleted', report));

    await waitFor(() => expect(shown()).toEqual({ total: 1, tasks: [milk] }));
    hook.unmount();
  });

  it('ignores an event it has already seen, and never goes back to an older version', async () => {
    const { hook, seen, send, shown } = await setUp();
    const newer = { ...milk, title: 'Newer', version: 9 };
    send(event('e-1', 'updated', newer));
    await waitFor(() => expect(seen).toHaveLength(1));

    send(event('e-1', 'updated', newer));
    send(event('e-0', 'updated', { ...milk, title: 'Older', version: 8 }));

    await waitFor(() => expect(seen).toHaveLength(2));
    expect(seen.map((e) => e.task.title)).toEqual(['Newer', 'Older']);
    expect(shown()?.tasks[0]?.title).toBe('Newer');
    hook.unmount();
  });

  it('refetches everything on reset', async () => {
    const { hook, send, stale, shown } = await setUp();
    await new Promise((r) => setTimeout(r, 200));
    expect(stale()).toBe(false);

    send('event: reset\ndata: {}\n\n');

    await waitFor(() => expect(stale()).toBe(true));
    expect(shown()).toEqual({ total: 2, tasks: [milk, report] });
    hook.unmount();
  });

  it('closes the stream when the page goes away', async () => {
    const { hook } = await setUp();
    const signal = (vi.mocked(fetch).mock.calls[0]?.[1] as RequestInit).signal;

    hook.unmount();

    expect(signal?.aborted).toBe(true);
  });
});
