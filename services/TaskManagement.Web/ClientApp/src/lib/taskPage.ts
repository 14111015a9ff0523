import type { Task, TaskPage } from '../api/types';

/** The page with one task replaced by `change`, or without it when `change` is null (deleted). */
export function withChange(page: TaskPage, id: string, change: Task | null): TaskPage {
  return change
    ? { ...page, tasks: page.tasks.map((t) => (t.id === id ? change : t)) }
    : { total: page.total - 1, tasks: page.tasks.filter((t) => t.id !== id) };
}

/**
 * Puts one task back the way it was, at the place it had (`index`, -1 for the end), keeping every
 * other change on the page. `removed`: the change being undone was a delete.
 */
export function withRestored(page: TaskPage, task: Task, index: number, removed: boolean): TaskPage {
  const tasks = page.tasks.filter((t) => t.id !== task.id);
  tasks.splice(index < 0 ? tasks.length : Math.min(index, tasks.length), 0, task);
  return { total: removed ? page.total + 1 : page.total, tasks };
}
