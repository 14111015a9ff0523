// Turns an HTTP failure into what the UI shows: one message plus per-field messages.
// Every server error is RFC 9457 ProblemDetails with an `error` member; 400s add `errors`.

export type FieldErrors = Record<string, string[]>;

export type ApiErrorKind =
  | 'validation' // 400: show field errors next to the fields
  | 'unauthenticated' // 401 with a token: the session is over
  | 'credentials' // 401 without a token / wrong current password
  | 'forbidden'
  | 'notFound'
  | 'conflict' // 409
  | 'preconditionFailed' // 412: someone changed it first
  | 'rateLimited' // 429
  | 'server' // 5xx
  | 'network'; // no answer at all

export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly status: number;
  readonly fieldErrors: FieldErrors;
  readonly retryAfterSeconds: number | null;

  constructor(kind: ApiErrorKind, status: number, message: string, fieldErrors: FieldErrors = {}, retryAfterSeconds: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
    this.status = status;
    this.fieldErrors = fieldErrors;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** First message for a field, if the server named it. */
  field(name: string): string | undefined {
    return this.fieldErrors[name]?.[0];
  }
}

export interface ErrorContext {
  /** The request carried a bearer token. */
  authenticated: boolean;
  /**
   * A 401 on this endpoint means "wrong credentials" (login, change password), not "session over",
   * unless the server challenged the token itself (WWW-Authenticate).
   */
  checksCredentials?: boolean;
}

const defaultMessages: Record<number, string> = {
  400: 'Please check the highlighted fields.',
  401: 'Your session has expired. Please log in again.',
  403: 'You are not allowed to do that.',
  404: 'That item no longer exists.',
  409: 'That conflicts with existing data.',
  412: 'This task was changed elsewhere. The latest version has been loaded.',
  413: 'That is too large to send.',
  429: 'Too many requests. Please wait and try again.',
  502: 'The service is unavailable. Please try again shortly.',
  503: 'The service is temporarily unavailable. Please try again shortly.',
  504: 'The service took too long to answer. Please try again.',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function camelCase(key: string): string {
  return key.length > 0 ? key.charAt(0).toLowerCase() + key.slice(1) : key;
}

/** `errors` may be {field: [msg]} or {field: msg}; keys may be PascalCase or "$.field". */
export function readFieldErrors(body: unknown): FieldErrors {
  if (!isRecord(body) || !isRecord(body.errors)) return {};
  const result: FieldErrors = {};
  for (const [rawKey, value] of Object.entries(body.errors)) {
    const key = camelCase(rawKey.replace(/^\$\./, ''));
    const messages = (Array.isArray(value) ? value : [value]).filter((m): m is string => typeof m === 'string' && m.length > 0);
    if (messages.length > 0) result[key] = [...(result[key] ?? []), ...messages];
  }
  return result;
}

export function parseRetryAfter(value: string | null, now: Date = new Date()): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now.getTime()) / 1000));
}

function kindFor(status: number, context: ErrorContext, challenged: boolean): ApiErrorKind {
  switch (status) {
    case 400:
    case 413:
    case 422:
      return 'validation';
    case 401:
      return context.authenticated && (challenged || !context.checksCredentials) ? 'unauthenticated' : 'credentials';
    case 403:
      return 'forbidden';
    case 404:
      return 'notFound';
    case 409:
      return 'conflict';
    case 412:
      return 'preconditionFailed';
    case 429:
      return 'rateLimited';
    default:
      return status >= 500 ? 'server' : 'validation';
  }
}

/** Maps a failed response (status, parsed body or null, headers) to an ApiError. */
export function toApiError(status: number, body: unknown, headers: Headers, context: ErrorContext): ApiError {
  const kind = kindFor(status, context, headers.has('WWW-Authenticate'));
  const retryAfter = parseRetryAfter(headers.get('Retry-After'));
  const serverMessage = isRecord(body)
    ? [body.error, body.detail, body.title].find((m): m is string => typeof m === 'string' && m.trim().length > 0)
    : undefined;

  let message: string;
  if (kind === 'unauthenticated') {
    message = defaultMessages[401]!;
  } else if (kind === 'credentials' && !serverMessage) {
    message = 'The username or password is incorrect.';
  } else if (kind === 'rateLimited' && retryAfter !== null) {
    message = `Too many attempts. Please try again in ${formatWait(retryAfter)}.`;
  } else if (kind === 'server') {
    // Server text for 5xx is generic by design; keep ours consistent and never show internals.
    message = defaultMessages[status] ?? 'Something went wrong on our side. Please try again.';
  } else if (kind === 'preconditionFailed') {
    message = defaultMessages[412]!;
  } else {
    message = serverMessage ?? defaultMessages[status] ?? `The request failed (${status}).`;
  }
  return new ApiError(kind, status, message, readFieldErrors(body), retryAfter);
}

export function networkError(): ApiError {
  return new ApiError('network', 0, 'Cannot reach the server. Check your connection and try again.');
}

export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
