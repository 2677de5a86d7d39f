import { Injectable } from '@nestjs/common';
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
type DiscussionEvent = (
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
 * events the write causes; each is stored in the realtime event log in that
 * transaction and published to the forum's sockets once it has committed
 * (never before, so nobody hears of a write that rolled back). Returns what
 * `work` returned.
 */
@Injectable()
export class DiscussionEvents {
  constructor(private readonly forumEvents: ForumEventsService) {}

  write<T>(work: (manager: EntityManager, record: RecordDiscussionEvent) => Promise<T>): Promise<T> {
    return this.forumEvents.runAndPublish((m, recordInLog) =>
      work(m, (event) => recordInLog(event.forumId, event.type, event.payload, { questionId: event.questionId, audience: event.audience })),
    );
  }
}
