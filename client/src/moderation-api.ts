import { call, query, toQuestion, toReply, type Author, type Page, type Question, type Reply } from './api.js';

/**
 * The moderation API (server: src/moderation/, contract in the notes):
 * acts through one endpoint, flags, the queue, the record and the forum's
 * moderation settings. As in api.ts, the `to*` functions are the one place
 * that adapts to the server's shapes.
 */

type Json = Record<string, unknown>;

export type FlagReason = 'spam' | 'off_topic' | 'abusive' | 'other';
export const FLAG_REASONS: FlagReason[] = ['spam', 'off_topic', 'abusive', 'other'];

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

export interface ModerationAction {
  id: string;
  forumId: number;
  act: string;
  /** null: the system (the flag threshold). */
  actor: Author | null;
  targetKind: 'reply' | 'question' | 'forum' | 'account';
  targetId: string;
  questionId: number | null;
  targetAuthor: Author | null;
  reason: string | null;
  before: Json | null;
  after: Json | null;
  createdAt: string;
}

export interface ActResult {
  act: string;
  settings: ModerationSettings | null;
  reply: Reply | null;
  question: Question | null;
  movedReplyIds: string[];
  /** question.reorder: the forum's questions in their new order. */
  positions: { id: number; position: number }[];
  actions: ModerationAction[];
}

export interface QueueFlag {
  id: string;
  reason: FlagReason;
  note: string | null;
  by: Author | null;
  createdAt: string;
}

export type QueueItem =
  | { kind: 'flags'; since: string; reply: Reply; flags: QueueFlag[]; counts: Record<FlagReason, number> }
  | { kind: 'pending'; since: string; reply: Reply };

export interface Removal {
  id: string;
  act: string;
  targetKind: string;
  questionId: number | null;
  reason: string | null;
  createdAt: string;
}

export interface Removals extends Page<Removal> {
  totals: { act: string; count: number }[];
}

/** A flag as the member who raised it sees it, with the moderators' outcome. */
export interface MyFlag {
  id: string;
  replyId: string;
  questionId: number;
  reason: FlagReason;
  note: string | null;
  state: 'open' | 'upheld' | 'dismissed';
  createdAt: string;
  resolvedAt: string | null;
}

/** A member who may not post in a forum until a time. */
export interface Silence {
  account: Author;
  until: string;
  reason: string | null;
  by: Author | null;
}

export interface ModerationSettings {
  premoderation: boolean;
  flagThresholdIsDefault: boolean;
  premoderateFirstReplies: number;
  flagThreshold: number;
  slowModeSeconds: number | null;
  maxRepliesPerHour: number | null;
  /** Members may propose questions for the moderators to approve. */
  memberQuestions: boolean;
}

export interface ActionFilters {
  act?: string;
  actorId?: string;
  targetKind?: string;
  questionId?: number;
  since?: string;
  until?: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v == null ? '' : String(v));
const int = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null);
const list = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
const person = (v: unknown): Author | null => (v && typeof v === 'object' ? { id: str((v as Json).id), displayName: str((v as Json).displayName) } : null);
const obj = (v: unknown): Json | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null);
const reason = (v: unknown): FlagReason => (FLAG_REASONS.includes(v as FlagReason) ? (v as FlagReason) : 'other');

function page<T>(data: unknown, map: (x: Json) => T): Page<T> {
  const d = (data ?? {}) as Json;
  return { items: list(d.items).map(map), nextCursor: typeof d.nextCursor === 'string' ? d.nextCursor : null };
}

export function toAction(a: Json): ModerationAction {
  return {
    id: str(a.id),
    forumId: int(a.forumId) ?? 0,
    act: str(a.act),
    actor: person(a.actor),
    targetKind: str(a.targetKind) as ModerationAction['targetKind'],
    targetId: str(a.targetId),
    questionId: int(a.questionId),
    targetAuthor: person(a.targetAuthor),
    reason: typeof a.reason === 'string' ? a.reason : null,
    before: obj(a.before),
    after: obj(a.after),
    createdAt: str(a.createdAt),
  };
}

export function toQueueItem(i: Json): QueueItem {
  const reply = toReply(obj(i.reply) ?? {});
  const since = str(i.since);
  if (i.kind === 'pending') return { kind: 'pending', since, reply };
  const counts = obj(i.counts) ?? {};
  return {
    kind: 'flags',
    since,
    reply,
    flags: list(i.flags).map((f) => ({ id: str(f.id), reason: reason(f.reason), note: typeof f.note === 'string' ? f.note : null, by: person(f.by), createdAt: str(f.createdAt) })),
    counts: { spam: int(counts.spam) ?? 0, off_topic: int(counts.off_topic) ?? 0, abusive: int(counts.abusive) ?? 0, other: int(counts.other) ?? 0 },
  };
}

