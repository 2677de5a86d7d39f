import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The API's limits on markdown bodies, also in the database: a reply's text
 * is not blank and at most 20,000 characters; a question's body at most
 * 20,000 (it may be empty). Same numbers as src/discussions/dto/input-rules.ts.
 */
export class DiscussionBodyLimits1795587027131 implements MigrationInterface {
  name = 'DiscussionBodyLimits1795587027131';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reply ADD CONSTRAINT reply_body_source_length_check
      CHECK (length(btrim(body_source)) >= 1 AND length(body_source) <= 20000)`);
    await q.query(`ALTER TABLE question ADD CONSTRAINT question_body_source_length_check
      CHECK (length(body_source) <= 20000)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE question DROP CONSTRAINT question_body_source_length_check`);
    await q.query(`ALTER TABLE reply DROP CONSTRAINT reply_body_source_length_check`);
  }
}
