import { HttpStatus, Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor, MaybeActor } from '../auth/actor.js';
import { AppException, badRequest, conflict, forbidden, unauthenticated } from '../common/app-exception.js';
import { ForumAccessService, type ForumAccess } from '../forums/forum-access.service.js';
import { DiscussionEvents } from './discussion-events.js';
import type { ReplyView, VoteResult } from './dto/discussion.views.js';
import type { CreateReplyDto, UpdateReplyDto } from './dto/reply-input.dto.js';
import { MarkdownService } from './markdown.service.js';
import { findQuestionState, findReply, findReplyByClientId, returningRows, toReplyView, type QuestionState, type ReplyRow } from './reply-queries.js';
import { childPath, MAX_DEPTH } from './reply-path.js';
import { canSeeReply, countsAsReply } from './reply-visibility.js';
import { hiddenAs, parentDeleted, questionClosed, questionLocked, questionNotFound, replyDeleted, replyNotFound } from './discussion-errors.js';

/** thread_counter has 16 rows per question (CHECK shard BETWEEN 0 AND 15). */
const COUNTER_SHARDS = 16;

export interface CreateReplyOptions {
  /**
   * An id the client chose for this reply (uuid), so that sending it again
   * after a dropped connection returns the reply stored the first time
   * instead of storing it twice. Unique per author (reply_author_client_key).
   */
  clientId?: string;
}

/**
 * Writing in threads: replies, edits, deletions, votes.
 *
 * Rules (issue 3, Discourse-like where the issue leaves a choice):
 * - Replying needs participation in the forum (ForumAccessService.participating,
 *   inside the transaction, which joins public/members-only forums implicitly).
 * - A closed question takes no replies from anyone (a moderator reopens it
 *   first); a locked question takes replies from moderators only.
 * - Authors edit and delete their own replies while they could still reply
 *   there (forum open, still a member, question neither locked nor closed);
 *   moderators and admins may edit or delete any reply in their forums, also
 *   in a closed forum or a locked/closed question; an archived forum is
 *   read-only for everyone. Anyone else: 403 (404 if they can't read the forum).
 * - Votes: one per person per reply; nobody votes for their own reply; votes
 *   are allowed on locked and closed questions (they add no text), not on
 *   deleted, hidden or pending replies.
 *
 * Each write is one method that runs one transaction through
 * DiscussionEvents.write: it records its event inside the transaction, the
 * event is published after commit, and the stored result is returned.
 */
