import { Module } from '@nestjs/common';
import { LiveQaModule } from '../live-qa/live-qa.module.js';
import { SessionsController } from './sessions.controller.js';
import { SessionsService } from './sessions.service.js';
import { ForumsModule } from '../forums/forums.module.js';

/** The session catalogue; ending a session hands its live Q&A over (LiveQaModule). */
@Module({
  imports: [ForumsModule, LiveQaModule],
  controllers: [SessionsController],
  providers: [SessionsService],
  exports: [SessionsService],
})
export class SessionsModule {}
