import { call, query, type SessionState } from './api.js';

/**
 * The live Q&A's HTTP calls and shapes (server: src/live-qa/, contract in the
 * issue #6 notes). As in api.ts, the `to*` adapters are the one place that
 * reads the server's JSON.
 */

export type QaState = 'not_open' | 'open' | 'closed';
export type LiveQuestionState = 'pending' | 'approved' | 'answered' | 'dismissed' | 'archived' | 'merged' | 'withdrawn';
export type QaSort = 'popular' | 'recent';

export interface LiveQuestion {
  id: number;
  sessionId: number;
  body: string;
  state: LiveQuestionState;
  anonymous: boolean;
  /** Null when anonymous, except for moderators and the asker. */
  asker: { id: string; displayName: string; guest: boolean } | null;
  voteCount: number;
  highlighted: boolean;
  mergedIntoId: number | null;
  mergedCount: number;
  dismissReason: string | null;
  answeredAt: string | null;
  /** "mm:ss" since the Q&A started. */
  answeredOffset: string | null;
  editedAt: string | null;
  editedByModerator: boolean;
  carriedOver: { forumId: number; questionId: number } | null;
  createdAt: string;
  updatedAt: string;
  /** Per viewer, over HTTP only (undefined in live events). */
  viewerAsked?: boolean;
  viewerVoted?: boolean;
}

export interface QaViewer {
  accountId: string | null;
  displayName: string | null;
  guest: boolean;
  canModerate: boolean;
  canAsk: boolean;
  askRefusal: { code: string; message: string } | null;
}

export interface QaInfo {
  sessionId: number;
  sessionSlug: string;
  sessionTitle: string;
  sessionState: SessionState;
  state: QaState;
  premoderation: boolean;
  allowGuests: boolean;
  slowModeSeconds: number;
  startedAt: string | null;
  highlightedQuestionId: number | null;
  highlighted: LiveQuestion | null;
  handedOverAt: string | null;
  handOverForum: { id: number; slug: string; title: string } | null;
  /** The poll on the presenter screen. */
  onScreenPollId: number | null;
  /** The presenter screen's short join code (`/j/CODE`), once made. */
  joinCode: string | null;
  /** For this viewer (guests stricter); `minIntervalSeconds`: slow mode, or the guests' gap. */
  limits: { maxBodyLength: number; asksPerWindow: number; windowSeconds: number; minIntervalSeconds: number };
  viewer: QaViewer;
}

export interface VoteResult {
  questionId: number;
  voteCount: number;
  viewerVoted: boolean;
  asOf: string;
}

export interface VoteCounts {
  asOf: string;
  counts: { questionId: number; voteCount: number }[];
}

export type ModerateInput =
  | { action: 'approve' | 'highlight' | 'unhighlight' | 'answer' | 'archive' }
  | { action: 'dismiss'; reason?: string }
  | { action: 'merge'; intoId: number }
  | { action: 'edit'; body: string };

export interface QaSettings {
  state?: 'open' | 'closed';
  premoderation?: boolean;
  allowGuests?: boolean;
  slowModeSeconds?: number;
  sessionState?: SessionState;
  /** Ending the session: what becomes of the questions awaiting approval. */
  pending?: PendingChoice;
}

export type PendingChoice = 'approve' | 'dismiss' | 'keep';

export interface HandOverPreview {
  forum: { id: number; slug: string; title: string } | null;
  forumWillBeCreated: boolean;
  questions: { liveQuestionId: number; body: string; votes: number }[];
  pending: { liveQuestionId: number; body: string }[];
  pendingChoice: PendingChoice;
  polls: { pollId: number; prompt: string; kind: string; total: number; ontoLiveQuestionId: number | null }[];
  pollSummaryQuestion: boolean;
  pollsNotCarried: { pollId: number; prompt: string }[];
}

export interface HandOverResult {
  /** Null when nothing was carried and the session has no forum (none is created for nothing). */
  forum: { id: number; slug: string; title: string } | null;
  created: { liveQuestionId: number; forumQuestionId: number }[];
  forumCreated: boolean;
}

type Json = Record<string, unknown>;

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : v == null ? fallback : String(v));
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null);
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const QUESTION_STATES: LiveQuestionState[] = ['pending', 'approved', 'answered', 'dismissed', 'archived', 'merged', 'withdrawn'];

