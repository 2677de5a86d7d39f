import { AppException, conflict, notFound } from '../common/app-exception.js';

/** The discussions' own refusals, each with a stable code and a message that says what to do. */

export const replyNotFound = () => notFound('The reply', 'reply_not_found');
export const questionNotFound = () => notFound('The question', 'question_not_found');

/**
 * A question or reply in a forum the caller can't read answers exactly as
 * one that doesn't exist (not "forum not found"), so probing ids reveals
 * nothing about private forums.
 */
export async function hiddenAs<T>(notFoundError: () => AppException, access: Promise<T>): Promise<T> {
  try {
    return await access;
  } catch (error) {
    if (error instanceof AppException && error.code === 'forum_not_found') throw notFoundError();
    throw error;
  }
}

export const questionNotPublished = () =>
  conflict('question_not_published', 'This question awaits a moderator\'s approval (or was rejected): it takes replies once it is published.');
export const questionClosed = () =>
  conflict('question_closed', 'This question is closed: it no longer takes replies or edits. You can still read the thread.');
export const questionLocked = () =>
  conflict('question_locked', 'A moderator has locked this question: for now only moderators can reply or change replies in it.');
export const replyDeleted = () => conflict('reply_deleted', 'This reply has been deleted; it can no longer be edited or voted on.');
export const parentDeleted = () =>
  conflict('parent_deleted', 'The reply you are answering has been deleted; reply to the question or to another reply instead.');
export const questionMerged = (intoQuestionId: number) =>
  conflict('question_merged', `A moderator merged this question into question ${intoQuestionId}; reply there instead.`);
export const parentMoved = () =>
  conflict('parent_moved', 'A moderator has just moved the reply you are answering to another question; reply to it there.');
