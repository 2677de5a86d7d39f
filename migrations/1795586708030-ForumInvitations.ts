import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invitations to a forum (by email, or as a link carrying a secret token),
 * who accepted which invitation, and the moderators of a whole session (its
 * organisers), who moderate every forum of that session.
 */
export class ForumInvitations1795586708030 implements MigrationInterface {
  name = 'ForumInvitations1795586708030';

  async up(q: QueryRunner): Promise<void> {
    // An invitation is either for one email address (accepted by the account
    // with that email, once) or a link whose token only the creator saw: the
    // table keeps the token's SHA-256 (hex), never the token.
    await q.query(`
      CREATE TABLE invitation (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        forum_id integer NOT NULL REFERENCES forum (id) ON DELETE CASCADE,
        created_by uuid REFERENCES account (id) ON DELETE SET NULL,
        email text CHECK (email IS NULL OR (length(email) BETWEEN 3 AND 254 AND position('@' in email) > 1)),
        token_hash text UNIQUE CHECK (token_hash IS NULL OR token_hash ~ '^[0-9a-f]{64}$'),
        expires_at timestamptz NOT NULL,
        max_uses integer NOT NULL CHECK (max_uses BETWEEN 1 AND 10000),
        use_count integer NOT NULL DEFAULT 0,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT invitation_kind_check CHECK ((email IS NULL) <> (token_hash IS NULL)),
        CONSTRAINT invitation_email_single_use_check CHECK (email IS NULL OR max_uses = 1),
        CONSTRAINT invitation_use_count_check CHECK (use_count BETWEEN 0 AND max_uses),
        CONSTRAINT invitation_expiry_check CHECK (expires_at > created_at)
      )`);
    await q.query(`CREATE INDEX invitation_forum_idx ON invitation (forum_id, id)`);
    await q.query(`CREATE INDEX invitation_email_idx ON invitation (lower(email)) WHERE email IS NOT NULL`);

    // One row per person per invitation: a second accept by the same person
    // never consumes a second use, and moderators see who came in by which link.
    await q.query(`
      CREATE TABLE invitation_acceptance (
        invitation_id integer NOT NULL REFERENCES invitation (id) ON DELETE CASCADE,
        account_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
        accepted_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (invitation_id, account_id)
      )`);
    await q.query(`CREATE INDEX invitation_acceptance_account_idx ON invitation_acceptance (account_id)`);

    // The organisers of a session: moderators of each of its forums, present
    // and future (their forum_membership rows are kept in step by the app).
    await q.query(`
      CREATE TABLE session_moderator (
        session_id integer NOT NULL REFERENCES session (id) ON DELETE CASCADE,
        account_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (session_id, account_id)
      )`);
    await q.query(`CREATE INDEX session_moderator_account_idx ON session_moderator (account_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE session_moderator`);
    await q.query(`DROP TABLE invitation_acceptance`);
    await q.query(`DROP TABLE invitation`);
  }
}
