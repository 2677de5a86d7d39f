import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { MaybeActor } from '../auth/actor.js';
import { badRequest, conflict } from '../common/app-exception.js';
import { questionMerged, questionNotFound, questionNotPublished, replyDeleted, replyNotFound } from '../discussions/discussion-errors.js';
import { isProposal } from '../discussions/question-visibility.js';
import { QuestionsService } from '../discussions/questions.service.js';
import { findQuestionState, findReply, toReplyView, type ReplyRow } from '../discussions/reply-queries.js';
import { MAX_DEPTH, subtreeUpperBound } from '../discussions/reply-path.js';
import { changeReplyState, moveSubtree, setFeatured } from '../discussions/reply-store.js';
import { replyAudience } from '../discussions/reply-visibility.js';
import { MODERATORS } from '../events/forum-event.js';
import { ForumEventsService, type RecordEvent } from '../events/forum-events.service.js';
import type { ActResult, MyFlagView } from './dto/moderation.views.js';
import type { HideReplyCommand, MoveReplyCommand, ReplyActCommand, ResolveFlagsCommand } from './dto/act-commands.js';
import { ModerationActs, type ActContext, type ActRecord, type ModerationActName } from './moderation-acts.js';
import { toMyFlagView } from './flag-queries.js';
import { resolveFlagRows } from './flag-store.js';

/** What an act on one reply returns to ModerationActs.run: the reply after it, and the record rows. */
type ReplyOutcome = { result: { reply: ReplyRow; extra?: Partial<ActResult> }; records: ActRecord[] };

const notPending = () => conflict('not_pending', 'This reply is not awaiting approval: only pending replies are approved or rejected.');
const notVisible = (what: string) => conflict('reply_not_visible', `This reply is not visible to members, so it can't be ${what}.`);

/**
 * Moderators' acts on one reply: hide and unhide, feature, approve and
 * reject pending replies, move a subtree to another question, resolve
 * flags. Each runs through ModerationActs.run (privilege, act, record,
 * events in one transaction); every change keeps the counts exact and is
 * published to those who may see the reply.
 */
@Injectable()
export class ReplyActsService {
  constructor(
    private readonly acts: ModerationActs,
    private readonly forumEvents: ForumEventsService,
    private readonly questions: QuestionsService,
  ) {}

  hide(actor: MaybeActor, cmd: HideReplyCommand): Promise<ActResult> {
    return this.onReply(actor, cmd, async ({ m, record, forumId }, reply) => {
      if (reply.state === 'deleted') throw replyDeleted();
      if (reply.state === 'pending' || reply.state === 'rejected') throw notVisible('hidden (approve or reject it instead)');
      if (reply.state === 'hidden' && reply.state_reason === cmd.reason && !reply.hidden_by_flags) return unchanged(reply);
      const row = await this.hideIn(m, record, forumId, reply, cmd.reason, false);
      return changed(row, this.entry('reply.hide', reply, row, cmd.reason));
    });
  }

  /**
   * Shows a hidden reply again. The moderator has reviewed it and decided it
   * stays, so its open flags are dismissed too (recorded as `flag.dismiss`):
   * left open, one more flag would hide it again at once.
   */
  unhide(actor: MaybeActor, cmd: ReplyActCommand): Promise<ActResult> {
    return this.onReply(actor, cmd, async ({ m, record, forumId, actor: moderator }, reply) => {
      if (reply.state !== 'hidden') throw conflict('not_hidden', 'This reply is not hidden.');
      const open = await lockOpenFlags(m, reply.id);
      const row = await changeReplyState(m, reply, 'visible');
      publish(record, 'reply.unhidden', row);
      const records = [this.entry('reply.unhide', reply, row, cmd.reason)];
      if (open.length === 0) return { result: { reply: row }, records };
      const resolvedFlags = await settleFlags(m, record, forumId, row, open, 'dismissed', moderator.accountId);
      return {
        result: { reply: row, extra: { resolvedFlags } },
        records: [...records, { ...this.entry('flag.dismiss', reply, row, cmd.reason), before: { state: reply.state, openFlags: open.length }, after: { state: row.state } }],
      };
    });
  }

