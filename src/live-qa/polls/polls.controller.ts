import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Put, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { RetryAfterInterceptor } from '../../auth/retry-after.interceptor.js';
import { CurrentActor, type MaybeActor } from '../../auth/actor.js';
import { IntIdPipe } from '../../common/id.pipe.js';
import { AnswerPollDto, CreatePollDto, PollActDto } from './dto/poll-input.dto.js';
import { PollAnswered, PollList, PollReadView } from './dto/poll.views.js';
import { PollsService } from './polls.service.js';
import { QaCommands } from '../qa-commands.js';

/** A session's live polls: `/api/sessions/:idOrSlug/qa/polls`. */
@ApiTags('live polls')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('sessions/:idOrSlug/qa/polls')
export class SessionPollsController {
  constructor(private readonly polls: PollsService) {}

  @Get()
  @ApiOperation({ summary: "The session's polls the caller may see (moderators: drafts too), with results when visible and the caller's answer" })
  @ApiOkResponse({ type: PollList })
  list(@CurrentActor() actor: MaybeActor, @Param('idOrSlug') idOrSlug: string) {
    return this.polls.list(actor, idOrSlug);
  }

  @Post()
  @ApiOperation({ summary: 'Prepare a poll: single, multiple, rating, word_cloud or open_text (moderators; a draft until launched)' })
  @ApiCreatedResponse({ type: PollReadView })
  create(@CurrentActor() actor: MaybeActor, @Param('idOrSlug') idOrSlug: string, @Body() dto: CreatePollDto) {
    return this.polls.create(actor, idOrSlug, dto);
  }
}

/** One live poll: `/api/qa/polls/:id…`. */
@ApiTags('live polls')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('qa/polls/:id')
export class PollsController {
  constructor(
    private readonly polls: PollsService,
    private readonly commands: QaCommands,
  ) {}

  @Get()
  @ApiOperation({ summary: 'One poll as the caller may see it' })
  @ApiOkResponse({ type: PollReadView })
  get(@CurrentActor() actor: MaybeActor, @Param('id', new IntIdPipe('id')) id: number) {
    return this.polls.get(actor, id);
  }

  @Put('answer')
  @ApiOperation({ summary: "Answer the poll, or change one's answer while it is open (one per attendee, guests included)" })
  @ApiOkResponse({ type: PollAnswered })
  @ApiTooManyRequestsResponse({ description: '`rate_limited`: the per-person vote limit (shared with `qa.poll.answer`, question and forum votes), with a Retry-After header (seconds).' })
  @UseInterceptors(RetryAfterInterceptor)
  answer(@CurrentActor() actor: MaybeActor, @Param('id', new IntIdPipe('id')) id: number, @Body() dto: AnswerPollDto) {
    return this.commands.answerPoll(actor, id, dto);
  }

  @Post('act')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'A moderator act: launch, close, reveal, hide, show, unshow, remove_word, approve_text, reject_text' })
  @ApiOkResponse({ type: PollReadView })
  act(@CurrentActor() actor: MaybeActor, @Param('id', new IntIdPipe('id')) id: number, @Body() dto: PollActDto) {
    return this.polls.act(actor, id, dto);
  }
}
