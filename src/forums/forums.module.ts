import { Module } from '@nestjs/common';
import { MailTransportModule } from '../mail/mail-transport.module.js';
import { ForumAccessService } from './forum-access.service.js';
import { ForumsController } from './forums.controller.js';
import { ForumsService } from './forums.service.js';
import { InvitationsController } from './invitations.controller.js';
import { InvitationsService } from './invitations.service.js';
import { MembershipsController } from './memberships.controller.js';
import { MembershipsService } from './memberships.service.js';
import { SessionModeratorsController } from './session-moderators.controller.js';
import { SessionModeratorsService } from './session-moderators.service.js';
import { EventsModule } from '../events/events.module.js';

@Module({
  imports: [EventsModule, MailTransportModule],
  controllers: [ForumsController, MembershipsController, InvitationsController, SessionModeratorsController],
  providers: [ForumAccessService, ForumsService, MembershipsService, InvitationsService, SessionModeratorsService],
  exports: [ForumAccessService, ForumsService, MembershipsService],
})
export class ForumsModule {}
