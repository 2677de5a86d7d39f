import type { MigrationInterface, QueryRunner } from 'typeorm';

const BEFORE = `'reply_to_reply', 'reply_to_question', 'mention', 'watched_reply', 'watched_question',
  'reply_featured', 'reply_hidden', 'reply_approved', 'flag_resolved', 'invitation_accepted', 'live_question_handed_over'`;

/** Moderators hear of new items in their queue (`moderation_queue`, one unread per forum per burst). */
export class ModerationQueueNotification1796300000005 implements MigrationInterface {
  name = 'ModerationQueueNotification1796300000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification DROP CONSTRAINT notification_kind_check`);
    await q.query(`ALTER TABLE notification ADD CONSTRAINT notification_kind_check CHECK (kind IN (${BEFORE}, 'moderation_queue'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM notification WHERE kind = 'moderation_queue'`);
    await q.query(`ALTER TABLE notification DROP CONSTRAINT notification_kind_check`);
    await q.query(`ALTER TABLE notification ADD CONSTRAINT notification_kind_check CHECK (kind IN (${BEFORE}))`);
  }
}
