import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { forums, type Question } from '../api.js';
import { errorMessage } from '../ui/common.js';
import { tm } from './i18n.js';

let nextId = 0;

/**
 * A modal form for one act (a native <dialog>: focus stays inside, Escape
 * cancels, focus returns to what opened it). `onSubmit` throws to keep the
 * dialog open with the error shown; it answers normally to close it.
 */
export function ActDialog(props: {
  title: string;
  submitLabel: string;
  danger?: boolean;
  onSubmit(): Promise<void>;
  onClose(): void;
  children?: ComponentChildren;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [id] = useState(() => `act-dialog-${++nextId}`);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const opener = useRef<Element | null>(null);

  useEffect(() => {
    opener.current = document.activeElement;
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      dialog?.close();
      (opener.current as HTMLElement | null)?.focus?.();
    };
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit();
      props.onClose();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={ref}
      class="act-dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) props.onClose();
      }}
    >
      <form onSubmit={submit} noValidate>
        <h2 id={`${id}-title`}>{props.title}</h2>
        {props.children}
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <div class="composer-actions">
          <button type="submit" class={`button${props.danger ? ' danger' : ''}`} disabled={busy}>
            {busy ? tm('dialog.working') : props.submitLabel}
          </button>
          <button type="button" class="button secondary" onClick={props.onClose} disabled={busy}>
            {tm('dialog.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** A reason box for a dialog; `required` makes the dialog refuse an empty reason. */
export function ReasonField(props: { value: string; onInput(v: string): void; required?: boolean; hint: string; autoFocus?: boolean }) {
  const [id] = useState(() => `reason-${++nextId}`);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (props.autoFocus) ref.current?.focus();
  }, []);
  return (
    <div class="field">
      <label for={id}>{props.required ? tm('dialog.reason') : tm('dialog.reasonOptional')}</label>
      <textarea
        id={id}
        ref={ref}
        rows={3}
        maxLength={500}
        required={props.required}
        aria-describedby={`${id}-hint`}
        value={props.value}
        onInput={(e) => props.onInput((e.currentTarget as HTMLTextAreaElement).value)}
      />
      <p id={`${id}-hint`} class="hint">
        {props.hint}
      </p>
    </div>
  );
}

/** A choice among the forum's other questions (not merged ones): where to move a reply, what to merge into. */
export function QuestionSelect(props: { forumId: number; exclude: number; label: string; value: string; onChange(v: string): void }) {
  const [id] = useState(() => `question-select-${++nextId}`);
  const [questions, setQuestions] = useState<Question[]>([]);
  useEffect(() => {
    forums.questions(props.forumId).then(setQuestions, () => setQuestions([]));
  }, [props.forumId]);
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}>
        <option value="">{tm('move.choose')}</option>
        {questions
          .filter((q) => q.id !== props.exclude && q.mergedIntoId === null)
          .map((q) => (
            <option key={q.id} value={String(q.id)}>
              {q.title}
            </option>
          ))}
      </select>
    </div>
  );
}
