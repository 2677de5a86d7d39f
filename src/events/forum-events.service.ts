import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { transactionRetryingDeadlocks } from '../database/transaction.js';
import { schedulePruning } from './event-log.js';
import { ForumEventLog } from './forum-event-log.js';
import type { ForumEventPayloads } from '../protocol/forum-event-types.js';
import type { EventAudience, ForumEvent, ForumEventType } from './forum-event.js';
import { DomainEvents } from './domain-events.js';

export interface RecordOptions {
  /** The thread the event belongs to (null or absent: forum-wide). */
  questionId?: number | null;
  /** Who may see it; default: everyone who can read the forum. */
  audience?: EventAudience;
}

/** Queues an event of the current write, its payload typed by its type (src/protocol); stored as the transaction's last statement. */
export type RecordEvent = <K extends ForumEventType>(forumId: number, type: K, payload: ForumEventPayloads[K], options?: RecordOptions) => void;

/**
 * How writes tell the forum's followers what changed. Every change is
 * recorded in the write's own transaction (so an event exists exactly when
 * the change does) and published after commit (so nobody hears of a change
 * that was rolled back).
 *
 * ```ts
 * return this.events.runAndPublish(async (m, record) => {
 *   const reply = await insertReply(m, ...);
 *   record(forumId, 'reply.created', { reply: view }, { questionId });
 *   return view;
 * });
 * ```
 */
@Injectable()
export class ForumEventsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ForumEvents');
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly log: ForumEventLog,
    private readonly domainEvents: DomainEvents,
  ) {}

  /**
   * Runs `work` in a transaction; the events it records are appended as the
   * transaction's last statement and published once it has committed.
   * Returns what `work` returned. Nothing is published if it throws. `work`
   * may run again (after a deadlock), so it only writes through `manager`.
   */
  async runAndPublish<T>(work: (manager: EntityManager, record: RecordEvent) => Promise<T>): Promise<T> {
    const { result, events } = await transactionRetryingDeadlocks(this.dataSource, this.logger, (m) => this.log.recording(m, (record) => work(m, record)));
    this.publish(events);
    return result;
  }

  /**
   * Records one event right away inside the caller's transaction and returns
   * it with its sequence number. It takes the forum's sequence lock until
   * commit, so call it last; then `publish([event])` after the commit.
   */
  async record<K extends ForumEventType>(manager: EntityManager, forumId: number, type: K, payload: ForumEventPayloads[K], options: RecordOptions = {}): Promise<ForumEvent> {
    const [event] = await this.log.append(manager, [{ streamId: forumId, type, payload, questionId: options.questionId ?? null, audience: options.audience }]);
    return event;
  }

  /** Sends committed events to the sockets following their forums, on every instance. Call after commit only. */
  publish(events: ForumEvent[]): void {
    if (!events.length) return;
    // The gateway's fan-out and the notifier both listen: the core knows neither.
    this.domainEvents.emit('forum.events', events);
  }

  /** Removes a deleted or hidden reply's text from earlier events (inside the write's transaction). */
  redactReply(manager: EntityManager, forumId: number, replyId: string): Promise<void> {
    return this.log.redactReply(manager, forumId, replyId);
  }

  onApplicationBootstrap(): void {
    this.timers.push(...schedulePruning(this.log, this.logger, 'forum', 30_000));
  }

  onModuleDestroy(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }
}
