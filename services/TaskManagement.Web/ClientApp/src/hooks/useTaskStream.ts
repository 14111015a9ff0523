import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { runTaskStream, type StreamStatus } from '../api/taskStream';
import type { Task, TaskPage } from '../api/types';
import { withChange } from '../lib/taskPage';
import type { Session } from '../session';
import { taskKeys } from './useTaskQueries';

export type TaskEventKind = 'created' | 'updated' | 'completed' | 'deleted';

/** A change made elsewhere (another tab or device of the same user), as the stream reported it. */
export interface TaskEvent {
  kind: TaskEventKind;
  /** The task after the change (before it, for a delete). */
  task: Task;
}

const TASK_EVENT = /^com\.taskmanagement\.task\.(created|updated|completed|deleted)\.v1$/;
/** Event ids remembered to drop a repeat; replay after a reconnect starts after the last one, so a few hundred suffice. */
const REMEMBERED = 500;

/**
 * Keeps the signed-in user's task queries current while the page is open: each task event patches the
 * task on the pages shown and then refetches the list and summary (at most one refetch per 100 ms);
 * `reset` (the server could not replay what was missed) refetches everything. Returns the connection state.
 */
export function useTaskStream(session: Session, onTask: (event: TaskEvent) => void): StreamStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const latest = useRef(onTask);
  useEffect(() => {
    latest.current = onTask;
  });

  const { token, userId } = session;
  useEffect(() => {
    const controller = new AbortController();
    const seen = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        // A change of this tab in flight refetches when it settles; refetching now would undo it on screen.
        if (queryClient.isMutating({ mutationKey: ['task', userId] }) > 0) return;
        void queryClient.invalidateQueries({ queryKey: taskKeys.all(userId) });
      }, 100);
    };

    void runTaskStream({
      token,
      signal: controller.signal,
      onStatus: setStatus,
      onEvent: ({ id, type, data }) => {
        if (type === 'reset') return refresh();
        const kind = TASK_EVENT.exec(type)?.[1] as TaskEventKind | undefined;
        if (!kind || seen.has(id)) return;
        seen.add(id);
        if (seen.size > REMEMBERED) seen.delete(seen.values().next().value as string);
        let task: Task | undefined;
        try {
          task = (JSON.parse(data) as { task?: Task }).task;
        } catch {
          // Not JSON: the refetch below still brings the change.
        }
        if (task?.id) {
          const changed = task;
          queryClient.setQueriesData<TaskPage>({ queryKey: [...taskKeys.all(userId), 'list'] }, (page) => {
            const shown = page?.tasks.find((t) => t.id === changed.id);
            if (!page || !shown || shown.version > changed.version) return page;
            return withChange(page, changed.id, kind === 'deleted' ? null : { ...shown, ...changed });
          });
          latest.current({ kind, task: changed });
        }
        refresh();
      },
    });
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [token, userId, queryClient]);

  return status;
}