  feature(actor: MaybeActor, cmd: ReplyActCommand, on: boolean): Promise<ActResult> {
    return this.onReply(actor, cmd, async ({ m, record }, reply) => {
      if (reply.state === 'deleted') throw replyDeleted();
      if (on && reply.state !== 'visible') throw notVisible('featured');
      if ((reply.featured_at !== null) === on) return unchanged(reply);
      const row = await setFeatured(m, reply, on);
      publish(record, 'reply.featured', row);
      await this.questionUpdated(m, record, row.forum_id, row.question_id);
      return changed(row, {
        ...this.entry(on ? 'reply.feature' : 'reply.unfeature', reply, row, cmd.reason),
        before: { featured: !on }, after: { featured: on },
      });
    });
  }

  approve(actor: MaybeActor, cmd: ReplyActCommand): Promise<ActResult> {
    return this.onReply(actor, cmd, async ({ m, record }, reply) => {
      if (reply.state !== 'pending') throw notPending();
      const row = await changeReplyState(m, reply, 'visible');
      // Readers never had it: for them this is its arrival.
      publish(record, 'reply.approved', row);
      queueChanged(record, row, 'pending', 'removed');
      await this.questionUpdated(m, record, row.forum_id, row.question_id);
      return changed(row, this.entry('reply.approve', reply, row, cmd.reason));
    });
  }

  reject(actor: MaybeActor, cmd: ReplyActCommand): Promise<ActResult> {
    return this.onReply(actor, cmd, async ({ m, record }, reply) => {
      if (reply.state !== 'pending') throw notPending();
      const row = await changeReplyState(m, reply, 'rejected', { reason: cmd.reason ?? null });
      publish(record, 'reply.rejected', row);
      queueChanged(record, row, 'pending', 'removed');
      return changed(row, this.entry('reply.reject', reply, row, cmd.reason));
    });
  }

  /**
   * Moves the reply and its whole subtree to another question of the same
   * forum (first level, or under `toParentId`): each path is re-rooted under
   * the new parent's path, so the subtree keeps its tree order, and it sits
   * among its new siblings by id like every reply. Both questions' counts and
   * both parents' childCount are fixed in the same transaction.
   */
  move(actor: MaybeActor, cmd: MoveReplyCommand): Promise<ActResult> {
    return this.onReply(actor, cmd, async ({ m, record, forumId }, reply) => {
      if (reply.state === 'deleted') throw replyDeleted();
      const target = await findQuestionState(m, cmd.toQuestionId, { lock: 'update' });
      if (!target || target.forum_id !== forumId) throw questionNotFound();
      if (target.id === reply.question_id) {
        throw badRequest('same_question', 'The reply is already in that question; pick another question of this forum.', [
          { field: 'toQuestionId', message: 'toQuestionId must be another question of the same forum' },
        ]);
      }
      if (target.merged_into_id !== null) throw questionMerged(target.merged_into_id);
      // Replies go only where readers can follow them: not into a proposal.
      if (isProposal(target)) throw questionNotPublished();
      const parent = cmd.toParentId ? await findReply(m, cmd.toParentId, { lock: true }) : null;
      if (cmd.toParentId && (!parent || parent.question_id !== target.id || !['visible', 'hidden'].includes(parent.state))) {
        throw badRequest('invalid_parent', 'Invalid input: toParentId is not a reply others can answer in that question.', [
          { field: 'toParentId', message: 'toParentId must be a visible reply of the target question' },
        ]);
      }
      const upperBound = subtreeUpperBound(reply.path);
      const range = [reply.question_id, reply.path, upperBound];
      await m.query(`SELECT id FROM reply WHERE question_id = $1 AND path >= $2 AND path < $3 ORDER BY path FOR UPDATE`, range);
      const [stats]: { max_depth: number; visible: number }[] = await m.query(
        `SELECT max(depth)::int AS max_depth, (count(*) FILTER (WHERE state = 'visible'))::int AS visible
           FROM reply WHERE question_id = $1 AND path >= $2 AND path < $3`,
        range,
      );
      const depthShift = (parent ? parent.depth + 1 : 1) - reply.depth;
      if (stats.max_depth + depthShift > MAX_DEPTH) {
        throw conflict('thread_too_deep', `Under that reply the moved conversation would be more than ${MAX_DEPTH} replies deep; move it higher up.`);
      }
      // Re-root: the new parent's path, then each path from the moved reply's own segment on; both counts follow.
      const moved = await moveSubtree(m, reply, upperBound, { questionId: target.id, parent }, { depth: depthShift, visibleReplies: stats.visible });
      const row = (await findReply(m, reply.id))!;
      const movedReplyIds = moved.sort((a, b) => (a.path < b.path ? -1 : 1)).map((r) => String(r.id));
      record(forumId, 'reply.moved', {
        replyId: row.id, fromQuestionId: reply.question_id, toQuestionId: target.id, parentId: row.parent_id, movedReplyIds,
      });
      const fromQuestion = await this.questionUpdated(m, record, forumId, reply.question_id);
      const toQuestion = await this.questionUpdated(m, record, forumId, target.id);
      return {
        result: { reply: row, extra: { fromQuestion, toQuestion, movedReplyIds } },
        records: [{
          ...this.entry('reply.move', reply, row, cmd.reason),
          before: { questionId: reply.question_id, parentId: reply.parent_id }, after: { questionId: target.id, parentId: row.parent_id, replies: moved.length },
        }],
      };
    });
  }

