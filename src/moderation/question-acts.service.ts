import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { MaybeActor } from '../auth/actor.js';
import { badRequest } from '../common/app-exception.js';
import { questionMerged, questionNotFound, questionNotPublished } from '../discussions/discussion-errors.js';
import type { QuestionState } from '../discussions/question.entity.js';
import { isProposal, questionAudience } from '../discussions/question-visibility.js';
import { MarkdownService } from '../discussions/markdown.service.js';
import { QuestionsService } from '../discussions/questions.service.js';
import { markMerged, setSlowMode, setSynthesis } from '../discussions/question-store.js';
import { moveAllReplies } from '../discussions/reply-store.js';
import { MODERATORS } from '../events/forum-event.js';
import type { RecordEvent } from '../events/forum-events.service.js';
import type { ApproveQuestionCommand, MergeQuestionCommand, RejectQuestionCommand, SlowModeCommand, SynthesisCommand } from './dto/act-commands.js';
import type { ActResult } from './dto/moderation.views.js';
import { ModerationActs, type ActContext, type ActRecord } from './moderation-acts.js';

interface QuestionRow {
  id: number;
  forum_id: number;
  author_id: string | null;
  state: QuestionState;
  closed: boolean;
  merged_into_id: number | null;
  slow_mode_seconds: number | null;
  synthesis_source: string | null;
}

/**
 * Moderators' acts on questions that PATCH /questions/:id doesn't cover:
 * merging one into another, the moderator's synthesis, slow mode. (Pin,
 * lock, close and reorder are QuestionsService.changeQuestion, recorded
 * there.)
 */
@Injectable()
export class QuestionActsService {
  constructor(
    private readonly acts: ModerationActs,
    private readonly questions: QuestionsService,
    private readonly markdown: MarkdownService,
  ) {}

  /**
   * Merges a question into another of the same forum: every reply moves with
   * its path unchanged (paths start with the first-level reply's own id, so
   * they stay unique and each subtree keeps its order; first-level replies
   * interleave with the target's by creation), votes stay on the replies,
   * the reply count moves, and the source is closed with a link to the target.
   */
  merge(actor: MaybeActor, cmd: MergeQuestionCommand): Promise<ActResult> {
    // Both questions are locked in id order (not source first), so two opposite merges can't deadlock.
    return this.onQuestion(actor, cmd, { lock: false }, async ({ m, record, forumId }, located) => {
      if (cmd.intoQuestionId === located.id) {
        throw badRequest('merge_into_self', 'A question can\'t be merged into itself; pick another question of this forum.', [
          { field: 'intoQuestionId', message: 'intoQuestionId must be another question of the same forum' },
        ]);
      }
      const locked = await lockQuestions(m, [located.id, cmd.intoQuestionId]);
      const source = locked.find((q) => q.id === located.id)!;
      const target = locked.find((q) => q.id === cmd.intoQuestionId);
      if (!target || target.forum_id !== forumId) throw questionNotFound();
      if (source.merged_into_id !== null) throw questionMerged(source.merged_into_id);
      if (target.merged_into_id !== null) throw questionMerged(target.merged_into_id);
      if (isProposal(source) || isProposal(target)) throw questionNotPublished();
      const moved = await moveAllReplies(m, source.id, target.id, forumId);
      await markMerged(m, source.id, target.id);
      const movedReplyIds = moved.sort((a, b) => (a.path < b.path ? -1 : 1)).map((r) => String(r.id));
      record(forumId, 'question.merged', { sourceId: source.id, targetId: target.id, movedReplyIds });
      await this.updated(m, record, forumId, source.id);
      const question = await this.updated(m, record, forumId, target.id);
      return {
        result: { question, source: await this.questions.viewIn(m, source.id), movedReplyIds },
        records: [{
          ...entry('question.merge', source, cmd.reason),
          before: { mergedIntoId: null, closed: source.closed }, after: { mergedIntoId: target.id, closed: true, movedReplies: moved.length },
        }],
      };
    });
  }

