import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { FieldErrors } from '../api/errors';
import { PRIORITY_LABELS, STATUS_LABELS, type Task, type TaskInput } from '../api/types';
import { useFocusFirstInvalid, MessageBar, SelectField, TextField, type Message } from './common';
import { Dialog } from './Dialog';

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 2000;

export function emptyInput(): TaskInput {
  return { title: '', description: null, priority: 'medium', status: 'pending', dueDate: null };
}

export function inputFrom(task: Task): TaskInput {
  return { title: task.title, description: task.description, priority: task.priority, status: task.status, dueDate: task.dueDate };
}

/** Client-side checks matching the server's (title 1–200, description ≤ 2000). */
export function validateTask(input: TaskInput): FieldErrors {
  const errors: FieldErrors = {};
  const title = input.title.trim();
  if (!title) errors.title = ['Enter a title.'];
  else if (title.length > TITLE_MAX) errors.title = [`Keep the title to ${TITLE_MAX} characters.`];
  if ((input.description ?? '').length > DESCRIPTION_MAX) errors.description = [`Keep the description to ${DESCRIPTION_MAX} characters.`];
  if (input.dueDate && !/^\d{4}-\d{2}-\d{2}$/.test(input.dueDate)) errors.dueDate = ['Enter the date as YYYY-MM-DD.'];
  return errors;
}

export function normalise(input: TaskInput): TaskInput {
  const description = (input.description ?? '').trim();
  return { ...input, title: input.title.trim(), description: description ? description : null, dueDate: input.dueDate || null };
}

interface Props {
  mode: 'create' | 'edit';
  initial: TaskInput;
  initialErrors?: FieldErrors;
  initialMessage?: Message | null;
  busy: boolean;
  /** Said when the task changed elsewhere while this form is open (the live stream saw it). */
  notice?: string | null;
  onSave: (input: TaskInput) => Promise<FieldErrors | null>;
  onClose: () => void;
}

/** Create or edit one task in a modal dialog. `onSave` resolves to field errors to show, or null when done. */
export function TaskDialog({ mode, initial, initialErrors = {}, initialMessage = null, busy, notice = null, onSave, onClose }: Props) {
  const id = useId();
  const form = useRef<HTMLFormElement>(null);
  const focusInvalid = useFocusFirstInvalid(form);
  const [input, setInput] = useState<TaskInput>(initial);
  const [errors, setErrors] = useState<FieldErrors>(initialErrors);
  const [message, setMessage] = useState<Message | null>(initialMessage);
  useEffect(() => {
    if (notice) setMessage({ tone: 'error', text: notice });
  }, [notice]);
  const set = <K extends keyof TaskInput>(key: K, value: TaskInput[K]) => setInput((current) => ({ ...current, [key]: value }));
  const title = mode === 'create' ? 'New task' : 'Edit task';

  async function submit(e: FormEvent) {
    e.preventDefault();
    const clientErrors = validateTask(input);
    if (Object.keys(clientErrors).length > 0) {
      setErrors(clientErrors);
      setMessage({ tone: 'error', text: 'Please fix the highlighted fields.' });
      focusInvalid();
      return;
    }
    const serverErrors = await onSave(normalise(input));
    if (serverErrors) {
      setErrors(serverErrors);
      setMessage({ tone: 'error', text: Object.values(serverErrors)[0]?.[0] ?? 'The task could not be saved.' });
      focusInvalid();
    }
  }

  const fieldError = (name: string) => errors[name]?.[0];
  const descriptionError = fieldError('description');

  return (
    <Dialog open onClose={onClose} labelledBy={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <MessageBar message={message} />
      <form ref={form} onSubmit={submit} noValidate className="task-form">
        <TextField
          label="Title"
          name="title"
          required
          maxLength={TITLE_MAX}
          value={input.title}
          onValueChange={(v) => set('title', v)}
          error={fieldError('title')}
          data-autofocus
          autoComplete="off"
        />
        <div className={`field${descriptionError ? ' field-invalid' : ''}`}>
          <label htmlFor={`${id}-description`}>
            Description <span className="optional">(optional)</span>
          </label>
          <textarea
            id={`${id}-description`}
            name="description"
            rows={3}
            maxLength={DESCRIPTION_MAX}
            value={input.description ?? ''}
            onChange={(e) => set('description', e.target.value)}
            aria-invalid={descriptionError ? true : undefined}
            aria-describedby={descriptionError ? `${id}-description-error` : undefined}
          />
          {descriptionError ? (
            <p id={`${id}-description-error`} className="field-error">
              {descriptionError}
            </p>
          ) : null}
        </div>
        <div className="field-row">
          <SelectField id={`${id}-priority`} name="priority" label="Priority" value={input.priority} labels={PRIORITY_LABELS} onValueChange={(v) => v && set('priority', v)} />
          <SelectField id={`${id}-status`} name="status" label="Status" value={input.status} labels={STATUS_LABELS} onValueChange={(v) => v && set('status', v)} />
          <TextField
            label="Due date (optional)"
            name="dueDate"
            type="date"
            value={input.dueDate ?? ''}
            onValueChange={(v) => set('dueDate', v || null)}
            error={fieldError('dueDate')}
          />
        </div>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Saving…' : mode === 'create' ? 'Create task' : 'Save changes'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
