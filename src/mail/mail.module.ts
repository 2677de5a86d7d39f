import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { MailController } from './mail.controller.js';
import { MailPreferencesService } from './mail-preferences.service.js';
import { MailTransportModule } from './mail-transport.module.js';
import { NotificationMail } from './notification-mail.service.js';
import { OutboxService } from './outbox.service.js';
import { EventsModule } from '../events/events.module.js';
import { ForumsModule } from '../forums/forums.module.js';

/** Mail: notification mails and digests on the job queue, preferences, one-click unsubscribe, the local outbox. */
@Module({
  imports: [ForumsModule, EventsModule, NotificationsModule, MailTransportModule],
  controllers: [MailController],
  providers: [MailPreferencesService, NotificationMail, OutboxService],
  exports: [MailPreferencesService],
})
export class MailModule {}
