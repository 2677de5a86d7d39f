import type { ForumAccess } from '../forums/forum-access.service.js';
import { READERS, type EventAudience } from '../realtime/forum-event.js';
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

export function canSeeReply(viewer: ReplyViewer, reply: { state: ReplyState; author_id: string }): boolean {
  if (viewer.canModerate || READER_STATES.includes(reply.state)) return true;
  return AUTHOR_ONLY_STATES.includes(reply.state) && viewer.accountId === reply.author_id;
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
  const readers = `${alias}.state IN (${list(READER_STATES)})`;
  if (!viewerParam) return readers;
  return `(${readers} OR (${alias}.author_id = ${viewerParam} AND ${alias}.state IN (${list(AUTHOR_ONLY_STATES)})))`;
}

/** Whether a reply in this state counts in the question's reply count (see thread_counter). */
export const countsAsReply = (state: ReplyState): boolean => state === 'visible';

/** Whether a reply in this state counts in its parent's childCount: what readers see in its place. */
export const countsAsChild = (state: ReplyState): boolean => READER_STATES.includes(state);

/** Who may hear of a change to a reply in this state: a pending or rejected reply reaches only its author and the moderators. */
export function replyAudience(reply: { state: ReplyState; author_id: string }): EventAudience {
  return AUTHOR_ONLY_STATES.includes(reply.state) ? { kind: 'moderators_and_account', accountId: reply.author_id } : READERS;
}
