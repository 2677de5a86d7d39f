import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor, MaybeActor } from '../auth/actor.js';
import { AppException, badRequest, conflict, forbidden, unauthenticated } from '../common/app-exception.js';
import { ForumAccessService, type ForumAccess } from '../forums/forum-access.service.js';
import type { ModerationActionView } from '../moderation/dto/moderation.views.js';
import { ModerationActs, type ActRecord } from '../moderation/moderation-acts.js';
import { assertNotSilenced, checkPostingRules } from '../moderation/posting-rules.js';
import { MODERATORS } from '../events/forum-event.js';
import { DiscussionEvents, type RecordDiscussionEvent } from './discussion-events.js';
import { mentionedAccountIds } from './mentions.js';
import type { ReplyView, VoteResult } from './dto/discussion.views.js';
import type { CreateReplyDto, UpdateReplyDto } from './dto/reply-input.dto.js';
import { MarkdownService } from './markdown.service.js';
import {
  findQuestionState, findReply, findReplyByClientId, findReplyTarget, toReplyView, type ParentRow, type QuestionState, type ReplyRow,
} from './reply-queries.js';
import { detectLanguage } from './reply-language.js';
import { childPath, MAX_DEPTH } from './reply-path.js';
import { changeReplyState, insertReply, reviseReply, setVote } from './reply-store.js';
import { canSeeQuestion, isProposal } from './question-visibility.js';
import { canSeeReply, replyAudience } from './reply-visibility.js';
import {
  hiddenAs, parentDeleted, parentMoved, questionClosed, questionLocked, questionMerged, questionNotFound, questionNotPublished, replyDeleted, replyNotFound,
} from './discussion-errors.js';

export interface CreateReplyOptions {
  /**
   * An id the client chose for this reply (uuid), so that sending it again
   * after a dropped connection returns the reply stored the first time
   * instead of storing it twice. Unique per author (reply_author_client_key).
   */
  clientId?: string;
}

/** How a reply is changed when the change is a moderation act (`moderation.act` reply.edit / reply.delete). */
export interface ReplyChangeOptions {
  /** Shown in the record (and, for a deletion, in the reply's place). */
  reason?: string;
  /** Refuse (403 not_moderator) unless the caller moderates the forum, even on their own reply. */
  asModerator?: boolean;
}

/** A change and the record rows it wrote (none unless a moderator changed someone else's reply). */
export interface ReplyChange {
  reply: ReplyView;
  actions: ModerationActionView[];
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
 * - The forum's moderation rules (src/moderation/posting-rules.ts): silenced
 *   members can't reply or edit, slow mode paces replies, pre-moderation
 *   stores them as pending (seen by their author and the moderators only).
 *   A moderator's edit or deletion of someone else's reply is a moderation
 *   act: it is recorded, and an edit is marked as the moderator's.
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
    private readonly acts: ModerationActs,
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
      const created = await this.events.write(async (m, record) => {
        // One read: the question (locked), the forum and the author's membership, the forum's rules, the parent, the new id.
        const target = await findReplyTarget(m, questionId, actor?.accountId ?? null, dto.parentId ?? null);
        if (!target) throw questionNotFound();
        const { question } = target;
        const access = await hiddenAs(questionNotFound, this.forumAccess.participatingWith(actor, question.forum_id, target.participation, m));
        const author = actor!;
        if (clientId) {
          // Deliveries of one clientId queue here; each later one then sees the first one's reply.
          await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`reply-client:${author.accountId}:${clientId}`]);
          const earlier = await findReplyByClientId(m, author.accountId, clientId);
          if (earlier) return sameReplyAgain(earlier, questionId);
        }
        if (isProposal(question)) {
          if (!canSeeQuestion({ canModerate: access.canModerate, accountId: author.accountId }, question)) throw questionNotFound();
          throw questionNotPublished();
        }
        if (question.merged_into_id !== null) throw questionMerged(question.merged_into_id);
        if (question.closed) throw questionClosed();
        if (question.locked && !access.canModerate) throw questionLocked();
        const state = await checkPostingRules(m, {
          forumId: question.forum_id, questionId: question.id, questionSlowModeSeconds: question.slow_mode_seconds,
          authorId: author.accountId, canModerate: access.canModerate,
        }, target.rules);
        const parent = dto.parentId ? parentFor(access, author.accountId, question, target.parent) : null;

