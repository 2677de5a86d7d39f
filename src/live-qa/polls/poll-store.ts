import { sql } from 'kysely';
import type { EntityManager } from 'typeorm';
import { affectedBy, db, rowsOf } from '../../database/typed-sql.js';
import type { PollKind } from './poll-policy.js';
import type { PollRow } from './poll-results.js';

/**
 * The writes of live polls, their answers and their removed word-cloud
 * entries (live_poll, live_poll_answer, live_poll_removed_word), and only
 * here (issue 11). Each runs in the caller's transaction; a change of a poll
 * or an answer moves its updated_at.
 */

export interface NewPoll {
  sessionId: number;
  kind: PollKind;
  prompt: string;
  options: string[];
  resultsHidden: boolean;
  liveQuestionId: number | null;
  createdBy: string;
}

/** A new poll (a draft), as stored. */
export async function insertPoll(m: EntityManager, p: NewPoll): Promise<PollRow> {
  const [row] = await rowsOf(
    m,
    db
      .insertInto('live_poll')
      .values({
        session_id: p.sessionId,
        kind: p.kind,
        prompt: p.prompt,
        // jsonb as text (pg would send a JS array as a PostgreSQL array).
        options: JSON.stringify(p.options),
        results_hidden: p.resultsHidden,
        live_question_id: p.liveQuestionId,
        created_by: p.createdBy,
      })
      .returningAll(),
  );
  return row as unknown as PollRow;
}

/** Launches a poll (open, answers taken again) or closes it. */
export async function setPollState(m: EntityManager, pollId: number, state: 'open' | 'closed'): Promise<void> {
  const stamps = state === 'open' ? { launched_at: sql<Date>`now()`, closed_at: null } : { closed_at: sql<Date>`now()` };
  await affectedBy(m, db.updateTable('live_poll').set({ state, ...stamps, updated_at: sql`now()` }).where('id', '=', pollId));
}

/** Closes every open poll of a session; the polls closed, as stored. */
export async function closeOpenPolls(m: EntityManager, sessionId: number): Promise<PollRow[]> {
  const rows = await rowsOf(
    m,
    db
      .updateTable('live_poll')
      .set({ state: 'closed', closed_at: sql`now()`, updated_at: sql`now()` })
      .where('session_id', '=', sessionId)
      .where('state', '=', 'open')
      .returningAll(),
  );
  return rows as unknown as PollRow[];
}

/** Hides or reveals a poll's results. */
export async function setResultsHidden(m: EntityManager, pollId: number, hidden: boolean): Promise<void> {
  await affectedBy(m, db.updateTable('live_poll').set({ results_hidden: hidden, updated_at: sql`now()` }).where('id', '=', pollId));
}

/** The forum question a hand-over carried the poll's results onto. */
export async function markPollHandedOver(m: EntityManager, pollId: number, forumQuestionId: number): Promise<void> {
  await affectedBy(m, db.updateTable('live_poll').set({ handed_over_question_id: forumQuestionId, updated_at: sql`now()` }).where('id', '=', pollId));
}

/** Takes a word-cloud entry (its folded key) out of the results; idempotent. */
export async function removeWord(m: EntityManager, pollId: number, wordKey: string, removedBy: string): Promise<void> {
  await affectedBy(m, db.insertInto('live_poll_removed_word').values({ poll_id: pollId, word_key: wordKey, removed_by: removedBy }).onConflict((oc) => oc.doNothing()));
}

/** A moderator's review of an open-text answer of the poll; whether the answer is one of it. */
export async function reviewAnswer(m: EntityManager, pollId: number, answerId: number, review: 'approved' | 'rejected'): Promise<boolean> {
  return (await affectedBy(m, db.updateTable('live_poll_answer').set({ review }).where('id', '=', String(answerId)).where('poll_id', '=', pollId))) > 0;
}

export interface PollAnswer {
  choices: number[] | null;
  rating: number | null;
  text: string | null;
  wordKey: string | null;
  review: 'pending' | null;
}

/** An answer as saveAnswer returns it. */
interface SavedAnswer {
  choices: number[] | null;
  rating: number | null;
  text: string | null;
  review: 'pending' | 'approved' | 'rejected' | null;
  updated_at: Date;
}

/** A person's answer to a poll, replacing their earlier one; as stored. */
export async function saveAnswer(m: EntityManager, pollId: number, voterId: string, a: PollAnswer): Promise<SavedAnswer> {
  const [row] = await rowsOf(
    m,
    db
      .insertInto('live_poll_answer')
      .values({ poll_id: pollId, voter_id: voterId, choices: a.choices, rating: a.rating, text: a.text, word_key: a.wordKey, review: a.review })
      .onConflict((oc) =>
        oc.columns(['poll_id', 'voter_id']).doUpdateSet((eb) => ({
          choices: eb.ref('excluded.choices'),
          rating: eb.ref('excluded.rating'),
          text: eb.ref('excluded.text'),
          word_key: eb.ref('excluded.word_key'),
          review: eb.ref('excluded.review'),
          updated_at: sql`now()`,
        })),
      )
      .returning(['choices', 'rating', 'text', 'review', 'updated_at']),
  );
  return row as SavedAnswer;
}
