import { SORTS, type TaskPriority, type TaskQuery, type TaskSort, type TaskStatus } from '../api/types';

const statuses: readonly TaskStatus[] = ['pending', 'in_progress', 'completed'];
const priorities: readonly TaskPriority[] = ['low', 'medium', 'high'];

export const DEFAULT_QUERY: TaskQuery = { status: null, priority: null, q: '', sort: '-created', page: 1 };

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | null {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

/** Dashboard filters live in the address bar, so reload, back and a shared link keep them. */
export function queryFromSearch(search: string): TaskQuery {
  const params = new URLSearchParams(search);
  const page = Number.parseInt(params.get('page') ?? '1', 10);
  return {
    status: oneOf(params.get('status'), statuses),
    priority: oneOf(params.get('priority'), priorities),
    q: (params.get('q') ?? '').slice(0, 200),
    sort: oneOf<TaskSort>(params.get('sort'), SORTS) ?? DEFAULT_QUERY.sort,
    page: Number.isFinite(page) && page > 0 ? page : 1,
  };
}

export function searchFromQuery(query: TaskQuery): string {
  const params = new URLSearchParams();
  if (query.status) params.set('status', query.status);
  if (query.priority) params.set('priority', query.priority);
  if (query.q.trim()) params.set('q', query.q.trim());
  if (query.sort !== DEFAULT_QUERY.sort) params.set('sort', query.sort);
  if (query.page > 1) params.set('page', String(query.page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function hasFilters(query: TaskQuery): boolean {
  return query.status !== null || query.priority !== null || query.q.trim() !== '';
}
