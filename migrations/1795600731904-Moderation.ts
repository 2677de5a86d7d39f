import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Every act name the record accepts (src/moderation/moderation-acts.ts MODERATION_ACTS lists the same). */
export const ACTS = [
  'reply.hide', 'reply.unhide', 'reply.delete', 'reply.edit', 'reply.move', 'reply.feature', 'reply.unfeature',
  'reply.approve', 'reply.reject', 'flag.uphold', 'flag.dismiss',
  'question.pin', 'question.unpin', 'question.lock', 'question.unlock', 'question.close', 'question.reopen',
  'question.reorder', 'question.merge', 'question.synthesis', 'question.slow_mode', 'question.edit',
  'forum.settings', 'member.silence', 'member.unsilence',
];

/**
 * Moderation and curation (issue 7): reply states and marks set by
 * moderators, question merges, syntheses and slow mode, per-forum
 * moderation settings, silenced members, flags, and the record of every act.
 */
export class Moderation1795600731904 implements MigrationInterface {
  name = 'Moderation1795600731904';

  async up(q: QueryRunner): Promise<void> {
    // A rejected reply (pre-moderation said no) is kept for its author and the moderators only.
    await q.query(`ALTER TABLE reply DROP CONSTRAINT reply_state_check`);
    await q.query(`ALTER TABLE reply ADD CONSTRAINT reply_state_check CHECK (state IN ('visible', 'pending', 'hidden', 'deleted', 'rejected'))`);
    await q.query(`
      ALTER TABLE reply
        ADD COLUMN state_reason text CHECK (length(state_reason) BETWEEN 1 AND 500),
        ADD COLUMN hidden_by_flags boolean NOT NULL DEFAULT false,
        ADD COLUMN featured_at timestamptz,
        ADD COLUMN edited_by_moderator boolean NOT NULL DEFAULT false,
        ADD CONSTRAINT reply_hidden_reason_check CHECK (state <> 'hidden' OR state_reason IS NOT NULL),
        ADD CONSTRAINT reply_hidden_by_flags_check CHECK (state = 'hidden' OR NOT hidden_by_flags)`);
    await q.query(`CREATE INDEX reply_featured_idx ON reply (question_id, featured_at) WHERE featured_at IS NOT NULL`);
    // The moderators' queue of replies awaiting approval, oldest first.
    await q.query(`CREATE INDEX reply_pending_idx ON reply (forum_id, created_at, id) WHERE state = 'pending'`);
    // Slow mode and hourly limits look up a person's latest replies in a forum.
    await q.query(`CREATE INDEX reply_forum_author_idx ON reply (forum_id, author_id, created_at)`);
    await q.query(`ALTER TABLE reply_revision ADD COLUMN by_moderator boolean NOT NULL DEFAULT false`);

    await q.query(`
      ALTER TABLE question
        ADD COLUMN merged_into_id integer REFERENCES question (id) ON DELETE SET NULL,
        ADD COLUMN slow_mode_seconds integer CHECK (slow_mode_seconds BETWEEN 1 AND 86400),
        ADD COLUMN synthesis_source text CHECK (length(btrim(synthesis_source)) >= 1 AND length(synthesis_source) <= 20000),
        ADD COLUMN synthesis_html text,
        ADD COLUMN synthesis_by uuid REFERENCES account (id) ON DELETE SET NULL,
        ADD COLUMN synthesis_at timestamptz,
        ADD CONSTRAINT question_merged_elsewhere_check CHECK (merged_into_id <> id),
        ADD CONSTRAINT question_synthesis_check CHECK ((synthesis_source IS NULL) = (synthesis_html IS NULL) AND (synthesis_source IS NULL) = (synthesis_at IS NULL))`);

    await q.query(`
      ALTER TABLE forum
        ADD COLUMN premoderation boolean NOT NULL DEFAULT false,
        ADD COLUMN premoderate_first_replies integer NOT NULL DEFAULT 0 CHECK (premoderate_first_replies BETWEEN 0 AND 100),
        ADD COLUMN flag_threshold integer CHECK (flag_threshold BETWEEN 1 AND 100),
        ADD COLUMN slow_mode_seconds integer CHECK (slow_mode_seconds BETWEEN 1 AND 86400),
        ADD COLUMN max_replies_per_hour integer CHECK (max_replies_per_hour BETWEEN 1 AND 1000)`);

    await q.query(`
      CREATE TABLE forum_silence (
        forum_id integer NOT NULL REFERENCES forum (id) ON DELETE CASCADE,
        account_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
        until timestamptz NOT NULL,
        reason text CHECK (length(reason) BETWEEN 1 AND 500),
        silenced_by uuid REFERENCES account (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (forum_id, account_id)
      )`);

    await q.query(`
      CREATE TABLE reply_flag (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        reply_id bigint NOT NULL REFERENCES reply (id) ON DELETE CASCADE,
        forum_id integer NOT NULL REFERENCES forum (id) ON DELETE CASCADE,
        account_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
        reason text NOT NULL CHECK (reason IN ('spam', 'off_topic', 'abusive', 'other')),
        note text CHECK (length(note) BETWEEN 1 AND 500),
        state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'upheld', 'dismissed')),
        created_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz,
        resolved_by uuid REFERENCES account (id) ON DELETE SET NULL,
        CONSTRAINT reply_flag_once_key UNIQUE (reply_id, account_id),
        CHECK ((state = 'open') = (resolved_at IS NULL))
      )`);
    await q.query(`CREATE INDEX reply_flag_open_idx ON reply_flag (forum_id, reply_id) WHERE state = 'open'`);
    await q.query(`CREATE INDEX reply_flag_account_idx ON reply_flag (account_id, id)`);

    // question_id and target_id have no foreign keys on purpose: the record is history and outlives its targets.
    await q.query(`
      CREATE TABLE moderation_action (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        forum_id integer NOT NULL REFERENCES forum (id) ON DELETE CASCADE,
        actor_id uuid REFERENCES account (id) ON DELETE SET NULL,
        act text NOT NULL CHECK (act IN (${ACTS.map((a) => `'${a}'`).join(', ')})),
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
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE moderation_action`);
    await q.query(`DROP TABLE reply_flag`);
    await q.query(`DROP TABLE forum_silence`);
    await q.query(`
      ALTER TABLE forum DROP COLUMN premoderation, DROP COLUMN premoderate_first_replies, DROP COLUMN flag_threshold,
        DROP COLUMN slow_mode_seconds, DROP COLUMN max_replies_per_hour`);
    await q.query(`
      ALTER TABLE question DROP COLUMN merged_into_id, DROP COLUMN slow_mode_seconds, DROP COLUMN synthesis_source,
        DROP COLUMN synthesis_html, DROP COLUMN synthesis_by, DROP COLUMN synthesis_at`);
    await q.query(`ALTER TABLE reply_revision DROP COLUMN by_moderator`);
    await q.query(`DROP INDEX reply_forum_author_idx`);
    await q.query(`DROP INDEX reply_pending_idx`);
    await q.query(`DROP INDEX reply_featured_idx`);
    await q.query(`
      ALTER TABLE reply DROP CONSTRAINT reply_hidden_reason_check, DROP CONSTRAINT reply_hidden_by_flags_check,
        DROP COLUMN state_reason, DROP COLUMN hidden_by_flags, DROP COLUMN featured_at, DROP COLUMN edited_by_moderator`);
    // Rejected replies have no place in the older schema: they become hidden... which needs no reason there.
    await q.query(`UPDATE reply SET state = 'hidden' WHERE state = 'rejected'`);
    await q.query(`ALTER TABLE reply DROP CONSTRAINT reply_state_check`);
    await q.query(`ALTER TABLE reply ADD CONSTRAINT reply_state_check CHECK (state IN ('visible', 'pending', 'hidden', 'deleted'))`);
  }
}
