import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { MaybeActor } from '../auth/actor.js';
import { badRequest, conflict, forbidden } from '../common/app-exception.js';
import { ForumAccessService, type ForumAccess } from '../forums/forum-access.service.js';
import type { ModerationActionView } from '../moderation/dto/moderation.views.js';
import { ModerationActs, type ActRecord } from '../moderation/moderation-acts.js';
import { assertNotSilenced } from '../moderation/posting-rules.js';
import { MODERATORS } from '../events/forum-event.js';
import type { RecordEvent } from '../events/forum-events.service.js';
import { DiscussionEvents, type RecordDiscussionEvent } from './discussion-events.js';
import type { QuestionList, QuestionView } from './dto/discussion.views.js';
import type { CreateQuestionDto, ProposeQuestionDto, UpdateQuestionDto } from './dto/question-input.dto.js';
import { MarkdownService } from './markdown.service.js';
import { hiddenAs, questionNotFound } from './discussion-errors.js';
import type { QuestionState } from './question.entity.js';
import { insertQuestion, makeRoomAt, moveQuestion, publishProposal, rejectProposal, updateQuestionFields } from './question-store.js';
import { canSeeQuestion, questionAudience, shownQuestionsCondition } from './question-visibility.js';

interface QuestionRow {
  id: number;
  forum_id: number;
  position: number;
  title: string;
  body_source: string;
  body_html: string;
  author_id: string | null;
  author_name: string | null;
  state: QuestionState;
  state_reason: string | null;
  pinned: boolean;
  locked: boolean;
  closed: boolean;
  reply_count: string | number;
  merged_into_id: number | null;
  slow_mode_seconds: number | null;
  synthesis_source: string | null;
  synthesis_html: string | null;
  synthesis_by: string | null;
  synthesis_author_name: string | null;
  synthesis_at: Date | null;
  featured_reply_ids: string[];
  /** Set on questions handed over from a session's live Q&A (src/live-qa). */
  live_score: number | null;
  live_question_id: number | null;
  live_session_id: number | null;
  viewer_replied?: boolean;
  created_at: Date;
  updated_at: Date;
}

/**
 * Columns of a question view on alias `q`. The reply count is the sum of the
 * question's counter shards (at most 16 rows), never a COUNT(*) over the
 * thread; "did I reply" is one probe of reply_author_idx.
 */
function questionColumns(viewerParam?: string): string {
  const replied = viewerParam
    ? `, EXISTS (SELECT 1 FROM reply r WHERE r.author_id = ${viewerParam} AND r.question_id = q.id AND r.state <> 'deleted') AS viewer_replied`
    : '';
  return `q.id, q.forum_id, q.position, q.title, q.body_source, q.body_html, q.author_id, a.display_name AS author_name,
    q.state, q.state_reason, q.pinned, q.locked, q.closed, q.created_at, q.updated_at, q.live_score, q.live_question_id,
    (SELECT lq.session_id FROM live_question lq WHERE lq.id = q.live_question_id) AS live_session_id,
    COALESCE((SELECT sum(c.reply_count) FROM thread_counter c WHERE c.question_id = q.id), 0) AS reply_count,
    q.merged_into_id, q.slow_mode_seconds, q.synthesis_source, q.synthesis_html, q.synthesis_by, q.synthesis_at,
    (SELECT sa.display_name FROM account sa WHERE sa.id = q.synthesis_by) AS synthesis_author_name,
    ARRAY(SELECT fr.id::text FROM reply fr WHERE fr.question_id = q.id AND fr.featured_at IS NOT NULL AND fr.state = 'visible'
           ORDER BY fr.featured_at, fr.id) AS featured_reply_ids${replied}`;
}

