import type * as Protocol from '../protocol/views.js';
import type { SessionState } from '../sessions/session.entity.js';
import { offsetLabel, type LiveQuestionState, type QaState } from './qa-policy.js';
import { VOTE_SUM } from './qa-votes.js';

/** The shapes the live Q&A answers with (the contract in notes/qa-contract.md). */

/** A live question as the server builds it (times as Dates, its text always there; the log may drop it later). */
export interface LiveQuestionView extends Protocol.LiveQuestionView<Date> {
  body: string;
}

export interface QaSettingsView extends Protocol.QaSettingsView<Date> {
  sessionState: SessionState;
  state: QaState | 'not_open';
  highlighted: LiveQuestionView | null;
}

export interface QaView extends QaSettingsView {
  limits: { maxBodyLength: number; asksPerWindow: number; windowSeconds: number; minIntervalSeconds: number };
  viewer: {
    accountId: string | null;
    displayName: string | null;
    guest: boolean;
    canModerate: boolean;
    canAsk: boolean;
    askRefusal: { code: string; message: string } | null;
  };
}

export interface VoteResult {
  questionId: number;
  voteCount: number;
  viewerVoted: boolean;
  asOf: string;
}

export interface HandOverResult {
  /** Null when nothing was carried and the session has no forum to name (none is created for nothing). */
  forum: { id: number; slug: string; title: string } | null;
  created: { liveQuestionId: number; forumQuestionId: number }[];
  forumCreated: boolean;
  /** Polls whose results travelled, and the forum question that carries each (only when some did). */
  polls?: { pollId: number; forumQuestionId: number }[];
  /** What became of the questions awaiting approval (only when some were, or a choice was made). */
  pending?: { approved: number; dismissed: number; kept: number };
}

/** What a hand-over would do now (GET …/qa/hand-over): the moderator reads it before ending the session. */
export interface HandOverPreview {
  /** The forum it goes to; null when the session has none yet (one is created when there is something to carry). */
  forum: { id: number; slug: string; title: string } | null;
  forumWillBeCreated: boolean;
  /** The approved, unanswered questions it carries (most voted first). */
  questions: { liveQuestionId: number; body: string; votes: number }[];
  /** Questions awaiting approval it leaves behind (empty when they are to be approved). */
  pending: { liveQuestionId: number; body: string }[];
  pendingChoice: 'approve' | 'dismiss' | 'keep';
  /** Polls whose results travel: onto the forum question of their live question, or (null) into one summary question. */
  polls: { pollId: number; prompt: string; kind: string; total: number; ontoLiveQuestionId: number | null }[];
  pollSummaryQuestion: boolean;
  /** Launched polls whose results are hidden: they stay in the Q&A. */
  pollsNotCarried: { pollId: number; prompt: string }[];
}

export interface QaActionView {
  id: number;
  questionId: number | null;
  action: string;
  actor: { id: string; displayName: string } | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  at: Date;
}

/** Who is looking: moderators see askers of anonymous questions and dismiss reasons; askers see their own. */
export interface QuestionViewer {
  moderator: boolean;
  accountId: string | null;
}

export interface LiveQuestionRow {
  id: number;
  session_id: number;
  asker_id: string;
  asker_name: string;
  asker_guest: boolean;
  anonymous: boolean;
  body: string;
  state: LiveQuestionState;
  dismiss_reason: string | null;
  merged_into_id: number | null;
  answered_at: Date | null;
  edited_at: Date | null;
  edited_by_moderator: boolean;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  highlighted: boolean;
  vote_count: string | number;
  merged_count: string | number;
  forum_question_id: number | null;
  forum_id: number | null;
  viewer_asked?: boolean;
  viewer_voted?: boolean;
}

/**
 * SELECT … FROM of live questions (alias q) with what a view needs; with a
 * viewer parameter (e.g. `$2`), whether they asked it (or a question merged
 * into it) and voted for it.
 */
export function liveQuestionSelect(viewerParam?: string, extraColumns = ''): string {
  const viewer = viewerParam
    ? `, (q.asker_id = ${viewerParam}::uuid OR EXISTS (SELECT 1 FROM live_question mq WHERE mq.merged_into_id = q.id AND mq.asker_id = ${viewerParam}::uuid)) AS viewer_asked,
         EXISTS (SELECT 1 FROM live_question_vote v WHERE v.question_id = q.id AND v.voter_id = ${viewerParam}::uuid) AS viewer_voted`
    : '';
  return `SELECT q.id, q.session_id, q.asker_id, a.display_name AS asker_name, (a.kind = 'guest') AS asker_guest, q.anonymous, q.body,
            q.state, q.dismiss_reason, q.merged_into_id, q.answered_at, q.edited_at, q.edited_by_moderator, q.created_at, q.updated_at,
            qa.started_at, (qa.highlighted_question_id IS NOT DISTINCT FROM q.id) AS highlighted, ${VOTE_SUM('q')} AS vote_count,
            (SELECT count(*) FROM live_question mc WHERE mc.merged_into_id = q.id) AS merged_count,
            fq.id AS forum_question_id, fq.forum_id${viewer}${extraColumns}
       FROM live_question q
       JOIN live_qa qa ON qa.session_id = q.session_id
       JOIN account a ON a.id = q.asker_id
       LEFT JOIN question fq ON fq.live_question_id = q.id`;
}

/**
 * A live question as `viewer` may see it; with no viewer, the
 * viewer-neutral form that event payloads carry (anonymous askers hidden,
 * no dismiss reason unless `withReason`).
 */
export function toLiveQuestionView(row: LiveQuestionRow, viewer: QuestionViewer | null, options: { withReason?: boolean } = {}): LiveQuestionView {
  const own = viewer?.accountId === row.asker_id;
  const seesAsker = !row.anonymous || !!viewer?.moderator || own;
  const seesReason = !!viewer?.moderator || own || !!options.withReason;
  return {
    id: row.id,
    sessionId: row.session_id,
    body: row.body,
    state: row.state,
    anonymous: row.anonymous,
    asker: seesAsker ? { id: row.asker_id, displayName: row.asker_name, guest: row.asker_guest } : null,
    voteCount: Number(row.vote_count),
    highlighted: row.highlighted,
    mergedIntoId: row.merged_into_id,
    mergedCount: Number(row.merged_count),
    dismissReason: seesReason ? row.dismiss_reason : null,
    answeredAt: row.answered_at,
    answeredOffset: row.state === 'answered' || row.answered_at ? offsetLabel(row.started_at, row.answered_at) : null,
    editedAt: row.edited_at,
    editedByModerator: row.edited_by_moderator,
    carriedOver: row.forum_question_id !== null && row.forum_id !== null ? { forumId: row.forum_id, questionId: row.forum_question_id } : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.viewer_asked === undefined ? {} : { viewerAsked: row.viewer_asked }),
    ...(row.viewer_voted === undefined ? {} : { viewerVoted: row.viewer_voted }),
  };
}
