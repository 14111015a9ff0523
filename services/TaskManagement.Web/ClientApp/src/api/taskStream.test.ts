// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SseEvent } from '../lib/sse';
import { setSessionExpiredHandler } from './http';
import { fakeStreamServer as fakeServer } from '../testing/fakeStream';
import { backoff, runTaskStream, type StreamStatus } from './taskStream';

function start(retryDelay: (attempt: number) => number = () => 0) {
  const controller = new AbortController();
  const events: SseEvent[] = [];
  const statuses: StreamStatus[] = [];
  const done = runTaskStream({ token: 'token-1', signal: controller.signal, onEvent: (e) => events.push(e), onStatus: (s) => statuses.push(s), retryDelay });
  return { controller, events, statuses, done };
}

afterEach(() => {
  vi.unstubAllGlobals();
  setSessionExpiredHandler(null);
});

describe('runTaskStream', () => {
  it('sends the token in the Authorization header and reports events and the live state', async () => {
    const connections = fakeServer();
    const { controller, events, statuses, done } = start();

    await vi.waitFor(() => expect(connections).toHaveLength(1));
    connections[0]?.send('retry: 3000\n: live\n\nid: e-1\nevent: com.taskmanagement.task.created.v1\ndata: {"taskId":"t"}\n\n');

    await vi.waitFor(() => expect(events).toHaveLength(1));
    expect(events[0]).toEqual({ id: 'e-1', type: 'com.taskmanagement.task.created.v1', data: '{"taskId":"t"}' });
    expect(connections[0]?.headers).toMatchObject({ Authorization: 'Bearer token-1', Accept: 'text/event-stream' });
    expect(connections[0]?.headers['Last-Event-ID']).toBeUndefined();
    expect(statuses).toEqual(['live']);
    controller.abort();
    await done;
  });

  it('reconnects after the server closes, resuming after the last event id', async () => {
    const connections = fakeServer();
    const { controller, statuses, done } = start();
    await vi.waitFor(() => expect(connections).toHaveLength(1));
    connections[0]?.send('id: e-1\nevent: x\ndata: {}\n\nid: e-2\nevent: x\ndata: {}\n\n');
    await new Promise((r) => setTimeout(r, 10));

    connections[0]?.close();

    await vi.waitFor(() => expect(connections).toHaveLength(2));
    expect(connections[1]?.headers['Last-Event-ID']).toBe('e-2');
    expect(statuses).toEqual(['live', 'reconnecting', 'live']);
    controller.abort();
    await done;
  });

  it('asks for a refetch when it reconnects with nothing to resume from, as the server\'s reset would', async () => {
    const connections = fakeServer();
    const { controller, events, done } = start();
    await vi.waitFor(() => expect(connections).toHaveLength(1));
    connections[0]?.close();
    await vi.waitFor(() => expect(connections).toHaveLength(2));

    await vi.waitFor(() => expect(events).toEqual([{ id: '', type: 'reset', data: '{}' }]));
    connections[1]?.send('id: e-1\nevent: x\ndata: {}\n\n');
    await vi.waitFor(() => expect(events).toHaveLength(2));
    connections[1]?.close();
    await vi.waitFor(() => expect(connections).toHaveLength(3));
    await new Promise((r) => setTimeout(r, 10));
    // The first connection starts with the page's own data, and one that can resume does not need it.
    expect(events.filter((e) => e.type === 'reset')).toHaveLength(1);
    expect(connections[2]?.headers['Last-Event-ID']).toBe('e-1');
    controller.abort();
    await done;
  });

  it('keeps trying with back-off while the service fails, then goes live', async () => {
    const connections = fakeServer(503, 502);
    const delays: number[] = [];

    const { controller, statuses, done } = start((attempt) => (delays.push(attempt), 0));

    await vi.waitFor(() => expect(connections).toHaveLength(1));
    expect(delays).toEqual([0, 1]);
    expect(statuses).toEqual(['reconnecting', 'reconnecting', 'live']);
    controller.abort();
    await done;
  });

  it('ends the session on a 401 and stops', async () => {
    const connections = fakeServer(401);
    const expired = vi.fn();
    setSessionExpiredHandler(expired);

    const { statuses, done } = start();

    await done;
    expect(expired).toHaveBeenCalledWith(expect.objectContaining({ kind: 'unauthenticated', status: 401 }));
    expect(connections).toHaveLength(0);
    expect(statuses).toEqual([]);
  });

  it('stops when aborted, without reconnecting', async () => {
    const connections = fakeServer();
    const { controller, statuses, done } = start();
    await vi.waitFor(() => expect(connections).toHaveLength(1));

    controller.abort();
    await done;

    expect(statuses).toEqual(['live']);
    expect(vi.mocked(fetch)).toHaveBeenCalledTimes(1);
  });

  it('reconnects at once when the browser comes back online, not after the back-off', async () => {
    const connections = fakeServer(503);
    const { controller, statuses, done } = start(() => 60_000);
    await vi.waitFor(() => expect(statuses).toEqual(['reconnecting']));

    window.dispatchEvent(new Event('online'));

    await vi.waitFor(() => expect(connections).toHaveLength(1));
    controller.abort();
    await done;
  });

  it('drops a connection when the browser goes offline and reconnects', async () => {
    const connections = fakeServer();
    const { controller, statuses, done } = start(() => 60_000);
    await vi.waitFor(() => expect(connections).toHaveLength(1));

    window.dispatchEvent(new Event('offline'));

    await vi.waitFor(() => expect(connections).toHaveLength(2));
    expect(statuses).toEqual(['live', 'reconnecting', 'live']);
    controller.abort();
    await done;
  });
});

describe('backoff', () => {
  it('doubles from 1 s up to 30 s, with jitter of up to half', () => {
    expect([0, 1, 2, 3, 4, 5, 9].map((n) => backoff(n, 1))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(backoff(0, 0)).toBe(500);
    expect(backoff(5, 0)).toBe(15000);
  });
});
