import { useState } from 'preact/hooks';
import type { ForumDetail, Question } from '../api.js';
import { Composer } from '../threads/Composer.js';
import { ServerHtml, errorMessage } from '../ui/common.js';
import { formatRelative } from '../i18n/index.js';
import { moderation, type ActCommand } from './moderation-api.js';
import { paths } from '../router.js';
import { ActDialog, QuestionSelect, ReasonField } from './ActDialog.js';
import { tm } from './i18n.js';
import { formatInterval } from './limits.js';

/**
 * What moderation adds above a thread, for everyone: the "merged into"
 * notice, slow mode, the moderators' synthesis and the key contributions.
 */
export function QuestionNotices({ question: q, forumId, authorOf }: { question: Question; forumId: number; authorOf(replyId: string): string | null }) {
  return (
    <>
      {q.mergedIntoId !== null && (
        <p class="notice mod-merged" role="note">
          {tm('question.merged')} <a href={paths.thread(forumId, q.mergedIntoId)}>{tm('question.mergedLink')}</a>
        </p>
      )}
      {q.slowModeSeconds !== null && <p class="muted slow-mode">{tm('question.slowOn', { every: formatInterval(q.slowModeSeconds) })}</p>}
      {q.synthesis && (
        <section class="synthesis" aria-labelledby="synthesis-h">
          <h2 id="synthesis-h">{tm('question.synthesis')}</h2>
          <ServerHtml html={q.synthesis.html} />
          {q.synthesis.author && (
            <p class="muted">{tm('question.synthesisBy', { name: q.synthesis.author.displayName, when: formatRelative(q.synthesis.updatedAt) })}</p>
          )}
        </section>
      )}
      {q.featuredReplyIds.length > 0 && (
        <nav class="featured" aria-labelledby="featured-h">
          <h2 id="featured-h">
            <span aria-hidden="true">★ </span>
            {tm('question.featured')}
          </h2>
          <ul>
            {q.featuredReplyIds.map((id) => (
              <li key={id}>
                <a href={`#reply-${id}`}>{authorOf(id) ? tm('question.featuredBy', { name: authorOf(id)! }) : `#${id}`}</a>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </>
  );
}

const SLOW_CHOICES = [null, 30, 60, 120, 300, 600];

/** The moderators' toolbar of a question: pin, lock, close, order, merge, slow mode, synthesis; links to the queue and the record. */
export function QuestionTools({ question: q, forum: f, onChanged, notify }: { question: Question; forum: ForumDetail; onChanged(q: Question): void; notify(text: string): void }) {
  const [busy, setBusy] = useState(false);
  const [merging, setMerging] = useState(false);
  const [writing, setWriting] = useState(false);

  const run = async (command: ActCommand) => {
    setBusy(true);
    try {
      const result = await moderation.act(command);
      const moved = result.questions?.find((x) => x.id === q.id);
      if (result.question) onChanged(result.question);
      else if (moved) onChanged({ ...q, position: moved.position });
      notify(tm('question.done'));
    } catch (e) {
      notify(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const toggle = (on: boolean, yes: ActCommand['act'], no: ActCommand['act'], yesLabel: string, noLabel: string) => (
    <button type="button" class="button small secondary" disabled={busy} onClick={() => run({ act: on ? no : yes, questionId: q.id } as ActCommand)}>
      {on ? noLabel : yesLabel}
    </button>
  );

  return (
    <section class="mod-tools panel" aria-labelledby="mod-tools-h">
      <h2 id="mod-tools-h" class="mod-tools-title">
        {tm('question.tools')}
      </h2>
      <div class="mod-tools-row">
        {toggle(q.pinned, 'question.pin', 'question.unpin', tm('question.pin'), tm('question.unpin'))}
        {toggle(q.locked, 'question.lock', 'question.unlock', tm('question.lock'), tm('question.unlock'))}
        {toggle(q.closed, 'question.close', 'question.reopen', tm('question.close'), tm('question.reopen'))}
        <button type="button" class="button small secondary" disabled={busy || q.position === 0} onClick={() => run({ act: 'question.reorder', questionId: q.id, position: q.position - 1 })}>
          <span aria-hidden="true">↑ </span>
          {tm('question.up')}
        </button>
        <button type="button" class="button small secondary" disabled={busy} onClick={() => run({ act: 'question.reorder', questionId: q.id, position: q.position + 1 })}>
          <span aria-hidden="true">↓ </span>
          {tm('question.down')}
        </button>
        <button type="button" class="button small secondary" disabled={busy || q.mergedIntoId !== null} onClick={() => setMerging(true)}>
          {tm('question.merge')}
        </button>
        <button type="button" class="button small secondary" disabled={busy} aria-expanded={writing} onClick={() => setWriting((w) => !w)}>
          {q.synthesis ? tm('question.editSynthesis') : tm('question.writeSynthesis')}
        </button>
        <label class="slow-select">
          <span>{tm('question.slowMode')}</span>{' '}
          <select
            value={String(q.slowModeSeconds ?? '')}
            disabled={busy}
            onChange={(e) => {
              const v = (e.currentTarget as HTMLSelectElement).value;
              run({ act: 'question.slow_mode', questionId: q.id, seconds: v ? Number(v) : null });
            }}
          >
            {SLOW_CHOICES.map((s) => (
              <option key={String(s)} value={s === null ? '' : String(s)}>
                {s === null ? tm('question.slowOff') : tm('question.slowEvery', { every: formatInterval(s) })}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p class="mod-links">
        <a href={paths.moderationQueue(f.id)}>{tm('links.queue')}</a> · <a href={paths.moderationRecord(f.id)}>{tm('links.record')}</a>
      </p>
      {writing && (
        <div class="synthesis-editor">
          <Composer
            label={tm('question.synthesis')}
            submitLabel={tm('question.saveSynthesis')}
            initial={q.synthesis?.source ?? ''}
            autoFocus
            onSubmit={async (body) => {
              const result = await moderation.act({ act: 'question.synthesis', questionId: q.id, body });
              if (result.question) onChanged(result.question);
              setWriting(false);
            }}
            onCancel={() => setWriting(false)}
          />
          {q.synthesis && (
            <button type="button" class="link-button danger" onClick={() => run({ act: 'question.synthesis', questionId: q.id, body: '' }).then(() => setWriting(false))}>
              {tm('question.removeSynthesis')}
            </button>
          )}
        </div>
      )}
      {merging && <MergeDialog question={q} forumId={f.id} close={() => setMerging(false)} onChanged={onChanged} />}
    </section>
  );
}

function MergeDialog({ question: q, forumId, close, onChanged }: { question: Question; forumId: number; close(): void; onChanged(q: Question): void }) {
  const [into, setInto] = useState('');
  const [reason, setReason] = useState('');
  return (
    <ActDialog
      title={tm('question.mergeTitle')}
      submitLabel={tm('question.mergeSubmit')}
      danger
      onClose={close}
      onSubmit={async () => {
        if (!into) throw new Error(tm('move.chooseNeeded'));
        const result = await moderation.act({ act: 'question.merge', questionId: q.id, intoQuestionId: Number(into), reason: reason.trim() || undefined });
        // The answer's `question` is the target; this page shows the source, now closed and pointing there.
        if (result.question) onChanged({ ...q, closed: true, mergedIntoId: result.question.id });
      }}
    >
      <p>{tm('question.mergeText')}</p>
      <QuestionSelect forumId={forumId} exclude={q.id} label={tm('question.mergeInto')} value={into} onChange={setInto} />
      <ReasonField value={reason} onInput={setReason} hint={tm('dialog.reasonRecorded')} />
    </ActDialog>
  );
}
