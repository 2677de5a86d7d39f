import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The forum core: accounts (authors), the session catalogue, forums,
 * memberships, questions and threaded replies with votes, revisions and
 * sharded reply counters.
 */
export class ForumCore1795586000000 implements MigrationInterface {
  name = 'ForumCore1795586000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE account (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254 AND position('@' in email) > 1),
        display_name text NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 80),
        organisation text CHECK (length(organisation) <= 120),
        language text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'es', 'fr')),
        role text NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'admin')),
        password_hash text NOT NULL,
        is_demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX account_email_key ON account (lower(email))`);

    await q.query(`
      CREATE TABLE session (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 120),
        kind text NOT NULL CHECK (kind IN ('webinar', 'training_workshop', 'series')),
        title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
        summary text NOT NULL DEFAULT '',
        organiser text NOT NULL CHECK (length(btrim(organiser)) BETWEEN 1 AND 200),
        partners text[] NOT NULL DEFAULT '{}',
        cities text[] NOT NULL DEFAULT '{}',
        topics text[] NOT NULL DEFAULT '{}',
        languages text[] NOT NULL DEFAULT '{en}' CHECK (languages <@ ARRAY['en', 'es', 'fr']::text[]),
        state text NOT NULL DEFAULT 'scheduled' CHECK (state IN ('scheduled', 'live', 'ended')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX session_topics_idx ON session USING gin (topics)`);
    await q.query(`CREATE INDEX session_cities_idx ON session USING gin (cities)`);
    await q.query(`
      CREATE TABLE session_date (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_id integer NOT NULL REFERENCES session (id) ON DELETE CASCADE,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        CHECK (ends_at > starts_at),
        UNIQUE (session_id, starts_at)
      )`);
    await q.query(`
      CREATE TABLE session_document (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_id integer NOT NULL REFERENCES session (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('programme', 'concept_note', 'recording', 'presentation', 'other')),
        language text NOT NULL CHECK (language IN ('en', 'es', 'fr')),
        title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
        url text NOT NULL CHECK (url ~ '^https?://'),
        UNIQUE (session_id, url)
      )`);

    await q.query(`
      CREATE TABLE forum (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_id integer NOT NULL REFERENCES session (id) ON DELETE CASCADE,
        slug text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 120),
        title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
        description text NOT NULL DEFAULT '',
        visibility text NOT NULL CHECK (visibility IN ('public', 'members', 'invite_only')),
        state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed', 'archived')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (session_id, slug)
      )`);
    await q.query(`
      CREATE TABLE forum_membership (
        forum_id integer NOT NULL REFERENCES forum (id) ON DELETE CASCADE,
        account_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
        role text NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'moderator')),
        state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'removed')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (forum_id, account_id)
      )`);
    await q.query(`CREATE INDEX forum_membership_account_idx ON forum_membership (account_id)`);

    await q.query(`
      CREATE TABLE question (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        forum_id integer NOT NULL REFERENCES forum (id) ON DELETE CASCADE,
        position integer NOT NULL CHECK (position >= 0),
        title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 300),
        body_source text NOT NULL DEFAULT '',
        body_html text NOT NULL DEFAULT '',
        author_id uuid REFERENCES account (id) ON DELETE SET NULL,
        pinned boolean NOT NULL DEFAULT false,
        locked boolean NOT NULL DEFAULT false,
        closed boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT question_position_key UNIQUE (forum_id, position) DEFERRABLE INITIALLY DEFERRED
      )`);

    // Replies form a tree stored as a materialised path: each reply's path is
    // its parent's path plus its own id, fixed-width base 36, compared bytewise
    // (COLLATE "C"). Ordering by path gives tree order (children after their
    // parent, siblings oldest first), and a page is one index range scan.
    await q.query(`
      CREATE TABLE reply (
        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        question_id integer NOT NULL REFERENCES question (id) ON DELETE CASCADE,
        forum_id integer NOT NULL REFERENCES forum (id) ON DELETE CASCADE,
        parent_id bigint REFERENCES reply (id) ON DELETE CASCADE,
        path text COLLATE "C" NOT NULL CHECK (length(path) % 8 = 0 AND length(path) = depth * 8),
        depth smallint NOT NULL CHECK (depth BETWEEN 1 AND 200),
        author_id uuid NOT NULL REFERENCES account (id),
        body_source text NOT NULL,
        body_html text NOT NULL,
        state text NOT NULL DEFAULT 'visible' CHECK (state IN ('visible', 'pending', 'hidden', 'deleted')),
        vote_count integer NOT NULL DEFAULT 0 CHECK (vote_count >= 0),
        child_count integer NOT NULL DEFAULT 0 CHECK (child_count >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        edited_at timestamptz,
        deleted_at timestamptz,
        CHECK ((parent_id IS NULL) = (depth = 1)),
        CHECK ((state = 'deleted') = (deleted_at IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX reply_tree_idx ON reply (question_id, path)`);
    await q.query(`CREATE INDEX reply_top_idx ON reply (question_id, vote_count DESC, id) WHERE depth = 1`);
    await q.query(`CREATE INDEX reply_author_idx ON reply (author_id, question_id)`);
    await q.query(`CREATE INDEX reply_parent_idx ON reply (parent_id)`);
    await q.query(`
      CREATE TABLE reply_revision (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        reply_id bigint NOT NULL REFERENCES reply (id) ON DELETE CASCADE,
        body_source text NOT NULL,
        edited_by uuid REFERENCES account (id) ON DELETE SET NULL,
        replaced_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX reply_revision_reply_idx ON reply_revision (reply_id, id)`);
    await q.query(`
      CREATE TABLE reply_vote (
        reply_id bigint NOT NULL REFERENCES reply (id) ON DELETE CASCADE,
        account_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (reply_id, account_id)
      )`);
    // Reply counts are spread over 16 rows per question so that writers in a
    // hot thread don't all queue on one counter row; readers sum the shards.
    await q.query(`
      CREATE TABLE thread_counter (
        question_id integer NOT NULL REFERENCES question (id) ON DELETE CASCADE,
        shard smallint NOT NULL CHECK (shard BETWEEN 0 AND 15),
        forum_id integer NOT NULL REFERENCES forum (id) ON DELETE CASCADE,
        reply_count integer NOT NULL DEFAULT 0,
        PRIMARY KEY (question_id, shard)
      )`);
    await q.query(`CREATE INDEX thread_counter_forum_idx ON thread_counter (forum_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'thread_counter', 'reply_vote', 'reply_revision', 'reply', 'question',
      'forum_membership', 'forum', 'session_document', 'session_date', 'session', 'account',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
