import { Module } from '@nestjs/common';
import { DomainEvents } from './domain-events.js';
import { ForumEventLog } from './forum-event-log.js';
import { ForumEventsService } from './forum-events.service.js';

/**
 * The event core: the forum event log, the write helper that records and
 * publishes, and the domain events that carry committed changes to whoever
 * listens (the socket gateway, notifications, mail). It imports no feature;
 * features import it.
 */
@Module({
  providers: [DomainEvents, ForumEventLog, ForumEventsService],
  exports: [DomainEvents, ForumEventLog, ForumEventsService],
})
export class EventsModule {}
