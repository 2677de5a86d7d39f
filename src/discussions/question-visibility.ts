import { MODERATORS, READERS, type EventAudience } from '../events/forum-event.js';
import type { QuestionState } from './question.entity.js';
import type { ReplyViewer } from './reply-visibility.js';

/**
 * Which questions a reader is shown, for lists, single reads and live events
 * alike: the same rule as for replies (reply-visibility.ts). A member's
 * proposal, and a rejected one, reach only its author and the moderators;
 * readers see published questions.
 */
export type ShownQuestion = { state: QuestionState; author_id: string | null };

export const isProposal = (question: Pick<ShownQuestion, 'state'>): boolean => question.state !== 'published';

export function canSeeQuestion(viewer: ReplyViewer, question: ShownQuestion): boolean {
  if (viewer.canModerate || !isProposal(question)) return true;
  return question.author_id !== null && viewer.accountId === question.author_id;
}

/** The same rule as a SQL condition on a question alias; `viewerParam` is the placeholder bound to the caller's account id. */
export function shownQuestionsCondition(viewer: Pick<ReplyViewer, 'canModerate'>, alias: string, viewerParam?: string): string {
  if (viewer.canModerate) return 'TRUE';
  const readers = `${alias}.state = 'published'`;
  return viewerParam ? `(${readers} OR ${alias}.author_id = ${viewerParam})` : readers;
}

/** Who may hear of a change to a question: a proposal reaches only its author and the moderators. */
export function questionAudience(question: ShownQuestion): EventAudience {
  if (!isProposal(question)) return READERS;
  return question.author_id ? { kind: 'moderators_and_account', accountId: question.author_id } : MODERATORS;
}
