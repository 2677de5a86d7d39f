import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { DiscussionsModule } from '../discussions/discussions.module.js';
import { HealthModule } from '../health/health.module.js';
import { LimitsModule } from '../limits/action-limits.js';
import { ModerationModule } from '../moderation/moderation.module.js';
import { LiveQaModule } from '../live-qa/live-qa.module.js';
import { DomainEvents } from './domain-events.js';
import { ForumEventLog } from './forum-event-log.js';
import { ForumEventsService } from './forum-events.service.js';
import { ForumFanout } from './forum-fanout.service.js';
import { PresenceService } from './presence.service.js';
import { RealtimeGateway } from './realtime.gateway.js';
import { RealtimeService } from './realtime.service.js';
import { redisProvider, RedisShutdown, REDIS } from './redis.js';

/**
 * The forum event log and its delivery, for every feature: writes record
 * events with ForumEventsService; auth and forums tell RealtimeService when
 * a sign-in ends or a member is removed. Global, and free of dependencies
 * on those features, so they can inject it without an import cycle.
 */
@Global()
@Module({
  providers: [redisProvider, RedisShutdown, DomainEvents, ForumEventLog, ForumEventsService, ForumFanout, PresenceService, RealtimeService],
  exports: [REDIS, DomainEvents, ForumEventLog, ForumEventsService, ForumFanout, PresenceService, RealtimeService],
})
export class RealtimeModule {}

/** The Socket.IO gateway (it uses auth's sessions, the discussions services and the live Q&A's socket handlers). */
@Module({
  imports: [AuthModule, DiscussionsModule, LiveQaModule, ModerationModule, HealthModule, LimitsModule],
  providers: [RealtimeGateway],
})
export class RealtimeGatewayModule {}
