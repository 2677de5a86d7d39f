import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type * as Protocol from '../protocol/views.js';
import { SESSION_STATES, type SessionState } from '../sessions/session.entity.js';
import { offsetLabel, type LiveQuestionState, type QaState } from './qa-policy.js';
import { VOTE_SUM } from './qa-votes.js';

/**
 * The shapes the live Q&A answers with (the contract in notes/qa-contract.md),
 * as classes so the OpenAPI document describes them; each implements the
 * protocol's view that events and acks carry.
 */

const LIVE_QUESTION_STATES: LiveQuestionState[] = ['pending', 'approved', 'answered', 'dismissed', 'archived', 'merged', 'withdrawn'];
const PENDING_CHOICES = ['approve', 'dismiss', 'keep'] as const;

export class AskerView implements Protocol.AskerView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() displayName: string;
  @ApiProperty() guest: boolean;
}

/** The forum question a live question was carried over to. */
export class CarriedOverView {
  @ApiProperty() forumId: number;
  @ApiProperty() questionId: number;
}

/** A live question as the server builds it (times as Dates, its text always there; the log may drop it later). */
export class LiveQuestionView implements Protocol.LiveQuestionView<Date> {
  @ApiProperty() id: number;
  @ApiProperty() sessionId: number;
  @ApiProperty() body: string;
  @ApiProperty({ enum: LIVE_QUESTION_STATES }) state: LiveQuestionState;
  @ApiProperty() anonymous: boolean;
  @ApiProperty({ type: AskerView, nullable: true, description: 'Null when anonymous, except for moderators and the asker.' }) asker: AskerView | null;
  @ApiProperty() voteCount: number;
  @ApiProperty() highlighted: boolean;
  @ApiProperty({ type: Number, nullable: true }) mergedIntoId: number | null;
  @ApiProperty({ description: 'Questions merged into this one.' }) mergedCount: number;
  @ApiProperty({ type: String, nullable: true, description: 'Moderators and the asker only.' }) dismissReason: string | null;
  @ApiProperty({ type: Date, nullable: true }) answeredAt: Date | null;
  @ApiProperty({ type: String, nullable: true, description: '"mm:ss" since the Q&A started.' }) answeredOffset: string | null;
  @ApiProperty({ type: Date, nullable: true }) editedAt: Date | null;
  @ApiProperty() editedByModerator: boolean;
  @ApiProperty({ type: CarriedOverView, nullable: true }) carriedOver: CarriedOverView | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
  @ApiPropertyOptional({ description: 'Signed-in callers (HTTP): the caller asked it, or a question merged into it.' }) viewerAsked?: boolean;
  @ApiPropertyOptional({ description: 'Signed-in callers (HTTP): the caller voted for it.' }) viewerVoted?: boolean;
}

/** A forum a Q&A hands over to. */
export class HandOverForumView {
  @ApiProperty() id: number;
  @ApiProperty() slug: string;
  @ApiProperty() title: string;
}

export class QaSettingsView implements Protocol.QaSettingsView<Date> {
  @ApiProperty() sessionId: number;
  @ApiProperty() sessionSlug: string;
  @ApiProperty() sessionTitle: string;
  @ApiProperty({ enum: SESSION_STATES }) sessionState: SessionState;
  @ApiProperty({ enum: ['open', 'closed', 'not_open'] }) state: QaState | 'not_open';
  @ApiProperty() premoderation: boolean;
  @ApiProperty() allowGuests: boolean;
  @ApiProperty({ description: 'One question per person per this many seconds (0: off).' }) slowModeSeconds: number;
  @ApiProperty({ type: Date, nullable: true }) startedAt: Date | null;
  @ApiProperty({ type: Number, nullable: true }) highlightedQuestionId: number | null;
  @ApiProperty({ type: LiveQuestionView, nullable: true }) highlighted: LiveQuestionView | null;
  @ApiProperty({ type: Date, nullable: true }) handedOverAt: Date | null;
  @ApiProperty({ type: HandOverForumView, nullable: true }) handOverForum: HandOverForumView | null;
  @ApiProperty({ type: Number, nullable: true, description: 'The poll on the presenter screen.' }) onScreenPollId: number | null;
  @ApiProperty({ type: String, nullable: true, description: "The presenter screen's short join code (`/j/CODE`), once made." }) joinCode: string | null;
}

/** The asking limits for this viewer (guests stricter). */
export class QaLimitsView {
  @ApiProperty() maxBodyLength: number;
  @ApiProperty() asksPerWindow: number;
  @ApiProperty() windowSeconds: number;
  @ApiProperty({ description: 'Slow mode, or the guests\' gap between questions.' }) minIntervalSeconds: number;
}

export class AskRefusalView {
  @ApiProperty() code: string;
  @ApiProperty() message: string;
}

export class QaViewerView {
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) accountId: string | null;
  @ApiProperty({ type: String, nullable: true }) displayName: string | null;
  @ApiProperty() guest: boolean;
  @ApiProperty() canModerate: boolean;
  @ApiProperty() canAsk: boolean;
  @ApiProperty({ type: AskRefusalView, nullable: true, description: 'Why the caller may not ask, or null.' }) askRefusal: AskRefusalView | null;
}

export class QaView extends QaSettingsView {
  @ApiProperty({ type: QaLimitsView }) limits: QaLimitsView;
  @ApiProperty({ type: QaViewerView }) viewer: QaViewerView;
}

