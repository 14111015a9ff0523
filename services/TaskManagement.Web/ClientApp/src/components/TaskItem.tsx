import { PRIORITY_LABELS, STATUS_LABELS, type Task, type TaskStatus } from '../api/types';
import { formatDateOnly, isOverdue } from '../lib/format';
import { VisuallyHidden } from './common';

interface Props {
  task: Task;
  busy: boolean;
  onStatus: (task: Task, status: TaskStatus) => void;
  onEdit: (task: Task) => void;
  onDelete: (task: Task) => void;
}

const nextSteps: Record<TaskStatus, [TaskStatus, string][]> = {
  pending: [
    ['in_progress', 'Start'],
    ['completed', 'Complete'],
  ],
  in_progress: [
    ['completed', 'Complete'],
    ['pending', 'Pause'],
  ],
  completed: [['pending', 'Reopen']],
};

export function TaskItem({ task, busy, onStatus, onEdit, onDelete }: Props) {
  const overdue = isOverdue(task.dueDate, task.status === 'completed');
  return (
    <li className={`task task-${task.status}`} data-task-id={task.id} aria-busy={busy}>
      <div className="task-main">
        <h3 className="task-title">{task.title}</h3>
        <p className="badges">
          <span className={`badge badge-status-${task.status}`}>
            <VisuallyHidden>Status: </VisuallyHidden>
            {STATUS_LABELS[task.status]}
          </span>
          <span className={`badge badge-priority-${task.priority}`}>
            <VisuallyHidden>Priority: </VisuallyHidden>
            {PRIORITY_LABELS[task.priority]}
            <span aria-hidden="true"> priority</span>
          </span>
          {task.dueDate ? (
            <span className={`badge badge-due${overdue ? ' badge-overdue' : ''}`}>
              {overdue ? 'Overdue: ' : 'Due '}
              <time dateTime={task.dueDate}>{formatDateOnly(task.dueDate)}</time>
            </span>
          ) : null}
        </p>
        {task.description ? <p className="task-description">{task.description}</p> : null}
      </div>
      <div className="task-actions">
        {nextSteps[task.status].map(([status, label]) => (
          <button key={status} type="button" className="button button-small" disabled={busy} onClick={() => onStatus(task, status)}>
            {label}
            <VisuallyHidden> “{task.title}”</VisuallyHidden>
          </button>
        ))}
        <button type="button" className="button button-small" disabled={busy} onClick={() => onEdit(task)}>
          Edit<VisuallyHidden> “{task.title}”</VisuallyHidden>
        </button>
        <button type="button" className="button button-small button-danger-outline" disabled={busy} onClick={() => onDelete(task)}>
          Delete<VisuallyHidden> “{task.title}”</VisuallyHidden>
        </button>
      </div>
    </li>
  );
}
