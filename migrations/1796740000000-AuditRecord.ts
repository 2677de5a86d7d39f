import type { MigrationInterface, QueryRunner } from 'typeorm';

// Frozen copies: the acts each stream held when the two records became one
// (src/moderation/moderation-acts.ts and src/live-qa/qa-policy.ts name them today).
const FORUM_ACTS = [
  'reply.hide', 'reply.unhide', 'reply.delete', 'reply.edit', 'reply.move', 'reply.feature', 'reply.unfeature',
  'reply.approve', 'reply.reject', 'flag.uphold', 'flag.dismiss',
  'question.pin', 'question.unpin', 'question.lock', 'question.unlock', 'question.close', 'question.reopen',
  'question.reorder', 'question.merge', 'question.synthesis', 'question.slow_mode', 'question.edit',
  'forum.settings', 'member.silence', 'member.unsilence', 'question.approve', 'question.reject',
];
const QA_ACTS = [
  'open', 'close', 'settings', 'session_state', 'approve', 'dismiss', 'highlight', 'unhighlight', 'answer', 'archive', 'merge', 'edit', 'hand_over',
  'poll_create', 'poll_launch', 'poll_close', 'poll_reveal', 'poll_hide', 'poll_show', 'poll_unshow', 'poll_remove_word', 'poll_approve_text', 'poll_reject_text',
];
const list = (acts: string[]) => acts.map((a) => `'${a}'`).join(', ');

/**
 * One audit record for forum moderation and live Q&A acts (issue 11): the
 * rows of moderation_action and live_qa_action move, with their ids and
 * times, into audit_record, whose `stream` says whose record a row is in
 * (a forum's, or a session's Q&A). The two old tables both counted ids from
 * 1, so an id is unique within its stream (the key is stream + id); new rows
 * take ids from one sequence started past both.
 */
export class AuditRecord1796740000000 implements MigrationInterface {
  name = 'AuditRecord1796740000000';