export function toLiveQuestion(q: Json): LiveQuestion {
  const asker = (q.asker ?? null) as Json | null;
  const carried = (q.carriedOver ?? null) as Json | null;
  const question: LiveQuestion = {
    id: int(q.id) ?? 0,
    sessionId: int(q.sessionId) ?? 0,
    body: str(q.body),
    state: QUESTION_STATES.includes(q.state as LiveQuestionState) ? (q.state as LiveQuestionState) : 'approved',
    anonymous: q.anonymous === true,
    asker: asker ? { id: str(asker.id), displayName: str(asker.displayName), guest: asker.guest === true } : null,
    voteCount: int(q.voteCount) ?? 0,
    highlighted: q.highlighted === true,
    mergedIntoId: int(q.mergedIntoId),
    mergedCount: int(q.mergedCount) ?? 0,
    dismissReason: strOrNull(q.dismissReason),
    answeredAt: strOrNull(q.answeredAt),
    answeredOffset: strOrNull(q.answeredOffset),
    editedAt: strOrNull(q.editedAt),
    editedByModerator: q.editedByModerator === true,
    carriedOver: carried ? { forumId: int(carried.forumId) ?? 0, questionId: int(carried.questionId) ?? 0 } : null,
    createdAt: str(q.createdAt),
    updatedAt: str(q.updatedAt),
  };
  if (typeof q.viewerAsked === 'boolean') question.viewerAsked = q.viewerAsked;
  if (typeof q.viewerVoted === 'boolean') question.viewerVoted = q.viewerVoted;
  return question;
}

/** The Q&A's own fields (also what `qa.updated` events carry, without viewer and limits). */
export function toQaFields(v: Json): Omit<QaInfo, 'viewer' | 'limits'> {
  const forum = (v.handOverForum ?? null) as Json | null;
  const highlighted = (v.highlighted ?? null) as Json | null;
  return {
    sessionId: int(v.sessionId) ?? 0,
    sessionSlug: str(v.sessionSlug),
    sessionTitle: str(v.sessionTitle),
    sessionState: str(v.sessionState, 'scheduled') as SessionState,
    state: v.state === 'open' || v.state === 'closed' ? v.state : 'not_open',
    premoderation: v.premoderation === true,
    allowGuests: v.allowGuests === true,
    slowModeSeconds: int(v.slowModeSeconds) ?? 0,
    startedAt: strOrNull(v.startedAt),
    highlightedQuestionId: int(v.highlightedQuestionId),
    highlighted: highlighted ? toLiveQuestion(highlighted) : null,
    handedOverAt: strOrNull(v.handedOverAt),
    handOverForum: forum ? { id: int(forum.id) ?? 0, slug: str(forum.slug), title: str(forum.title) } : null,
    onScreenPollId: int(v.onScreenPollId),
    joinCode: strOrNull(v.joinCode),
  };
}

function toQaInfo(v: Json): QaInfo {
  const limits = (v.limits ?? {}) as Json;
  const viewer = (v.viewer ?? {}) as Json;
  const refusal = (viewer.askRefusal ?? null) as Json | null;
  return {
    ...toQaFields(v),
    limits: {
      maxBodyLength: int(limits.maxBodyLength) ?? 500,
      asksPerWindow: int(limits.asksPerWindow) ?? 0,
      windowSeconds: int(limits.windowSeconds) ?? 0,
      minIntervalSeconds: int(limits.minIntervalSeconds) ?? 0,
    },
    viewer: {
      accountId: strOrNull(viewer.accountId),
      displayName: strOrNull(viewer.displayName),
      guest: viewer.guest === true,
      canModerate: viewer.canModerate === true,
      canAsk: viewer.canAsk === true,
      askRefusal: refusal ? { code: str(refusal.code), message: str(refusal.message) } : null,
    },
  };
}

function toVoteResult(v: Json): VoteResult {
  return { questionId: int(v.questionId) ?? 0, voteCount: int(v.voteCount) ?? 0, viewerVoted: v.viewerVoted === true, asOf: str(v.asOf) };
}

export function toVoteCounts(v: Json, asOfKey: 'asOf' | 'countsAsOf' = 'asOf'): VoteCounts {
  const counts = Array.isArray(v.counts) ? (v.counts as Json[]) : [];
  return {
    asOf: str(v[asOfKey]),
    counts: counts.map((c) => ({ questionId: int(c.questionId) ?? 0, voteCount: int(c.voteCount) ?? 0 })),
  };
}

