import { useRef, useState, type FormEvent, type RefObject } from 'react';
import { ApiError, type ApiErrorKind } from '../api/errors';
import { useFocusFirstInvalid, type Message } from '../components/common';

export type FieldMessages<F extends string> = Partial<Record<F, string | undefined>>;

export interface FormSubmitOptions<F extends string> {
  /** The form's fields, named as the server names them in a 400's `errors`. */
  initial: Record<F, string>;
  /** Client-side checks: a message per field that is wrong. */
  validate: (values: Record<F, string>) => FieldMessages<NoInfer<F>>;
  /** What the message bar says when a client-side check fails (null: only the fields say it). */
  invalidMessage?: string | null;
  /** Sends the form. A returned message means "done, stay here": the form is emptied and the message shown. */
  submit: (values: Record<F, string>) => Promise<Message | void>;
  /** The field an error of this kind is about when the server names none (a taken username, a wrong password). */
  blame?: Partial<Record<ApiErrorKind, NoInfer<F>>>;
  /** Fields emptied after the server refused (a password that did not work). */
  clearOnError?: readonly NoInfer<F>[];
  initialMessage?: Message | null;
}

export interface FormSubmit<F extends string> {
  form: RefObject<HTMLFormElement | null>;
  values: Record<F, string>;
  errors: FieldMessages<F>;
  message: Message | null;
  setMessage: (message: Message | null) => void;
  busy: boolean;
  /** A submit was tried and not yet accepted: checklists highlight what is unmet. */
  attempted: boolean;
  /** Props for a TextField bound to one field. */
  field: (name: F) => { value: string; onValueChange: (value: string) => void; error: string | undefined };
  onSubmit: (e: FormEvent) => Promise<void>;
}

/**
 * The login, register and account forms: client-side checks first, then the request; a refusal puts
 * the server's messages next to its fields and in the alert region, and focus on the first bad field.
 */
export function useFormSubmit<F extends string>(options: FormSubmitOptions<F>): FormSubmit<F> {
  const { initial, validate, invalidMessage = 'Please fix the highlighted fields.', submit, blame = {}, clearOnError = [] } = options;
  const form = useRef<HTMLFormElement>(null);
  const focusInvalid = useFocusFirstInvalid(form);
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldMessages<F>>({});
  const [message, setMessage] = useState<Message | null>(options.initialMessage ?? null);
  const [busy, setBusy] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const names = Object.keys(initial) as F[];

  function fail(found: FieldMessages<F>, text: string | null) {
    setErrors(found);
    setMessage(text === null ? null : { tone: 'error', text });
    focusInvalid();
  }

  function refused(err: unknown) {
    // A 401 on a signed-in request has ended the session; the route guard takes the user to log in.
    if (err instanceof ApiError && err.kind === 'unauthenticated') return;
    const api = err instanceof ApiError ? err : null;
    const found = Object.fromEntries(names.map((name) => [name, api?.field(name)])) as FieldMessages<F>;
    const blamed = api ? blame[api.kind] : undefined;
    if (api && blamed) found[blamed] ??= api.message;
    setValues((current) => ({ ...current, ...Object.fromEntries(clearOnError.map((name) => [name, ''])) }));
    fail(found, api?.message ?? 'Something went wrong. Please try again.');
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setAttempted(true);
    const found = validate(values);
    if (names.some((name) => found[name])) {
      fail(found, invalidMessage);
      return;
    }
    setBusy(true);
    setErrors({});
    setMessage(null);
    try {
      const done = await submit(values);
      if (done) {
        setValues(initial);
        setAttempted(false);
        setMessage(done);
      }
    } catch (err) {
      refused(err);
    } finally {
      setBusy(false);
    }
  }

  const field = (name: F) => ({
    value: values[name],
    onValueChange: (value: string) => setValues((current) => ({ ...current, [name]: value })),
    error: errors[name],
  });

  return { form, values, errors, message, setMessage, busy, attempted, field, onSubmit };
}
