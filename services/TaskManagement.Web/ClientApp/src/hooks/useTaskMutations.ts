import { useMutation, useMutationState, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { ApiError, type FieldErrors } from '../api/errors';
import { createTask, deleteTask, setTaskStatus, updateTask } from '../api/tasks';
import { STATUS_LABELS, type Task, type TaskInput, type TaskPage, type TaskStatus } from '../api/types';
import type { Message } from '../components/common';
import { withChange, withRestored } from '../lib/taskPage';
import type { Session } from '../session';
import { taskKeys } from './useTaskQueries';

/** One change to an existing task; each is conditional on the version the user saw (If-Match). */
export type TaskChange =
  | { kind: 'status'; task: Task; status: TaskStatus }
  | { kind: 'edit'; task: Task; input: TaskInput }
  | { kind: 'delete'; task: Task };

interface Plan {
  /** What the list shows at once (null: the task is gone). */
  shown: Task | null;
  send: (token: string) => Promise<Task | null | void>;
  success: string;
  failure: string;
}

function plan(change: TaskChange): Plan {
  const { task } = change;
  switch (change.kind) {
    case 'status': {
      const { status } = change;
      return {
        shown: { ...task, status, completedAt: status === 'completed' ? new Date().toISOString() : null },
        send: (token) => setTaskStatus(token, task, status),
        success: `“${task.title}” is now ${STATUS_LABELS[status].toLowerCase()}.`,
        failure: `Could not update “${task.title}”.`,
      };
    }
    case 'edit':
      return {
        shown: { ...task, ...change.input },
        send: (token) => updateTask(token, task, change.input),
        success: `Task “${change.input.title}” saved.`,
        failure: `Could not save “${task.title}”.`,
      };
    case 'delete':
      return {
        shown: null,
        send: (token) => deleteTask(token, task),
        success: `Task “${task.title}” deleted.`,
        failure: `Could not delete “${task.title}”.`,
      };
  }
}

export const errorText = (e: unknown) => (e instanceof ApiError ? e.message : 'Something went wrong. Please try again.');
/** A 401 has ended the session: the route guard takes over, nothing else is said. */
export const sessionEnded = (e: unknown) => e instanceof ApiError && e.kind === 'unauthenticated';

export interface TaskMutationOptions {
  session: Session;
  /** The list page on screen, which shows a change before the server confirms it. */
  listKey: QueryKey;
  onMessage: (message: Message) => void;
  /** The server refused an edit's fields: the form reopens with its messages. */
  onEditRefused: (task: Task, input: TaskInput, error: ApiError) => void;
}

/**
 * Creating, editing, completing and deleting tasks. A change to an existing task shows at once; if the
 * server refuses, only that task is put back (other changes in flight are kept) and the reason is
 * announced. Once the last change settles, the list and summary are fetched again.
 */
export function useTaskMutations({ session, listKey, onMessage, onEditRefused }: TaskMutationOptions) {
  const queryClient = useQueryClient();
  const mutationKey = ['task', session.userId];
  const refresh = () => queryClient.invalidateQueries({ queryKey: taskKeys.all(session.userId) });

  const change = useMutation({
    mutationKey,
    mutationFn: (c: TaskChange) => plan(c).send(session.token),
    onMutate: async (c) => {
      // A list request in flight would overwrite the change with what the server had before it.
      await queryClient.cancelQueries({ queryKey: listKey });
      const index = queryClient.getQueryData<TaskPage>(listKey)?.tasks.findIndex((t) => t.id === c.task.id) ?? -1;
      queryClient.setQueryData<TaskPage>(listKey, (page) => page && withChange(page, c.task.id, plan(c).shown));
      return { listKey, index };
    },
    onSuccess: (saved, c, context) => {
      if (saved) queryClient.setQueryData<TaskPage>(context.listKey, (page) => page && withChange(page, saved.id, saved));
      onMessage({ tone: 'success', text: plan(c).success });
    },
    onError: (e, c, context) => {
      if (context) queryClient.setQueryData<TaskPage>(context.listKey, (page) => page && withRestored(page, c.task, context.index, c.kind === 'delete'));
      if (sessionEnded(e)) return;
      if (c.kind === 'edit' && e instanceof ApiError && e.kind === 'validation') onEditRefused(c.task, c.input, e);
      // A 412 (changed elsewhere) or 404 says so; the refresh below loads what the server has.
      else onMessage({ tone: 'error', text: `${plan(c).failure} ${errorText(e)} Your change was undone.` });
    },
    onSettled: () => (queryClient.isMutating({ mutationKey }) === 1 ? refresh() : undefined),
  });

  const busyIds = useMutationState({
    filters: { mutationKey, status: 'pending' },
    select: (m) => (m.state.variables as TaskChange).task.id,
  });

  const creation = useMutation({
    mutationFn: (input: TaskInput) => createTask(session.token, input),
    onSuccess: (_, input) => {
      onMessage({ tone: 'success', text: `Task “${input.title}” created.` });
      void refresh();
    },
  });

  /** Resolves to the messages to show in the form, or null once the task exists. */
  async function create(input: TaskInput): Promise<FieldErrors | null> {
    try {
      await creation.mutateAsync(input);
      return null;
    } catch (e) {
      if (sessionEnded(e)) return null;
      const fields = e instanceof ApiError ? e.fieldErrors : {};
      return Object.keys(fields).length > 0 ? fields : { form: [errorText(e)] };
    }
  }

  return { change: change.mutate, create, creating: creation.isPending, busyIds };
}
