import { Module, type OnModuleDestroy } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { MailController } from './mail.controller.js';
import { MailPreferencesService } from './mail-preferences.service.js';
import { MailTransport } from './mail-transport.service.js';
import { NotificationMail } from './notification-mail.service.js';
import { OutboxService } from './outbox.service.js';

/** Mail: notification mails and digests on the job queue, preferences, one-click unsubscribe, the local outbox. */
@Module({
  imports: [NotificationsModule],
  controllers: [MailController],
  providers: [MailTransport, MailPreferencesService, NotificationMail, OutboxService],
  exports: [MailTransport, MailPreferencesService],
})
export class MailModule implements OnModuleDestroy {
  constructor(private readonly transport: MailTransport) {}

  onModuleDestroy(): void {
    this.transport.close();
  }
}