@Injectable()
export class RepliesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly forumAccess: ForumAccessService,
    private readonly markdown: MarkdownService,
    private readonly events: DiscussionEvents,
  ) {}

  /**
   * Adds a reply to a question (or under another reply). One transaction:
   * the id from the sequence, the row with its path and depth, the parent's
   * child count, and one random shard of the question's reply counter, so
   * concurrent replies in a hot thread don't all queue on one counter row.
   */
  async createReply(actor: MaybeActor, questionId: number, dto: CreateReplyDto, options: CreateReplyOptions = {}): Promise<ReplyView> {
    const bodyHtml = this.markdown.render(dto.body);
    const { clientId } = options;
    try {
      return await this.events.write(async (m, record) => {
        const question = await findQuestionState(m, questionId);
        if (!question) throw questionNotFound();
        const access = await hiddenAs(questionNotFound, this.forumAccess.participating(actor, question.forum_id, m));
        const author = actor!;
        if (clientId) {
          // Deliveries of one clientId queue here; each later one then sees the first one's reply.
          await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`reply-client:${author.accountId}:${clientId}`]);
          const earlier = await findReplyByClientId(m, author.accountId, clientId);
          if (earlier) return sameReplyAgain(earlier, questionId);
        }
        if (question.closed) throw questionClosed();
        if (question.locked && !access.canModerate) throw questionLocked();
        const parent = dto.parentId ? await this.parentFor(m, access, question, dto.parentId) : null;

        const [{ id }]: { id: string }[] = await m.query(`SELECT nextval(pg_get_serial_sequence('reply', 'id')) AS id`);
        const path = childPath(parent?.path ?? null, id);
        // One statement (data-modifying CTEs always run to completion): the
        // reply, its counter shard and its parent's child count. The parent
        // update re-checks that it wasn't deleted meanwhile (it waits for a
        // concurrent delete's row lock, then sees its result).
        const rows: (ReplyRow & { parent_ok: boolean })[] = await m.query(
          `WITH inserted AS (
             INSERT INTO reply (id, question_id, forum_id, parent_id, path, depth, author_id, body_source, body_html, client_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $12)
             RETURNING *
           ), counted AS (
             INSERT INTO thread_counter (question_id, shard, forum_id, reply_count) VALUES ($2, $10, $3, 1)
             ON CONFLICT (question_id, shard) DO UPDATE SET reply_count = thread_counter.reply_count + 1
           ), parent AS (
             UPDATE reply SET child_count = child_count + 1 WHERE id = $4 AND state <> 'deleted' RETURNING id
           )
           SELECT i.*, $11::text AS author_name, ($4::bigint IS NULL OR EXISTS (SELECT 1 FROM parent)) AS parent_ok
             FROM inserted i`,
          [
            id, question.id, question.forum_id, parent?.id ?? null, path, (parent?.depth ?? 0) + 1, author.accountId,
            dto.body, bodyHtml, randomInt(COUNTER_SHARDS), author.displayName, clientId ?? null,
          ],
        );
        const created = rows[0]!;
        if (!created.parent_ok) throw parentDeleted();
        const view = toReplyView(created, { withSource: true });
        record({ type: 'reply.created', forumId: view.forumId, questionId: view.questionId, payload: { reply: withoutSource(view) } });
        return { ...view, viewerVoted: false };
      });
    } catch (error) {
      // Should two deliveries still race past the lock, the loser gets the winner's reply.
      if (clientId && actor && isUniqueViolation(error, 'reply_author_client_key')) {
        const earlier = await findReplyByClientId(this.dataSource.manager, actor.accountId, clientId);
        if (earlier) return sameReplyAgain(earlier, questionId);
      }
      throw error;
    }
  }

  /** Replaces a reply's text, keeping the previous one in its history. The same text again changes nothing. */
  async editReply(actor: MaybeActor, replyId: string, dto: UpdateReplyDto): Promise<ReplyView> {
    const bodyHtml = this.markdown.render(dto.body);
    return this.events.write(async (m, record) => {
      const { reply, actor: author } = await this.changeableReply(m, actor, replyId);
      if (reply.body_source === dto.body) return toReplyView(reply, { withSource: true });
      await m.query(`INSERT INTO reply_revision (reply_id, body_source, edited_by) VALUES ($1, $2, $3)`, [reply.id, reply.body_source, author.accountId]);
      const [updated] = await returningRows<ReplyRow>(
        m,
        `UPDATE reply SET body_source = $2, body_html = $3, edited_at = now() WHERE id = $1 RETURNING *`,
        [reply.id, dto.body, bodyHtml],
      );
      const view = toReplyView({ ...updated!, author_name: reply.author_name }, { withSource: true });
      record({ type: 'reply.edited', forumId: view.forumId, questionId: view.questionId, payload: { reply: withoutSource(view) } });
      return view;
    });
  }

  /**
   * Soft delete: the reply keeps its place (and its children) as a
   * "deleted" placeholder without text; the question's reply count drops by
   * one if it counted. Deleting a deleted reply changes nothing.
   */
  async deleteReply(actor: MaybeActor, replyId: string): Promise<ReplyView> {
    return this.events.write(async (m, record) => {
      const { reply } = await this.changeableReply(m, actor, replyId, { allowDeleted: true });
      if (reply.state === 'deleted') return toReplyView(reply, { withSource: true });
      const [updated] = await returningRows<ReplyRow>(
        m,
        `UPDATE reply SET state = 'deleted', deleted_at = now() WHERE id = $1 RETURNING *`,
        [reply.id],
      );
      if (countsAsReply(reply.state)) await this.addToCounter(m, reply, -1);
      const view = toReplyView({ ...updated!, author_name: reply.author_name }, { withSource: true });
      record({ type: 'reply.deleted', forumId: view.forumId, questionId: view.questionId, payload: { reply: withoutSource(view) } });
      return view;
    });
  }

  /** Adds the caller's vote; voting again changes nothing. The count moves only when a vote row was really added. */
  async vote(actor: MaybeActor, replyId: string): Promise<VoteResult> {
    return this.setVote(actor, replyId, true);
  }

  /** Takes the caller's vote back; doing it again changes nothing. */
  async unvote(actor: MaybeActor, replyId: string): Promise<VoteResult> {
    return this.setVote(actor, replyId, false);
  }

  private async setVote(actor: MaybeActor, replyId: string, on: boolean): Promise<VoteResult> {
    return this.events.write(async (m, record) => {
      const reply = await findReply(m, replyId);
      if (!reply) throw replyNotFound();
      const access = await hiddenAs(replyNotFound, this.forumAccess.participating(actor, reply.forum_id, m));
      if (!canSeeReply(access, reply.state)) throw replyNotFound();
      if (reply.state === 'deleted') throw replyDeleted();
      if (reply.state !== 'visible') throw conflict('reply_not_visible', 'This reply is not visible to members, so it can\'t be voted on.');
      if (reply.author_id === actor!.accountId) throw forbidden('own_reply', 'You can\'t vote for your own reply.');

      const changed = await returningRows(
        m,
        on
          ? `INSERT INTO reply_vote (reply_id, account_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING reply_id`
          : `DELETE FROM reply_vote WHERE reply_id = $1 AND account_id = $2 RETURNING reply_id`,
        [reply.id, actor!.accountId],
      );
      const result = (voteCount: number): VoteResult => ({ replyId: String(reply.id), voteCount, viewerVoted: on });
      if (changed.length === 0) {
        const [current]: { vote_count: number }[] = await m.query(`SELECT vote_count FROM reply WHERE id = $1`, [reply.id]);
        return result(current!.vote_count);
      }
      // The state re-check guards against a delete that committed after we read the reply.
      const updated = await returningRows<{ vote_count: number }>(
        m,
        `UPDATE reply SET vote_count = vote_count + $2 WHERE id = $1 AND state = 'visible' RETURNING vote_count`,
        [reply.id, on ? 1 : -1],
      );
      if (!updated[0]) throw replyDeleted();
      const voteCount = updated[0].vote_count;
      record({ type: 'reply.voted', forumId: reply.forum_id, questionId: reply.question_id, payload: { replyId: String(reply.id), voteCount } });
      return result(voteCount);
    });
  }

  /** The parent of a new reply: in the same question, visible to the caller, not deleted, not at the maximum depth. */
  private async parentFor(m: EntityManager, access: ForumAccess, question: QuestionState, parentId: string): Promise<ReplyRow> {
    const parent = await findReply(m, parentId);
    if (!parent || parent.question_id !== question.id || !canSeeReply(access, parent.state)) {
      throw badRequest('invalid_parent', 'Invalid input: parentId is not a reply in this question.', [
        { field: 'parentId', message: 'parentId must be the id of a reply in this question' },
      ]);
    }
    if (parent.state === 'deleted') throw parentDeleted();
    if (parent.depth >= MAX_DEPTH) {
      throw conflict('thread_too_deep', `This conversation is already ${MAX_DEPTH} replies deep; reply to an earlier message instead.`);
    }
    return parent;
  }

  /**
   * A reply the caller may edit or delete, locked for the transaction.
   * 404 if they can't see it, 401 anonymous, 403 neither author nor
   * moderator, then the forum's and the question's state (see the class
   * comment for who may change what where).
   */
  private async changeableReply(
    m: EntityManager,
    actor: MaybeActor,
    replyId: string,
    options: { allowDeleted?: boolean } = {},
  ): Promise<{ reply: ReplyRow; actor: Actor }> {
    const reply = await findReply(m, replyId, { lock: true });
    if (!reply) throw replyNotFound();
    const access = await this.forumAccess.describe(actor, reply.forum_id, m);
    if (!access || !canSeeReply(access, reply.state)) throw replyNotFound();
    if (!actor) throw unauthenticated('Sign in to change your replies.');
    const isAuthor = reply.author_id === actor.accountId;
    if (!isAuthor && !access.canModerate) {
      throw new AppException(HttpStatus.FORBIDDEN, 'not_reply_author', 'Only the author of a reply or a moderator of this forum can change it.');
    }
    if (access.canModerate) {
      if (access.forum.state === 'archived') throw conflict('forum_archived', 'This forum is archived and read-only.');
    } else {
      // An author changes their reply under the same conditions as replying: forum open, still a member.
      await this.forumAccess.participating(actor, reply.forum_id, m);
    }
    if (reply.state === 'deleted' && !options.allowDeleted) throw replyDeleted();
    if (!access.canModerate) {
      const question = await findQuestionState(m, reply.question_id);
      if (question?.closed) throw questionClosed();
      if (question?.locked) throw questionLocked();
    }
    return { reply, actor };
  }

  private async addToCounter(m: EntityManager, reply: Pick<ReplyRow, 'question_id' | 'forum_id'>, delta: number): Promise<void> {
    // Any shard will do: readers sum them, so one may go below zero.
    await m.query(
      `INSERT INTO thread_counter (question_id, shard, forum_id, reply_count) VALUES ($1, $2, $3, $4)
       ON CONFLICT (question_id, shard) DO UPDATE SET reply_count = thread_counter.reply_count + EXCLUDED.reply_count`,
      [reply.question_id, randomInt(COUNTER_SHARDS), reply.forum_id, delta],
    );
  }
}

/**
 * A client that can't tell whether its reply arrived (a dropped connection)
 * sends it again with the same clientId and gets the stored reply back,
 * nothing stored twice; the same clientId for a different question is a mistake.
 */
function sameReplyAgain(earlier: ReplyRow, questionId: number): ReplyView {
  if (earlier.question_id !== questionId) {
    throw conflict('client_id_reused', 'This clientId was already used for a reply to another question; send a new one for each reply.');
  }
  return { ...toReplyView(earlier, { withSource: true }), viewerVoted: false }; // as the first answer: authors can't vote for their own reply
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  return (e.code ?? e.driverError?.code) === '23505' && (e.constraint ?? e.driverError?.constraint) === constraint;
}

/** Events carry what every reader may see: no markdown source. */
function withoutSource(view: ReplyView): ReplyView {
  const { bodySource: _source, ...rest } = view;
  return rest;
}
