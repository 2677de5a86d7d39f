import { Module } from '@nestjs/common';
import { LimitsModule } from '../limits/action-limits.js';
import { ModerationCoreModule } from '../moderation/moderation-core.module.js';
import { DiscussionEvents } from './discussion-events.js';
import { MarkdownService } from './markdown.service.js';
import { QuestionsController } from './questions.controller.js';
import { QuestionsService } from './questions.service.js';
import { RepliesController } from './replies.controller.js';
import { RepliesService } from './replies.service.js';
import { ReplyCommands } from './reply-commands.js';
import { ThreadsService } from './threads.service.js';
import { EventsModule } from '../events/events.module.js';
import { ForumsModule } from '../forums/forums.module.js';

/** Questions and threaded replies, votes and edit history. DiscussionEvents is how the realtime layer hears of writes. */
@Module({
  imports: [ForumsModule, EventsModule, ModerationCoreModule, LimitsModule],
  controllers: [QuestionsController, RepliesController],
  providers: [MarkdownService, QuestionsService, ThreadsService, RepliesService, ReplyCommands, DiscussionEvents],
  exports: [QuestionsService, ThreadsService, RepliesService, ReplyCommands, DiscussionEvents, MarkdownService],
})
export class DiscussionsModule {}
