export type TaskStatus = 'pending' | 'in_progress' | 'completed';
export type TaskPriority = 'low' | 'medium' | 'high';

export interface Task {
  id: string;
  title: string;
  description: string | null;
  priority: TaskPriority;
  status: TaskStatus;
  dueDate: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  version: number;
}

/** What the create and edit forms send: only fields the API knows (unknown ones are rejected). */
export interface TaskInput {
  title: string;
  description: string | null;
  priority: TaskPriority;
  status: TaskStatus;
  dueDate: string | null;
}

export interface TaskSummary {
  total: number;
  byStatus: Record<TaskStatus, number>;
  byPriority: Record<TaskPriority, number>;
  overdue: number;
  completionRate: number;
}

export const SORTS = ['-created', 'created', '-priority', 'priority', 'due', '-due', '-updated', 'title'] as const;
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

export interface LoginResult {
  token: string;
  tokenType: string;
  expiresIn: number;
  userId: string;
  username: string;
}

export interface Profile {
  userId: string;
  username: string;
  createdAt: string;
}

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
