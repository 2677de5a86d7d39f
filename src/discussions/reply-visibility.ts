import type { ForumAccess } from '../forums/forum-access.service.js';
import type { ReplyState } from './reply.entity.js';

/**
 * Which replies a reader is shown: the one place that decides it, for lists
 * and single reads alike (the moderation features build on it).
 *
 * Ordinary readers see visible replies and deleted ones (as a placeholder
 * that keeps its place in the tree); moderators also see replies that are
 * pending approval or hidden.
 */
const READER_STATES: readonly ReplyState[] = ['visible', 'deleted'];

export function canSeeReply(access: Pick<ForumAccess, 'canModerate'>, state: ReplyState): boolean {
  return access.canModerate || READER_STATES.includes(state);
}

/**
 * The same rule as a SQL condition on a reply alias, for list queries
 * (`AND ${shownRepliesCondition(access, 'r')}`). Built only from the
 * constant state names above, never from input.
 */
export function shownRepliesCondition(access: Pick<ForumAccess, 'canModerate'>, alias: string): string {
  if (access.canModerate) return 'TRUE';
  return `${alias}.state IN (${READER_STATES.map((s) => `'${s}'`).join(', ')})`;
}

/** Whether a reply in this state counts in the question's reply count (see thread_counter). */
export const countsAsReply = (state: ReplyState): boolean => state === 'visible';
