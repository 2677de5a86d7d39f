import type { ForumAccess } from '../forums/forum-access.service.js';
import { READERS, type EventAudience } from '../events/forum-event.js';
import type { ReplyState } from './reply.entity.js';

/**
 * Which replies a reader is shown: the one place that decides it, for lists,
 * single reads and live events alike.
 *
 * Ordinary readers see visible replies, and hidden and deleted ones as a
 * placeholder that keeps its place in the tree (a hidden reply shows the
 * moderator's reason instead of its text). Replies awaiting approval, or
 * rejected, are seen only by their author and the moderators. Moderators see
 * everything, hidden text included.
 */
const READER_STATES: readonly ReplyState[] = ['visible', 'hidden', 'deleted'];
const AUTHOR_ONLY_STATES: readonly ReplyState[] = ['pending', 'rejected'];

/** Who is looking: the forum access of the caller, and their account (null: anonymous). */
export type ReplyViewer = Pick<ForumAccess, 'canModerate'> & { accountId: string | null };

/** What the rule looks at: the reply's state, author, and whether it was deleted before readers ever saw it (`withheld`). */
export type ShownReply = { state: ReplyState; author_id: string; withheld?: boolean };

/** Seen by its author and the moderators only: pending or rejected, or deleted while it was (readers never had it). */
export const isAuthorOnly = (reply: Pick<ShownReply, 'state' | 'withheld'>): boolean =>
  AUTHOR_ONLY_STATES.includes(reply.state) || reply.withheld === true;

export function canSeeReply(viewer: ReplyViewer, reply: ShownReply): boolean {
  if (viewer.canModerate) return true;
  if (isAuthorOnly(reply)) return viewer.accountId === reply.author_id;
  return READER_STATES.includes(reply.state);
}

const list = (states: readonly ReplyState[]) => states.map((s) => `'${s}'`).join(', ');

/**
 * The same rule as a SQL condition on a reply alias, for list queries
 * (`AND ${shownRepliesCondition(access, 'r', '$4')}`), `viewerParam` being the
 * placeholder bound to the caller's account id (none for anonymous callers).
 * Built only from constant state names and the placeholder, never from input.
 */
export function shownRepliesCondition(access: Pick<ForumAccess, 'canModerate'>, alias: string, viewerParam?: string): string {
  if (access.canModerate) return 'TRUE';
  const readers = `(${alias}.state IN (${list(READER_STATES)}) AND NOT ${alias}.withheld)`;
  if (!viewerParam) return readers;
  return `(${readers} OR (${alias}.author_id = ${viewerParam} AND (${alias}.state IN (${list(AUTHOR_ONLY_STATES)}) OR ${alias}.withheld)))`;
}

/**
 * Whose text a reader is shown (as toReplyView does): readers the text of
 * visible replies only (hidden and deleted ones are placeholders), authors
 * also their own pending and rejected replies, moderators everything but
 * deleted text. `moderatesSql` is a condition saying the caller moderates the
 * reply's forum (ForumAccessService.moderatedForumsCondition), so one query
 * can span forums; search matches only text its reader may see.
 */
export function shownTextCondition(moderatesSql: string, alias: string, viewerParam?: string): string {
  const readers = `(${alias}.state = 'visible' AND NOT ${alias}.withheld)`;
  const own = viewerParam ? ` OR (${alias}.author_id = ${viewerParam} AND ${alias}.state IN (${list(AUTHOR_ONLY_STATES)}))` : '';
  return `(${readers}${own} OR (${moderatesSql} AND ${alias}.state <> 'deleted'))`;
}

/** Whether a reply in this state counts in the question's reply count (see thread_counter). */
export const countsAsReply = (state: ReplyState): boolean => state === 'visible';

/** Whether a reply in this state counts in its parent's childCount: what readers see in its place (a withheld one they don't). */
export const countsAsChild = (state: ReplyState, withheld = false): boolean => READER_STATES.includes(state) && !withheld;

/** Who may hear of a change to a reply: a pending, rejected or withheld reply reaches only its author and the moderators. */
export function replyAudience(reply: ShownReply): EventAudience {
  return isAuthorOnly(reply) ? { kind: 'moderators_and_account', accountId: reply.author_id } : READERS;
}
