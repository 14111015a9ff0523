// Test helpers: a QueryClient wrapper for renderHook and a scripted fetch that records what was sent.
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { vi } from 'vitest';
import type { Task } from '../api/types';
import type { Session } from '../session';

export const session: Session = { token: 'token-1', userId: 'user-1', username: 'alice', expiresAt: Date.now() + 3_600_000 };

export function task(id: string, title: string, version = 1): Task {
  return {
    id,
    title,
    description: null,
    status: 'pending',
    priority: 'medium',
    dueDate: null,
    createdAt: '2030-01-01T00:00:00Z',
    updatedAt: '2030-01-01T00:00:00Z',
    completedAt: null,
    version,
    user_id: session.userId,
  };
}

export function wrapperFor(client: QueryClient) {
  return ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** Answers each request with the next scripted response (status, JSON body); `hold` keeps one pending until released. */
export function scriptFetch(...answers: { status: number; body?: unknown; hold?: Promise<void> }[]) {
  const sent: SentRequest[] = [];
  const fetch = vi.fn(async (url: string, init: RequestInit) => {
    sent.push({
      method: init.method ?? 'GET',
      url,
      headers: init.headers as Record<string, string>,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : null,
    });
    const answer = answers.shift() ?? { status: 500 };
    await answer.hold;
    const type = answer.status >= 400 ? 'application/problem+json' : 'application/json';
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: answer.body === undefined ? {} : { 'Content-Type': type },
    });
  });
  vi.stubGlobal('fetch', fetch);
  return sent;
}
