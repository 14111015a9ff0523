import { request } from './http';
import type { Task, TaskInput, TaskPage, TaskQuery, TaskStatus, TaskSummary } from './types';

export const PAGE_SIZE = 10;

/** Query string for GET /api/tasks; blank filters are left out. */
export function listQuery(query: TaskQuery, pageSize = PAGE_SIZE): URLSearchParams {
  const params = new URLSearchParams();
  if (query.status) params.append('status', query.status);
  if (query.priority) params.append('priority', query.priority);
  const q = query.q.trim();
  if (q) params.append('q', q);
  params.append('sort', query.sort);
  params.append('limit', String(pageSize));
  params.append('offset', String(Math.max(0, query.page - 1) * pageSize));
  return params;
}

/** The strong or weak ETag the API uses for a task version. */
export function etagFor(task: Pick<Task, 'version'>): string {
  return `"${task.version}"`;
}

/** Task responses may be the task itself or wrap it ({message, taskId, task}); accept both. */
export function taskFrom(body: unknown): Task | null {
  if (typeof body !== 'object' || body === null) return null;
  const record = body as Record<string, unknown>;
  if (typeof record.task === 'object' && record.task !== null && 'id' in record.task) return record.task as Task;
  return 'id' in record ? (record as unknown as Task) : null;
}

export async function listTasks(token: string, query: TaskQuery, signal?: AbortSignal): Promise<TaskPage> {
  const response = await request<Task[]>('GET', `/api/tasks?${listQuery(query).toString()}`, { token, ...(signal ? { signal } : {}) });
  const tasks = Array.isArray(response.data) ? response.data : [];
  const total = Number(response.headers.get('X-Total-Count'));
  return { tasks, total: Number.isFinite(total) && response.headers.has('X-Total-Count') ? total : tasks.length };
}

export async function getSummary(token: string, signal?: AbortSignal): Promise<TaskSummary> {
  return (await request<TaskSummary>('GET', '/api/tasks/summary', { token, ...(signal ? { signal } : {}) })).data;
}

export async function createTask(token: string, input: TaskInput): Promise<Task | null> {
  return taskFrom((await request<unknown>('POST', '/api/tasks', { token, body: input })).data);
}

const taskPath = (task: Task) => `/api/tasks/${encodeURIComponent(task.id)}`;

/** Full update, conditional on the version the user edited (412 if someone changed it since). */
export async function updateTask(token: string, task: Task, input: TaskInput): Promise<Task | null> {
  return taskFrom((await request<unknown>('PUT', taskPath(task), { token, body: input, headers: { 'If-Match': etagFor(task) } })).data);
}

export async function setTaskStatus(token: string, task: Task, status: TaskStatus): Promise<Task | null> {
  return taskFrom((await request<unknown>('PATCH', taskPath(task), { token, body: { status }, headers: { 'If-Match': etagFor(task) } })).data);
}

export async function deleteTask(token: string, task: Task): Promise<void> {
  await request('DELETE', taskPath(task), { token, headers: { 'If-Match': etagFor(task) } });
}
