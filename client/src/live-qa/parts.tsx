import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client.js';
import { Badge, errorMessage } from '../ui/common.js';
import { newClientId } from '../threads/Composer.js';
import { formatRelative, t, tn, type MessageKey } from '../i18n/index.js';
import type { LiveQuestion, QaInfo } from './qa-api.js';
import { paths } from '../router.js';

/** Seconds left until `until` (ms), ticking each second; 0 when passed. */
export function useCountdown(until: number | null): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!until || until <= Date.now()) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [until]);
  return until ? Math.max(0, Math.ceil((until - now) / 1000)) : 0;
}

/** The error of a refused ask or vote, saying when to try again if the server said so. */
export function qaErrorMessage(error: unknown, secondsLeft: number): string {
  if (error instanceof ApiError) {
    if (error.status === 429 && secondsLeft > 0) return t('qa.error.rate_limited', { n: secondsLeft });
    if (error.status === 429) return t('qa.retryNow');
    if (error.code === 'qa_not_open') return t('qa.error.qa_closed');
  }
  return errorMessage(error);
}

/** Name shown for the asker: moderators see the name of an anonymous asker, marked so. */
export function askerLabel(q: LiveQuestion, moderator: boolean): string {
  if (!q.asker) return t('qa.anonymousAsker');
  const name = q.asker.guest ? `${q.asker.displayName} (${t('qa.guestBadge')})` : q.asker.displayName;
  return q.anonymous && moderator ? t('qa.byAnonymously', { name }) : q.anonymous ? t('qa.anonymousAsker') : name;
}

const STATE_BADGE: Partial<Record<LiveQuestion['state'], { key: MessageKey; tone: 'warn' | 'ok' | 'neutral' }>> = {
  pending: { key: 'qa.pending', tone: 'warn' },
  dismissed: { key: 'qa.dismissed', tone: 'neutral' },
  archived: { key: 'qa.archived', tone: 'neutral' },
};

/** A question carried over to the forum reads "moved to the forum" (linked below), not "archived". */
const MOVED_BADGE = { key: 'qa.movedToForum', tone: 'info' } as const;

/**
 * "Answered 12 min into the session": the offset counts from the Q&A's
 * start (a duration, "mm:ss" from the server), so it must not read as a clock time.
 */
export function answeredLabel(q: Pick<LiveQuestion, 'answeredOffset'>): string {
  const minutes = q.answeredOffset ? Number(q.answeredOffset.split(':')[0]) : NaN;
  return Number.isFinite(minutes) ? t('qa.answeredMinutes', { n: minutes }) : t('qa.answered');
}

