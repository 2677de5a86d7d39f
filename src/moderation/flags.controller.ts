import { Body, Controller, Get, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import {
  ApiBearerAuth, ApiConflictResponse, ApiCookieAuth, ApiCreatedResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { CurrentActor, type MaybeActor } from '../auth/actor.js';
import { RetryAfterInterceptor } from '../auth/retry-after.interceptor.js';
import { ModerationCommands } from './moderation-commands.js';
import { ReplyIdParams } from '../discussions/dto/discussion-params.js';
import { CreateFlagDto, MyFlagsQuery } from './dto/flag-input.dto.js';
import { MyFlagPage, MyFlagView } from './dto/moderation.views.js';
import { FlagsService } from './flags.service.js';

@ApiTags('moderation')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller()
export class FlagsController {
  constructor(
    private readonly flags: FlagsService,
    private readonly commands: ModerationCommands,
  ) {}

  @Post('replies/:id/flags')
  @ApiOperation({ summary: 'Flag a reply for the moderators (once per member per reply); enough flags hide it pending review' })
  @ApiCreatedResponse({ type: MyFlagView })
  @ApiForbiddenResponse({ description: '`own_reply`, `removed`, `not_invited`' })
  @ApiConflictResponse({ description: '`already_flagged`, `reply_deleted`, `reply_not_visible`, `forum_closed`, `forum_archived`' })
  @ApiTooManyRequestsResponse({ description: '`rate_limited`: the per-person flag limit (shared with `reply.flag`), with a Retry-After header (seconds).' })
  @UseInterceptors(RetryAfterInterceptor)
  async flag(@CurrentActor() actor: MaybeActor, @Param() params: ReplyIdParams, @Body() dto: CreateFlagDto): Promise<MyFlagView> {
    return this.commands.flag(actor, params.id, dto);
  }

  @Get('me/flags')
  @ApiOperation({ summary: 'The caller\'s flags, newest first, with their outcome' })
  @ApiOkResponse({ type: MyFlagPage })
  mine(@CurrentActor() actor: MaybeActor, @Query() query: MyFlagsQuery): Promise<MyFlagPage> {
    return this.flags.myFlags(actor, query);
  }
}
