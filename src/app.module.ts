import { Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { DemoModule } from './database/demo/demo.module.js';
import { DiscussionsModule } from './discussions/discussions.module.js';
import { ForumsModule } from './forums/forums.module.js';
import { HealthModule } from './health/health.module.js';
import { LiveQaModule } from './live-qa/live-qa.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { MailModule } from './mail/mail.module.js';
import { ModerationModule } from './moderation/moderation.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { RealtimeGatewayModule, RealtimeModule } from './realtime/realtime.module.js';
import { PeopleModule } from './people/people.module.js';
import { SearchModule } from './search/search.module.js';
import { SessionsModule } from './sessions/sessions.module.js';

@Module({
  imports: [ConfigModule, LoggingModule, DatabaseModule, HealthModule, AuthModule, SessionsModule, ForumsModule, DiscussionsModule, ModerationModule, LiveQaModule, NotificationsModule, MailModule, SearchModule, PeopleModule, RealtimeModule, RealtimeGatewayModule, MetricsModule, DemoModule],
})
export class AppModule {}