function toQuestionView(row: QuestionRow, options: { withSource?: boolean } = {}): QuestionView {
  return {
    id: row.id,
    forumId: row.forum_id,
    position: row.position,
    title: row.title,
    ...(options.withSource ? { bodySource: row.body_source } : {}),
    bodyHtml: row.body_html,
    author: row.author_id ? { id: row.author_id, displayName: row.author_name ?? '' } : null,
    state: row.state,
    stateReason: row.state_reason,
    pinned: row.pinned,
    locked: row.locked,
    closed: row.closed,
    replyCount: Number(row.reply_count),
    mergedIntoId: row.merged_into_id,
    slowModeSeconds: row.slow_mode_seconds,
    synthesis:
      row.synthesis_html === null
        ? null
        : {
            html: row.synthesis_html,
            ...(options.withSource ? { source: row.synthesis_source ?? '' } : {}),
            author: row.synthesis_by ? { id: row.synthesis_by, displayName: row.synthesis_author_name ?? '' } : null,
            updatedAt: row.synthesis_at!,
          },
    featuredReplyIds: row.featured_reply_ids,
    liveScore: row.live_score,
    liveQuestion: row.live_question_id === null ? null : { id: row.live_question_id, sessionId: row.live_session_id! },
    ...(row.viewer_replied === undefined ? {} : { viewerReplied: row.viewer_replied }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const UPDATABLE: (keyof UpdateQuestionDto)[] = ['title', 'body', 'position', 'pinned', 'locked', 'closed'];

/** The record's act for each flag a moderator turns on or off. */
const FLAG_ACTS = {
  pinned: ['question.pin', 'question.unpin'],
  locked: ['question.lock', 'question.unlock'],
  closed: ['question.close', 'question.reopen'],
} as const;

/** A question change and the record rows it wrote. */
export interface QuestionChange {
  question: QuestionView;
  /** The forum's order after a move (only when the position changed). */
  order?: { id: number; position: number }[];
  actions: ModerationActionView[];
}

/**
 * The discussion questions of a forum. Anyone who can read the forum lists
 * and reads them; only its moderators (and admins) create and change them,
 * not in an archived forum. Positions are unique per forum (a deferred
 * constraint): placing a question shifts the others in the same transaction.
 */
@Injectable()
export class QuestionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly forumAccess: ForumAccessService,
    private readonly markdown: MarkdownService,
    private readonly events: DiscussionEvents,
    private readonly acts: ModerationActs,
  ) {}

  /** The forum's questions: pinned first, then by position. */
  async listQuestions(actor: MaybeActor, forumId: number): Promise<QuestionList> {
    const access = await this.forumAccess.readable(actor, forumId);
    const params: unknown[] = [forumId];
    const viewer = actor ? `$${params.push(actor.accountId)}` : undefined;
    const rows: QuestionRow[] = await this.dataSource.query(
      `SELECT ${questionColumns(viewer)}
         FROM question q LEFT JOIN account a ON a.id = q.author_id
        WHERE q.forum_id = $1 AND ${shownQuestionsCondition(access, 'q', viewer)}
        ORDER BY q.pinned DESC, q.position, q.id`,
      params,
    );
    return { items: rows.map((row) => toQuestionView(row)) };
  }

  async getQuestion(actor: MaybeActor, questionId: number): Promise<QuestionView> {
    const forumId = await this.forumOf(this.dataSource.manager, questionId);
    const access = await hiddenAs(questionNotFound, this.forumAccess.readable(actor, forumId));
    const row = (await this.load(this.dataSource.manager, questionId, actor?.accountId))!;
    if (!canSeeQuestion({ canModerate: access.canModerate, accountId: actor?.accountId ?? null }, row)) throw questionNotFound();
    return toQuestionView(row, { withSource: true });
  }

  async createQuestion(actor: MaybeActor, forumId: number, dto: CreateQuestionDto): Promise<QuestionView> {
    return this.events.write(async (m, record) => {
      const access = await this.forumAccess.moderating(actor, forumId, m);
      assertWritable(access);
      return this.insert(m, record, forumId, actor!.accountId, dto, 'published');
    });
  }

  /**
   * A member proposes a question (anyone who may reply in the forum, while
   * the forum allows it): it waits, seen by its author and the moderators
   * only, until a moderator approves or rejects it. A moderator's proposal
   * is published at once, as POST /forums/:id/questions would.
   */
  async proposeQuestion(actor: MaybeActor, forumId: number, dto: ProposeQuestionDto): Promise<QuestionView> {
    return this.events.write(async (m, record) => {
      const access = await this.forumAccess.participating(actor, forumId, m);
      if (access.canModerate) return this.insert(m, record, forumId, actor!.accountId, dto, 'published');
      if (!access.forum.memberQuestions) {
        throw forbidden('member_questions_off', 'The moderators of this forum have turned off members\' questions; only they can add questions here.');
      }
      // A silenced member proposes no more than they reply.
      await assertNotSilenced(m, forumId, actor!.accountId);
      return this.insert(m, record, forumId, actor!.accountId, dto, 'proposed');
    });
  }

  /**
   * A moderator's decision on a proposal, in the act's transaction: approving
   * publishes it at the end of the agenda (and tells the forum's readers);
   * rejecting keeps it, with the reason, for its author and the moderators.
   */
  async decideProposal(m: EntityManager, record: RecordEvent, questionId: number, decision: { approve: true } | { approve: false; reason: string }) {
    const [before]: QuestionRow[] = await m.query(`SELECT id, forum_id, state, author_id FROM question WHERE id = $1 FOR UPDATE`, [questionId]);
    if (!before) throw questionNotFound();
    if (before.state !== 'proposed') throw conflict('not_proposed', 'This question is not awaiting approval (it was already published or rejected).');
    const forumId = before.forum_id;
    if (decision.approve) {
      const last = await this.lockPositions(m, forumId);
      await publishProposal(m, questionId, last + 1);
    } else {
      await rejectProposal(m, questionId, decision.reason);
    }
    const row = (await this.load(m, questionId))!;
    const question = toQuestionView(row);
    // Published: readers get it as a new question; rejected: only its author and the moderators hear of it.
    record(forumId, decision.approve ? 'question.created' : 'question.updated', { question }, { questionId, audience: questionAudience(row) });
    return { before, question: toQuestionView(row, { withSource: true }) };
  }

  private async insert(m: EntityManager, record: RecordDiscussionEvent, forumId: number, authorId: string, dto: CreateQuestionDto, state: QuestionState): Promise<QuestionView> {
    const body = dto.body ?? '';
    const bodyHtml = this.markdown.render(body);
    const last = await this.lockPositions(m, forumId);
    const position = Math.min(dto.position ?? last + 1, last + 1);
    await makeRoomAt(m, forumId, position);
    const { id } = await insertQuestion(m, {
      forumId, position, title: dto.title, bodySource: body, bodyHtml, authorId,
      pinned: dto.pinned ?? false, locked: dto.locked ?? false, closed: dto.closed ?? false, state,
    });
    const row = (await this.load(m, id))!;
    record({ type: 'question.created', forumId, questionId: id, payload: { question: toQuestionView(row) }, audience: questionAudience(row) });
    if (state === 'proposed') {
      record({ type: 'moderation.queue', forumId, questionId: id, payload: { kind: 'question', change: 'added', questionId: id }, audience: MODERATORS });
    }
    return { ...toQuestionView(row, { withSource: true }), viewerReplied: false };
  }

  /** Moderators' changes: title, body, flags, and the question's place among the others. */
  async updateQuestion(actor: MaybeActor, questionId: number, dto: UpdateQuestionDto): Promise<QuestionView> {
    return (await this.changeQuestion(actor, questionId, dto)).question;
  }

  /**
   * updateQuestion, with the record rows it wrote: every change of a
   * question is a moderator's act (pin, lock, close and their undoing,
   * reorder, edit), recorded in the same transaction.
   */
  async changeQuestion(actor: MaybeActor, questionId: number, dto: UpdateQuestionDto, reason?: string): Promise<QuestionChange> {
    const changes = UPDATABLE.filter((field) => dto[field] !== undefined);
    if (changes.length === 0) {
      throw badRequest('empty_update', `Nothing to change: send at least one of ${UPDATABLE.join(', ')}.`);
    }
    const bodyHtml = dto.body === undefined ? undefined : this.markdown.render(dto.body);
    return this.events.write(async (m, record) => {
      const forumId = await this.forumOf(m, questionId);
      const access = await hiddenAs(questionNotFound, this.forumAccess.moderating(actor, forumId, m));
      assertWritable(access);
      const before = (await this.load(m, questionId))!;
      const moved = dto.position !== undefined && (await this.move(m, forumId, questionId, dto.position));

      await updateQuestionFields(m, questionId, {
        title: dto.title, bodySource: dto.body, bodyHtml, pinned: dto.pinned, locked: dto.locked, closed: dto.closed,
      });
      const row = (await this.load(m, questionId, actor!.accountId))!;
      const { viewer_replied: _viewer, ...neutral } = row;
      record({ type: 'question.updated', forumId, questionId, payload: { question: toQuestionView(neutral) }, audience: questionAudience(row) });
      let order: { id: number; position: number }[] | undefined;
      if (moved) {
        order = await m.query(`SELECT id, position FROM question WHERE forum_id = $1 ORDER BY position`, [forumId]);
        record({ type: 'questions.reordered', forumId, questionId: null, payload: { questions: order! } });
      }
      const records = questionActs(before, row, reason);
      const actions = await this.acts.write(m, actor!.accountId, forumId, records);
      for (const action of actions) record({ type: 'moderation.action', forumId, questionId, payload: { action }, audience: MODERATORS });
      return { question: toQuestionView(row, { withSource: true }), ...(order ? { order } : {}), actions };
    });
  }

  /** One question as a moderator's write answers it (with its markdown sources), read in the write's transaction. */
  async viewIn(m: EntityManager, questionId: number): Promise<QuestionView> {
    const row = await this.load(m, questionId);
    if (!row) throw questionNotFound();
    return toQuestionView(row, { withSource: true });
  }

  /** The same, as every reader may receive it in an event (no sources). */
  async eventViewIn(m: EntityManager, questionId: number): Promise<QuestionView> {
    const row = await this.load(m, questionId);
    if (!row) throw questionNotFound();
    return toQuestionView(row);
  }

  /**
   * Moves a question to `target` (clamped to the last place): the ones in
   * between shift by one towards the gap it leaves. Positions stay unique
   * at commit (the constraint is deferred, so the moment in between is fine).
   */
  private async move(m: EntityManager, forumId: number, questionId: number, target: number): Promise<boolean> {
    const last = await this.lockPositions(m, forumId);
    const [{ position: from }]: { position: number }[] = await m.query(`SELECT position FROM question WHERE id = $1`, [questionId]);
    const to = Math.min(target, last);
    if (to === from) return false;
    await moveQuestion(m, forumId, questionId, from, to);
    return true;
  }

  /**
   * Serialises changes to one forum's question order (two moderators adding
   * questions at once would otherwise both pick the same last place), and
   * returns the last position in use (-1 if none). FOR NO KEY UPDATE on the
   * forum row: it doesn't block replies, whose foreign keys only take KEY SHARE.
   */
  private async lockPositions(m: EntityManager, forumId: number): Promise<number> {
    await m.query(`SELECT id FROM forum WHERE id = $1 FOR NO KEY UPDATE`, [forumId]);
    const [{ last }]: { last: number }[] = await m.query(`SELECT COALESCE(max(position), -1) AS last FROM question WHERE forum_id = $1`, [forumId]);
    return last;
  }

  private async forumOf(m: EntityManager, questionId: number): Promise<number> {
    const rows: { forum_id: number }[] = await m.query(`SELECT forum_id FROM question WHERE id = $1`, [questionId]);
    if (!rows[0]) throw questionNotFound();
    return rows[0].forum_id;
  }

  private async load(m: EntityManager, questionId: number, viewerId?: string): Promise<QuestionRow | null> {
    const params: unknown[] = [questionId];
    const viewer = viewerId ? `$${params.push(viewerId)}` : undefined;
    const rows: QuestionRow[] = await m.query(
      `SELECT ${questionColumns(viewer)} FROM question q LEFT JOIN account a ON a.id = q.author_id WHERE q.id = $1`,
      params,
    );
    return rows[0] ?? null;
  }
}

/** The record rows for a change of a question: one per flag turned on or off, its place, its text. */
function questionActs(before: QuestionRow, after: QuestionRow, reason?: string): ActRecord[] {
  const base = { targetKind: 'question' as const, targetId: after.id, questionId: after.id, targetAuthorId: after.author_id, reason: reason ?? null };
  const records: ActRecord[] = [];
  for (const flag of ['pinned', 'locked', 'closed'] as const) {
    if (before[flag] === after[flag]) continue;
    records.push({ ...base, act: FLAG_ACTS[flag][after[flag] ? 0 : 1], before: { [flag]: before[flag] }, after: { [flag]: after[flag] } });
  }
  if (before.position !== after.position) {
    records.push({ ...base, act: 'question.reorder', before: { position: before.position }, after: { position: after.position } });
  }
  if (before.title !== after.title || before.body_source !== after.body_source) {
    records.push({
      ...base, act: 'question.edit',
      before: { title: before.title, bodySource: before.body_source }, after: { title: after.title, bodySource: after.body_source },
    });
  }
  return records;
}

function assertWritable(access: ForumAccess): void {
  if (access.forum.state === 'archived') throw conflict('forum_archived', 'This forum is archived and read-only.');
}
