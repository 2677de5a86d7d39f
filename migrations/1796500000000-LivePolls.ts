import type { MigrationInterface, QueryRunner } from 'typeorm';

const OLD_ACTIONS = `'open', 'close', 'settings', 'session_state', 'approve', 'dismiss', 'highlight', 'unhighlight', 'answer', 'archive', 'merge', 'edit', 'hand_over'`;
const POLL_ACTIONS = `'poll_create', 'poll_launch', 'poll_close', 'poll_reveal', 'poll_hide', 'poll_show', 'poll_unshow', 'poll_remove_word', 'poll_approve_text', 'poll_reject_text'`;

/**
 * Live polls of a session's Q&A: prepared ahead (draft), launched and closed
 * by a moderator; one answer per attendee and poll (guests included),
 * changeable while the poll is open; the poll on the presenter screen; the
 * word-cloud entries a moderator removed; and the moderators' poll acts in
 * the Q&A's record.
 */
export class LivePolls1796500000000 implements MigrationInterface {
  name = 'LivePolls1796500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE live_poll (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_id integer NOT NULL REFERENCES live_qa (session_id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('single', 'multiple', 'rating', 'word_cloud', 'open_text')),
        prompt text NOT NULL CHECK (length(btrim(prompt)) BETWEEN 1 AND 300),
        -- the choices of a single or multiple choice poll, in order; empty for the others
        options jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(options) = 'array'),
        state text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'open', 'closed')),
        -- results only moderators see until one reveals them
        results_hidden boolean NOT NULL DEFAULT false,
        -- the live question it belongs to: its results travel with that question to the forum
        live_question_id integer REFERENCES live_question (id) ON DELETE SET NULL,
        launched_at timestamptz,
        closed_at timestamptz,
        -- the forum question that carried its results at the hand-over
        handed_over_question_id integer REFERENCES question (id) ON DELETE SET NULL,
        created_by uuid REFERENCES account (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (session_id, id),
        CHECK ((kind IN ('single', 'multiple')) = (jsonb_array_length(options) >= 2))
      )`);
    await q.query(`CREATE INDEX live_poll_session_idx ON live_poll (session_id, id)`);
    // One row per attendee and poll: answering again replaces it.
    await q.query(`
      CREATE TABLE live_poll_answer (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        poll_id integer NOT NULL REFERENCES live_poll (id) ON DELETE CASCADE,
        voter_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
        choices smallint[] CHECK (cardinality(choices) >= 1),
        rating smallint CHECK (rating BETWEEN 1 AND 5),
        text text CHECK (length(text) BETWEEN 1 AND 300),
        -- word cloud: the text folded (lower case, no accents, single spaces), which is what is counted
        word_key text CHECK (length(word_key) <= 300),
        -- open text: shown to attendees once a moderator approves it
        review text CHECK (review IN ('pending', 'approved', 'rejected')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (poll_id, voter_id),
        CHECK (num_nonnulls(choices, rating, text) = 1)
      )`);
    await q.query(`CREATE INDEX live_poll_answer_word_idx ON live_poll_answer (poll_id, word_key) WHERE word_key IS NOT NULL`);
    await q.query(`
      CREATE TABLE live_poll_removed_word (
        poll_id integer NOT NULL REFERENCES live_poll (id) ON DELETE CASCADE,
        word_key text NOT NULL,
        removed_by uuid REFERENCES account (id) ON DELETE SET NULL,
        removed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (poll_id, word_key)
      )`);
    await q.query(`ALTER TABLE live_qa ADD COLUMN on_screen_poll_id integer`);
    await q.query(`ALTER TABLE live_qa ADD CONSTRAINT live_qa_on_screen_poll_fk FOREIGN KEY (session_id, on_screen_poll_id) REFERENCES live_poll (session_id, id)`);
    // The short join code of the presenter screen (/j/CODE).
    await q.query(`ALTER TABLE live_qa ADD COLUMN join_code text CHECK (join_code ~ '^[A-Z0-9]{6}$')`);
    await q.query(`CREATE UNIQUE INDEX live_qa_join_code_key ON live_qa (join_code) WHERE join_code IS NOT NULL`);
    await q.query(`ALTER TABLE live_qa_action ADD COLUMN poll_id integer REFERENCES live_poll (id) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE live_qa_action DROP CONSTRAINT live_qa_action_action_check`);
    await q.query(`ALTER TABLE live_qa_action ADD CONSTRAINT live_qa_action_action_check CHECK (action IN (${OLD_ACTIONS}, ${POLL_ACTIONS}))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM live_qa_action WHERE action IN (${POLL_ACTIONS})`);
    await q.query(`ALTER TABLE live_qa_action DROP CONSTRAINT live_qa_action_action_check`);
    await q.query(`ALTER TABLE live_qa_action ADD CONSTRAINT live_qa_action_action_check CHECK (action IN (${OLD_ACTIONS}))`);
    await q.query(`ALTER TABLE live_qa_action DROP COLUMN poll_id`);
    await q.query(`DROP INDEX live_qa_join_code_key`);
    await q.query(`ALTER TABLE live_qa DROP COLUMN join_code`);
    await q.query(`ALTER TABLE live_qa DROP CONSTRAINT live_qa_on_screen_poll_fk`);
    await q.query(`ALTER TABLE live_qa DROP COLUMN on_screen_poll_id`);
    await q.query(`DROP TABLE live_poll_removed_word`);
    await q.query(`DROP TABLE live_poll_answer`);
    await q.query(`DROP TABLE live_poll`);
  }
}
