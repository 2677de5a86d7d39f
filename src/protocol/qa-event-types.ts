/**
 * The live Q&A's events (src/live-qa/qa-stream.ts), like the forum's: one
 * list, and what each carries. No server imports (the client compiles this).
 */
import type { AskerView, LiveQuestionView, PollView, QaSettingsView, Same, Wire } from './views.js';

export const QA_EVENT_TYPES = [
  'qa.updated',
  'qa.handed_over',
  'question.asked',
  'question.updated',
  'question.asker',
  'question.highlighted',
  'question.merged',
  'question.carried_over',
  'poll.created',
  'poll.updated',
] as const;
export type QaEventType = (typeof QA_EVENT_TYPES)[number];

export interface QaEventPayloads {
  'qa.updated': { qa: QaSettingsView };
  /** The session's questions went to its forum (`created`: which became which); no forum when nothing was carried and there is none. */
  'qa.handed_over': {
    forum: { id: number; slug: string; title: string } | null;
    created: { liveQuestionId: number; forumQuestionId: number }[];
    polls?: { pollId: number; forumQuestionId: number }[];
    pending?: { approved: number; dismissed: number; kept: number };
  };
  'question.asked': { question: LiveQuestionView };
  'question.updated': { question: LiveQuestionView };
  /** To moderators and the asker: who asked an anonymous question (events otherwise leave them out). */
  'question.asker': { questionId: number; asker: AskerView };
  /** "Now answering" moved to `question` (null: none). */
  'question.highlighted': { questionId: number | null; previousId: number | null; question: LiveQuestionView | null };
  'question.merged': { question: LiveQuestionView; into: LiveQuestionView };
  /** To the askers: their question continues in the forum. */
  'question.carried_over': { questionId: number; forumId: number; forumQuestionId: number };
  'poll.created': { poll: PollView };
  'poll.updated': { poll: PollView };
}

export type QaEventView = {
  [T in QaEventType]: { seq: number; type: T; questionId: number | null; payload: Wire<QaEventPayloads[T]>; at: string };
}[QaEventType];

export const QA_EVENT_TYPES_MATCH_PAYLOADS: Same<QaEventType, keyof QaEventPayloads> = true;
