import { sql } from 'kysely';
import type { EntityManager } from 'typeorm';
import { affectedBy, db, rowsOf } from '../database/typed-sql.js';
import type { LiveQuestionState } from './qa-policy.js';

/**
 * The writes of live questions and what hangs on them (live_question, its
 * revisions, votes and vote counter shards), and only here (issue 11). The
 * invariants stay inside: an edit keeps the text it replaces, a vote row
 * moves its count on a counter shard, a merge carries votes and earlier
 * merges along; every change of a question moves its updated_at.
 */

export interface NewLiveQuestion {
  sessionId: number;
  askerId: string;
  anonymous: boolean;
  body: string;
  state: LiveQuestionState;
  clientId: string | null;
}

/** A new question; its id. */
export async function insertLiveQuestion(m: EntityManager, q: NewLiveQuestion): Promise<number> {
  const [row] = await rowsOf(
    m,
    db
      .insertInto('live_question')
      .values({ session_id: q.sessionId, asker_id: q.askerId, anonymous: q.anonymous, body: q.body, state: q.state, client_id: q.clientId })
      .returning('id'),
  );
  return row.id;
}

/** New text for a question, by its asker or a moderator; the text it replaces is kept as a revision. */
export async function reviseQuestionBody(
  m: EntityManager,
  question: { id: number; body: string },
  body: string,
  editorId: string,
  byModerator: boolean,
): Promise<void> {
  await affectedBy(
    m,
    db.insertInto('live_question_revision').values({ question_id: question.id, body: question.body, edited_by: editorId, by_moderator: byModerator }),
  );
  await affectedBy(
    m,
    db
      .updateTable('live_question')
      .set({ body, edited_at: sql`now()`, ...(byModerator ? { edited_by_moderator: true } : {}), updated_at: sql`now()` })
      .where('id', '=', question.id),
  );
}

/**
 * A question's new state. Approving clears a dismiss reason, dismissing
 * sets it (`reason`), answering stamps answered_at.
 */
export async function setQuestionState(
  m: EntityManager,
  questionId: number,
  state: Exclude<LiveQuestionState, 'pending' | 'merged'>,
  reason: string | null = null,
): Promise<void> {
  const extra =
    state === 'approved' ? { dismiss_reason: null } : state === 'dismissed' ? { dismiss_reason: reason } : state === 'answered' ? { answered_at: sql<Date>`now()` } : {};
  await affectedBy(m, db.updateTable('live_question').set({ state, ...extra, updated_at: sql`now()` }).where('id', '=', questionId));
}

/** Approves or dismisses every pending question of a session; their ids. */
export async function settlePendingQuestions(m: EntityManager, sessionId: number, state: 'approved' | 'dismissed'): Promise<number[]> {
  const rows = await rowsOf(
    m,
    db.updateTable('live_question').set({ state, updated_at: sql`now()` }).where('session_id', '=', sessionId).where('state', '=', 'pending').returning('id'),
  );
  return rows.map((r) => r.id);
}

/** Adds (`on`) or takes back a person's vote; whether it changed anything (both are idempotent). */
export async function setVote(m: EntityManager, questionId: number, voterId: string, on: boolean): Promise<boolean> {
  const changed = on
    ? await affectedBy(m, db.insertInto('live_question_vote').values({ question_id: questionId, voter_id: voterId }).onConflict((oc) => oc.doNothing()))
    : await affectedBy(m, db.deleteFrom('live_question_vote').where('question_id', '=', questionId).where('voter_id', '=', voterId));
  if (changed) await bumpVotes(m, questionId, on ? 1 : -1);
  return changed > 0;
}

/**
 * Merges question `sourceId` into `targetId`: the votes of people who
 * hadn't voted for the target are added to it (a person who voted for both
 * counts once), questions earlier merged into the source follow it, and the
 * source is merged.
 */
export async function mergeQuestion(m: EntityManager, sourceId: number, targetId: number): Promise<void> {
  const moved = await affectedBy(
    m,
    db
      .insertInto('live_question_vote')
      .columns(['question_id', 'voter_id', 'created_at'])
      .expression(db.selectFrom('live_question_vote').select([sql<number>`${targetId}`.as('question_id'), 'voter_id', 'created_at']).where('question_id', '=', sourceId))
      .onConflict((oc) => oc.doNothing()),
  );
  await bumpVotes(m, targetId, moved);
  await affectedBy(m, db.updateTable('live_question').set({ merged_into_id: targetId, updated_at: sql`now()` }).where('merged_into_id', '=', sourceId));
  await affectedBy(m, db.updateTable('live_question').set({ state: 'merged', merged_into_id: targetId, updated_at: sql`now()` }).where('id', '=', sourceId));
}

/**
 * Adds or removes votes on a question's counter: a random one of its 16
 * shards, so concurrent voters rarely wait on the same row (readers sum them).
 */
async function bumpVotes(m: EntityManager, questionId: number, delta: number): Promise<void> {
  if (delta === 0) return;
  await affectedBy(
    m,
    db
      .insertInto('live_question_counter')
      .values({ question_id: questionId, shard: Math.floor(Math.random() * 16), votes: delta })
      .onConflict((oc) => oc.columns(['question_id', 'shard']).doUpdateSet({ votes: sql`live_question_counter.votes + EXCLUDED.votes` })),
  );
}
