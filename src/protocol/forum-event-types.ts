/**
 * The wire protocol, kept free of server imports: the web client compiles
 * against this folder too (client/src/protocol.ts), so a type added here
 * without a case in the thread page's switch fails its type check.
 */

export const FORUM_EVENT_TYPES = [
  'reply.created',
  'reply.edited',
  'reply.deleted',
  'reply.voted',
  'question.created',
  'question.updated',
  'forum.updated',
  'membership.changed',
  'membership.removed',
  // Moderation (issue 7): src/moderation, /work/notes/moderation-contract.md.
  'reply.hidden',
  'reply.unhidden',
  'reply.approved',
  'reply.rejected',
  'reply.featured',
  'reply.moved',
  'question.merged',
  'questions.reordered',
  'forum.moderation',
  'member.silenced',
  'moderation.action',
  'moderation.queue',
  'flag.resolved',
] as const;

/** Known event types; later features (moderation, live Q&A) add theirs here. */
export type ForumEventType = (typeof FORUM_EVENT_TYPES)[number];
