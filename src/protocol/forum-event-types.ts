/**
 * The wire protocol shared by the server (src/) and the client (client/src/,
 * which imports this folder directly; it must stay free of server imports).
 * Issue 12: a new event type here must get a case in the client's handlers,
 * which end in an exhaustive `never` check, or `npm run typecheck` fails.
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

/** For exhaustive switches over protocol unions: a missing case is a type error. */
export function assertNever(value: never): never {
  throw new Error(`unhandled protocol value: ${String(value)}`);
}