export const moderation = {
  /** Any act (hide, move, pin, merge…); answers what changed and the record rows it wrote. */
  async act(command: ActCommand): Promise<ActResult> {
    const r = await call<Json>('POST', '/moderation/acts', command);
    const reply = obj(r.reply);
    const question = obj(r.question);
    return {
      act: str(r.act),
      reply: reply ? toReply(reply) : null,
      question: question ? toQuestion(question) : null,
      settings: obj(r.settings) ? toSettings(obj(r.settings)!) : null,
      movedReplyIds: Array.isArray(r.movedReplyIds) ? r.movedReplyIds.map(str) : [],
      positions: list(r.questions).map((x) => ({ id: int(x.id) ?? 0, position: int(x.position) ?? 0 })),
      actions: list(r.actions).map(toAction),
    };
  },
  async flag(replyId: string, why: FlagReason, note?: string): Promise<void> {
    await call('POST', `/replies/${encodeURIComponent(replyId)}/flags`, note ? { reason: why, note } : { reason: why });
  },
  /** Flagged and pending replies (proposed questions come from proposals()). */
  async queue(forumId: number, kind: 'all' | 'flags' | 'pending' = 'all', after?: string | null): Promise<Page<QueueItem>> {
    const data = (await call<Json>('GET', `/forums/${forumId}/moderation/queue${query({ kind, after, limit: 50 })}`)) ?? {};
    return page({ ...data, items: list(data.items).filter((i) => i.kind !== 'question') }, toQueueItem);
  },
  /** Members' proposed questions awaiting approval, oldest first. */
  async proposals(forumId: number): Promise<Question[]> {
    const data = await call<Json>('GET', `/forums/${forumId}/moderation/queue${query({ kind: 'question', limit: 100 })}`);
    return list(data.items).map((i) => toQuestion(obj(i.question) ?? {}));
  },
  async actions(forumId: number, filters: ActionFilters, after?: string | null): Promise<Page<ModerationAction>> {
    return page(await call('GET', `/forums/${forumId}/moderation/actions${query({ ...filters, after, limit: 50 })}`), toAction);
  },
  /** Acts that touched the caller's own contributions. */
  async mine(forumId: number | null, after?: string | null): Promise<Page<ModerationAction>> {
    return page(await call('GET', `/me/moderation-actions${query({ forumId, after, limit: 50 })}`), toAction);
  },
  async removals(forumId: number, after?: string | null): Promise<Removals> {
    const data = await call<Json>('GET', `/forums/${forumId}/moderation/removals${query({ after, limit: 50 })}`);
    return {
      ...page(data, (x) => ({
        id: str(x.id),
        act: str(x.act),
        targetKind: str(x.targetKind),
        questionId: int(x.questionId),
        reason: typeof x.reason === 'string' ? x.reason : null,
        createdAt: str(x.createdAt),
      })),
      totals: list(data.totals).map((x) => ({ act: str(x.act), count: int(x.count) ?? 0 })),
    };
  },
  /** The flags the caller raised in a forum, newest first. */
  async myFlags(forumId: number, after?: string | null): Promise<Page<MyFlag>> {
    return page(await call('GET', `/me/flags${query({ forumId, after, limit: 50 })}`), (f) => ({
      id: str(f.id),
      replyId: str(f.replyId),
      questionId: int(f.questionId) ?? 0,
      reason: reason(f.reason),
      note: typeof f.note === 'string' ? f.note : null,
      state: f.state === 'upheld' || f.state === 'dismissed' ? f.state : 'open',
      createdAt: str(f.createdAt),
      resolvedAt: typeof f.resolvedAt === 'string' ? f.resolvedAt : null,
    }));
  },
  /** The forum's moderators (its member list puts them first), for filtering the log. */
  async moderators(forumId: number): Promise<Author[]> {
    const data = await call<Json>('GET', `/forums/${forumId}/members${query({ limit: 200 })}`);
    return list(data.items)
      .filter((m) => m.role === 'moderator')
      .map((m) => ({ id: str(m.accountId), displayName: str(m.displayName) }));
  },
  /** Members silenced in a forum now (moderators). */
  async silences(forumId: number): Promise<Silence[]> {
    const data = await call<Json>('GET', `/forums/${forumId}/moderation/silences`);
    return list(data.items).map((x) => ({
      account: person(x.account) ?? { id: '', displayName: '' },
      until: str(x.until),
      reason: typeof x.reason === 'string' ? x.reason : null,
      by: person(x.by),
    }));
  },
  async settings(forumId: number): Promise<ModerationSettings> {
    return toSettings(await call<Json>('GET', `/forums/${forumId}/moderation/settings`));
  },
};

export function toSettings(s: Json): ModerationSettings {
  return {
    premoderation: s.premoderation === true,
    premoderateFirstReplies: int(s.premoderateFirstReplies) ?? 0,
    flagThreshold: int(s.flagThreshold) ?? 3,
    flagThresholdIsDefault: s.flagThresholdIsDefault === true,
    slowModeSeconds: int(s.slowModeSeconds),
    maxRepliesPerHour: int(s.maxRepliesPerHour),
    memberQuestions: s.memberQuestions !== false,
  };
}
