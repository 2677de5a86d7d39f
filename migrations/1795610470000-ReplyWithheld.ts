import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A reply deleted while it was pending or rejected was never shown to
 * readers: `withheld` keeps it out of their view (and out of its parent's
 * childCount) once deleted, as it was before; only its author and the
 * moderators still see its placeholder.
 */
export class ReplyWithheld1795610470000 implements MigrationInterface {
  name = 'ReplyWithheld1795610470000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE reply
        ADD COLUMN withheld boolean NOT NULL DEFAULT false,
        ADD CONSTRAINT reply_withheld_check CHECK (state = 'deleted' OR NOT withheld)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reply DROP CONSTRAINT reply_withheld_check, DROP COLUMN withheld`);
  }
}
