// API shapes come from the services' OpenAPI documents (generated/*.ts, by openapi-typescript); only
// what the documents cannot say is written here. Regenerate: scripts/build-web.sh --update-api.
import type { components as AuthApi } from './generated/auth';
import type { components as TasksApi, paths as TasksPaths } from './generated/tasks';

type TaskSchemas = TasksApi['schemas'];

export type TaskStatus = TaskSchemas['TaskItemStatus'];
export type TaskPriority = TaskSchemas['TaskItemPriority'];
export type Task = TaskSchemas['TaskResponse'];
export type TaskSummary = TaskSchemas['TaskSummaryResponse'];
export type Profile = AuthApi['schemas']['ProfileResponse'];

/** What the create and edit forms send: the PUT body, with the members a form always fills made non-null. */
export type TaskInput = Omit<TaskSchemas['ReplaceTaskRequest'], 'title' | 'priority' | 'status'> & {
  title: string;
  priority: TaskPriority;
  status: TaskStatus;
};

// Compile-time proof that a form's input is a valid create and replace body.
type Assignable<T extends U, U> = T;
export type TaskInputIsAReplaceBody = Assignable<TaskInput, TaskSchemas['ReplaceTaskRequest']>;
export type TaskInputIsACreateBody = Assignable<TaskInput, TaskSchemas['CreateTaskRequest']>;

/** Every list order the API knows: the Tasks document lists the `sort` keys. */
export type ApiTaskSort = NonNullable<NonNullable<TasksPaths['/api/tasks']['get']['parameters']['query']>['sort']>[number];
/** The orders the dashboard offers, in its menu's order; each is checked against the API's keys at compile time. */
export const SORTS = ['-created', 'created', '-priority', 'priority', 'due', '-due', '-updated', 'title'] as const satisfies readonly ApiTaskSort[];
export type TaskSort = (typeof SORTS)[number];

export interface TaskQuery {
  status: TaskStatus | null;
  priority: TaskPriority | null;
  q: string;
  sort: TaskSort;
  page: number; // 1-based
}

export interface TaskPage {
  tasks: Task[];
  total: number;
}

/** POST /api/auth/login's 200 body. */
export type LoginResult = AuthApi['schemas']['LoginResponse'];

export const STATUS_LABELS: Record<TaskStatus, string> = {
  pending: 'Pending',
  in_progress: 'In progress',
  completed: 'Completed',
};

export const PRIORITY_LABELS: Record<TaskPriority, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
};
