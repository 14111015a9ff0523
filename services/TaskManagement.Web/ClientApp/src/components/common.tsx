import { useCallback, useEffect, useId, useRef, useState, type InputHTMLAttributes, type ReactNode, type RefObject } from 'react';

/** Sets the document title and moves focus to the page heading, so screen readers announce the new page. */
export function usePageHeading(title: string): RefObject<HTMLHeadingElement | null> {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} – Task Manager`;
    ref.current?.focus();
  }, [title]);
  return ref;
}

interface SelectFieldProps<V extends string> {
  id: string;
  label: string;
  name?: string;
  value: V | '';
  /** One <option> per entry of a value → label map (statuses, priorities, sort orders). */
  labels: Readonly<Record<V, string>>;
  /** The label of an empty first option meaning "any" (a filter), if there is one. */
  any?: string;
  onValueChange: (value: V | '') => void;
}

/** A labelled <select> over a value → label map. */
export function SelectField<V extends string>({ id, label, name, value, labels, any, onValueChange }: SelectFieldProps<V>) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} value={value} onChange={(e) => onValueChange(e.target.value as V | '')}>
        {any ? <option value="">{any}</option> : null}
        {Object.entries<string>(labels).map(([option, text]) => (
          <option key={option} value={option}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

export function VisuallyHidden({ children }: { children: ReactNode }) {
  return <span className="visually-hidden">{children}</span>;
}

export type MessageTone = 'info' | 'success' | 'error';

export interface Message {
  tone: MessageTone;
  text: string;
}

/**
 * Status line: errors go to a role="alert" region (announced at once), the rest to role="status"
 * (polite). Both regions stay mounted so assistive technology notices changes to them.
 */
export function MessageBar({ message }: { message: Message | null }) {
  const error = message?.tone === 'error' ? message : null;
  const status = message && message.tone !== 'error' ? message : null;
  return (
    <div className="message-slot">
      <div role="status" aria-atomic="true">
        {status ? <p className={`message message-${status.tone}`}>{status.text}</p> : null}
      </div>
      <div role="alert" aria-atomic="true">
        {error ? <p className="message message-error">{error.text}</p> : null}
      </div>
    </div>
  );
}

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange' | 'value'> & {
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  error?: string | undefined;
  hint?: ReactNode;
  /** Extra ids the input is described by (e.g. a checklist). */
  describedBy?: string;
  inputRef?: RefObject<HTMLInputElement | null>;
  children?: ReactNode;
};

/** A labelled input with hint and error wired up through aria-describedby / aria-invalid. */
export function TextField({ label, value, onValueChange, error, hint, describedBy, inputRef, children, className, ...input }: TextFieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const described = [errorId, hintId, describedBy].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      <input
        id={id}
        ref={inputRef}
        value={value}
        onChange={(e) => onValueChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        {...input}
      />
      {error ? (
        <p id={errorId} className="field-error">
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      ) : null}
      {children}
    </div>
  );
}

/**
 * After a failed submit, moves focus to the first field flagged invalid. The returned function asks
 * for it; the focus happens once React has rendered the error state.
 */
export function useFocusFirstInvalid(form: RefObject<HTMLFormElement | null>): () => void {
  const [request, setRequest] = useState(0);
  useEffect(() => {
    if (request > 0) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [request, form]);
  return useCallback(() => setRequest((n) => n + 1), []);
}
