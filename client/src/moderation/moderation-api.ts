import { toReply, type Author, type Question, type Reply } from '../api.js';
import { answer, api, type Schemas } from '../api/client.js';
import type { operations } from '../generated/api.js';

/**
 * The moderation API (server: src/moderation/): acts through one endpoint,
 * flags, the queue, the record and the forum's moderation settings. Shapes
 * are the server's; replies go through the thread model's `toReply`.
 */

export type FlagReason = Schemas['MyFlagView']['reason'];
export const FLAG_REASONS: FlagReason[] = ['spam', 'off_topic', 'abusive', 'other'];

/** What POST /api/moderation/acts takes, per act (the document describes only `act`; the server validates each act's class). */
export type ActCommand =
  | { act: 'reply.hide'; replyId: string; reason: string }
  | { act: 'reply.unhide' | 'reply.delete' | 'reply.feature' | 'reply.unfeature' | 'reply.approve' | 'reply.reject'; replyId: string; reason?: string }
  | { act: 'reply.edit'; replyId: string; body: string; reason?: string }
  | { act: 'reply.move'; replyId: string; toQuestionId: number; toParentId?: string | null; reason?: string }
  | { act: 'flags.resolve'; replyId: string; outcome: 'uphold' | 'dismiss'; removal?: 'hide' | 'delete'; reason?: string }
  | {
      act: 'question.pin' | 'question.unpin' | 'question.lock' | 'question.unlock' | 'question.close' | 'question.reopen';
      questionId: number;
      reason?: string;
    }
  | { act: 'question.reorder'; questionId: number; position: number }
  | { act: 'question.approve'; questionId: number; reason?: string }
  | { act: 'question.reject'; questionId: number; reason: string }
  | { act: 'question.merge'; questionId: number; intoQuestionId: number; reason?: string }
  | { act: 'question.synthesis'; questionId: number; body: string }
  | { act: 'question.slow_mode'; questionId: number; seconds: number | null }
  | {
      act: 'forum.settings';
      forumId: number;
      premoderation?: boolean;
      premoderateFirstReplies?: number;
      flagThreshold?: number | null;
      slowModeSeconds?: number | null;
      maxRepliesPerHour?: number | null;
      memberQuestions?: boolean;
    }
  | { act: 'member.silence'; forumId: number; accountId: string; until: string; reason?: string }
  | { act: 'member.unsilence'; forumId: number; accountId: string; reason?: string };

export type ModerationAction = Schemas['ModerationActionView'];
export type Removal = Schemas['RemovalView'];
export type Removals = Schemas['RemovalSummary'];
export type MyFlag = Schemas['MyFlagView'];
export type Silence = Schemas['SilenceView'];
export type ModerationSettings = Schemas['ForumModerationSettings'];
/** The record's filters as its form holds them: one act at a time. */
export type ActionFilters = Omit<NonNullable<operations['ModerationController_actions']['parameters']['query']>, 'after' | 'cursor' | 'limit' | 'act'> & { act?: string };

type WithReply<T> = Omit<T, 'reply'> & { reply: Reply };
/** Flagged and pending replies (proposed questions come from proposals()). */
export type QueueItem = WithReply<Schemas['FlaggedReplyItem']> | WithReply<Schemas['PendingReplyItem']>;
export type ActResult = Omit<Schemas['ActResult'], 'reply'> & { reply?: Reply };

const forum = (forumId: number) => ({ path: { forumId } });

export const moderation = {
  /** Any act (hide, move, pin, merge…); answers what changed and the record rows it wrote. */
  async act(command: ActCommand): Promise<ActResult> {
    const { reply, ...result } = await answer(api.POST('/api/moderation/acts', { body: command }));
    return reply ? { ...result, reply: toReply(reply) } : result;
  },
  async flag(replyId: string, reason: FlagReason, note?: string): Promise<void> {
    await answer(api.POST('/api/replies/{id}/flags', { params: { path: { id: replyId } }, body: note ? { reason, note } : { reason } }));
  },
  async queue(forumId: number, kind: 'all' | 'flags' | 'pending' = 'all', after?: string | null) {
    const page = await answer(api.GET('/api/forums/{forumId}/moderation/queue', { params: { ...forum(forumId), query: { kind, cursor: after ?? undefined, limit: 50 } } }));
    const items: QueueItem[] = [];
    for (const item of page.items) if (item.kind !== 'question') items.push({ ...item, reply: toReply(item.reply) });
    return { ...page, items };
  },
  /** Members' proposed questions awaiting approval, oldest first. */
  async proposals(forumId: number): Promise<Question[]> {
    const page = await answer(api.GET('/api/forums/{forumId}/moderation/queue', { params: { ...forum(forumId), query: { kind: 'question', limit: 100 } } }));
    return page.items.flatMap((item) => (item.kind === 'question' ? [item.question] : []));
  },
  actions: (forumId: number, filters: ActionFilters, after?: string | null) =>
    answer(api.GET('/api/forums/{forumId}/moderation/actions', { params: { ...forum(forumId), query: { ...filters, act: filters.act ? [filters.act] : undefined, cursor: after ?? undefined, limit: 50 } } })),
  /** Acts that touched the caller's own contributions. */
  mine: (forumId: number | null, after?: string | null) =>
    answer(api.GET('/api/me/moderation-actions', { params: { query: { forumId: forumId ?? undefined, cursor: after ?? undefined, limit: 50 } } })),
  removals: (forumId: number, after?: string | null) =>
    answer(api.GET('/api/forums/{forumId}/moderation/removals', { params: { ...forum(forumId), query: { cursor: after ?? undefined, limit: 50 } } })),
  /** The flags the caller raised in a forum, newest first. */
  myFlags: (forumId: number, after?: string | null) => answer(api.GET('/api/me/flags', { params: { query: { forumId, cursor: after ?? undefined, limit: 50 } } })),
  /** The forum's moderators (its member list puts them first), for filtering the log. */
  async moderators(forumId: number): Promise<Author[]> {
    const page = await answer(api.GET('/api/forums/{forumId}/members', { params: { ...forum(forumId), query: { limit: 200 } } }));
    return page.items.filter((m) => m.role === 'moderator').map((m) => ({ id: m.accountId, displayName: m.displayName }));
  },
  /** Members silenced in a forum now (moderators). */
  async silences(forumId: number): Promise<Silence[]> {
    return (await answer(api.GET('/api/forums/{forumId}/moderation/silences', { params: forum(forumId) }))).items;
  },
  settings: (forumId: number) => answer(api.GET('/api/forums/{forumId}/moderation/settings', { params: forum(forumId) })),
};
