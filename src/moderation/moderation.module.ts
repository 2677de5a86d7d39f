import { Module } from '@nestjs/common';
import { LimitsModule } from '../limits/action-limits.js';
import { DiscussionsModule } from '../discussions/discussions.module.js';
import { FlagsController } from './flags.controller.js';
import { FlagsService } from './flags.service.js';
import { ForumRulesService } from './forum-rules.service.js';
import { ModerationCoreModule } from './moderation-core.module.js';
import { ModerationRecordService } from './moderation-record.service.js';
import { ModerationController } from './moderation.controller.js';
import { ModerationCommands } from './moderation-commands.js';
import { ModerationService } from './moderation.service.js';
import { QuestionActsService } from './question-acts.service.js';
import { ReplyActsService } from './reply-acts.service.js';
import { EventsModule } from '../events/events.module.js';
import { ForumsModule } from '../forums/forums.module.js';

/** Moderation and curation (issue 7): acts on replies, questions and members, flags and the queue, the record. */
@Module({
  imports: [ForumsModule, EventsModule, ModerationCoreModule, DiscussionsModule, LimitsModule],
  controllers: [ModerationController, FlagsController],
  providers: [ModerationService, ModerationCommands, ReplyActsService, QuestionActsService, ForumRulesService, FlagsService, ModerationRecordService],
  exports: [ModerationCommands],
})
export class ModerationModule {}
