import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiConflictResponse, ApiCookieAuth, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse,
  ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentActor, type MaybeActor } from '../auth/actor.js';
import { RetryAfterInterceptor } from '../auth/retry-after.interceptor.js';
import { ModerationCommands } from './moderation-commands.js';
import { ForumIdParams } from '../discussions/dto/discussion-params.js';
import { PageQuery } from '../discussions/dto/thread-query.dto.js';
import { ACT_NAMES } from './dto/act-commands.js';
import { QueueQuery } from './dto/flag-input.dto.js';
import { ActResult, ForumModerationSettings, ModerationActionPage, QueuePage, RemovalSummary, SilenceList } from './dto/moderation.views.js';
import { ActionsQuery, MyActionsQuery } from './dto/record-query.dto.js';
import { FlagsService } from './flags.service.js';
import { ForumRulesService } from './forum-rules.service.js';
import { ModerationRecordService } from './moderation-record.service.js';

@ApiTags('moderation')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller()
export class ModerationController {
  constructor(
    private readonly flags: FlagsService,
    private readonly record: ModerationRecordService,
    private readonly rules: ForumRulesService,
    private readonly commands: ModerationCommands,
  ) {}

  @Post('moderation/acts')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'A moderator\'s act (the same body as the socket message moderation.act); recorded with its reason, published live' })
  @ApiBody({ schema: { type: 'object', required: ['act'], properties: { act: { type: 'string', enum: ACT_NAMES } }, additionalProperties: true } })
  @ApiOkResponse({ type: ActResult })
  @ApiBadRequestResponse({ description: '`validation_failed` (an unknown act is named on field `act`), `same_question`, `merge_into_self`, `invalid_parent`.' })
  @ApiUnauthorizedResponse({ description: '`unauthenticated`' })
  @ApiForbiddenResponse({ description: '`not_moderator`' })
  @ApiNotFoundResponse({ description: '`reply_not_found` / `question_not_found` / `forum_not_found` / `account_not_found`' })
  @ApiConflictResponse({ description: '`forum_archived`, `reply_deleted`, `not_pending`, `not_hidden`, `reply_not_visible`, `question_merged`, `thread_too_deep`, `no_open_flags`, `cannot_silence_moderator`, `not_proposed`, `question_not_published`' })
  @ApiTooManyRequestsResponse({ description: '`rate_limited`: the per-person limit on acts (shared with `moderation.act`), with a Retry-After header (seconds).' })
  @UseInterceptors(RetryAfterInterceptor)
  async act(@CurrentActor() actor: MaybeActor, @Body() body: unknown): Promise<ActResult> {
    return this.commands.act(actor, body);
  }

  @Get('forums/:forumId/moderation/queue')
  @ApiOperation({ summary: 'The moderators\' queue: flagged replies (with their open flags) and replies awaiting approval, oldest first' })
  @ApiOkResponse({ type: QueuePage })
  queue(@CurrentActor() actor: MaybeActor, @Param() params: ForumIdParams, @Query() query: QueueQuery): Promise<QueuePage> {
    return this.flags.queue(actor, params.forumId, query);
  }

  @Get('forums/:forumId/moderation/actions')
  @ApiOperation({ summary: 'The record of the forum\'s moderation acts, newest first, filtered (moderators and admins)' })
  @ApiOkResponse({ type: ModerationActionPage })
  actions(@CurrentActor() actor: MaybeActor, @Param() params: ForumIdParams, @Query() query: ActionsQuery): Promise<ModerationActionPage> {
    return this.record.list(actor, params.forumId, query);
  }

  @Get('forums/:forumId/moderation/removals')
  @ApiOperation({ summary: 'What was removed from the forum and why (kinds and reasons, never the text), for everyone who reads it' })
  @ApiOkResponse({ type: RemovalSummary })
  removals(@CurrentActor() actor: MaybeActor, @Param() params: ForumIdParams, @Query() query: PageQuery): Promise<RemovalSummary> {
    return this.record.removals(actor, params.forumId, query);
  }

  @Get('forums/:forumId/moderation/settings')
  @ApiOperation({ summary: 'The forum\'s moderation rules: pre-moderation, flag threshold, slow mode, hourly limit' })
  @ApiOkResponse({ type: ForumModerationSettings })
  settings(@CurrentActor() actor: MaybeActor, @Param() params: ForumIdParams): Promise<ForumModerationSettings> {
    return this.rules.settings(actor, params.forumId);
  }

  @Get('forums/:forumId/moderation/silences')
  @ApiOperation({ summary: 'Members silenced in the forum now (moderators)' })
  @ApiOkResponse({ type: SilenceList })
  silences(@CurrentActor() actor: MaybeActor, @Param() params: ForumIdParams): Promise<SilenceList> {
    return this.rules.silences(actor, params.forumId);
  }

  @Get('me/moderation-actions')
  @ApiOperation({ summary: 'Moderation acts that touched the caller\'s own replies, questions or account' })
  @ApiOkResponse({ type: ModerationActionPage })
  mine(@CurrentActor() actor: MaybeActor, @Query() query: MyActionsQuery): Promise<ModerationActionPage> {
    return this.record.mine(actor, query);
  }
}
