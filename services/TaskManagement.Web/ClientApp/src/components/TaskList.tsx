import type { Task, TaskPage, TaskStatus } from '../api/types';
import { TaskItem } from './TaskItem';

interface Props {
  page: TaskPage | undefined;
  loadError: string | null;
  filtered: boolean;
  busyIds: readonly string[];
  onRetry: () => void;
  onCreate: () => void;
  onStatus: (task: Task, status: TaskStatus) => void;
  onEdit: (task: Task) => void;
  onDelete: (task: Task) => void;
}

/** The tasks on this page, or why there are none (not loaded, none match, none yet). */
export function TaskList({ page, loadError, filtered, busyIds, onRetry, onCreate, onStatus, onEdit, onDelete }: Props) {
  if (loadError) {
    return (
      <div className="load-error" role="alert">
        <p>Your tasks could not be loaded. {loadError}</p>
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      </div>
    );
  }
  if (!page) return null;
  if (page.tasks.length === 0) {
    return (
      <div className="empty-state">
        {filtered ? (
          <>
            <p className="empty-title">No tasks match these filters.</p>
            <p>Try a different search or clear the filters.</p>
          </>
        ) : (
          <>
            <p className="empty-title">You have no tasks yet.</p>
            <p>Create your first task to get started.</p>
            <button type="button" className="button button-primary" onClick={onCreate}>
              Create a task
            </button>
          </>
        )}
      </div>
    );
  }
  return (
    <ul className="task-list" aria-labelledby="list-heading">
      {page.tasks.map((task) => (
        <TaskItem key={task.id} task={task} busy={busyIds.includes(task.id)} onStatus={onStatus} onEdit={onEdit} onDelete={onDelete} />
      ))}
    </ul>
  );
}
