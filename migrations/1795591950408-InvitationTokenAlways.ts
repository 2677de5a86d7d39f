import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every invitation carries a token: an email invitation becomes a single-use
 * link addressed to that email (emails are not verified, so the address alone
 * must never admit anyone). Pending email invitations from before have no
 * token and can't be delivered: they are revoked (moderators invite again) and
 * given an unguessable hash nobody holds.
 */
export class InvitationTokenAlways1795591950408 implements MigrationInterface {
  name = 'InvitationTokenAlways1795591950408';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE invitation SET revoked_at = COALESCE(revoked_at, now()),
        token_hash = encode(sha256(convert_to('legacy-email-invitation:' || id || ':' || gen_random_uuid(), 'UTF8')), 'hex')
      WHERE token_hash IS NULL`);
    await q.query(`ALTER TABLE invitation DROP CONSTRAINT invitation_kind_check`);
    await q.query(`ALTER TABLE invitation ALTER COLUMN token_hash SET NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE invitation ALTER COLUMN token_hash DROP NOT NULL`);
    await q.query(`UPDATE invitation SET token_hash = NULL WHERE email IS NOT NULL`);
    await q.query(`ALTER TABLE invitation ADD CONSTRAINT invitation_kind_check CHECK ((email IS NULL) <> (token_hash IS NULL))`);
  }
}