  /**
   * Approves or rejects a member's proposed question (QuestionsService does
   * the change); recorded with the state before and after. Approval
   * publishes it to the forum's readers; the reason of a rejection is shown
   * to its author.
   */
  decideProposal(actor: MaybeActor, cmd: ApproveQuestionCommand | RejectQuestionCommand): Promise<ActResult> {
    const approve = cmd.act === 'question.approve';
    return this.onQuestion(actor, cmd, { lock: true }, async ({ m, record }, located) => {
      const decision = approve ? ({ approve: true } as const) : ({ approve: false, reason: cmd.reason! } as const);
      const { before, question } = await this.questions.decideProposal(m, record, located.id, decision);
      record(located.forum_id, 'moderation.queue', { kind: 'question', change: 'removed', questionId: located.id }, { questionId: located.id, audience: MODERATORS });
      return {
        result: { question },
        records: [{ ...entry(cmd.act, located, cmd.reason), before: { state: before.state }, after: { state: question.state } }],
      };
    });
  }

  /** The moderator's synthesis at the top of the thread (markdown); an empty body removes it. */
  synthesis(actor: MaybeActor, cmd: SynthesisCommand): Promise<ActResult> {
    return this.onQuestion(actor, cmd, { lock: true }, async ({ m, record, forumId, actor: moderator }, question) => {
      const source = cmd.body.trim() === '' ? null : cmd.body;
      if (source === question.synthesis_source) return { result: { question: await this.questions.viewIn(m, question.id) }, records: [] };
      await setSynthesis(m, question.id, {
        source, html: source === null ? null : this.markdown.render(source), by: source === null ? null : moderator.accountId,
      });
      return {
        result: { question: await this.updated(m, record, forumId, question.id) },
        records: [{ ...entry('question.synthesis', question, null), before: { synthesis: question.synthesis_source }, after: { synthesis: source } }],
      };
    });
  }

  /** One reply per person per N seconds in this question (moderators exempt); null turns it off. */
  slowMode(actor: MaybeActor, cmd: SlowModeCommand): Promise<ActResult> {
    return this.onQuestion(actor, cmd, { lock: true }, async ({ m, record, forumId }, question) => {
      if (question.slow_mode_seconds === cmd.seconds) return { result: { question: await this.questions.viewIn(m, question.id) }, records: [] };
      await setSlowMode(m, question.id, cmd.seconds);
      return {
        result: { question: await this.updated(m, record, forumId, question.id) },
        records: [{
          ...entry('question.slow_mode', question, cmd.reason),
          before: { slowModeSeconds: question.slow_mode_seconds }, after: { slowModeSeconds: cmd.seconds },
        }],
      };
    });
  }

  private async onQuestion(
    actor: MaybeActor,
    cmd: { act: string; questionId: number },
    options: { lock: boolean },
    work: (ctx: ActContext, question: QuestionRow) => Promise<{ result: Omit<ActResult, 'act' | 'actions'>; records: ActRecord[] }>,
  ): Promise<ActResult> {
    let question: QuestionRow | null = null;
    const { result, actions } = await this.acts.run(
      actor,
      async (m) => {
        const rows: QuestionRow[] = options.lock ? await lockQuestions(m, [cmd.questionId]) : await m.query(`SELECT ${COLUMNS} FROM question WHERE id = $1`, [cmd.questionId]);
        question = rows[0] ?? null;
        if (!question) throw questionNotFound();
        return { forumId: question.forum_id, notFound: questionNotFound };
      },
      (ctx) => work(ctx, question!),
    );
    return { act: cmd.act, ...result, actions };
  }

  /** Tells readers the question changed; returns the moderator's view of it. */
  private async updated(m: EntityManager, record: RecordEvent, forumId: number, questionId: number) {
    const question = await this.questions.eventViewIn(m, questionId);
    record(forumId, 'question.updated', { question }, { questionId, audience: questionAudience({ state: question.state, author_id: question.author?.id ?? null }) });
    return this.questions.viewIn(m, questionId);
  }
}

const COLUMNS = 'id, forum_id, author_id, state, closed, merged_into_id, slow_mode_seconds, synthesis_source';

/** The questions that exist among `ids`, locked for the transaction in id order. */
function lockQuestions(m: EntityManager, ids: number[]): Promise<QuestionRow[]> {
  return m.query(`SELECT ${COLUMNS} FROM question WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE`, [ids]);
}

function entry(act: ActRecord['act'], question: QuestionRow, reason: string | null | undefined): Omit<ActRecord, 'before' | 'after'> {
  return { act, targetKind: 'question', targetId: question.id, questionId: question.id, targetAuthorId: question.author_id, reason: reason ?? null };
}
