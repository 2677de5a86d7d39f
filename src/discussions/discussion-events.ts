import { Injectable } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import type { EntityManager } from 'typeorm';
import type { EventAudience } from '../events/forum-event.js';
import { ForumEventsService } from '../events/forum-events.service.js';
import type { ForumEventPayloads, ForumEventType } from '../protocol/forum-event-types.js';

/**
 * What changed in a discussion. Payloads are viewer-neutral (no viewerVoted,
 * viewerReplied or markdown source) and each event names its forum and
 * thread, so the realtime layer can route it to that forum's readers only.
 * The shape maps one to one onto the realtime event log:
 * `record(event.forumId, event.type, event.payload, { questionId: event.questionId })`.
 */
export type DiscussionEvent = (
  | DiscussionEventOf<'question.created' | 'question.updated', number>
  | DiscussionEventOf<'reply.created' | 'reply.edited' | 'reply.deleted' | 'reply.voted', number>
  | DiscussionEventOf<'questions.reordered', null>
  // Moderators' side of a write that is also a moderation act (see src/moderation).
  | DiscussionEventOf<'moderation.action' | 'moderation.queue', number | null>
) & {
  /** Who may hear of it (default: the forum's readers), e.g. a pending reply: its author and the moderators. */
  audience?: EventAudience;
};

/** One event per type, its payload as the protocol says (src/protocol/forum-event-types.ts). */
type DiscussionEventOf<T extends ForumEventType, Q extends number | null> = {
  [K in T]: { type: K; forumId: number; questionId: Q; payload: ForumEventPayloads[K] };
}[T];

/** Queues an event of the current write (kept only if the transaction commits). */
export type RecordDiscussionEvent = (event: DiscussionEvent) => void;

/**
 * The one way discussion writes run, and the hand-off to the realtime layer.
 * `write(work)` runs `work` in one transaction, giving it `record` for the
 * events the write causes; once the transaction has committed, the events
 * go out on `events$` (never before, so nobody hears of a write that rolled
 * back), and the write's stored result is returned to the caller.
 *
 * To log events in the write's own transaction (replay, exactly-once
 * delivery), this is the single place to change: run `work` inside the
 * event log's transaction and append the recorded events before commit.
 */
@Injectable()
export class DiscussionEvents {
  private readonly subject = new Subject<DiscussionEvent>();
  readonly events$: Observable<DiscussionEvent> = this.subject.asObservable();

  constructor(private readonly forumEvents: ForumEventsService) {}

  async write<T>(work: (manager: EntityManager, record: RecordDiscussionEvent) => Promise<T>): Promise<T> {
    let events: DiscussionEvent[] = [];
    // The realtime event log: each recorded event is stored in this transaction (its forum's next
    // sequence number, as the last statement) and published to the forum's sockets after commit.
    const result = await this.forumEvents.runAndPublish((m, recordInLog) => {
      events = []; // run again after a deadlock: only the last run's events happened
      return work(m, (event) => {
        events.push(event);
        recordInLog(event.forumId, event.type, event.payload, { questionId: event.questionId, audience: event.audience });
      });
    });
    for (const event of events) this.subject.next(event);
    return result;
  }
}
