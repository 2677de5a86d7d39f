import type { EntityManager } from 'typeorm';

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

/** Writes a forum's act rows in the caller's transaction, ids in the order given; returns the ids. `at`: when, if not now. */
export async function recordForumActs(m: EntityManager, forumId: number, actorId: string | null, acts: ForumAct[], at: Date | null = null): Promise<string[]> {
  if (acts.length === 0) return [];
  const items = acts.map((r, i) => ({
    ord: i,
    act: r.act,
    target_kind: r.targetKind,
    target_id: String(r.targetId),
    question_id: r.questionId ?? null,
    target_author_id: r.targetAuthorId ?? null,
    reason: r.reason ?? null,
    before: r.before ?? null,
    after: r.after ?? null,
  }));
  const rows: { id: string }[] = await m.query(
    `INSERT INTO audit_record (stream, forum_id, actor_id, act, target_kind, target_id, question_id, target_author_id, reason, before, after, created_at)
     SELECT 'forum', $1, $2, e.act, e.target_kind, e.target_id, e.question_id, e.target_author_id, e.reason, e.before, e.after, COALESCE($4, now())
       FROM jsonb_to_recordset($3::jsonb) AS e(ord integer, act text, target_kind text, target_id text, question_id integer,
                                               target_author_id uuid, reason text, before jsonb, after jsonb)
      ORDER BY e.ord
     RETURNING id`,
    [forumId, actorId, JSON.stringify(items), at],
  );
  return rows.map((r) => String(r.id));
}

/** Writes a live Q&A act in the caller's transaction. `before`/`after` left out are stored as SQL NULL. */
export async function recordQaAct(m: EntityManager, act: QaAct): Promise<void> {
  const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
  await m.query(
    `INSERT INTO audit_record (stream, session_id, live_question_id, poll_id, actor_id, act, before, after, reason, created_at)
     VALUES ('live_qa', $1, $2, $3, $4, $5, $6, $7, $8, COALESCE($9, now()))`,
    [act.sessionId, act.questionId ?? null, act.pollId ?? null, act.actorId, act.action, json(act.before), json(act.after), act.reason ?? null, act.at ?? null],
  );
}