        const id = target.nextId;
        const created = await insertReply(m, {
          id, questionId: question.id, forumId: question.forum_id, parent, path: childPath(parent?.path ?? null, id), depth: (parent?.depth ?? 0) + 1,
          authorId: author.accountId, authorName: author.displayName, bodySource: dto.body, bodyHtml, clientId: clientId ?? null, state,
          detectedLanguage: detectLanguage(dto.body),
        });
        // The parent was deleted, or a moderator moved it, while this reply was being written.
        if (!created.parent_ok) throw (await findReply(m, parent!.id))?.state === 'deleted' ? parentDeleted() : parentMoved();
        const view = toReplyView(created, { withSource: true });
        const thread = { forumId: view.forumId, questionId: view.questionId };
        record({ type: 'reply.created', ...thread, payload: { reply: withoutSource(view) }, audience: replyAudience(created) });
        if (state === 'pending') {
          record({ type: 'moderation.queue', ...thread, payload: { replyId: view.id, questionId: view.questionId, kind: 'pending', change: 'added' }, audience: MODERATORS });
        }
        return { ...view, viewerVoted: false };
      });
      return await this.withMentionCheck(created, dto.body);
    } catch (error) {
      // Should two deliveries still race past the lock, the loser gets the winner's reply.
      if (clientId && actor && isUniqueViolation(error, 'reply_author_client_key')) {
        const earlier = await findReplyByClientId(this.dataSource.manager, actor.accountId, clientId);
        if (earlier) return sameReplyAgain(earlier, questionId);
      }
      throw error;
    }
  }

  /**
   * Tells the author whom their @mentions won't reach: people who can't read
   * the forum (src/notifications tells the others, after commit).
   */
  private async withMentionCheck(view: ReplyView, body: string): Promise<ReplyView> {
    const ids = mentionedAccountIds(body).filter((id) => id !== view.author.id);
    if (!ids.length) return view;
    const readers = await this.forumAccess.readersAmong(view.forumId, ids);
    const unreachable = ids.filter((id) => !readers.has(id));
    return unreachable.length ? { ...view, unreachableMentions: unreachable } : view;
  }

  /** Replaces a reply's text, keeping the previous one in its history. The same text again changes nothing. */
  async editReply(actor: MaybeActor, replyId: string, dto: UpdateReplyDto, options: ReplyChangeOptions = {}): Promise<ReplyView> {
    return (await this.changeText(actor, replyId, dto, options)).reply;
  }

  /** editReply, with the record rows the edit wrote (a moderator's edit of someone else's reply). */
  async changeText(actor: MaybeActor, replyId: string, dto: UpdateReplyDto, options: ReplyChangeOptions = {}): Promise<ReplyChange> {
    const bodyHtml = this.markdown.render(dto.body);
    return this.events.write(async (m, record) => {
      const { reply, actor: editor, access } = await this.changeableReply(m, actor, replyId, options);
      if (reply.body_source === dto.body) return { reply: toReplyView(reply, { withSource: true, canModerate: access.canModerate, viewerId: actor?.accountId }), actions: [] };
      const byModerator = reply.author_id !== editor.accountId;
      if (!byModerator && !access.canModerate) await assertNotSilenced(m, reply.forum_id, editor.accountId);
      const row = await reviseReply(m, reply, {
        bodySource: dto.body, bodyHtml, editedBy: editor.accountId, byModerator, detectedLanguage: detectLanguage(dto.body),
      });
      record({ type: 'reply.edited', forumId: row.forum_id, questionId: row.question_id, payload: { reply: toReplyView(row) }, audience: replyAudience(row) });
      const actions = byModerator
        ? await this.recordActs(m, record, editor, row, {
            act: 'reply.edit', reason: options.reason, before: { bodySource: reply.body_source }, after: { bodySource: dto.body },
          })
        : [];
      return { reply: toReplyView(row, { withSource: true, canModerate: access.canModerate, viewerId: actor?.accountId }), actions };
    });
  }

  /**
   * Soft delete: the reply keeps its place (and its children) as a
   * "deleted" placeholder without text; the question's reply count drops by
   * one if it counted. Deleting a deleted reply changes nothing.
   */
  async deleteReply(actor: MaybeActor, replyId: string, options: ReplyChangeOptions = {}): Promise<ReplyView> {
    return (await this.remove(actor, replyId, options)).reply;
  }

  /**
   * deleteReply, with the record rows it wrote: a moderator deleting someone
   * else's reply is an act (its reason is shown in the reply's place).
   */
  async remove(actor: MaybeActor, replyId: string, options: ReplyChangeOptions = {}): Promise<ReplyChange> {
    return this.events.write(async (m, record) => {
      const { reply, actor: remover, access } = await this.changeableReply(m, actor, replyId, { ...options, allowDeleted: true });
      if (reply.state === 'deleted') return { reply: toReplyView(reply, { withSource: true }), actions: [] };
      const byModerator = reply.author_id !== remover.accountId;
      const reason = byModerator ? (options.reason ?? null) : null;
      const row = await changeReplyState(m, reply, 'deleted', { reason });
      // The audience the reply had: a pending reply's deletion concerns only its author and the moderators.
      record({ type: 'reply.deleted', forumId: row.forum_id, questionId: row.question_id, payload: { reply: toReplyView(row) }, audience: replyAudience(reply) });
      if (reply.state === 'pending') {
        record({
          type: 'moderation.queue', forumId: row.forum_id, questionId: row.question_id,
          payload: { replyId: row.id, questionId: row.question_id, kind: 'pending', change: 'removed' }, audience: MODERATORS,
        });
      }
      const actions = byModerator
        ? await this.recordActs(m, record, remover, row, { act: 'reply.delete', reason, before: { state: reply.state }, after: { state: 'deleted' } })
        : [];
      return { reply: toReplyView(row, { withSource: true, canModerate: access.canModerate, viewerId: actor?.accountId }), actions };
    });
  }

  /** Writes a moderator's act on a reply to the record, and tells the moderators. */
  private async recordActs(
    m: EntityManager,
    record: RecordDiscussionEvent,
    moderator: Actor,
    reply: ReplyRow,
    act: Pick<ActRecord, 'act' | 'before' | 'after'> & { reason?: string | null },
  ): Promise<ModerationActionView[]> {
    const actions = await this.acts.write(m, moderator.accountId, reply.forum_id, [
      { ...act, targetKind: 'reply', targetId: reply.id, questionId: reply.question_id, targetAuthorId: reply.author_id },
    ]);
    for (const action of actions) {
      record({ type: 'moderation.action', forumId: reply.forum_id, questionId: reply.question_id, payload: { action }, audience: MODERATORS });
    }
    return actions;
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
      if (!canSeeReply({ canModerate: access.canModerate, accountId: actor!.accountId }, reply)) throw replyNotFound();
      if (reply.state === 'deleted') throw replyDeleted();
      if (reply.state !== 'visible') throw conflict('reply_not_visible', 'This reply is not visible to members, so it can\'t be voted on.');
      if (reply.author_id === actor!.accountId) throw forbidden('own_reply', 'You can\'t vote for your own reply.');

      const { changed, voteCount } = await setVote(m, reply.id, actor!.accountId, on);
      const result = (count: number): VoteResult => ({ replyId: String(reply.id), voteCount: count, viewerVoted: on });
      if (!changed) return result(voteCount!);
      if (voteCount === null) throw replyDeleted();
      record({ type: 'reply.voted', forumId: reply.forum_id, questionId: reply.question_id, payload: { replyId: String(reply.id), voteCount } });
      return result(voteCount);
    });
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
    options: { allowDeleted?: boolean; asModerator?: boolean } = {},
  ): Promise<{ reply: ReplyRow; actor: Actor; access: ForumAccess }> {
    const reply = await findReply(m, replyId, { lock: true });
    if (!reply) throw replyNotFound();
    const access = await this.forumAccess.describe(actor, reply.forum_id, m);
    if (!access || !canSeeReply({ canModerate: access.canModerate, accountId: actor?.accountId ?? null }, reply)) throw replyNotFound();
    if (!actor) throw unauthenticated('Sign in to change your replies.');
    if (options.asModerator && !access.canModerate) {
      throw new AppException(HttpStatus.FORBIDDEN, 'not_moderator', 'Only the moderators of this forum can do this.');
    }
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
    return { reply, actor, access };
  }
}

/**
 * The parent of a new reply: in the same question, visible to the caller,
 * not deleted, approved (nobody answers a reply others can't see), not at
 * the maximum depth.
 */
function parentFor(access: ForumAccess, authorId: string, question: QuestionState, parent: ParentRow | null): ParentRow {
  if (!parent || parent.question_id !== question.id || !canSeeReply({ canModerate: access.canModerate, accountId: authorId }, parent)) {
    throw badRequest('invalid_parent', 'Invalid input: parentId is not a reply in this question.', [
      { field: 'parentId', message: 'parentId must be the id of a reply in this question' },
    ]);
  }
  if (parent.state === 'deleted') throw parentDeleted();
  if (parent.state === 'pending' || parent.state === 'rejected') {
    throw conflict('parent_not_approved', 'The reply you are answering has not been approved by a moderator; answer it once it is visible to everyone.');
  }
  if (parent.depth >= MAX_DEPTH) {
    throw conflict('thread_too_deep', `This conversation is already ${MAX_DEPTH} replies deep; reply to an earlier message instead.`);
  }
  return parent;
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
