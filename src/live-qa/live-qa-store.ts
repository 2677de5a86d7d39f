import { sql } from 'kysely';
import type { EntityManager } from 'typeorm';
import { affectedBy, db, rowsOf } from '../database/typed-sql.js';
import type { LiveQaRow } from './qa-access.js';
import type { QaState } from './qa-policy.js';

/**
 * The writes of a session's Q&A row (live_qa), and only here (issue 11):
 * created closed on first use, its settings and state, the join code, the
 * highlighted question and the poll on screen, the hand-over's mark. Each
 * runs in the caller's transaction and moves updated_at.
 */

/** The Q&A of a session that had none: closed. */
export async function createQa(m: EntityManager, sessionId: number): Promise<LiveQaRow> {
  const [row] = await rowsOf(m, db.insertInto('live_qa').values({ session_id: sessionId, state: 'closed' }).returningAll());
  return row as unknown as LiveQaRow;
}

/** The moderators' settings (only those given change). */
export async function changeQaSettings(
  m: EntityManager,
  sessionId: number,
  settings: Partial<Pick<LiveQaRow, 'premoderation' | 'allow_guests' | 'slow_mode_seconds'>>,
): Promise<void> {
  await affectedBy(m, db.updateTable('live_qa').set({ ...settings, updated_at: sql`now()` }).where('session_id', '=', sessionId));
}

/** Opens or closes the Q&A; the first opening is when it started. */
export async function setQaState(m: EntityManager, sessionId: number, state: QaState): Promise<void> {
  await affectedBy(
    m,
    db
      .updateTable('live_qa')
      .set({ state, ...(state === 'open' ? { started_at: sql`COALESCE(started_at, now())` } : {}), updated_at: sql`now()` })
      .where('session_id', '=', sessionId),
  );
}

/** The presenter screen's join code. */
export async function setJoinCode(m: EntityManager, sessionId: number, code: string): Promise<void> {
  await affectedBy(m, db.updateTable('live_qa').set({ join_code: code, updated_at: sql`now()` }).where('session_id', '=', sessionId));
}

/** Puts a question on screen (one per session). */
export async function setHighlighted(m: EntityManager, sessionId: number, questionId: number): Promise<void> {
  await affectedBy(m, db.updateTable('live_qa').set({ highlighted_question_id: questionId, updated_at: sql`now()` }).where('session_id', '=', sessionId));
}

/** Takes a question off screen if it is the highlighted one; whether it was. */
export async function clearHighlightIf(m: EntityManager, sessionId: number, questionId: number): Promise<boolean> {
  const cleared = await affectedBy(
    m,
    db
      .updateTable('live_qa')
      .set({ highlighted_question_id: null, updated_at: sql`now()` })
      .where('session_id', '=', sessionId)
      .where('highlighted_question_id', '=', questionId),
  );
  return cleared > 0;
}

/** The poll on the presenter screen, or none. */
export async function setOnScreenPoll(m: EntityManager, sessionId: number, pollId: number | null): Promise<void> {
  await affectedBy(m, db.updateTable('live_qa').set({ on_screen_poll_id: pollId, updated_at: sql`now()` }).where('session_id', '=', sessionId));
}

/** A hand-over happened: when, to which forum (the earlier one if none now), and the highlight cleared when its question left. */
export async function markHandedOver(m: EntityManager, sessionId: number, forumId: number | null, clearHighlight: boolean): Promise<void> {
  await affectedBy(
    m,
    db
      .updateTable('live_qa')
      .set({
        handed_over_at: sql`now()`,
        ...(forumId !== null ? { hand_over_forum_id: forumId } : {}),
        updated_at: sql`now()`,
        ...(clearHighlight ? { highlighted_question_id: null } : {}),
      })
      .where('session_id', '=', sessionId),
  );
}
