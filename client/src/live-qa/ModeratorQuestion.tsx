import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { t, tn, type MessageKey } from '../i18n/index.js';
import type { LiveQuestion, ModerateInput } from './qa-api.js';
import { QuestionForm, QuestionMeta, QuestionNotes } from './parts.js';
import type { QaModel } from './qa-model.js';
import type { LiveQa } from './use-live-qa.js';

/** The one inline form open on the desk: dismiss (with a reason), edit or merge a question. */
export type Form = { id: number; kind: 'dismiss' | 'edit' | 'merge' } | null;

/** What a question on the desk needs from the desk: the model, the open form, acting and the keyboard's selection. */
export interface ItemContext {
  model: QaModel;
  live: LiveQa;
  form: Form;
  setForm(form: Form): void;
  act(q: LiveQuestion, input: ModerateInput): Promise<void>;
  selected: number | null;
  select(id: number | null): void;
}

/** One question on the moderator's desk, with the acts its state allows. */
export function ModItem({ q, ctx }: { q: LiveQuestion; ctx: ItemContext }) {
  const form = ctx.form?.id === q.id ? ctx.form.kind : null;
  const act = (input: ModerateInput) => ctx.act(q, input);
  const button = (label: MessageKey, input: ModerateInput, key: string, tone = '') => (
    <button type="button" class={`button small ${tone}`} onClick={() => act(input)} aria-keyshortcuts={key || undefined}>
      {t(label)}
    </button>
  );
  const open = (kind: 'dismiss' | 'edit' | 'merge') => ctx.setForm({ id: q.id, kind });
  return (
    <li
      id={`mod-question-${q.id}`}
      tabIndex={-1}
      class={`qa-question is-${q.state}${ctx.selected === q.id ? ' is-selected' : ''}${q.highlighted ? ' is-highlighted' : ''}`}
      data-question-id={q.id}
      aria-current={ctx.selected === q.id ? 'true' : undefined}
      onFocusIn={() => ctx.selected !== q.id && ctx.select(q.id)}
    >
      <div class="qa-question-main">
        <QuestionMeta q={q} mine={false} moderator />
        {form === 'edit' ? (
          <QuestionForm
            id={`qa-mod-edit-${q.id}`}
            label={t('qa.mod.edit')}
            submitLabel={t('qa.save')}
            max={ctx.model.info.limits.maxBodyLength}
            initial={q.body}
            autoFocus
            onSubmit={(body) => act({ action: 'edit', body })}
            onCancel={() => ctx.setForm(null)}
          >
            <p class="hint">{t('qa.mod.editNote')}</p>
          </QuestionForm>
        ) : (
          <p class="qa-text">{q.body}</p>
        )}
        <p class="meta">
          <span class="qa-votes-count">{tn('qa.votes', q.voteCount)}</span>
        </p>
        <QuestionNotes q={q} />
        {form === 'dismiss' && <DismissForm onSubmit={(reason) => act({ action: 'dismiss', ...(reason ? { reason } : {}) })} onCancel={() => ctx.setForm(null)} />}
        {form === 'merge' && <MergeForm q={q} model={ctx.model} onSubmit={(intoId) => act({ action: 'merge', intoId })} onCancel={() => ctx.setForm(null)} />}
        <div class="qa-mod-actions" role="group" aria-label={t('qa.mod.title')}>
          {(q.state === 'pending' || q.state === 'dismissed') && button('qa.mod.approve', { action: 'approve' }, 'a')}
          {q.state === 'approved' && (q.highlighted ? button('qa.mod.unhighlight', { action: 'unhighlight' }, 'h', 'secondary') : button('qa.mod.highlight', { action: 'highlight' }, 'h'))}
          {q.state === 'approved' && button('qa.mod.markAnswered', { action: 'answer' }, 'x', 'secondary')}
          {(q.state === 'pending' || q.state === 'approved') && (
            <button type="button" class="button small secondary" aria-keyshortcuts="d" aria-expanded={form === 'dismiss'} onClick={() => open('dismiss')}>
              {t('qa.mod.dismiss')}
            </button>
          )}
          {q.state !== 'archived' && (
            <button type="button" class="button small secondary" aria-keyshortcuts="e" onClick={() => open('edit')}>
              {t('qa.mod.edit')}
            </button>
          )}
          {(q.state === 'pending' || q.state === 'approved') && (
            <button type="button" class="button small secondary" aria-expanded={form === 'merge'} onClick={() => open('merge')}>
              {t('qa.mod.merge')}
            </button>
          )}
          {q.state !== 'archived' && button('qa.mod.archive', { action: 'archive' }, '', 'secondary')}
        </div>
      </div>
    </li>
  );
}

function DismissForm({ onSubmit, onCancel }: { onSubmit(reason: string): Promise<void>; onCancel(): void }) {
  const [reason, setReason] = useState('');
  const input = useRef<HTMLInputElement>(null);
  // Before the browser paints, so no key typed right after "d" is lost.
  useLayoutEffect(() => input.current?.focus(), []);
  return (
    <form
      class="qa-inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        void onSubmit(reason.trim());
      }}
    >
      <div class="field">
        <label for="qa-dismiss-reason">{t('qa.mod.dismissReason')}</label>
        <input id="qa-dismiss-reason" ref={input} value={reason} maxLength={300} onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <FormActions submit={t('qa.mod.dismiss')} onCancel={onCancel} />
    </form>
  );
}

function MergeForm({ q, model, onSubmit, onCancel }: { q: LiveQuestion; model: QaModel; onSubmit(intoId: number): Promise<void>; onCancel(): void }) {
  const targets = model.list((x) => x.id !== q.id && (x.state === 'approved' || x.state === 'answered'), 'popular');
  const [into, setInto] = useState<string>('');
  return (
    <form
      class="qa-inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (into) void onSubmit(Number(into));
      }}
    >
      <div class="field">
        <label for={`qa-merge-${q.id}`}>{t('qa.mod.mergeInto')}</label>
        <select id={`qa-merge-${q.id}`} value={into} onChange={(e) => setInto((e.currentTarget as HTMLSelectElement).value)} aria-describedby={`qa-merge-hint-${q.id}`}>
          <option value="">{t('qa.mod.mergeChoose')}</option>
          {targets.map((x) => (
            <option key={x.id} value={String(x.id)}>
              {x.body.length > 90 ? `${x.body.slice(0, 90)}…` : x.body}
            </option>
          ))}
        </select>
        <p id={`qa-merge-hint-${q.id}`} class="hint">
          {t('qa.mod.mergeHint')}
        </p>
      </div>
      <FormActions submit={t('qa.mod.mergeSubmit')} disabled={!into} onCancel={onCancel} />
    </form>
  );
}

/** An inline form's submit and cancel buttons. */
function FormActions({ submit, disabled, onCancel }: { submit: string; disabled?: boolean; onCancel(): void }) {
  return (
    <div class="composer-actions">
      <button type="submit" class="button small" disabled={disabled}>
        {submit}
      </button>
      <button type="button" class="button small secondary" onClick={onCancel}>
        {t('qa.cancel')}
      </button>
    </div>
  );
}
