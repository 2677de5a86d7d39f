import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { DiscussionsModule } from '../discussions/discussions.module.js';
import { HealthModule } from '../health/health.module.js';
import { ModerationModule } from '../moderation/moderation.module.js';
import { LiveQaModule } from '../live-qa/live-qa.module.js';
import { EventsModule } from '../events/events.module.js';
import { ForumsModule } from '../forums/forums.module.js';
import { ForumFanout } from './forum-fanout.service.js';
import { PresenceService } from './presence.service.js';
import { RealtimeGateway } from './realtime.gateway.js';
import { RealtimeService } from './realtime.service.js';
import { RedisModule } from './redis.js';

/**
 * The socket layer's delivery: forum fan-out, presence, and what features'
 * domain events mean for sockets (RealtimeService). It listens to the event
 * core; no feature calls it.
 */
@Module({
  imports: [EventsModule, RedisModule],
  providers: [ForumFanout, PresenceService, RealtimeService],
  exports: [ForumFanout, PresenceService, RealtimeService],
})
export class RealtimeModule {}

/** The Socket.IO gateway (it uses auth's sessions, the discussions services and the live Q&A's socket handlers). */
@Module({
  imports: [EventsModule, RealtimeModule, RedisModule, AuthModule, ForumsModule, DiscussionsModule, LiveQaModule, ModerationModule, HealthModule],
  providers: [RealtimeGateway],
})
export class RealtimeGatewayModule {}
