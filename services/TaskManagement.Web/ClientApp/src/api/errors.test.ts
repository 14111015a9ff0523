import { describe, expect, it } from 'vitest';
import { ApiError, parseRetryAfter, readFieldErrors, toApiError } from './errors';

const headers = (init: Record<string, string> = {}) => new Headers(init);
const anon = { authenticated: false };
const signedIn = { authenticated: true };

describe('toApiError', () => {
  it('maps a 400 ValidationProblem to field errors and the server message', () => {
    const body = {
      title: 'One or more validation errors occurred.',
      status: 400,
      error: 'Password must contain a digit.',
      errors: { password: ['Password must contain a digit.', 'Password must contain a symbol.'], Username: ['Username is required.'] },
    };
    const e = toApiError(400, body, headers(), anon);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.kind).toBe('validation');
    expect(e.message).toBe('Password must contain a digit.');
    expect(e.field('password')).toBe('Password must contain a digit.');
    expect(e.fieldErrors.password).toHaveLength(2);
    expect(e.field('username')).toBe('Username is required.');
  });

  it('names unknown-field errors by their JSON path', () => {
    const e = toApiError(400, { errors: { '$.colour': ["'colour' is not a known field."] } }, headers(), signedIn);
    expect(e.field('colour')).toBe("'colour' is not a known field.");
  });

  it('prefers `error`, then `detail`, then `title`', () => {
    expect(toApiError(409, { error: 'Username is taken.', detail: 'x', title: 'Conflict' }, headers(), anon).message).toBe('Username is taken.');
    expect(toApiError(409, { detail: 'Detail text', title: 'Conflict' }, headers(), anon).message).toBe('Detail text');
    expect(toApiError(409, { title: 'Conflict' }, headers(), anon).message).toBe('Conflict');
    expect(toApiError(409, null, headers(), anon).kind).toBe('conflict');
  });

  it('treats a 401 on a signed-in request as an expired session', () => {
    const e = toApiError(401, null, headers({ 'WWW-Authenticate': 'Bearer error="invalid_token"' }), signedIn);
    expect(e.kind).toBe('unauthenticated');
    expect(e.message).toMatch(/session has expired/);
  });

  it('treats a 401 from login or change-password as wrong credentials', () => {
    expect(toApiError(401, { error: 'Invalid username or password.' }, headers(), anon)).toMatchObject({
      kind: 'credentials',
      message: 'Invalid username or password.',
    });
    const wrongCurrent = toApiError(401, { error: 'The current password is incorrect.' }, headers(), { authenticated: true, checksCredentials: true });
    expect(wrongCurrent.kind).toBe('credentials');
    const challenged = toApiError(401, null, headers({ 'WWW-Authenticate': 'Bearer' }), { authenticated: true, checksCredentials: true });
    expect(challenged.kind).toBe('unauthenticated');
  });

  it('explains rate limiting with the Retry-After wait', () => {
    const e = toApiError(429, { error: 'Too many requests.' }, headers({ 'Retry-After': '90' }), anon);
    expect(e.kind).toBe('rateLimited');
    expect(e.retryAfterSeconds).toBe(90);
    expect(e.message).toBe('Too many attempts. Please try again in 2 minutes.');
    expect(toApiError(429, null, headers({ 'Retry-After': '1' }), anon).message).toMatch(/1 second\./);
  });

  it('never shows server text for 5xx', () => {
    const e = toApiError(500, { error: 'NullReferenceException at Foo.Bar()' }, headers(), signedIn);
    expect(e.kind).toBe('server');
    expect(e.message).not.toMatch(/Exception/);
    expect(toApiError(504, null, headers(), signedIn).message).toMatch(/too long/);
  });

  it('explains a lost update on 412', () => {
    expect(toApiError(412, { error: 'Precondition Failed' }, headers(), signedIn)).toMatchObject({
      kind: 'preconditionFailed',
      message: expect.stringMatching(/changed elsewhere/),
    });
  });
});

describe('helpers', () => {
  it('reads field errors given as single strings', () => {
    expect(readFieldErrors({ errors: { title: 'Title is required.' } })).toEqual({ title: ['Title is required.'] });
    expect(readFieldErrors({ errors: ['not a map'] })).toEqual({});
    expect(readFieldErrors('text')).toEqual({});
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('5')).toBe(5);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
    const now = new Date('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30);
  });
});
