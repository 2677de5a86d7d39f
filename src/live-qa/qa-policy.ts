import type { MaybeActor } from '../auth/actor.js';

/**
 * The rules of a session's live Q&A as pure functions: who may ask, which
 * states attendees see, which moderator acts apply to which states, and the
 * "answered live at mm:ss" clock. Services apply them for HTTP and sockets.
 */

export type QaState = 'open' | 'closed';
export type LiveQuestionState = 'pending' | 'approved' | 'answered' | 'dismissed' | 'archived' | 'merged' | 'withdrawn';
export const LIVE_QUESTION_STATES: LiveQuestionState[] = ['pending', 'approved', 'answered', 'dismissed', 'archived', 'merged', 'withdrawn'];

export type ModerationAction = 'approve' | 'dismiss' | 'highlight' | 'unhighlight' | 'answer' | 'archive' | 'merge' | 'edit';
export const MODERATION_ACTIONS: ModerationAction[] = ['approve', 'dismiss', 'highlight', 'unhighlight', 'answer', 'archive', 'merge', 'edit'];

/** What to do with the questions still awaiting approval when the Q&A hands over: approve (and carry), dismiss, or keep them pending. */
export type PendingChoice = 'approve' | 'dismiss' | 'keep';
export const PENDING_CHOICES: PendingChoice[] = ['approve', 'dismiss', 'keep'];

/** Longest question, in characters (also a CHECK in the database). */
export const MAX_QUESTION_LENGTH = 500;
export const MAX_DISMISS_REASON_LENGTH = 300;

/**
 * What every attendee sees: approved and answered questions, and archived ones that were carried over to the
 * forum. The rest only moderators and the asker: a moderator archiving a pending or dismissed question sets it
 * aside, it must not publish it.
 */
export function isPublicState(state: LiveQuestionState, carriedOver = false): boolean {
  return state === 'approved' || state === 'answered' || (state === 'archived' && carriedOver);
}

/** isPublicState in SQL, for live questions aliased `q` (carried over: a forum question was made from it). */
export const PUBLIC_QUESTION_SQL = `(q.state IN ('approved', 'answered') OR (q.state = 'archived' AND EXISTS (SELECT 1 FROM question pq WHERE pq.live_question_id = q.id)))`;

/** The asker may edit or withdraw their question until it is answered (or taken out of the queue). */
export function askerMayChange(state: LiveQuestionState): boolean {
  return state === 'pending' || state === 'approved';
}

/** Votes (and their undoing) count only on approved questions. */
export function votable(state: LiveQuestionState): boolean {
  return state === 'approved';
}

/** Which states each moderator act starts from, and the state it leaves the question in (null: unchanged). */
const TRANSITIONS: Record<ModerationAction, { from: LiveQuestionState[]; to: LiveQuestionState | null }> = {
  approve: { from: ['pending', 'dismissed'], to: 'approved' },
  dismiss: { from: ['pending', 'approved'], to: 'dismissed' },
  highlight: { from: ['approved'], to: null },
  unhighlight: { from: LIVE_QUESTION_STATES, to: null },
  answer: { from: ['approved'], to: 'answered' },
  archive: { from: ['pending', 'approved', 'answered', 'dismissed'], to: 'archived' },
  merge: { from: ['pending', 'approved'], to: 'merged' },
  edit: { from: ['pending', 'approved', 'answered', 'dismissed', 'archived'], to: null },
};

/** A merge target: a question attendees can see and still care about. */
export const MERGE_TARGET_STATES: LiveQuestionState[] = ['approved', 'answered'];

export function transitionAllowed(action: ModerationAction, from: LiveQuestionState): boolean {
  return TRANSITIONS[action].from.includes(from);
}

export type AskRefusal = 'unauthenticated' | 'guest_not_allowed' | 'qa_not_open';

export const ASK_REFUSALS: Record<AskRefusal, string> = {
  unauthenticated: 'Sign in (or join as a guest, if the moderators allow it) to ask and vote.',
  guest_not_allowed: 'Your guest name is for another session, or guests may not take part here. Sign in with an account instead.',
  qa_not_open: 'The Q&A of this session is not open. You can still read the questions.',
};

/** Why the caller may not ask or vote in this Q&A, or null if they may. */
export function askRefusal(qa: { state: QaState; allowGuests: boolean; sessionId: number } | null, actor: MaybeActor, moderator: boolean): AskRefusal | null {
  if (!actor) return 'unauthenticated';
  if (actor.guestSessionId !== undefined && (actor.guestSessionId !== qa?.sessionId || !qa.allowGuests)) return 'guest_not_allowed';
  if (!qa || (qa.state !== 'open' && !moderator)) return 'qa_not_open';
  return null;
}

/** Seconds since the Q&A started as "mm:ss" (minutes may pass 59: "75:03"); null without both times. */
export function offsetLabel(startedAt: Date | null, at: Date | null): string | null {
  if (!startedAt || !at) return null;
  const seconds = Math.max(0, Math.floor((at.getTime() - startedAt.getTime()) / 1000));
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}

export interface AskingLimits {
  asksPerWindow: number;
  windowSeconds: number;
  /** Least seconds between two questions of one person. */
  minIntervalSeconds: number;
}

/** Guests ask at most a third as often, and never faster than one question per 30 s. */
export const GUEST_MIN_INTERVAL_SECONDS = 30;

export function askingLimits(
  config: { QA_ASKS_PER_WINDOW: number; QA_GUEST_ASKS_PER_WINDOW: number; QA_ASK_WINDOW_SECONDS: number },
  guest: boolean,
  slowModeSeconds: number,
): AskingLimits {
  return {
    asksPerWindow: guest ? config.QA_GUEST_ASKS_PER_WINDOW : config.QA_ASKS_PER_WINDOW,
    windowSeconds: config.QA_ASK_WINDOW_SECONDS,
    minIntervalSeconds: Math.max(slowModeSeconds, guest ? GUEST_MIN_INTERVAL_SECONDS : 0),
  };
}

/**
 * How long the person must wait before asking again (0: now), from the
 * creation times (ms) of their questions in this session over the last
 * max(window, min interval), oldest first.
 */
export function askWaitMs(limits: AskingLimits, recent: number[], nowMs: number): number {
  let wait = 0;
  const newest = recent.at(-1);
  if (newest !== undefined && limits.minIntervalSeconds > 0) wait = newest + limits.minIntervalSeconds * 1000 - nowMs;
  const inWindow = recent.filter((t) => t > nowMs - limits.windowSeconds * 1000);
  if (inWindow.length >= limits.asksPerWindow) {
    // The window frees a place when the oldest of the last `asksPerWindow` questions leaves it.
    wait = Math.max(wait, inWindow[inWindow.length - limits.asksPerWindow] + limits.windowSeconds * 1000 - nowMs);
  }
  return Math.max(0, Math.ceil(wait));
}
