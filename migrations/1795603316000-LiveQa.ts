import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Live Q&A during a session: guest accounts (a name, no email or password,
 * valid for one session's Q&A), the Q&A of a session, live questions with
 * votes on sharded counters, revisions, the record of moderators' acts, its
 * own event log (a stream per session), and the link from a forum question
 * back to the live question it was handed over from.
 */
export class LiveQa1795603316000 implements MigrationInterface {
  name = 'LiveQa1795603316000';

  async up(q: QueryRunner): Promise<void> {
    // Guests: kind 'guest', bound to one session, no email or password, never an admin.
    await q.query(`ALTER TABLE account ADD COLUMN kind text NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'guest'))`);
    await q.query(`ALTER TABLE account ADD COLUMN guest_session_id integer REFERENCES session (id) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE account ALTER COLUMN email DROP NOT NULL`);
    await q.query(`ALTER TABLE account ALTER COLUMN password_hash DROP NOT NULL`);
    await q.query(`
      ALTER TABLE account ADD CONSTRAINT account_guest_check CHECK (
        CASE kind
          WHEN 'person' THEN email IS NOT NULL AND password_hash IS NOT NULL AND guest_session_id IS NULL
          ELSE email IS NULL AND password_hash IS NULL AND guest_session_id IS NOT NULL AND role = 'member'
        END)`);
    await q.query(`CREATE INDEX account_guest_session_idx ON account (guest_session_id) WHERE guest_session_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE live_qa (
        session_id integer PRIMARY KEY REFERENCES session (id) ON DELETE CASCADE,
        state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
        premoderation boolean NOT NULL DEFAULT false,
        allow_guests boolean NOT NULL DEFAULT false,
        slow_mode_seconds integer NOT NULL DEFAULT 0 CHECK (slow_mode_seconds BETWEEN 0 AND 3600),
        -- when it was first opened (or the session set live): the zero of "answered live at mm:ss"
        started_at timestamptz,
        highlighted_question_id integer,
        handed_over_at timestamptz,
        hand_over_forum_id integer REFERENCES forum (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE live_question (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_id integer NOT NULL REFERENCES live_qa (session_id) ON DELETE CASCADE,
        asker_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
        anonymous boolean NOT NULL DEFAULT false,
        body text NOT NULL CHECK (length(btrim(body)) BETWEEN 1 AND 500 AND length(body) <= 500),
        state text NOT NULL CHECK (state IN ('pending', 'approved', 'answered', 'dismissed', 'archived', 'merged', 'withdrawn')),
        dismiss_reason text CHECK (length(dismiss_reason) <= 300),
        merged_into_id integer,
        answered_at timestamptz,
        edited_at timestamptz,
        edited_by_moderator boolean NOT NULL DEFAULT false,
        client_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (session_id, id),
        CONSTRAINT live_question_asker_client_key UNIQUE (asker_id, client_id),
        CHECK ((state = 'merged') = (merged_into_id IS NOT NULL)),
        CHECK (merged_into_id <> id),
        CHECK (state <> 'answered' OR answered_at IS NOT NULL),
        -- merged into a question of the same session
        FOREIGN KEY (session_id, merged_into_id) REFERENCES live_question (session_id, id)
      )`);
    await q.query(`CREATE INDEX live_question_session_idx ON live_question (session_id, state, id)`);
    await q.query(`CREATE INDEX live_question_asker_idx ON live_question (asker_id, session_id, created_at)`);
    await q.query(`CREATE INDEX live_question_merged_idx ON live_question (merged_into_id) WHERE merged_into_id IS NOT NULL`);
    // One highlighted question per session, by construction; it must be one of the session's.
    await q.query(`
      ALTER TABLE live_qa ADD CONSTRAINT live_qa_highlighted_fk
        FOREIGN KEY (session_id, highlighted_question_id) REFERENCES live_question (session_id, id)`);

    // One row per vote; counts live on 16 shards per question so that a burst of
    // voters doesn't queue on one counter row (readers sum the shards).
    await q.query(`
      CREATE TABLE live_question_vote (
        question_id integer NOT NULL REFERENCES live_question (id) ON DELETE CASCADE,
        voter_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (question_id, voter_id)
      )`);
    await q.query(`CREATE INDEX live_question_vote_voter_idx ON live_question_vote (voter_id)`);
    await q.query(`
      CREATE TABLE live_question_counter (
        question_id integer NOT NULL REFERENCES live_question (id) ON DELETE CASCADE,
        shard smallint NOT NULL CHECK (shard BETWEEN 0 AND 15),
        votes integer NOT NULL DEFAULT 0,
        PRIMARY KEY (question_id, shard)
      )`);
    await q.query(`
      CREATE TABLE live_question_revision (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        question_id integer NOT NULL REFERENCES live_question (id) ON DELETE CASCADE,
        body text NOT NULL,
        edited_by uuid REFERENCES account (id) ON DELETE SET NULL,
        by_moderator boolean NOT NULL,
        replaced_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX live_question_revision_question_idx ON live_question_revision (question_id, id)`);
    // Every moderator act: who, what, when, the state before and after.
    await q.query(`
      CREATE TABLE live_qa_action (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_id integer NOT NULL REFERENCES live_qa (session_id) ON DELETE CASCADE,
        question_id integer REFERENCES live_question (id) ON DELETE CASCADE,
        actor_id uuid REFERENCES account (id) ON DELETE SET NULL,
        action text NOT NULL CHECK (action IN ('open', 'close', 'settings', 'session_state', 'approve', 'dismiss', 'highlight',
                                               'unhighlight', 'answer', 'archive', 'merge', 'edit', 'hand_over')),
        before jsonb,
        after jsonb,
        reason text CHECK (length(reason) <= 300),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX live_qa_action_session_idx ON live_qa_action (session_id, id)`);

    // The Q&A's own event log, a stream per session (same shape as forum_event; see EventLog).
    await q.query(`
      CREATE TABLE qa_event_seq (
        session_id integer PRIMARY KEY REFERENCES session (id) ON DELETE CASCADE,
        last_seq bigint NOT NULL CHECK (last_seq >= 0)
      )`);
    await q.query(`
      CREATE TABLE qa_event (
        session_id integer NOT NULL REFERENCES session (id) ON DELETE CASCADE,
        seq bigint NOT NULL CHECK (seq > 0),
        type text NOT NULL CHECK (type ~ '^[a-z_]+(\\.[a-z_]+)+$' AND length(type) <= 60),
        question_id integer CHECK (question_id > 0),
        payload jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
        audience text NOT NULL DEFAULT 'readers' CHECK (audience IN ('readers', 'moderators', 'moderators_and_account')),
        audience_account_id uuid REFERENCES account (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (session_id, seq),
        CHECK ((audience = 'moderators_and_account') = (audience_account_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX qa_event_created_idx ON qa_event (created_at)`);

    // The hand-over: a forum question made from a live question, once (the
    // unique key makes a second hand-over unable to copy it again), with the
    // live votes as its starting score.
    await q.query(`ALTER TABLE question ADD COLUMN live_question_id integer REFERENCES live_question (id) ON DELETE SET NULL`);
    await q.query(`ALTER TABLE question ADD CONSTRAINT question_live_question_key UNIQUE (live_question_id)`);
    await q.query(`ALTER TABLE question ADD COLUMN live_score integer CHECK (live_score >= 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE question DROP COLUMN live_score`);
    await q.query(`ALTER TABLE question DROP CONSTRAINT question_live_question_key`);
    await q.query(`ALTER TABLE question DROP COLUMN live_question_id`);
    await q.query(`DROP TABLE qa_event`);
    await q.query(`DROP TABLE qa_event_seq`);
    await q.query(`DROP TABLE live_qa_action`);
    await q.query(`DROP TABLE live_question_revision`);
    await q.query(`DROP TABLE live_question_counter`);
    await q.query(`DROP TABLE live_question_vote`);
    await q.query(`ALTER TABLE live_qa DROP CONSTRAINT live_qa_highlighted_fk`);
    await q.query(`DROP TABLE live_question`);
    await q.query(`DROP TABLE live_qa`);
    // Guests can't exist without the columns that describe them.
    await q.query(`DELETE FROM account WHERE kind = 'guest'`);
    await q.query(`DROP INDEX account_guest_session_idx`);
    await q.query(`ALTER TABLE account DROP CONSTRAINT account_guest_check`);
    await q.query(`ALTER TABLE account ALTER COLUMN password_hash SET NOT NULL`);
    await q.query(`ALTER TABLE account ALTER COLUMN email SET NOT NULL`);
    await q.query(`ALTER TABLE account DROP COLUMN guest_session_id`);
    await q.query(`ALTER TABLE account DROP COLUMN kind`);
  }
}
