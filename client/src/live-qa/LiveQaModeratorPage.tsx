import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { SessionState } from '../api.js';
import { announce } from '../announcer.js';
import { Badge, ErrorView, Loading, errorMessage, useTitle } from '../components/common.js';
import { t, tn, type MessageKey } from '../i18n/index.js';
import { qa, type HandOverPreview, type LiveQuestion, type ModerateInput, type PendingChoice } from '../qa-api.js';
import { paths } from '../router.js';
import { Notice, QaStateBadge, QuestionForm, QuestionMeta, QuestionNotes, QuestionSection } from './parts.js';
import { byOldest, type QaModel } from './qa-model.js';
import { PollsModeration } from './PollParts.js';
import { useLiveQa, type LiveQa } from './use-live-qa.js';

/** Keyboard shortcuts of the queue, shown in the help. */
const SHORTCUTS: [string, MessageKey][] = [
  ['j', 'qa.mod.keyNext'],
  ['k', 'qa.mod.keyPrev'],
  ['a', 'qa.mod.keyApprove'],
  ['d', 'qa.mod.keyDismiss'],
  ['h', 'qa.mod.keyHighlight'],
  ['x', 'qa.mod.keyAnswered'],
  ['e', 'qa.mod.keyEdit'],
  ['?', 'qa.mod.keyHelp'],
];

type Form = { id: number; kind: 'dismiss' | 'edit' | 'merge' } | null;

/**
 * The moderator's desk: the queue of questions awaiting approval, the
 * published ones by popularity, the Q&A's settings and session state,
 * hand-over and export; every act on a question also has a key.
 */
