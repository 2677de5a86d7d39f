import { useEffect, useRef, useState } from 'preact/hooks';
import { Badge, ErrorView, Loading, errorMessage, useTitle } from '../ui/common.js';
import { t, type MessageKey } from '../i18n/index.js';
import type { LiveQuestion, ModerateInput } from './qa-api.js';
import { paths } from '../router.js';
import { ModeratorControls } from './ModeratorControls.js';
import { ModItem, type Form, type ItemContext } from './ModeratorQuestion.js';
import { Notice, QaStateBadge, QuestionSection } from './parts.js';
import { byOldest } from './qa-model.js';
import { useLiveQa } from './use-live-qa.js';

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
          <ModeratorControls live={live} model={m} onError={(e) => setNotice(errorMessage(e))} />
        </aside>
      </div>
    </article>
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
