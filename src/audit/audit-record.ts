import { sql } from 'kysely';
import type { EntityManager } from 'typeorm';
import { affectedBy, db, rowsOf } from '../database/typed-sql.js';

/**
 * The audit record of moderators' acts (issue 11): one table, audit_record,
 * for the forums' moderation and the sessions' live Q&A, and this file its
 * only owner. Each feature writes its acts here inside its own transaction
 * and reads its own stream through the views below; `stream` says whose
 * record a row is in (forum_id or session_id is set, never both).
 */

/** A forum moderation act, as the moderation record keeps it. */
export interface ForumAct {
  act: string;
  targetKind: string;
  targetId: string | number;
  questionId?: number | null;
  /** Whose contribution (or account) the act touched. */
  targetAuthorId?: string | null;
  reason?: string | null;
  before?: object | null;
  after?: object | null;
}

/** A moderator's act in a session's live Q&A. */
export interface QaAct {
  sessionId: number;
  actorId: string | null;
  action: string;
  /** The live question it touched. */
  questionId?: number | null;
  pollId?: number | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  /** When, if not now (the demo's history). */
  at?: Date;
}

/** The forum stream, with the columns of the old moderation_action. */
export const FORUM_ACTS = `(SELECT id, forum_id, actor_id, act, target_kind, target_id, question_id, target_author_id, reason, before, after, created_at
  FROM audit_record WHERE stream = 'forum')`;

/** The live Q&A stream, with the columns of the old live_qa_action. */
export const QA_ACTS = `(SELECT id, session_id, live_question_id AS question_id, poll_id, actor_id, act AS action, before, after, reason, created_at
  FROM audit_record WHERE stream = 'live_qa')`;

/** Writes a forum's act rows in the caller's transaction, ids in the order given (one VALUES list is inserted row by row); returns the ids. `at`: when, if not now. */
export async function recordForumActs(m: EntityManager, forumId: number, actorId: string | null, acts: ForumAct[], at: Date | null = null): Promise<string[]> {
  if (acts.length === 0) return [];
  const rows = await rowsOf(
    m,
    db
      .insertInto('audit_record')
      .values(
        acts.map((r) => ({
          stream: 'forum',
          forum_id: forumId,
          actor_id: actorId,
          act: r.act,
          target_kind: r.targetKind,
          target_id: String(r.targetId),
          question_id: r.questionId ?? null,
          target_author_id: r.targetAuthorId ?? null,
          reason: r.reason ?? null,
          before: jsonOrNull(r.before),
          after: jsonOrNull(r.after),
          created_at: at ?? sql<Date>`now()`,
        })),
      )
      .returning('id'),
  );
  return rows.map((r) => String(r.id));
}

/** Writes a live Q&A act in the caller's transaction. `before`/`after` left out are stored as SQL NULL. */
export async function recordQaAct(m: EntityManager, act: QaAct): Promise<void> {
  await affectedBy(
    m,
    db.insertInto('audit_record').values({
      stream: 'live_qa',
      session_id: act.sessionId,
      live_question_id: act.questionId ?? null,
      poll_id: act.pollId ?? null,
      actor_id: act.actorId,
      act: act.action,
      before: act.before === undefined ? null : JSON.stringify(act.before),
      after: act.after === undefined ? null : JSON.stringify(act.after),
      reason: act.reason ?? null,
      created_at: act.at ?? sql<Date>`now()`,
    }),
  );
}

/** jsonb as text (pg would send a JS array as a PostgreSQL array); null is SQL NULL. */
const jsonOrNull = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