const session = (idOrSlug: string | number) => `/sessions/${encodeURIComponent(String(idOrSlug))}/qa`;

export const qa = {
  async get(idOrSlug: string | number): Promise<QaInfo> {
    return toQaInfo(await call<Json>('GET', session(idOrSlug)));
  },
  /** The list and the live stream's position read before it (follow from there). */
  async questions(idOrSlug: string | number, options: { sort?: QaSort; state?: LiveQuestionState } = {}): Promise<{ items: LiveQuestion[]; seq: number | null; countsAsOf: string }> {
    const data = await call<Json>('GET', `${session(idOrSlug)}/questions${query({ sort: options.sort, state: options.state })}`);
    const items = Array.isArray(data.items) ? (data.items as Json[]) : [];
    return { items: items.map(toLiveQuestion), seq: int(data.seq), countsAsOf: str(data.countsAsOf) };
  },
  /** `clientId` (one per draft) makes a retry return the question stored the first time. */
  async ask(idOrSlug: string | number, body: string, anonymous: boolean, clientId?: string): Promise<LiveQuestion> {
    return toLiveQuestion(await call<Json>('POST', `${session(idOrSlug)}/questions`, { body, anonymous, ...(clientId ? { clientId } : {}) }));
  },
  async edit(id: number, body: string): Promise<LiveQuestion> {
    return toLiveQuestion(await call<Json>('PATCH', `/qa/questions/${id}`, { body }));
  },
  async withdraw(id: number): Promise<LiveQuestion> {
    return toLiveQuestion(await call<Json>('DELETE', `/qa/questions/${id}`));
  },
  async vote(id: number, on: boolean): Promise<VoteResult> {
    return toVoteResult(await call<Json>(on ? 'PUT' : 'DELETE', `/qa/questions/${id}/vote`));
  },
  async moderate(id: number, input: ModerateInput): Promise<{ question: LiveQuestion; into: LiveQuestion | null }> {
    const data = await call<Json>('POST', `/qa/questions/${id}/moderate`, input);
    return { question: toLiveQuestion(data.question as Json), into: data.into ? toLiveQuestion(data.into as Json) : null };
  },
  async configure(idOrSlug: string | number, settings: QaSettings): Promise<QaInfo> {
    return toQaInfo(await call<Json>('PATCH', session(idOrSlug), settings));
  },
  async handOver(idOrSlug: string | number): Promise<HandOverResult> {
    const data = await call<Json>('POST', `${session(idOrSlug)}/hand-over`);
    const forum = (data.forum ?? null) as Json | null;
    const created = Array.isArray(data.created) ? (data.created as Json[]) : [];
    return {
      forum: forum ? { id: int(forum.id) ?? 0, slug: str(forum.slug), title: str(forum.title) } : null,
      created: created.map((c) => ({ liveQuestionId: int(c.liveQuestionId) ?? 0, forumQuestionId: int(c.forumQuestionId) ?? 0 })),
      forumCreated: data.forumCreated === true,
    };
  },
  /** What a hand-over would do now, with the pending questions approved, dismissed or kept (moderators). */
  async handOverPreview(idOrSlug: string | number, pending: PendingChoice): Promise<HandOverPreview> {
    return (await call<Json>('GET', `${session(idOrSlug)}/hand-over${query({ pending })}`)) as unknown as HandOverPreview;
  },
  /** The presenter screen's join code (made on first call; moderators). */
  async joinCode(idOrSlug: string | number): Promise<{ code: string; path: string }> {
    return (await call<Json>('POST', `${session(idOrSlug)}/join-code`)) as unknown as { code: string; path: string };
  },
  /** The session a join code opens. */
  async findJoinCode(code: string): Promise<{ sessionId: number; sessionSlug: string }> {
    return (await call<Json>('GET', `/qa/join/${encodeURIComponent(code)}`)) as unknown as { sessionId: number; sessionSlug: string };
  },
  /** Joins this session's Q&A as a guest with a name (sets the sign-in cookie for this Q&A only). */
  async joinAsGuest(idOrSlug: string | number, displayName: string): Promise<void> {
    await call('POST', `${session(idOrSlug)}/guests`, { displayName });
  },
  exportUrl: (idOrSlug: string | number, format: 'csv' | 'md') => `/api${session(idOrSlug)}/export?format=${format}`,
};
