// The live task stream (GET /api/tasks/stream, server-sent events) read with fetch, so the token travels in
// the Authorization header and never in a URL. Reconnects with Last-Event-ID until the signal aborts.
import { sseParser, type SseEvent } from '../lib/sse';
import { toApiError } from './errors';
import { expireSession } from './http';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting';

export interface TaskStreamOptions {
  token: string;
  signal: AbortSignal;
  onEvent: (event: SseEvent) => void;
  onStatus: (status: StreamStatus) => void;
  /** The wait before reconnect number `attempt` (0-based); back-off with jitter by default. */
  retryDelay?: (attempt: number) => number;
}

/** 1 s, 2 s, 4 s … at most 30 s, each scaled by a random 0.5–1 so many clients do not return in step. */
export function backoff(attempt: number, random = Math.random()): number {
  return Math.min(30_000, 1000 * 2 ** attempt) * (0.5 + random / 2);
}

/** No byte for this long (the server sends a heartbeat every 20 s): the connection is dead without saying so. */
const SILENCE_MS = 60_000;

/** Resolves after `ms`, or at once when `signal` aborts (a fresh signal each time, so no listener piles up). */
const wait = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, signal.aborted ? 0 : ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/** Runs until `signal` aborts or the server refuses the token (then the session ends, as for any 401). */
export async function runTaskStream({ token, signal, onEvent, onStatus, retryDelay = backoff }: TaskStreamOptions): Promise<void> {
  let lastId = '';
  let attempt = 0;
  // Going offline drops the connection at once; coming back online skips the rest of the back-off.
  let cut = new AbortController();
  const reconnectNow = () => cut.abort();
  addEventListener('offline', reconnectNow);
  addEventListener('online', reconnectNow);
  try {
    while (!signal.aborted) {
      cut = new AbortController();
      const connection = AbortSignal.any([signal, cut.signal]);
      try {
        const headers: Record<string, string> = { Accept: 'text/event-stream', Authorization: `Bearer ${token}` };
        if (lastId) headers['Last-Event-ID'] = lastId;
        const response = await fetch('/api/tasks/stream', { headers, signal: connection, cache: 'no-store' });
        if (response.status === 401) {
          const body: unknown = await response.json().catch(() => null);
          expireSession(toApiError(401, body, response.headers, { authenticated: true }));
          return;
        }
        if (response.ok && response.body) {
          onStatus('live');
          // Connected again with no event seen, so nothing to resume from: what changed while the stream was down
          // is unknown, as after the server's reset. (The first connection starts with the page's own fetch.)
          if (attempt > 0 && !lastId) onEvent({ id: '', type: 'reset', data: '{}' });
          attempt = 0;
          const parse = sseParser((event) => {
            lastId = event.id || lastId;
            onEvent(event);
          });
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let silence = setTimeout(reconnectNow, SILENCE_MS);
          try {
            for (let read = await reader.read(); !read.done; read = await reader.read()) {
              clearTimeout(silence);
              silence = setTimeout(reconnectNow, SILENCE_MS);
              parse(read.value);
            }
          } finally {
            clearTimeout(silence);
          }
        } else {
          await response.body?.cancel();
        }
      } catch {
        // A network failure or a cut connection: reconnect below.
      }
      if (signal.aborted) return;
      onStatus('reconnecting');
      // A cut connection (offline/online, silence) tries again at once; a failure waits its back-off.
      await wait(retryDelay(attempt++), AbortSignal.any([signal, cut.signal]));
    }
  } finally {
    removeEventListener('offline', reconnectNow);
    removeEventListener('online', reconnectNow);
  }
}