export function LiveQaModeratorPage({ slug }: { slug: string }) {
  const live = useLiveQa(slug);
  const m = live.model;
  const [selected, setSelected] = useState<number | null>(null);
  const [form, setForm] = useState<Form>(null);
  const [help, setHelp] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  useTitle(m ? `${t('qa.mod.title')} · ${m.info.sessionTitle}` : t('qa.mod.title'));

  const queue = m ? m.list((q) => q.state === 'pending', 'recent').sort(byOldest) : [];
  const published = m ? m.list((q) => q.state === 'approved', 'popular') : [];
  const done = m ? m.list((q) => q.state === 'answered' || q.state === 'dismissed' || q.state === 'archived', 'recent') : [];
  const order = [...queue, ...published, ...done];

  const act = async (q: LiveQuestion, input: ModerateInput) => {
    try {
      await live.moderate(q.id, input);
      setForm(null);
      // Keep the keyboard where it was: on the next question in the list.
      const next = order[order.findIndex((x) => x.id === q.id) + 1];
      if (input.action === 'approve' || input.action === 'dismiss' || input.action === 'merge') select(next?.id ?? null);
    } catch (e) {
      setNotice(errorMessage(e));
    }
  };

  const select = (id: number | null) => {
    setSelected(id);
    if (id !== null) requestAnimationFrame(() => document.getElementById(`mod-question-${id}`)?.focus());
  };

  // Shortcuts: only when no text box has the keyboard, and without modifier keys.
  const keys = useRef<(e: KeyboardEvent) => void>(() => undefined);
  keys.current = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target as HTMLElement | null;
    if (target && (target.closest('input, textarea, select, [contenteditable]') || target.isContentEditable)) return;
    if (e.key === 'Escape') {
      if (help) setHelp(false);
      else setForm(null);
      return;
    }
    if (e.key === '?') {
      setHelp((h) => !h);
      e.preventDefault();
      return;
    }
    if (order.length === 0) return;
    const index = order.findIndex((q) => q.id === selected);
    const q = index >= 0 ? order[index] : undefined;
    switch (e.key) {
      case 'j':
        select(order[Math.min(order.length - 1, index + 1)].id);
        break;
      case 'k':
        select(order[Math.max(0, index - 1)].id);
        break;
      case 'a':
        if (q && (q.state === 'pending' || q.state === 'dismissed')) void act(q, { action: 'approve' });
        break;
      case 'd':
        if (q && (q.state === 'pending' || q.state === 'approved')) setForm({ id: q.id, kind: 'dismiss' });
        break;
      case 'h':
        if (q && q.state === 'approved') void act(q, { action: q.highlighted ? 'unhighlight' : 'highlight' });
        break;
      case 'x':
        if (q && q.state === 'approved') void act(q, { action: 'answer' });
        break;
      case 'e':
        if (q && q.state !== 'archived') setForm({ id: q.id, kind: 'edit' });
        break;
      default:
        return;
    }
    e.preventDefault();
  };
  useEffect(() => {
    const listener = (e: KeyboardEvent) => keys.current(e);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  if (live.error) return <ErrorView error={live.error} retry={live.reload} />;
  if (!m) return <Loading />;
  if (!m.moderator) {
    return (
      <section class="panel">
        <h1 tabIndex={-1}>{t('qa.mod.title')}</h1>
        <p>{t('qa.mod.notModerator')}</p>
        <p>
          <a href={paths.qa(slug)}>{t('qa.entryOpen')}</a>
        </p>
      </section>
    );
  }
  const info = m.info;
  const ctx: ItemContext = { model: m, live, form, setForm, act, selected, select };
  const item = (q: LiveQuestion) => <ModItem key={q.id} q={q} ctx={ctx} />;

  return (
    <article class="page qa-page qa-moderate" data-live={live.subscribed ? 'subscribed' : 'pending'}>
      <nav class="breadcrumbs" aria-label={t('nav.breadcrumbs')}>
        <a href={paths.session(info.sessionSlug || slug)}>{t('qa.back')}</a>
      </nav>
      <header class="page-header qa-header">
        <p class="meta">
          <QaStateBadge info={info} /> <Badge>{t(`state.${info.sessionState}` as MessageKey)}</Badge> <span>{info.sessionTitle}</span>
        </p>
        <h1 tabIndex={-1}>{t('qa.mod.title')}</h1>
        <p class="qa-links">
          <a href={paths.qa(slug)}>{t('qa.mod.attendee')}</a> ·{' '}
          <a href={paths.qa(slug, 'present')} target="_blank" rel="noopener">
            {t('qa.mod.presenter')}
          </a>{' '}
          ·{' '}
          <button type="button" class="link-button" aria-expanded={help} aria-controls="qa-shortcuts" onClick={() => setHelp((h) => !h)}>
            {t('qa.mod.shortcutsHelp')}
          </button>
        </p>
      </header>

      {help && <ShortcutHelp onClose={() => setHelp(false)} />}

      <Notice text={notice} onClose={() => setNotice(null)} />

      <div class="qa-mod-layout">
        <div class="qa-mod-main">
          <QuestionSection id="queue" title={t('qa.mod.queue')} items={queue} empty={t('qa.mod.queueEmpty')} render={item} />
          <QuestionSection id="published" title={t('qa.mod.published')} items={published} empty={t('qa.mod.publishedEmpty')} render={item} />
          <QuestionSection id="done" title={t('qa.mod.done')} items={done} render={item} hideWhenEmpty />
        </div>
        <aside class="qa-mod-side">
          <Controls live={live} model={m} onError={(e) => setNotice(errorMessage(e))} />
        </aside>
      </div>
    </article>
  );
}

interface ItemContext {
  model: QaModel;
  live: LiveQa;
  form: Form;
  setForm(form: Form): void;
  act(q: LiveQuestion, input: ModerateInput): Promise<void>;
  selected: number | null;
  select(id: number | null): void;
}

function ModItem({ q, ctx }: { q: LiveQuestion; ctx: ItemContext }) {
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
      <div class="composer-actions">
        <button type="submit" class="button small">
          {t('qa.mod.dismiss')}
        </button>
        <button type="button" class="button small secondary" onClick={onCancel}>
          {t('qa.cancel')}
        </button>
      </div>
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
      <div class="composer-actions">
        <button type="submit" class="button small" disabled={!into}>
          {t('qa.mod.mergeSubmit')}
        </button>
        <button type="button" class="button small secondary" onClick={onCancel}>
          {t('qa.cancel')}
        </button>
      </div>
    </form>
  );
}

