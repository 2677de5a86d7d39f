import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ACTS as OLD_ACTS } from './1795600731904-Moderation.js';

/** src/moderation/moderation-acts.ts MODERATION_ACTS lists the same. */
const ACTS = [...OLD_ACTS, 'question.approve', 'question.reject'];
const actCheck = (acts: string[]) => `CHECK (act IN (${acts.map((a) => `'${a}'`).join(', ')}))`;

/**
 * Members propose questions (issue 18): a forum setting (on by default), and a
 * question state: a proposal waits for a moderator, who publishes or rejects
 * it (with a reason). Existing questions are published.
 */
export class MemberQuestions1796600000000 implements MigrationInterface {
  name = 'MemberQuestions1796600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE forum ADD COLUMN member_questions boolean NOT NULL DEFAULT true`);
    await q.query(`
      ALTER TABLE question
        ADD COLUMN state text NOT NULL DEFAULT 'published' CHECK (state IN ('published', 'proposed', 'rejected')),
        ADD COLUMN state_reason text CHECK (length(state_reason) BETWEEN 1 AND 500),
        ADD CONSTRAINT question_rejected_reason_check CHECK (state <> 'rejected' OR state_reason IS NOT NULL)`);
    await q.query(`CREATE INDEX question_proposed_idx ON question (forum_id, created_at, id) WHERE state = 'proposed'`);
    await q.query(`ALTER TABLE moderation_action DROP CONSTRAINT moderation_action_act_check`);
    await q.query(`ALTER TABLE moderation_action ADD CONSTRAINT moderation_action_act_check ${actCheck(ACTS)}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM moderation_action WHERE act IN ('question.approve', 'question.reject')`);
    await q.query(`ALTER TABLE moderation_action DROP CONSTRAINT moderation_action_act_check`);
    await q.query(`ALTER TABLE moderation_action ADD CONSTRAINT moderation_action_act_check ${actCheck(OLD_ACTS)}`);
    await q.query(`DELETE FROM question WHERE state <> 'published'`);
    await q.query(`DROP INDEX question_proposed_idx`);
    await q.query(`ALTER TABLE question DROP CONSTRAINT question_rejected_reason_check, DROP COLUMN state_reason, DROP COLUMN state`);
    await q.query(`ALTER TABLE forum DROP COLUMN member_questions`);
  }
}
