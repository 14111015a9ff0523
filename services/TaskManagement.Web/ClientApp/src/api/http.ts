import { ApiError, networkError, toApiError } from './errors';

export interface RequestOptions {
  body?: unknown;
  token?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** A 401 here means wrong credentials rather than an expired session. */
  checksCredentials?: boolean;
}

export interface ApiResponse<T> {
  data: T;
  headers: Headers;
  status: number;
}

type Listener = (error: ApiError) => void;
let onSessionExpired: Listener | null = null;

/** The session module registers here, so any request can end an expired session. */
export function setSessionExpiredHandler(listener: Listener | null): void {
  onSessionExpired = listener;
}

/** Ends the session for a 401 that did not come through `request` (the live stream). */
export function expireSession(error: ApiError): void {
  onSessionExpired?.(error);
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204 || response.status === 205) return null;
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) return null;
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/** Same-origin JSON request to the gateway; throws ApiError on any failure. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.token) headers.Authorization = `Bearer ${options.token}`;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw networkError();
  }

  const body = await readBody(response);
  if (!response.ok) {
    const error = toApiError(response.status, body, response.headers, {
      authenticated: Boolean(options.token),
      checksCredentials: options.checksCredentials ?? false,
    });
    if (error.kind === 'unauthenticated') expireSession(error);
    throw error;
  }
  return { data: body as T, headers: response.headers, status: response.status };
}