  async up(q: QueryRunner): Promise<void> {
    // question_id and target_id have no foreign keys on purpose: the forum's record is history and outlives its
    // targets. A live question's or poll's acts go with it, as they did.
    await q.query(`
      CREATE TABLE audit_record (
        id bigint GENERATED ALWAYS AS IDENTITY,
        stream text NOT NULL CHECK (stream IN ('forum', 'live_qa')),
        forum_id integer REFERENCES forum (id) ON DELETE CASCADE,
        session_id integer REFERENCES live_qa (session_id) ON DELETE CASCADE,
        actor_id uuid REFERENCES account (id) ON DELETE SET NULL,
        act text NOT NULL,
        target_kind text CHECK (target_kind IN ('reply', 'question', 'forum', 'account')),
        target_id text CHECK (length(target_id) BETWEEN 1 AND 64),
        question_id integer,
        target_author_id uuid REFERENCES account (id) ON DELETE SET NULL,
        live_question_id integer REFERENCES live_question (id) ON DELETE CASCADE,
        poll_id integer REFERENCES live_poll (id) ON DELETE CASCADE,
        reason text,
        before jsonb,
        after jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (stream, id),
        CONSTRAINT audit_record_one_stream_check CHECK ((stream = 'forum') = (forum_id IS NOT NULL) AND (stream = 'live_qa') = (session_id IS NOT NULL)),
        CONSTRAINT audit_record_forum_check CHECK (stream <> 'forum' OR (
          act IN (${list(FORUM_ACTS)}) AND target_kind IS NOT NULL AND target_id IS NOT NULL AND live_question_id IS NULL AND poll_id IS NULL)),
        CONSTRAINT audit_record_live_qa_check CHECK (stream <> 'live_qa' OR (
          act IN (${list(QA_ACTS)}) AND target_kind IS NULL AND target_id IS NULL AND question_id IS NULL AND target_author_id IS NULL)),
        CONSTRAINT audit_record_reason_check CHECK (CASE stream WHEN 'forum' THEN length(reason) BETWEEN 1 AND 500 ELSE length(reason) <= 300 END),
        CONSTRAINT audit_record_forum_states_check CHECK (stream <> 'forum' OR (
          (before IS NULL OR jsonb_typeof(before) = 'object') AND (after IS NULL OR jsonb_typeof(after) = 'object')))
      )`);
    await q.query(`
      INSERT INTO audit_record (id, stream, forum_id, actor_id, act, target_kind, target_id, question_id, target_author_id, reason, before, after, created_at)
      OVERRIDING SYSTEM VALUE
      SELECT id, 'forum', forum_id, actor_id, act, target_kind, target_id, question_id, target_author_id, reason, before, after, created_at
        FROM moderation_action ORDER BY id`);
    await q.query(`
      INSERT INTO audit_record (id, stream, session_id, actor_id, act, live_question_id, poll_id, reason, before, after, created_at)
      OVERRIDING SYSTEM VALUE
      SELECT id, 'live_qa', session_id, actor_id, action, question_id, poll_id, reason, before, after, created_at
        FROM live_qa_action ORDER BY id`);
    await restartIds(q, 'audit_record');
    await q.query(`CREATE INDEX audit_record_forum_idx ON audit_record (forum_id, id DESC)`);
    await q.query(`CREATE INDEX audit_record_act_idx ON audit_record (forum_id, act, id DESC)`);
    await q.query(`CREATE INDEX audit_record_actor_idx ON audit_record (forum_id, actor_id, id DESC)`);
    await q.query(`CREATE INDEX audit_record_target_idx ON audit_record (forum_id, target_kind, target_id, id DESC)`);
    await q.query(`CREATE INDEX audit_record_author_idx ON audit_record (target_author_id, id DESC)`);
    await q.query(`CREATE INDEX audit_record_session_idx ON audit_record (session_id, id)`);
    await q.query(`DROP TABLE moderation_action`);
    await q.query(`DROP TABLE live_qa_action`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The two tables as the Moderation, LiveQa, LivePolls and MemberQuestions migrations left them (same
    // constraint names, which their own downs use).
    await q.query(`
      CREATE TABLE moderation_action (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        forum_id integer NOT NULL REFERENCES forum (id) ON DELETE CASCADE,
        actor_id uuid REFERENCES account (id) ON DELETE SET NULL,
        act text NOT NULL CHECK (act IN (${list(FORUM_ACTS)})),
        target_kind text NOT NULL CHECK (target_kind IN ('reply', 'question', 'forum', 'account')),
        target_id text NOT NULL CHECK (length(target_id) BETWEEN 1 AND 64),
        question_id integer,
        target_author_id uuid REFERENCES account (id) ON DELETE SET NULL,
        reason text CHECK (length(reason) BETWEEN 1 AND 500),
        before jsonb CHECK (jsonb_typeof(before) = 'object'),
        after jsonb CHECK (jsonb_typeof(after) = 'object'),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX moderation_action_forum_idx ON moderation_action (forum_id, id DESC)`);
    await q.query(`CREATE INDEX moderation_action_act_idx ON moderation_action (forum_id, act, id DESC)`);
    await q.query(`CREATE INDEX moderation_action_actor_idx ON moderation_action (forum_id, actor_id, id DESC)`);
    await q.query(`CREATE INDEX moderation_action_target_idx ON moderation_action (forum_id, target_kind, target_id, id DESC)`);
    await q.query(`CREATE INDEX moderation_action_author_idx ON moderation_action (target_author_id, id DESC)`);
    await q.query(`
      CREATE TABLE live_qa_action (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_id integer NOT NULL REFERENCES live_qa (session_id) ON DELETE CASCADE,
        question_id integer REFERENCES live_question (id) ON DELETE CASCADE,
        actor_id uuid REFERENCES account (id) ON DELETE SET NULL,
        action text NOT NULL CHECK (action IN (${list(QA_ACTS)})),
        before jsonb,
        after jsonb,
        reason text CHECK (length(reason) <= 300),
        created_at timestamptz NOT NULL DEFAULT now(),
        poll_id integer REFERENCES live_poll (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX live_qa_action_session_idx ON live_qa_action (session_id, id)`);
    await q.query(`
      INSERT INTO moderation_action (id, forum_id, actor_id, act, target_kind, target_id, question_id, target_author_id, reason, before, after, created_at)
      OVERRIDING SYSTEM VALUE
      SELECT id, forum_id, actor_id, act, target_kind, target_id, question_id, target_author_id, reason, before, after, created_at
        FROM audit_record WHERE stream = 'forum' ORDER BY id`);
    await q.query(`
      INSERT INTO live_qa_action (id, session_id, question_id, actor_id, action, before, after, reason, created_at, poll_id)
      OVERRIDING SYSTEM VALUE
      SELECT id, session_id, live_question_id, actor_id, act, before, after, reason, created_at, poll_id
        FROM audit_record WHERE stream = 'live_qa' ORDER BY id`);
    await restartIds(q, 'moderation_action');
    await restartIds(q, 'live_qa_action');
    await q.query(`DROP TABLE audit_record`);
  }
}

/** Rows moved in with their ids: the table's identity goes on after the highest. */
async function restartIds(q: QueryRunner, table: string): Promise<void> {
  await q.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), COALESCE((SELECT max(id) FROM ${table}), 0) + 1, false)`);
}
