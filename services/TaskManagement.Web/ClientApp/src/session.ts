// The signed-in session: kept in memory and in sessionStorage (this tab only, gone when it closes),
// never in localStorage. It ends on logout, on expiry, or on any 401 for a signed-in request.
import { useSyncExternalStore } from 'react';
import { setSessionExpiredHandler } from './api/http';
import type { LoginResult } from './api/types';

export interface Session {
  token: string;
  userId: string;
  username: string;
  expiresAt: number; // epoch ms
}

const STORAGE_KEY = 'taskmgmt.session';
const listeners = new Set<() => void>();
let pendingNotice: string | null = null;
let expiryTimer: ReturnType<typeof setTimeout> | undefined;
let current: Session | null = load();

function load(): Session | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Session>;
    if (typeof parsed.token !== 'string' || typeof parsed.expiresAt !== 'number' || typeof parsed.username !== 'string') return null;
    if (parsed.expiresAt <= Date.now()) {
      sessionStorage.removeItem(STORAGE_KEY);
      pendingNotice = 'Your session has expired. Please log in again.';
      return null;
    }
    return { token: parsed.token, userId: String(parsed.userId ?? ''), username: parsed.username, expiresAt: parsed.expiresAt };
  } catch {
    return null;
  }
}

function emit(): void {
  for (const listener of listeners) listener();
}

function schedule(): void {
  clearTimeout(expiryTimer);
  if (!current) return;
  // setTimeout caps at ~24.8 days; tokens live at most 24 hours.
  expiryTimer = setTimeout(() => endSession('Your session has expired. Please log in again.'), Math.max(0, current.expiresAt - Date.now()));
}

export function startSession(result: LoginResult): Session {
  const seconds = Number.isFinite(result.expiresIn) && result.expiresIn > 0 ? result.expiresIn : 3600;
  current = { token: result.token, userId: result.userId, username: result.username, expiresAt: Date.now() + seconds * 1000 };
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(current));
  pendingNotice = null;
  schedule();
  emit();
  return current;
}

/** Ends the session; the login page shows `notice` once. */
export function endSession(notice: string | null): void {
  const had = current !== null;
  current = null;
  sessionStorage.removeItem(STORAGE_KEY);
  clearTimeout(expiryTimer);
  if (notice && (had || pendingNotice === null)) pendingNotice = notice;
  emit();
}

export function getSession(): Session | null {
  if (current && current.expiresAt <= Date.now()) endSession('Your session has expired. Please log in again.');
  return current;
}

/** The message for the login page (session expired, logged out, account deleted). */
export function peekNotice(): string | null {
  return pendingNotice;
}

/** Called once the login page has shown the notice. */
export function clearNotice(): void {
  pendingNotice = null;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, () => current);
}

setSessionExpiredHandler((error) => endSession(error.message));
schedule();
