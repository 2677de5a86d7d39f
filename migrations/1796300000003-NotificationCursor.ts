import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The notifier's place in each event log (src/notifications): the last
 * forum or live Q&A event turned into notifications, per stream. Events
 * after it are (re)processed from the durable log, so a crash between a
 * write's commit and its notifications loses none. Existing streams start
 * at their current position (history is not notified again).
 */
export class NotificationCursor1796300000003 implements MigrationInterface {
  name = 'NotificationCursor1796300000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification_cursor (
        stream text NOT NULL CHECK (stream IN ('forum', 'qa')),
        stream_id integer NOT NULL,
        last_seq bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (stream, stream_id)
      )`);
    await q.query(`INSERT INTO notification_cursor (stream, stream_id, last_seq) SELECT 'forum', forum_id, last_seq FROM forum_event_seq`);
    await q.query(`INSERT INTO notification_cursor (stream, stream_id, last_seq) SELECT 'qa', session_id, last_seq FROM qa_event_seq`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notification_cursor`);
  }
}
