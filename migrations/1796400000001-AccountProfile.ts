import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A member's profile (issue 15): a short bio, the languages they speak, and
 * an avatar kept as the small square WebP it was re-encoded to (tens of KB,
 * read with the account, so no file store to run). No avatar: initials.
 */
export class AccountProfile1796400000001 implements MigrationInterface {
  name = 'AccountProfile1796400000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE account
        ADD COLUMN bio text NOT NULL DEFAULT '' CHECK (length(bio) <= 500),
        ADD COLUMN spoken_languages text[] NOT NULL DEFAULT '{}' CHECK (spoken_languages <@ ARRAY['en', 'es', 'fr']::text[]),
        ADD COLUMN avatar bytea CHECK (octet_length(avatar) <= 65536),
        ADD COLUMN avatar_updated_at timestamptz,
        ADD CONSTRAINT account_avatar_time_check CHECK ((avatar IS NULL) = (avatar_updated_at IS NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE account DROP CONSTRAINT account_avatar_time_check,
        DROP COLUMN avatar_updated_at, DROP COLUMN avatar, DROP COLUMN spoken_languages, DROP COLUMN bio`);
  }
}