@ApiSchema({ name: 'LiveQuestionVoteResult' })
export class VoteResult {
  @ApiProperty() questionId: number;
  @ApiProperty() voteCount: number;
  @ApiProperty() viewerVoted: boolean;
  @ApiProperty({ description: 'Database time of the count.' }) asOf: string;
}

export class LiveQuestionList {
  @ApiProperty({ type: [LiveQuestionView] }) items: LiveQuestionView[];
  @ApiProperty({ description: "The Q&A stream's position read before the list (subscribe from it)." }) seq: number;
  @ApiProperty({ description: 'Database time of the vote counts.' }) countsAsOf: string;
}

export class ModerateResult {
  @ApiProperty({ type: LiveQuestionView }) question: LiveQuestionView;
  @ApiPropertyOptional({ type: LiveQuestionView, description: 'merge: the question merged into.' }) into?: LiveQuestionView;
}

export class HandedOverQuestion {
  @ApiProperty() liveQuestionId: number;
  @ApiProperty() forumQuestionId: number;
}

export class HandedOverPoll {
  @ApiProperty() pollId: number;
  @ApiProperty() forumQuestionId: number;
}

export class PendingOutcome {
  @ApiProperty() approved: number;
  @ApiProperty() dismissed: number;
  @ApiProperty() kept: number;
}

export class HandOverResult {
  @ApiProperty({ type: HandOverForumView, nullable: true, description: 'Null when nothing was carried and the session has no forum to name (none is created for nothing).' })
  forum: HandOverForumView | null;
  @ApiProperty({ type: [HandedOverQuestion] }) created: HandedOverQuestion[];
  @ApiProperty() forumCreated: boolean;
  @ApiPropertyOptional({ type: [HandedOverPoll], description: 'Polls whose results travelled, and the forum question that carries each (only when some did).' })
  polls?: HandedOverPoll[];
  @ApiPropertyOptional({ type: PendingOutcome, description: 'What became of the questions awaiting approval (only when some were, or a choice was made).' })
  pending?: PendingOutcome;
}

export class HandOverPreviewQuestion {
  @ApiProperty() liveQuestionId: number;
  @ApiProperty() body: string;
  @ApiProperty() votes: number;
}

export class HandOverPreviewPending {
  @ApiProperty() liveQuestionId: number;
  @ApiProperty() body: string;
}

export class HandOverPreviewPoll {
  @ApiProperty() pollId: number;
  @ApiProperty() prompt: string;
  @ApiProperty() kind: string;
  @ApiProperty() total: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Onto the forum question of this live question, or (null) into one summary question.' }) ontoLiveQuestionId: number | null;
}

export class HandOverPreviewPollLeft {
  @ApiProperty() pollId: number;
  @ApiProperty() prompt: string;
}

/** What a hand-over would do now (GET …/qa/hand-over): the moderator reads it before ending the session. */
export class HandOverPreview {
  @ApiProperty({ type: HandOverForumView, nullable: true, description: 'The forum it goes to; null when the session has none yet (one is created when there is something to carry).' })
  forum: HandOverForumView | null;
  @ApiProperty() forumWillBeCreated: boolean;
  @ApiProperty({ type: [HandOverPreviewQuestion], description: 'The approved, unanswered questions it carries (most voted first).' }) questions: HandOverPreviewQuestion[];
  @ApiProperty({ type: [HandOverPreviewPending], description: 'Questions awaiting approval it leaves behind (empty when they are to be approved).' }) pending: HandOverPreviewPending[];
  @ApiProperty({ enum: PENDING_CHOICES }) pendingChoice: (typeof PENDING_CHOICES)[number];
  @ApiProperty({ type: [HandOverPreviewPoll], description: 'Polls whose results travel.' }) polls: HandOverPreviewPoll[];
  @ApiProperty() pollSummaryQuestion: boolean;
  @ApiProperty({ type: [HandOverPreviewPollLeft], description: 'Launched polls whose results are hidden: they stay in the Q&A.' }) pollsNotCarried: HandOverPreviewPollLeft[];
}

export class QaActorView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() displayName: string;
}

const JSON_OBJECT = { type: 'object', additionalProperties: true, nullable: true } as const;

export class QaActionView {
  @ApiProperty() id: number;
  @ApiProperty({ type: Number, nullable: true }) questionId: number | null;
  @ApiProperty() action: string;
  @ApiProperty({ type: QaActorView, nullable: true }) actor: QaActorView | null;
  @ApiProperty(JSON_OBJECT) before: unknown;
  @ApiProperty(JSON_OBJECT) after: unknown;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty() at: Date;
}

export class QaActionList {
  @ApiProperty({ type: [QaActionView], description: 'Newest first.' }) items: QaActionView[];
}

export class JoinCodeView {
  @ApiProperty() code: string;
  @ApiProperty({ description: 'The attendee view: /j/CODE.' }) path: string;
}

export class JoinCodeTarget {
  @ApiProperty() sessionId: number;
  @ApiProperty() sessionSlug: string;
}

export class GuestAccountView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: [true] }) guest: true;
  @ApiProperty({ description: 'The only session whose Q&A the guest takes part in.' }) sessionId: number;
}

export class GuestJoined {
  @ApiProperty({ type: GuestAccountView }) account: GuestAccountView;
  @ApiProperty() expiresAt: Date;
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
