import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { affectedBy, db } from '../database/typed-sql.js';
import { EventLog } from './event-log.js';
import type { ForumEventType, StreamEventDraft } from './forum-event.js';

/**
 * The forum event log (tables forum_event and forum_event_seq): the shared
 * EventLog keyed by forum id, plus the redaction of deleted replies.
 */
@Injectable()
export class ForumEventLog extends EventLog<ForumEventType> {
  constructor(dataSource: DataSource, config: AppConfig) {
    super(dataSource, config, { events: 'forum_event', seq: 'forum_event_seq', key: 'forum_id' });
  }

  /** The log keeps no text of a deleted reply: a later replay must not hand it out again. */
  protected override async beforeAppend(manager: EntityManager, forumId: number, drafts: StreamEventDraft<ForumEventType>[]): Promise<void> {
    for (const d of drafts) {
      const replyId = (d.payload as { reply?: { id?: unknown } }).reply?.id;
      if (d.type === 'reply.deleted' && typeof replyId === 'string') await this.redactReply(manager, forumId, replyId);
    }
  }

  /**
   * Removes a reply's text from the events that carried it (after the reply
   * is deleted or hidden), so a later replay doesn't hand it out again.
   * Call inside the transaction that deletes or hides the reply.
   */
  async redactReply(manager: EntityManager, forumId: number, replyId: string): Promise<void> {
    await affectedBy(
      manager,
      db
        .updateTable('forum_event')
        .set({ payload: sql`jsonb_set(jsonb_set(payload, '{reply,bodyHtml}', 'null'), '{reply,bodySource}', 'null')` })
        .where('forum_id', '=', forumId)
        .where(sql<boolean>`payload ? 'reply'`)
        .where(sql<string>`(payload #>> '{reply,id}')`, '=', replyId),
    );
  }
}
