// The server's password rules (TaskManagement.Auth PasswordPolicy), checked as the user types.
// C# tests each UTF-16 char with char.IsUpper/IsLower/IsDigit/IsLetterOrDigit, so this does too:
// an emoji (a surrogate pair) is neither letter nor digit and therefore counts as a symbol.

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_UTF8_BYTES = 72;

export type PasswordRuleId = 'length' | 'upper' | 'lower' | 'digit' | 'symbol' | 'maxBytes';

export interface PasswordRule {
  id: PasswordRuleId;
  label: string;
  met: boolean;
}

const upper = /^\p{Lu}$/u;
const lower = /^\p{Ll}$/u;
const digit = /^\p{Nd}$/u;
const letterOrDigit = /^[\p{L}\p{Nd}]$/u;

function anyUnit(value: string, test: RegExp): boolean {
  for (let i = 0; i < value.length; i++) {
    if (test.test(value.charAt(i))) return true;
  }
  return false;
}

function everyUnit(value: string, test: RegExp): boolean {
  for (let i = 0; i < value.length; i++) {
    if (!test.test(value.charAt(i))) return false;
  }
  return true;
}

export function utf8ByteLength(value: string): number {
  return new TextEncoder().encode(value).length;
}

/** The five rules shown in the checklist, plus the byte limit (shown only when broken). */
export function checkPassword(password: string): PasswordRule[] {
  return [
    { id: 'length', label: `At least ${PASSWORD_MIN_LENGTH} characters`, met: password.length >= PASSWORD_MIN_LENGTH },
    { id: 'upper', label: 'An upper-case letter', met: anyUnit(password, upper) },
    { id: 'lower', label: 'A lower-case letter', met: anyUnit(password, lower) },
    { id: 'digit', label: 'A digit', met: anyUnit(password, digit) },
    { id: 'symbol', label: 'A symbol (not a letter or digit)', met: password.length > 0 && !everyUnit(password, letterOrDigit) },
    {
      id: 'maxBytes',
      label: `At most ${PASSWORD_MAX_UTF8_BYTES} bytes (long non-English text counts more)`,
      met: utf8ByteLength(password) <= PASSWORD_MAX_UTF8_BYTES,
    },
  ];
}

export function isPasswordValid(password: string): boolean {
  return checkPassword(password).every((r) => r.met);
}

const usernamePattern = /^[A-Za-z0-9_-]{3,50}$/;

/** Null when valid, otherwise the message the server would give. */
export function usernameProblem(username: string): string | null {
  if (username.length === 0) return 'Username is required.';
  if (username.length < 3 || username.length > 50) return 'Username must be 3–50 characters long.';
  if (!usernamePattern.test(username)) return 'Username may contain only letters, digits, underscores and hyphens.';
  return null;
}
