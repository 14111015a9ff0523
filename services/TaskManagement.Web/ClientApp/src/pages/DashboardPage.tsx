import { useEffect, useRef, useState } from 'react';
import type { FieldErrors } from '../api/errors';
import { PAGE_SIZE } from '../api/tasks';
import type { Task, TaskInput } from '../api/types';
import { MessageBar, usePageHeading, type Message } from '../components/common';
import { ConfirmDialog } from '../components/Dialog';
import { Pager } from '../components/Pager';
import { SummaryStrip } from '../components/SummaryStrip';
import { emptyInput, inputFrom, TaskDialog } from '../components/TaskDialog';
import { TaskFilters } from '../components/TaskFilters';
import { TaskList } from '../components/TaskList';
import { takeFlash } from '../flash';
import { errorText, sessionEnded, useTaskMutations } from '../hooks/useTaskMutations';
import { taskKeys, useTaskList, useTaskSummary } from '../hooks/useTaskQueries';
import { useTaskQuery } from '../hooks/useTaskQuery';
import { useTaskStream, type TaskEvent } from '../hooks/useTaskStream';
import { hasFilters } from '../lib/query';
import type { Session } from '../session';

export type Editor =
  | { mode: 'create'; input: TaskInput; errors?: FieldErrors; message?: Message }
  | { mode: 'edit'; task: Task; input: TaskInput; errors?: FieldErrors; message?: Message; notice?: string };

const LIVE_LABELS = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' } as const;

/** The open edit form learns that its task changed elsewhere: saving would be refused (If-Match), so it says so. */
export function withNotice(editor: Editor | null, { kind, task }: TaskEvent): Editor | null {
  if (editor?.mode !== 'edit' || editor.task.id !== task.id) return editor;
  if (kind === 'deleted') return { ...editor, notice: 'This task was deleted elsewhere. It can no longer be saved.' };
  return task.version > editor.task.version
    ? { ...editor, notice: 'This task was changed elsewhere. Saving would be refused: cancel and open it again to edit the latest version.' }
    : editor;
}

export function DashboardPage({ session }: { session: Session }) {
  const heading = usePageHeading('Your tasks');
  const listHeading = useRef<HTMLHeadingElement>(null);
  const [query, setQuery] = useTaskQuery();
  const list = useTaskList(session, query);
  const summary = useTaskSummary(session);
  const [message, setMessage] = useState<Message | null>(() => {
    const flash = takeFlash();
    return flash ? { tone: 'success', text: flash } : null;
  });
  const [editor, setEditor] = useState<Editor | null>(null);
  const [confirming, setConfirming] = useState<Task | null>(null);
  const live = useTaskStream(session, (event) => setEditor((current) => withNotice(current, event)));
  const tasks = useTaskMutations({
    session,
    listKey: taskKeys.list(session.userId, query),
    onMessage: setMessage,
    // The server disagreed with a field: reopen the form with its messages.
    onEditRefused: (task, input, e) => setEditor({ mode: 'edit', task, input, errors: e.fieldErrors, message: { tone: 'error', text: e.message } }),
  });

  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  // The page emptied (e.g. its last task was deleted): show the last one that exists.
  const outOfRange = list.data !== undefined && !list.isPlaceholderData && query.page > pages;
  useEffect(() => {
    if (outOfRange) setQuery({ page: pages }, true);
  }, [outOfRange, pages, setQuery]);
  const page = outOfRange ? undefined : list.data;
  const first = total === 0 ? 0 : (query.page - 1) * PAGE_SIZE + 1;
  const last = Math.min(total, (query.page - 1) * PAGE_SIZE + (page?.tasks.length ?? 0));
  const failure = [list.error, summary.error].find((e) => e && !sessionEnded(e));

  const openCreate = () => setEditor({ mode: 'create', input: emptyInput() });
  async function save(current: Editor, input: TaskInput): Promise<FieldErrors | null> {
    if (current.mode === 'create') {
      const errors = await tasks.create(input);
      if (!errors) setEditor(null);
      return errors;
    }
    setEditor(null);
    tasks.change({ kind: 'edit', task: current.task, input });
    return null;
  }
  function confirmDelete() {
    if (!confirming) return;
    setConfirming(null);
    requestAnimationFrame(() => listHeading.current?.focus());
    tasks.change({ kind: 'delete', task: confirming });
  }
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
        <div className="page-actions">
          {/* A fixed-width polite region: its text changes without moving anything. */}
          <p className={`live-status live-status-${live}`} role="status" aria-live="polite">
            {LIVE_LABELS[live]}
          </p>
          <button type="button" className="button button-primary" onClick={openCreate}>
            <span aria-hidden="true">+ </span>New task
          </button>
        </div>
      </div>
      <MessageBar message={message} />
      <SummaryStrip summary={summary.data ?? null} />

      <section className="tasks" aria-labelledby="list-heading">
        <div className="list-header">
          <h2 id="list-heading" ref={listHeading} tabIndex={-1}>
            Task list
          </h2>
          <p className="results-count" role="status" aria-live="polite">
            {!page ? 'Loading tasks…' : total === 0 ? 'No tasks to show' : `Showing ${first}–${last} of ${total}`}
          </p>
        </div>
        <TaskFilters query={query} setQuery={setQuery} />
        <TaskList
          page={page}
          loadError={failure ? errorText(failure) : null}
          filtered={hasFilters(query)}
          busyIds={tasks.busyIds}
          onRetry={() => void Promise.all([list.refetch(), summary.refetch()])}
          onCreate={openCreate}
          onStatus={(task, status) => tasks.change({ kind: 'status', task, status })}
          onEdit={(task) => setEditor({ mode: 'edit', task, input: inputFrom(task) })}
          onDelete={setConfirming}
        />
        <Pager page={query.page} pages={pages} onPage={goToPage} />
      </section>

      {editor ? (
        <TaskDialog
          key={editor.mode === 'edit' ? `edit-${editor.task.id}` : 'create'}
          mode={editor.mode}
          initial={editor.input}
          initialErrors={editor.errors ?? {}}
          initialMessage={editor.message ?? null}
          busy={tasks.creating}
          notice={editor.mode === 'edit' ? editor.notice : null}
          onClose={() => setEditor(null)}
          onSave={(input) => save(editor, input)}
        />
      ) : null}
      <ConfirmDialog
        open={confirming !== null}
        title="Delete this task?"
        body={<p>“{confirming?.title}” will be deleted permanently. This cannot be undone.</p>}
        confirmLabel="Delete task"
        onConfirm={confirmDelete}
        onCancel={() => setConfirming(null)}
      />
    </div>
  );
}
