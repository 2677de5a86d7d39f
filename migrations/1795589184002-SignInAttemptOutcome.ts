import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tells an in-flight sign-in attempt from a failed one: `failed_at` is null
 * while the password is being checked and set when the check fails (a
 * success deletes the row). The per-account limit still counts in-flight
 * attempts (a parallel burst of guesses at one account stays stopped); the
 * per-address limit counts only settled failures, so a webinar audience
 * behind one NAT can sign in at the same moment.
 */
export class SignInAttemptOutcome1795589184002 implements MigrationInterface {
  name = 'SignInAttemptOutcome1795589184002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sign_in_attempt ADD COLUMN failed_at timestamptz`);
    // Rows written before this migration were failures (or in flight, which the old code counted as such).
    await q.query(`UPDATE sign_in_attempt SET failed_at = attempted_at`);
    // The address limit only reads failures.
    await q.query(`DROP INDEX sign_in_attempt_address_idx`);
    await q.query(`CREATE INDEX sign_in_attempt_address_failed_idx ON sign_in_attempt (address, attempted_at) WHERE failed_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX sign_in_attempt_address_failed_idx`);
    await q.query(`CREATE INDEX sign_in_attempt_address_idx ON sign_in_attempt (address, attempted_at)`);
    // The old code treats every row as a failure, in-flight ones included: that is what it did before.
    await q.query(`ALTER TABLE sign_in_attempt DROP COLUMN failed_at`);
  }
}
