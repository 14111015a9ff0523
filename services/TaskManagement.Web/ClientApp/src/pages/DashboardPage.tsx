import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, type FieldErrors } from '../api/errors';
import { createTask, deleteTask, getSummary, listTasks, PAGE_SIZE, setTaskStatus, updateTask } from '../api/tasks';
import {
  PRIORITY_LABELS,
  STATUS_LABELS,
  type Task,
  type TaskInput,
  type TaskPage,
  type TaskPriority,
  type TaskQuery,
  type TaskSort,
  type TaskStatus,
  type TaskSummary,
} from '../api/types';
import { MessageBar, Options, usePageHeading, type Message } from '../components/common';
import { ConfirmDialog } from '../components/Dialog';
import { SummaryStrip } from '../components/SummaryStrip';
import { emptyInput, inputFrom, TaskDialog } from '../components/TaskDialog';
import { TaskItem } from '../components/TaskItem';
import { takeFlash } from '../flash';
import { hasFilters, queryFromSearch, searchFromQuery } from '../lib/query';
import { navigate, useLocation } from '../router';
import type { Session } from '../session';

const SORT_LABELS: Record<TaskSort, string> = {
  '-created': 'Newest first',
  created: 'Oldest first',
  '-priority': 'Priority: high to low',
  priority: 'Priority: low to high',
  due: 'Due date: soonest first',
  '-due': 'Due date: latest first',
  '-updated': 'Recently updated',
  title: 'Title: A to Z',
};

type Editor =
  | { mode: 'create'; input: TaskInput; errors?: FieldErrors; message?: Message }
  | { mode: 'edit'; task: Task; input: TaskInput; errors?: FieldErrors; message?: Message };

const errorText = (e: unknown) => (e instanceof ApiError ? e.message : 'Something went wrong. Please try again.');
const sessionEnded = (e: unknown) => e instanceof ApiError && e.kind === 'unauthenticated';

