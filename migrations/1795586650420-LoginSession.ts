import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Server-side sign-ins (browser cookie sessions and API tokens) and the
 * record of failed sign-in attempts that rate limiting reads.
 */
export class LoginSession1795586650420 implements MigrationInterface {
  name = 'LoginSession1795586650420';

  async up(q: QueryRunner): Promise<void> {
    // The id is the SHA-256 (hex) of the secret the client holds, so a leaked
    // table or log line can't be replayed as a sign-in.
    await q.query(`
      CREATE TABLE login_session (
        id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
        account_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('cookie', 'token')),
        label text CHECK (length(label) <= 100),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        user_agent text CHECK (length(user_agent) <= 500),
        ip text CHECK (length(ip) <= 100)
      )`);
    await q.query(`CREATE INDEX login_session_account_idx ON login_session (account_id)`);
    await q.query(`CREATE INDEX login_session_expires_idx ON login_session (expires_at)`);

    // One row per failed (or in-flight) sign-in attempt; rows older than the
    // window are irrelevant and pruned opportunistically.
    await q.query(`
      CREATE TABLE sign_in_attempt (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        email_key text NOT NULL CHECK (length(email_key) <= 320),
        address text NOT NULL CHECK (length(address) <= 100),
        attempted_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX sign_in_attempt_email_idx ON sign_in_attempt (email_key, attempted_at)`);
    await q.query(`CREATE INDEX sign_in_attempt_address_idx ON sign_in_attempt (address, attempted_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sign_in_attempt`);
    await q.query(`DROP TABLE login_session`);
  }
}
