import { Module } from '@nestjs/common';
import { FollowingService } from './following.service.js';
import { NotificationTriggers } from './notification-triggers.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsService } from './notifications.service.js';
import { ParticipantsService } from './participants.service.js';
import { ReadPositionsService } from './read-positions.service.js';
import { EventsModule } from '../events/events.module.js';
import { ForumsModule } from '../forums/forums.module.js';

/** Following, notifications and read positions; it hears of other features' writes through DomainEvents only. */
@Module({
  imports: [ForumsModule, EventsModule],
  controllers: [NotificationsController],
  providers: [NotificationsService, NotificationTriggers, FollowingService, ReadPositionsService, ParticipantsService],
  exports: [NotificationsService, FollowingService],
})
export class NotificationsModule {}
