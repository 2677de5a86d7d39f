import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events the notifier gave up on (src/notifications): handling one failed
 * NOTIFIER_ATTEMPTS times (with growing waits), so it is recorded here with
 * the last error and the notifier moves past it; later events of its stream
 * are not held up behind it.
 */
export class NotificationDeadLetter1796720000001 implements MigrationInterface {
  name = 'NotificationDeadLetter1796720000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification_dead_letter (
        stream text NOT NULL CHECK (stream IN ('forum', 'qa')),
        stream_id integer NOT NULL,
        seq bigint NOT NULL,
        event_type text NOT NULL,
        error text NOT NULL,
        attempts integer NOT NULL CHECK (attempts > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (stream, stream_id, seq)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notification_dead_letter`);
  }
}