  /**
   * Settles the open flags on a reply: uphold (the reply is hidden, or with
   * `removal: 'delete'` deleted) or dismiss (a reply the flag threshold hid
   * is shown again). Each flagger hears the outcome.
   */
  resolveFlags(actor: MaybeActor, cmd: ResolveFlagsCommand): Promise<ActResult> {
    return this.onReply(actor, cmd, async ({ m, record, forumId, actor: moderator }, reply) => {
      const open = await lockOpenFlags(m, reply.id);
      if (open.length === 0) throw conflict('no_open_flags', 'This reply has no open flags to resolve.');
      let row = reply;
      if (cmd.outcome === 'uphold' && cmd.removal === 'delete' && reply.state !== 'deleted') {
        row = await changeReplyState(m, reply, 'deleted', { reason: cmd.reason ?? null });
        publish(record, 'reply.deleted', row);
      } else if (cmd.outcome === 'uphold' && cmd.removal !== 'delete' && (reply.state === 'visible' || reply.state === 'hidden')) {
        row = await this.hideIn(m, record, forumId, reply, cmd.reason ?? reply.state_reason ?? 'Removed after a moderator reviewed members\' flags.', false);
      } else if (cmd.outcome === 'dismiss' && reply.state === 'hidden' && reply.hidden_by_flags) {
        row = await changeReplyState(m, reply, 'visible');
        publish(record, 'reply.unhidden', row);
      }
      const resolvedFlags = await settleFlags(m, record, forumId, row, open, cmd.outcome === 'uphold' ? 'upheld' : 'dismissed', moderator.accountId);
      return {
        result: { reply: row, extra: { resolvedFlags } },
        records: [{
          ...this.entry(cmd.outcome === 'uphold' ? 'flag.uphold' : 'flag.dismiss', reply, row, cmd.reason),
          before: { state: reply.state, openFlags: open.length }, after: { state: row.state, ...(cmd.outcome === 'uphold' ? { removal: cmd.removal ?? 'hide' } : {}) },
        }],
      };
    });
  }

  /**
   * Hides a reply in the caller's transaction (a moderator's act, a flag
   * resolution, or the flag threshold): text out of earlier events, the
   * placeholder to every reader.
   */
  async hideIn(m: EntityManager, record: RecordEvent, forumId: number, reply: ReplyRow, reason: string, byFlags: boolean): Promise<ReplyRow> {
    const row = await changeReplyState(m, reply, 'hidden', { reason, hiddenByFlags: byFlags });
    await this.forumEvents.redactReply(m, forumId, reply.id);
    publish(record, 'reply.hidden', row);
    return row;
  }