export function DashboardPage({ session }: { session: Session }) {
  const heading = usePageHeading('Your tasks');
  const location = useLocation();
  const query = useMemo(() => queryFromSearch(location.search), [location.search]);
  const token = session.token;

  const [searchText, setSearchText] = useState(query.q);
  const [page, setPage] = useState<TaskPage | null>(null);
  const [summary, setSummary] = useState<TaskSummary | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [message, setMessage] = useState<Message | null>(() => {
    const flash = takeFlash();
    return flash ? { tone: 'success', text: flash } : null;
  });
  const [busyIds, setBusyIds] = useState<ReadonlySet<string>>(new Set());
  const [editor, setEditor] = useState<Editor | null>(null);
  const [saving, setSaving] = useState(false);
  const [confirming, setConfirming] = useState<Task | null>(null);
  const listHeading = useRef<HTMLHeadingElement>(null);
  const loadSeq = useRef(0);

  const setQuery = useCallback(
    (patch: Partial<TaskQuery>, replace = false) =>
      navigate(`/dashboard${searchFromQuery({ ...query, q: searchText, page: 1, ...patch })}`, { replace }),
    [query, searchText],
  );

  const load = useCallback(async () => {
    const seq = ++loadSeq.current;
    try {
      const [list, counts] = await Promise.all([listTasks(token, query), getSummary(token)]);
      if (seq !== loadSeq.current) return;
      const lastPage = Math.max(1, Math.ceil(list.total / PAGE_SIZE));
      if (query.page > lastPage) {
        // The page emptied (e.g. its last task was deleted): show the last one that exists.
        navigate(`/dashboard${searchFromQuery({ ...query, page: lastPage })}`, { replace: true });
        return;
      }
      setPage(list);
      setSummary(counts);
      setLoadError(null);
    } catch (e) {
      if (seq !== loadSeq.current || sessionEnded(e)) return;
      setLoadError(errorText(e));
    }
  }, [token, query]);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(
    () => () => {
      loadSeq.current++;
    },
    [],
  );

  // The search box filters as you type, a moment after you stop.
  useEffect(() => {
    if (searchText.trim() === query.q.trim()) return;
    const timer = setTimeout(() => setQuery({ q: searchText }, true), 300);
    return () => clearTimeout(timer);
  }, [searchText, query.q, setQuery]);
  useEffect(() => setSearchText(query.q), [query.q]);

  const markBusy = (id: string, busy: boolean) =>
    setBusyIds((current) => {
      const next = new Set(current);
      if (busy) next.add(id);
      else next.delete(id);
      return next;
    });

  /**
   * Shows the change at once, then asks the server. On failure only this task is put back the way
   * it was (other changes in flight are kept) and the reason is announced.
   */
  async function optimistic(
    task: Task,
    change: Task | null,
    call: () => Promise<Task | null | void>,
    success: string,
    failure: string,
    onError?: (e: ApiError) => boolean,
  ): Promise<boolean> {
    const index = page?.tasks.findIndex((t) => t.id === task.id) ?? -1;
    markBusy(task.id, true);
    setPage((p) =>
      p && (change ? { ...p, tasks: p.tasks.map((t) => (t.id === task.id ? change : t)) } : { total: p.total - 1, tasks: p.tasks.filter((t) => t.id !== task.id) }),
    );
    try {
      const saved = await call();
      if (saved) setPage((p) => p && { ...p, tasks: p.tasks.map((t) => (t.id === saved.id ? saved : t)) });
      setMessage({ tone: 'success', text: success });
      void load();
      return true;
    } catch (e) {
      setPage((p) => {
        if (!p) return p;
        const tasks = p.tasks.filter((t) => t.id !== task.id);
        tasks.splice(index < 0 ? tasks.length : Math.min(index, tasks.length), 0, task);
        return { total: change ? p.total : p.total + 1, tasks };
      });
      if (sessionEnded(e)) return false;
      if (e instanceof ApiError && onError?.(e)) return false;
      setMessage({ tone: 'error', text: `${failure} ${errorText(e)} Your change was undone.` });
      if (e instanceof ApiError && (e.kind === 'preconditionFailed' || e.kind === 'notFound')) void load();
      return false;
    } finally {
      markBusy(task.id, false);
    }
  }

  function changeStatus(task: Task, status: TaskStatus) {
    const completedAt = status === 'completed' ? new Date().toISOString() : null;
    void optimistic(
      task,
      { ...task, status, completedAt },
      () => setTaskStatus(token, task, status),
      `“${task.title}” is now ${STATUS_LABELS[status].toLowerCase()}.`,
      `Could not update “${task.title}”.`,
    );
  }

  async function saveNew(input: TaskInput): Promise<FieldErrors | null> {
    setSaving(true);
    try {
      await createTask(token, input);
      setEditor(null);
      setMessage({ tone: 'success', text: `Task “${input.title}” created.` });
      await load();
      return null;
    } catch (e) {
      if (sessionEnded(e)) return null;
      const fields = e instanceof ApiError ? e.fieldErrors : {};
      return Object.keys(fields).length > 0 ? fields : { form: [errorText(e)] };
    } finally {
      setSaving(false);
    }
  }

  async function saveEdit(task: Task, input: TaskInput): Promise<FieldErrors | null> {
    setEditor(null);
    await optimistic(
      task,
      { ...task, ...input },
      () => updateTask(token, task, input),
      `Task “${input.title}” saved.`,
      `Could not save “${task.title}”.`,
      (e) => {
        if (e.kind !== 'validation') return false;
        // The server disagreed with a field: reopen the form with its messages.
        setEditor({ mode: 'edit', task, input, errors: e.fieldErrors, message: { tone: 'error', text: e.message } });
        return true;
      },
    );
    return null;
  }

  async function confirmDelete() {
    const task = confirming;
    if (!task) return;
    setConfirming(null);
    requestAnimationFrame(() => listHeading.current?.focus());
    await optimistic(task, null, () => deleteTask(token, task), `Task “${task.title}” deleted.`, `Could not delete “${task.title}”.`);
  }

  const total = page?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const first = total === 0 ? 0 : (query.page - 1) * PAGE_SIZE + 1;
  const last = Math.min(total, (query.page - 1) * PAGE_SIZE + (page?.tasks.length ?? 0));
  const filtered = hasFilters({ ...query, q: searchText });

  function goToPage(n: number) {
    setQuery({ page: n });
    listHeading.current?.focus();
  }

  return (
    <div className="dashboard">
      <div className="page-header">
        <h1 ref={heading} tabIndex={-1}>
          Your tasks
        </h1>
        <button type="button" className="button button-primary" onClick={() => setEditor({ mode: 'create', input: emptyInput() })}>
          <span aria-hidden="true">+ </span>New task
        </button>
      </div>
      <MessageBar message={message} />
      <SummaryStrip summary={summary} />

      <section className="tasks" aria-labelledby="list-heading">
        <div className="list-header">
          <h2 id="list-heading" ref={listHeading} tabIndex={-1}>
            Task list
          </h2>
          <p className="results-count" role="status" aria-live="polite">
            {page === null ? 'Loading tasks…' : total === 0 ? 'No tasks to show' : `Showing ${first}–${last} of ${total}`}
          </p>
        </div>

        <form role="search" aria-label="Filter tasks" className="filters" onSubmit={(e) => e.preventDefault()}>
          <div className="field field-search">
            <label htmlFor="filter-q">Search</label>
            <input id="filter-q" type="search" value={searchText} maxLength={200} placeholder="Title or description" onChange={(e) => setSearchText(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="filter-status">Status</label>
            <select id="filter-status" value={query.status ?? ''} onChange={(e) => setQuery({ status: (e.target.value || null) as TaskStatus | null })}>
              <option value="">All statuses</option>
              <Options labels={STATUS_LABELS} />
            </select>
          </div>
          <div className="field">
            <label htmlFor="filter-priority">Priority</label>
            <select
              id="filter-priority"
              value={query.priority ?? ''}
              onChange={(e) => setQuery({ priority: (e.target.value || null) as TaskPriority | null })}
            >
              <option value="">All priorities</option>
              <Options labels={PRIORITY_LABELS} />
            </select>
          </div>
          <div className="field">
            <label htmlFor="filter-sort">Sort by</label>
            <select id="filter-sort" value={query.sort} onChange={(e) => setQuery({ sort: e.target.value as TaskSort, page: query.page })}>
              <Options labels={SORT_LABELS} />
            </select>
          </div>
          {filtered ? (
            <button type="button" className="button button-link filters-clear" onClick={() => navigate(`/dashboard${searchFromQuery({ ...query, status: null, priority: null, q: '', page: 1 })}`)}>
              Clear filters
            </button>
          ) : null}
        </form>

        {loadError ? (
          <div className="load-error" role="alert">
            <p>Your tasks could not be loaded. {loadError}</p>
            <button type="button" className="button" onClick={() => void load()}>
              Try again
            </button>
          </div>
        ) : page === null ? null : page.tasks.length === 0 ? (
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
                <button type="button" className="button button-primary" onClick={() => setEditor({ mode: 'create', input: emptyInput() })}>
                  Create a task
                </button>
              </>
            )}
          </div>
        ) : (
          <ul className="task-list" aria-labelledby="list-heading">
            {page.tasks.map((task) => (
              <TaskItem
                key={task.id}
                task={task}
                busy={busyIds.has(task.id)}
                onStatus={changeStatus}
                onEdit={(t) => setEditor({ mode: 'edit', task: t, input: inputFrom(t) })}
                onDelete={setConfirming}
              />
            ))}
          </ul>
        )}

        {pages > 1 ? (
          <nav className="pager" aria-label="Pages">
            <button type="button" className="button" disabled={query.page <= 1} onClick={() => goToPage(query.page - 1)}>
              <span aria-hidden="true">← </span>Previous<span className="visually-hidden"> page</span>
            </button>
            <span className="pager-status">
              Page {query.page} of {pages}
            </span>
            <button type="button" className="button" disabled={query.page >= pages} onClick={() => goToPage(query.page + 1)}>
              Next<span className="visually-hidden"> page</span>
              <span aria-hidden="true"> →</span>
            </button>
          </nav>
        ) : null}
      </section>

      {editor ? (
        <TaskDialog
          key={editor.mode === 'edit' ? `edit-${editor.task.id}` : 'create'}
          mode={editor.mode}
          initial={editor.input}
          initialErrors={editor.errors ?? {}}
          initialMessage={editor.message ?? null}
          busy={saving}
          onClose={() => setEditor(null)}
          onSave={(input) => (editor.mode === 'edit' ? saveEdit(editor.task, input) : saveNew(input))}
        />
      ) : null}
      <ConfirmDialog
        open={confirming !== null}
        title="Delete this task?"
        body={
          <p>
            “{confirming?.title}” will be deleted permanently. This cannot be undone.
          </p>
        }
        confirmLabel="Delete task"
        onConfirm={() => void confirmDelete()}
        onCancel={() => setConfirming(null)}
      />
    </div>
  );
}
