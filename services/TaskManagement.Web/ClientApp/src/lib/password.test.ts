import { describe, expect, it } from 'vitest';
import { checkPassword, isPasswordValid, usernameProblem, utf8ByteLength } from './password';

const met = (password: string) =>
  Object.fromEntries(checkPassword(password).map((r) => [r.id, r.met]));

describe('password checklist', () => {
  it('reports every rule unmet for an empty password except the byte limit', () => {
    expect(met('')).toEqual({ length: false, upper: false, lower: false, digit: false, symbol: false, maxBytes: true });
  });

  it('accepts a password meeting all rules', () => {
    expect(isPasswordValid('Correct-Horse-42')).toBe(true);
    expect(Object.values(met('Correct-Horse-42')).every(Boolean)).toBe(true);
  });

  it('flags each missing class separately', () => {
    expect(met('correct-horse-42')).toMatchObject({ upper: false, lower: true, digit: true, symbol: true, length: true });
    expect(met('CORRECT-HORSE-42')).toMatchObject({ upper: true, lower: false });
    expect(met('Correct-Horse-xy')).toMatchObject({ digit: false });
    expect(met('CorrectHorse4242')).toMatchObject({ symbol: false });
  });

  it('needs 12 characters, counted like the server (UTF-16 units)', () => {
    expect(met('Abcdefgh1!x').length).toBe(false); // 11
    expect(met('Abcdefgh1!xy').length).toBe(true); // 12
  });

  it('treats spaces, punctuation and emoji as symbols like char.IsLetterOrDigit does', () => {
    expect(met('Correct Horse 42').symbol).toBe(true);
    expect(met('CorrectHorse42😀').symbol).toBe(true);
    expect(met('CorrectHorse42é').symbol).toBe(false);
  });

  it('uses Unicode letter and digit categories', () => {
    expect(met('ÉCOLE-école-٣٣').digit).toBe(true); // Arabic-Indic digits are Nd
    expect(met('école-école-33').upper).toBe(false);
    expect(met('ÉCOLE-ÉCOLE-33').upper).toBe(true);
  });

  it('rejects more than 72 UTF-8 bytes, which bcrypt would truncate', () => {
    const ascii = 'Aa1!' + 'x'.repeat(68); // 72 bytes
    expect(utf8ByteLength(ascii)).toBe(72);
    expect(isPasswordValid(ascii)).toBe(true);
    expect(isPasswordValid(ascii + 'y')).toBe(false);
    const accented = 'Aa1!' + 'é'.repeat(35); // 4 + 70 bytes, only 39 characters
    expect(met(accented).maxBytes).toBe(false);
  });
});

describe('username rule', () => {
  it('accepts 3–50 letters, digits, underscores and hyphens', () => {
    expect(usernameProblem('ada_lovelace-1')).toBeNull();
    expect(usernameProblem('a'.repeat(50))).toBeNull();
  });

  it('explains what is wrong', () => {
    expect(usernameProblem('')).toMatch(/required/);
    expect(usernameProblem('ab')).toMatch(/3–50/);
    expect(usernameProblem('a'.repeat(51))).toMatch(/3–50/);
    expect(usernameProblem('ada lovelace')).toMatch(/only letters/);
    expect(usernameProblem('ädä')).toMatch(/only letters/);
  });
});