  /** Runs an act on one reply (locked for the transaction) through the one helper, and shapes its answer. */
  private async onReply(
    actor: MaybeActor,
    cmd: { act: string; replyId: string },
    work: (ctx: ActContext, reply: ReplyRow) => Promise<ReplyOutcome>,
  ): Promise<ActResult> {
    let reply: ReplyRow | null = null;
    const { result, actions } = await this.acts.run(
      actor,
      async (m) => {
        reply = await findReply(m, cmd.replyId, { lock: true });
        if (!reply) throw replyNotFound();
        return { forumId: reply.forum_id, notFound: replyNotFound };
      },
      (ctx) => work(ctx, reply!),
    );
    return { act: cmd.act, reply: toReplyView(result.reply, { withSource: true, canModerate: true }), ...result.extra, actions };
  }

  private entry(act: ModerationActName, before: ReplyRow, after: ReplyRow, reason: string | null | undefined): ActRecord {
    return {
      act, targetKind: 'reply', targetId: before.id, questionId: before.question_id, targetAuthorId: before.author_id, reason: reason ?? null,
      before: { state: before.state, stateReason: before.state_reason }, after: { state: after.state, stateReason: after.state_reason },
    };
  }

  /** A question's counts or featured replies changed: readers get its new view. */
  private async questionUpdated(m: EntityManager, record: RecordEvent, forumId: number, questionId: number) {
    record(forumId, 'question.updated', { question: await this.questions.eventViewIn(m, questionId) }, { questionId });
    return this.questions.viewIn(m, questionId);
  }
}

function unchanged(reply: ReplyRow): ReplyOutcome {
  return { result: { reply }, records: [] };
}

function changed(reply: ReplyRow, record: ActRecord): ReplyOutcome {
  return { result: { reply }, records: [record] };
}

/** A reply's change, to those who may see the reply (its placeholder for a hidden one). */
function publish(record: RecordEvent, type: 'reply.hidden' | 'reply.unhidden' | 'reply.approved' | 'reply.rejected' | 'reply.featured' | 'reply.deleted', row: ReplyRow): void {
  record(row.forum_id, type, { reply: toReplyView(row) }, { questionId: row.question_id, audience: replyAudience(row) });
}

/** The reply's open flags, locked until the act commits (a flag arriving meanwhile waits on the reply's lock anyway). */
function lockOpenFlags(m: EntityManager, replyId: string): Promise<{ id: string }[]> {
  return m.query(`SELECT id FROM reply_flag WHERE reply_id = $1 AND state = 'open' FOR UPDATE`, [replyId]);
}

/**
 * Settles the open flags (locked by the caller) as a moderator decided: each
 * flagger is told, and the reply leaves the moderators' queue. Returns how
 * many were settled.
 */
async function settleFlags(
  m: EntityManager, record: RecordEvent, forumId: number, row: ReplyRow, open: { id: string }[], state: 'upheld' | 'dismissed', moderatorId: string,
): Promise<number> {
  const flags = await resolveFlagRows(m, open.map((f) => f.id), state, moderatorId);
  for (const flag of flags) {
    const view: MyFlagView = toMyFlagView({ ...flag, question_id: row.question_id });
    record(forumId, 'flag.resolved', { flag: view }, { questionId: row.question_id, audience: { kind: 'moderators_and_account', accountId: flag.account_id } });
  }
  queueChanged(record, row, 'flags', 'removed');
  return flags.length;
}

/** Tells the moderators their queue changed. */
export function queueChanged(record: RecordEvent, row: ReplyRow, kind: 'flags' | 'pending', change: 'added' | 'updated' | 'removed'): void {
  record(row.forum_id, 'moderation.queue', { replyId: row.id, questionId: row.question_id, kind, change }, { questionId: row.question_id, audience: MODERATORS });
}