function ShortcutHelp({ onClose }: { onClose(): void }) {
  return (
    <section id="qa-shortcuts" class="panel qa-shortcuts" aria-labelledby="qa-shortcuts-h">
      <h2 id="qa-shortcuts-h">{t('qa.mod.shortcuts')}</h2>
      <dl>
        {SHORTCUTS.map(([key, label]) => (
          <div key={key}>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{t(label)}</dd>
          </div>
        ))}
      </dl>
      <button type="button" class="button small secondary" onClick={onClose}>
        {t('qa.mod.close')}
      </button>
    </section>
  );
}

const SESSION_STATES: SessionState[] = ['scheduled', 'live', 'ended'];

/** Open or close the Q&A, the session's state, the rules for asking, hand-over and export. */
function Controls({ live, model, onError }: { live: LiveQa; model: QaModel; onError(e: unknown): void }) {
  const info = model.info;
  const [premoderation, setPremoderation] = useState(info.premoderation);
  const [allowGuests, setAllowGuests] = useState(info.allowGuests);
  const [slowMode, setSlowMode] = useState(String(info.slowModeSeconds));
  const [sessionState, setSessionState] = useState<SessionState>(info.sessionState);
  const [status, setStatus] = useState<string | null>(null);
  const [preview, setPreview] = useState<HandOverPreview | null>(null);
  // Another moderator's change arrives live: show it.
  useEffect(() => setPremoderation(info.premoderation), [info.premoderation]);
  useEffect(() => setAllowGuests(info.allowGuests), [info.allowGuests]);
  useEffect(() => setSlowMode(String(info.slowModeSeconds)), [info.slowModeSeconds]);
  useEffect(() => setSessionState(info.sessionState), [info.sessionState]);

  const run = async (work: () => Promise<string | void>) => {
    setStatus(null);
    try {
      const done = (await work()) || t('qa.mod.saved');
      setStatus(done);
      announce(done);
    } catch (e) {
      onError(e);
    }
  };
  const handOver = () =>
    run(async () => {
      if (!window.confirm(t('qa.mod.confirmHandOver'))) return '';
      const carried = await live.handOver();
      return carried ? tn('qa.mod.handedOver', carried) : t('qa.mod.nothingToHandOver');
    });

  return (
    <>
      <section class="panel qa-controls" aria-labelledby="qa-controls-h">
        <h2 id="qa-controls-h">{t('qa.mod.settings')}</h2>
        <p>
          {info.state === 'open' ? (
            <button type="button" class="button secondary" onClick={() => run(() => live.configure({ state: 'closed' }))}>
              {t('qa.mod.closeQa')}
            </button>
          ) : (
            <button type="button" class="button" onClick={() => run(() => live.configure({ state: 'open' }))}>
              {t('qa.mod.openQa')}
            </button>
          )}
        </p>
        <form
          class="qa-session-state"
          onSubmit={(e) => {
            e.preventDefault();
            // Ending first shows what the hand-over will carry and what not; the moderator confirms below.
            if (sessionState === 'ended') void qa.handOverPreview(info.sessionId, 'keep').then(setPreview, onError);
            else void run(() => live.configure({ sessionState }));
          }}
        >
          <div class="field">
            <label for="qa-session-state">{t('qa.mod.sessionState')}</label>
            <select id="qa-session-state" value={sessionState} onChange={(e) => setSessionState((e.currentTarget as HTMLSelectElement).value as SessionState)}>
              {SESSION_STATES.map((s) => (
                <option key={s} value={s}>
                  {t(`state.${s}` as MessageKey)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="button small secondary" disabled={sessionState === info.sessionState}>
            {t('qa.mod.setState')}
          </button>
        </form>
        <form
          class="qa-rules"
          onSubmit={(e) => {
            e.preventDefault();
            const seconds = Math.max(0, Math.min(3600, Math.round(Number(slowMode) || 0)));
            void run(() => live.configure({ premoderation, allowGuests, slowModeSeconds: seconds }));
          }}
        >
          <label class="check">
            <input type="checkbox" checked={premoderation} onChange={(e) => setPremoderation((e.currentTarget as HTMLInputElement).checked)} /> {t('qa.mod.premoderation')}
          </label>
          <label class="check">
            <input type="checkbox" checked={allowGuests} onChange={(e) => setAllowGuests((e.currentTarget as HTMLInputElement).checked)} /> {t('qa.mod.allowGuests')}
          </label>
          <div class="field">
            <label for="qa-slow-mode">{t('qa.mod.slowMode')}</label>
            <input id="qa-slow-mode" type="number" inputMode="numeric" min={0} max={3600} value={slowMode} onInput={(e) => setSlowMode((e.currentTarget as HTMLInputElement).value)} />
          </div>
          <button type="submit" class="button small">
            {t('qa.mod.saveSettings')}
          </button>
        </form>
        {preview && (
          <EndPreview
            preview={preview}
            onChoose={(pending) => void qa.handOverPreview(info.sessionId, pending).then(setPreview, onError)}
            onCancel={() => setPreview(null)}
            onConfirm={() =>
              run(async () => {
                const p = preview;
                await live.configure({ sessionState: 'ended', pending: p.pendingChoice });
                setPreview(null);
                return t('qa.end.done', { n: p.questions.length, p: p.polls.length });
              })
            }
          />
        )}
        {status && (
          <p class="qa-status" role="status">
            {status}{' '}
            {info.sessionState === 'ended' && info.handOverForum && <a href={paths.forum(info.handOverForum.id)}>{info.handOverForum.title}</a>}
          </p>
        )}
      </section>
      <PollsModeration live={live} />
      <section class="panel" aria-labelledby="qa-handover-h">
        <h2 id="qa-handover-h">{t('qa.mod.handOver')}</h2>
        <p class="hint">{t('qa.mod.handOverText')}</p>
        {info.handOverForum && (
          <p>
            <a href={paths.forum(info.handOverForum.id)}>{info.handOverForum.title}</a>
          </p>
        )}
        <button type="button" class="button secondary" onClick={handOver}>
          {t('qa.mod.handOver')}
        </button>
      </section>
      <section class="panel" aria-labelledby="qa-export-h">
        <h2 id="qa-export-h">{t('qa.mod.export')}</h2>
        <p class="composer-actions">
          <a class="button small secondary" href={qa.exportUrl(info.sessionId, 'csv')} download data-native>
            {t('qa.mod.exportCsv')}
          </a>
          <a class="button small secondary" href={qa.exportUrl(info.sessionId, 'md')} download data-native>
            {t('qa.mod.exportMarkdown')}
          </a>
        </p>
      </section>
    </>
  );
}

/** What ending the session will hand over (N approved questions, the polls) and what not (M pending, with the choice for them). */
function EndPreview({ preview, onChoose, onCancel, onConfirm }: { preview: HandOverPreview; onChoose(pending: PendingChoice): void; onCancel(): void; onConfirm(): void }) {
  const pendingCount = preview.pendingChoice === 'keep' || preview.pendingChoice === 'dismiss' ? preview.pending.length : 0;
  return (
    <section class="qa-end-preview" aria-labelledby="qa-end-h">
      <h3 id="qa-end-h">{t('qa.end.title')}</h3>
      <p>{t('qa.end.carries', { n: preview.questions.length })}</p>
      <p>{t('qa.end.polls', { n: preview.polls.length })}</p>
      {preview.forumWillBeCreated && <p class="hint">{t('qa.end.newForum')}</p>}
      {(pendingCount > 0 || preview.pendingChoice !== 'keep') && (
        <fieldset>
          <legend>{t('qa.end.pending', { n: pendingCount })}</legend>
          {(['approve', 'dismiss', 'keep'] as const).map((c) => (
            <label key={c} class="check">
              <input type="radio" name="qa-end-pending" checked={preview.pendingChoice === c} onChange={() => onChoose(c)} />{' '}
              {t(c === 'approve' ? 'qa.end.pendingApprove' : c === 'dismiss' ? 'qa.end.pendingDismiss' : 'qa.end.pendingKeep')}
            </label>
          ))}
        </fieldset>
      )}
      <p class="composer-actions">
        <button type="button" class="button" onClick={onConfirm}>{t('qa.end.confirm')}</button>
        <button type="button" class="button secondary" onClick={onCancel}>{t('qa.cancel')}</button>
      </p>
    </section>
  );
}
