import { sql } from 'kysely';
import type { EntityManager } from 'typeorm';
import { affectedBy, db, rowsOf } from '../database/typed-sql.js';
import type { QuestionState } from './question.entity.js';

/**
 * The writes of a forum's questions (issue 11): the question table is
 * written here and nowhere else, in the caller's transaction. Positions
 * stay unique at commit (the constraint is deferred); callers serialise a
 * forum's order first (QuestionsService.lockPositions). Every change but a
 * move of place sets updated_at.
 */

export interface NewQuestion {
  forumId: number;
  position: number;
  title: string;
  bodySource: string;
  bodyHtml: string;
  authorId: string | null;
  pinned?: boolean;
  locked?: boolean;
  closed?: boolean;
  state?: QuestionState;
  /** A question handed over from a session's live Q&A: the live question it was, and its score there. */
  liveQuestionId?: number | null;
  liveScore?: number | null;
}

/** Stores a question at its position (the caller made room for it, see makeRoomAt); the columns not given keep their defaults. */
export async function insertQuestion(m: EntityManager, q: NewQuestion): Promise<{ id: number; created_at: Date; updated_at: Date }> {
  const [row] = await rowsOf(
    m,
    db
      .insertInto('question')
      .values({
        forum_id: q.forumId, position: q.position, title: q.title, body_source: q.bodySource, body_html: q.bodyHtml, author_id: q.authorId,
        pinned: q.pinned, locked: q.locked, closed: q.closed, state: q.state, live_question_id: q.liveQuestionId, live_score: q.liveScore,
      })
      .returning(['id', 'created_at', 'updated_at']),
  );
  return row!;
}

/** Moves the forum's questions at `position` and after one place down, for a new one there. */
export async function makeRoomAt(m: EntityManager, forumId: number, position: number): Promise<void> {
  await affectedBy(m, db.updateTable('question').set({ position: sql`position + 1` }).where('forum_id', '=', forumId).where('position', '>=', position));
}

/**
 * Moves a question from place `from` to `to`: the ones in between shift by
 * one towards the gap it leaves.
 */
export async function moveQuestion(m: EntityManager, forumId: number, questionId: number, from: number, to: number): Promise<void> {
  const inForum = db.updateTable('question').where('forum_id', '=', forumId);
  await affectedBy(
    m,
    to < from
      ? inForum.set({ position: sql`position + 1` }).where('position', '>=', to).where('position', '<', from)
      : inForum.set({ position: sql`position - 1` }).where('position', '>', from).where('position', '<=', to),
  );
  await affectedBy(m, db.updateTable('question').set({ position: to }).where('id', '=', questionId));
}

/** A proposal approved: published at `position`, as if asked now. */
export async function publishProposal(m: EntityManager, questionId: number, position: number): Promise<void> {
  await affectedBy(
    m,
    db
      .updateTable('question')
      .set({ state: 'published', state_reason: null, position, created_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
      .where('id', '=', questionId),
  );
}

/** A proposal rejected, with the reason its author is shown. */
export async function rejectProposal(m: EntityManager, questionId: number, reason: string): Promise<void> {
  await affectedBy(m, db.updateTable('question').set({ state: 'rejected', state_reason: reason, updated_at: sql<Date>`now()` }).where('id', '=', questionId));
}

/** A moderator's change of a question's text and flags; fields left out stay as they are. */
export async function updateQuestionFields(
  m: EntityManager,
  questionId: number,
  fields: { title?: string; bodySource?: string; bodyHtml?: string; pinned?: boolean; locked?: boolean; closed?: boolean },
): Promise<void> {
  await affectedBy(
    m,
    db
      .updateTable('question')
      .set({
        ...(fields.title !== undefined ? { title: fields.title } : {}),
        ...(fields.bodySource !== undefined ? { body_source: fields.bodySource, body_html: fields.bodyHtml } : {}),
        ...(fields.pinned !== undefined ? { pinned: fields.pinned } : {}),
        ...(fields.locked !== undefined ? { locked: fields.locked } : {}),
        ...(fields.closed !== undefined ? { closed: fields.closed } : {}),
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', questionId),
  );
}

/** A merged question: closed, with a link to the one its replies went to (reply-store's moveAllReplies). */
export async function markMerged(m: EntityManager, sourceId: number, targetId: number): Promise<void> {
  await affectedBy(m, db.updateTable('question').set({ merged_into_id: targetId, closed: true, updated_at: sql<Date>`now()` }).where('id', '=', sourceId));
}

/** The moderator's synthesis (markdown and its html); a null source removes it. */
export async function setSynthesis(m: EntityManager, questionId: number, synthesis: { source: string | null; html: string | null; by: string | null }): Promise<void> {
  await affectedBy(
    m,
    db
      .updateTable('question')
      .set({
        synthesis_source: synthesis.source, synthesis_html: synthesis.html, synthesis_by: synthesis.by,
        synthesis_at: synthesis.source === null ? null : sql<Date>`now()`, updated_at: sql<Date>`now()`,
      })
      .where('id', '=', questionId),
  );
}

/** One reply per person per `seconds` in the question (null: off). */
export async function setSlowMode(m: EntityManager, questionId: number, seconds: number | null): Promise<void> {
  await affectedBy(m, db.updateTable('question').set({ slow_mode_seconds: seconds, updated_at: sql<Date>`now()` }).where('id', '=', questionId));
}
