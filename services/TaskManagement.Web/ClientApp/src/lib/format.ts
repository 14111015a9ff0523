const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** "YYYY-MM-DD" as a local calendar date (no time-zone shift). */
export function parseDateOnly(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

export function formatDateOnly(value: string): string {
  const date = parseDateOnly(value);
  return date ? dateFormat.format(date) : value;
}

export function formatTimestamp(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dateFormat.format(date);
}

export function todayIso(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function isOverdue(dueDate: string | null, completed: boolean, now: Date = new Date()): boolean {
  return !completed && dueDate !== null && dueDate < todayIso(now);
}

export function percent(rate: number): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(rate) ? rate : 0));
  return `${Math.round(clamped * 100)}%`;
}
