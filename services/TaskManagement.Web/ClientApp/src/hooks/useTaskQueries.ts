import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getSummary, listTasks } from '../api/tasks';
import type { TaskQuery } from '../api/types';
import type { Session } from '../session';

/** Query keys: everything about one user's tasks sits under ['tasks', userId]. */
export const taskKeys = {
  all: (userId: string) => ['tasks', userId] as const,
  list: (userId: string, query: TaskQuery) => ['tasks', userId, 'list', query] as const,
  summary: (userId: string) => ['tasks', userId, 'summary'] as const,
};

/** One page of the list; while the next page or filter loads, the previous page stays on screen. */
export function useTaskList(session: Session, query: TaskQuery) {
  return useQuery({
    queryKey: taskKeys.list(session.userId, query),
    queryFn: ({ signal }) => listTasks(session.token, query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useTaskSummary(session: Session) {
  return useQuery({
    queryKey: taskKeys.summary(session.userId),
    queryFn: ({ signal }) => getSummary(session.token, signal),
  });
}
