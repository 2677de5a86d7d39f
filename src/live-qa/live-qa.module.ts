import { Module } from '@nestjs/common';
import { LimitsModule } from '../limits/action-limits.js';
import { AuthModule } from '../auth/auth.module.js';
import { DiscussionsModule } from '../discussions/discussions.module.js';
import { JoinCodeController, LiveQaController, LiveQuestionsController } from './live-qa.controller.js';
import { LiveQaService } from './live-qa.service.js';
import { LiveQuestionsService } from './live-questions.service.js';
import { QaExportService } from './qa-export.service.js';
import { QaCommands } from './qa-commands.js';
import { QaSocketHandlers } from './qa-socket.handlers.js';
import { QaEventLog, QaEvents, QaFanout } from './qa-stream.js';
import { QaVoteBroadcaster } from './qa-votes.js';
import { PollResultsBroadcaster } from './polls/poll-results.js';
import { PollsController, SessionPollsController } from './polls/polls.controller.js';
import { PollsService } from './polls/polls.service.js';
import { EventsModule } from '../events/events.module.js';
import { RedisModule } from '../realtime/redis.js';

/**
 * Live Q&A during a session: attendees (accounts, or guests with a name)
 * ask and vote and answer live polls (polls/), moderators curate and highlight, and when the session ends
 * the open questions carry on in its forum. Its own event stream per
 * session (qa-stream.ts); the gateway routes `qa.*` socket messages to
 * QaSocketHandlers.
 */
@Module({
  imports: [EventsModule, RedisModule, AuthModule, DiscussionsModule, LimitsModule],
  controllers: [LiveQaController, LiveQuestionsController, JoinCodeController, SessionPollsController, PollsController],
  providers: [QaEventLog, QaFanout, QaEvents, QaVoteBroadcaster, PollResultsBroadcaster, PollsService, LiveQaService, LiveQuestionsService, QaCommands, QaExportService, QaSocketHandlers],
  exports: [QaSocketHandlers, LiveQuestionsService, LiveQaService],
})
export class LiveQaModule {}
