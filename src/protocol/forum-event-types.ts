/**
 * The wire protocol, kept free of server imports: the web client compiles
 * against this folder too (client/src/protocol.ts), so a type added here
 * without a case in the client's event switch fails its type check.
 */
import type {
  FlagView,
  ForumModerationSettingsView,
  ForumState,
  ForumVisibility,
  ModerationActionView,
  QuestionView,
  ReplyView,
  SilenceView,
  Same,
  Wire,
} from './views.js';

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

/** Known event types; later features add theirs here and in ForumEventPayloads. */
export type ForumEventType = (typeof FORUM_EVENT_TYPES)[number];

/** A reply that changed, as this reader may see it (a hidden one as a placeholder). */
interface ReplyChange {
  reply: ReplyView;
}

/** What each forum event carries, as the server records it (src/events/forum-events.service.ts). */
export interface ForumEventPayloads {
  'reply.created': ReplyChange;
  'reply.edited': ReplyChange;
  /** The reply keeps its place; the log drops its text. */
  'reply.deleted': ReplyChange;
  'reply.voted': { replyId: string; voteCount: number };
  'question.created': { question: QuestionView };
  'question.updated': { question: QuestionView };
  /** Only the fields that changed. */
  'forum.updated': { forum: { id: number; title?: string; slug?: string; description?: string; visibility?: ForumVisibility; state?: ForumState } };
  /** To moderators: someone's role in the forum changed (null: the membership ended). */
  'membership.changed': { accountId: string; role: 'member' | 'moderator' | null; state: 'active' | null };
  'membership.removed': { accountId: string };
  'reply.hidden': ReplyChange;
  'reply.unhidden': ReplyChange;
  'reply.approved': ReplyChange;
  'reply.rejected': ReplyChange;
  'reply.featured': ReplyChange;
  'reply.moved': { replyId: string; fromQuestionId: number; toQuestionId: number; parentId: string | null; movedReplyIds: string[] };
  'question.merged': { sourceId: number; targetId: number; movedReplyIds: string[] };
  'questions.reordered': { questions: { id: number; position: number }[] };
  'forum.moderation': { settings: ForumModerationSettingsView };
  /** To moderators and the member: a silence began (or, null, ended). */
  'member.silenced': { accountId: string; silence: SilenceView | null };
  'moderation.action': { action: ModerationActionView };
  /** To moderators: an entry of their queue came, changed or left. */
  'moderation.queue':
    | { kind: 'flags' | 'pending'; change: 'added' | 'updated' | 'removed'; replyId: string; questionId: number }
    | { kind: 'question'; change: 'added' | 'removed'; questionId: number };
  /** To moderators and the flagger: a moderator settled the flag. */
  'flag.resolved': { flag: FlagView };
}

/** One recorded event as a client receives it, its payload typed by its type. */
export type ForumEventView = {
  [T in ForumEventType]: { seq: number; type: T; questionId: number | null; payload: Wire<ForumEventPayloads[T]>; at: string };
}[ForumEventType];

// The list above and the map name the same types (a type in one and not the other fails here).
export const FORUM_EVENT_TYPES_MATCH_PAYLOADS: Same<ForumEventType, keyof ForumEventPayloads> = true;
