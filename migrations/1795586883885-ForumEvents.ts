import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The forum event log behind live updates and replay: every change in a
 * forum is recorded in the write's own transaction under a per-forum,
 * gap-free, increasing sequence number, so a client that reconnects can be
 * sent exactly what it missed. Also the client-generated id that makes a
 * reply posted over a socket idempotent.
 */
export class ForumEvents1795586883885 implements MigrationInterface {
  name = 'ForumEvents1795586883885';

  async up(q: QueryRunner): Promise<void> {
    // One row per forum, bumped by the last statement of each write
    // transaction: its row lock serialises a forum's writers only for the
    // moment between that statement and the commit, and makes commit order
    // equal sequence order (seq N+1 can't commit before seq N).
    await q.query(`
      CREATE TABLE forum_event_seq (
        forum_id integer PRIMARY KEY REFERENCES forum (id) ON DELETE CASCADE,
        last_seq bigint NOT NULL CHECK (last_seq >= 0)
      )`);

    // question_id has no foreign key on purpose: the log is history, and an
    // event must outlive (and keep its place after) a deleted question.
    await q.query(`
      CREATE TABLE forum_event (
        forum_id integer NOT NULL REFERENCES forum (id) ON DELETE CASCADE,
        seq bigint NOT NULL CHECK (seq > 0),
        type text NOT NULL CHECK (type ~ '^[a-z_]+(\\.[a-z_]+)+$' AND length(type) <= 60),
        question_id integer CHECK (question_id > 0),
        payload jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
        audience text NOT NULL DEFAULT 'readers' CHECK (audience IN ('readers', 'moderators', 'moderators_and_account')),
        audience_account_id uuid REFERENCES account (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (forum_id, seq),
        CHECK ((audience = 'moderators_and_account') = (audience_account_id IS NOT NULL))
      )`);
    // Retention prunes by age across all forums.
    await q.query(`CREATE INDEX forum_event_created_idx ON forum_event (created_at)`);
    // Redacting a deleted or hidden reply's earlier events finds them by reply id.
    await q.query(`CREATE INDEX forum_event_reply_idx ON forum_event (forum_id, (payload #>> '{reply,id}')) WHERE payload ? 'reply'`);

    // A reply posted over a socket carries an id chosen by the client; a retry
    // with the same id hits this constraint and gets the stored reply back.
    // NULL (HTTP posts without one) never conflicts.
    await q.query(`ALTER TABLE reply ADD COLUMN client_id uuid`);
    await q.query(`ALTER TABLE reply ADD CONSTRAINT reply_author_client_key UNIQUE (author_id, client_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reply DROP CONSTRAINT reply_author_client_key`);
    await q.query(`ALTER TABLE reply DROP COLUMN client_id`);
    await q.query(`DROP TABLE forum_event`);
    await q.query(`DROP TABLE forum_event_seq`);
  }
}
