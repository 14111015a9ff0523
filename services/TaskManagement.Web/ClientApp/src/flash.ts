// A one-time message carried across a navigation (e.g. "Account created" shown on the dashboard).
let flash: string | null = null;

export function setFlash(text: string): void {
  flash = text;
}

export function takeFlash(): string | null {
  const text = flash;
  flash = null;
  return text;
}
