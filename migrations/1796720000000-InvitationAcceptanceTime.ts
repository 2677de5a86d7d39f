import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Acceptances by time: the notifier's catch-up reads the last week's
 * invitation acceptances (those whose inviter was not told, e.g. a crash
 * right after the accept committed) every few seconds.
 */
export class InvitationAcceptanceTime1796720000000 implements MigrationInterface {
  name = 'InvitationAcceptanceTime1796720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX invitation_acceptance_time_idx ON invitation_acceptance (accepted_at, invitation_id, account_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX invitation_acceptance_time_idx`);
  }
}