/** Time since `startedAt` (ISO) as "m:ss" or "h:mm:ss", for the presenter screen's clock. */
export function offsetClock(startedAt: string, nowMs: number): string {
  const seconds = Math.max(0, Math.floor((nowMs - Date.parse(startedAt)) / 1000));
  const [h, mm, ss] = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60];
  const pad = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${pad(mm)}:${pad(ss)}` : `${mm}:${pad(ss)}`;
}

/** The line above a question's text: who, when, its state (`onScreen`: shown as "now answering" already). */
export function QuestionMeta({ q, mine, moderator, onScreen = false }: { q: LiveQuestion; mine: boolean; moderator: boolean; onScreen?: boolean }) {
  const badge = q.state === 'archived' && q.carriedOver ? MOVED_BADGE : STATE_BADGE[q.state];
  return (
    <p class="meta qa-meta">
      <span class="qa-asker">{askerLabel(q, moderator)}</span>
      <span aria-hidden="true">·</span>
      <time dateTime={q.createdAt}>{formatRelative(q.createdAt)}</time>
      {mine && <Badge tone="info">{t('qa.yours')}</Badge>}
      {q.highlighted && !onScreen && <Badge tone="live">{t('qa.nowAnswering')}</Badge>}
      {badge && <Badge tone={badge.tone}>{t(badge.key)}</Badge>}
      {q.state === 'answered' && <Badge tone="ok">{answeredLabel(q)}</Badge>}
      {q.editedAt && <span class="muted">({t('qa.edited')})</span>}
      {q.mergedCount > 0 && <span class="muted">+{q.mergedCount}</span>}
    </p>
  );
}

/** Extra lines under a question: why it was dismissed, where it continues. */
export function QuestionNotes({ q }: { q: LiveQuestion }) {
  return (
    <>
      {q.state === 'dismissed' && q.dismissReason && <p class="hint">{t('qa.dismissedReason', { reason: q.dismissReason })}</p>}
      {q.carriedOver && (
        <p class="hint">
          <a href={paths.thread(q.carriedOver.forumId, q.carriedOver.questionId)}>{t('qa.forumLink')}</a>
        </p>
      )}
    </>
  );
}

/** The upvote toggle: "▲ 3", read as "Upvote · 3 votes". */
export function VoteButton({ q, voted, disabled, onVote }: { q: LiveQuestion; voted: boolean; disabled: boolean; onVote(on: boolean): void }) {
  return (
    <button type="button" class="vote qa-vote" aria-pressed={voted} disabled={disabled} onClick={() => onVote(!voted)} data-votes={q.voteCount}>
      <span class="sr-only">{t('qa.upvote')} · </span>
      <span aria-hidden="true">▲ </span>
      <span class="qa-count">{q.voteCount}</span>
      <span class="sr-only"> {tn('qa.votes', q.voteCount).replace(String(q.voteCount), '').trim()}</span>
    </button>
  );
}

/** A plain-text question box with a character count (asking, or editing). */
export function QuestionForm(props: {
  id: string;
  label: string;
  submitLabel: string;
  max: number;
  initial?: string;
  /** Shown under the box (e.g. the anonymity option). */
  children?: ComponentChildren;
  /** Seconds to wait before sending again (slow mode, limits). */
  waitUntil?: number | null;
  autoFocus?: boolean;
  onSubmit(body: string, clientId: string): Promise<void>;
  onCancel?(): void;
}) {
  const [body, setBody] = useState(props.initial ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const clientId = useRef<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const wait = useCountdown(retryAt ?? props.waitUntil ?? null);
  useLayoutEffect(() => {
    if (props.autoFocus) box.current?.focus();
  }, []);
  const left = props.max - body.trim().length;
  const fieldError = error instanceof ApiError ? error.field('body') : undefined;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy || !body.trim() || left < 0) return;
    setBusy(true);
    setError(null);
    try {
      clientId.current ??= newClientId();
      await props.onSubmit(body.trim(), clientId.current);
      clientId.current = null;
      setBody('');
      setRetryAt(null);
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.retryAfterSeconds) setRetryAt(Date.now() + err.retryAfterSeconds * 1000);
    } finally {
      setBusy(false);
    }
  };
  const errorId = `${props.id}-error`;
  const countId = `${props.id}-count`;
  return (
    <form class="qa-form" onSubmit={submit} noValidate>
      <label for={props.id} class="composer-label">
        {props.label}
      </label>
      <textarea
        id={props.id}
        ref={box}
        rows={3}
        value={body}
        maxLength={props.max + 50}
        aria-invalid={fieldError || left < 0 ? true : undefined}
        aria-describedby={`${countId}${error ? ` ${errorId}` : ''}`}
        onInput={(e) => setBody((e.currentTarget as HTMLTextAreaElement).value)}
      />
      <p id={countId} class={`hint qa-count-left${left < 0 ? ' form-error' : ''}`}>
        {t('qa.charsLeft', { n: left })}
      </p>
      {props.children}
      {error ? (
        <p id={errorId} class="form-error" role="alert">
          {fieldError ?? qaErrorMessage(error, wait)}
        </p>
      ) : wait > 0 ? (
        <p class="hint" role="status">
          {t('qa.retryIn', { n: wait })}
        </p>
      ) : null}
      <div class="composer-actions">
        <button type="submit" class="button" disabled={busy || !body.trim() || left < 0}>
          {busy ? t('qa.sending') : props.submitLabel}
        </button>
        {props.onCancel && (
          <button type="button" class="button secondary" onClick={props.onCancel}>
            {t('qa.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

/** Q&A state as a badge: open, closed, not yet open. */
export function QaStateBadge({ info }: { info: QaInfo }) {
  if (info.state === 'open') return <Badge tone="live">{t('qa.open')}</Badge>;
  return <Badge tone="warn">{t('qa.closed')}</Badge>;
}

/** A titled list of questions, "Questions (3)", with controls beside the title; or a line saying it is empty. */
export function QuestionSection(props: {
  id: string;
  title: string;
  items: LiveQuestion[];
  /** Said when the list is empty. */
  empty?: string;
  hideWhenEmpty?: boolean;
  controls?: ComponentChildren;
  render(q: LiveQuestion): ComponentChildren;
}) {
  if (props.items.length === 0 && props.hideWhenEmpty) return null;
  return (
    <section class="qa-list" aria-labelledby={`${props.id}-h`}>
      <div class="qa-list-head">
        <h2 id={`${props.id}-h`}>
          {props.title} <span class="muted">({props.items.length})</span>
        </h2>
        {props.controls}
      </div>
      {props.items.length === 0 ? (
        props.empty && <p class="empty">{props.empty}</p>
      ) : (
        <ol class="qa-questions" data-list={props.id}>
          {props.items.map((q) => props.render(q))}
        </ol>
      )}
    </section>
  );
}

/** A message about an act that failed, until dismissed. */
export function Notice({ text, onClose }: { text: string | null; onClose(): void }) {
  if (!text) return null;
  return (
    <div class="notice" role="alert">
      <p>{text}</p>
      <button type="button" class="button link" onClick={onClose}>
        ✕<span class="sr-only">{t('qa.mod.close')}</span>
      </button>
    </div>
  );
}
