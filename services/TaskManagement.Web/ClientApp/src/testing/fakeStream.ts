// Test helper: a scripted fetch whose 200 answers are open event streams the test writes to.
import { vi } from 'vitest';

export interface Connection {
  headers: Record<string, string>;
  /** Sends text on this connection's stream. */
  send: (text: string) => void;
  /** Ends this connection's stream, as a server closing it would. */
  close: () => void;
}

/** Each fetch answers with the next status; a 200 is an open event stream the test writes to. */
export function fakeStreamServer(...statuses: number[]) {
  const connections: Connection[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: string, init: RequestInit) => {
      const status = statuses.shift() ?? 200;
      if (status !== 200) return new Response(JSON.stringify({ status, error: 'Your session has expired.' }), { status, headers: { 'Content-Type': 'application/problem+json' } });
      const encoder = new TextEncoder();
      let controller!: ReadableStreamDefaultController<Uint8Array>;
      const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
      init.signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
      connections.push({ headers: init.headers as Record<string, string>, send: (t) => controller.enqueue(encoder.encode(t)), close: () => controller.close() });
      return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
    }),
  );
  return connections;
}
