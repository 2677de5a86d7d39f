import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Put, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, type MaybeActor } from '../auth/actor.js';
import { RetryAfterInterceptor } from '../auth/retry-after.interceptor.js';
import { clientInfo, setSessionCookie } from '../auth/session-cookie.js';
import { IntIdPipe } from '../common/id.pipe.js';
import { AppConfig } from '../config/app-config.js';
import { QaCommands } from './qa-commands.js';
import { AskQuestionDto, EditQuestionDto, ExportQuery, HandOverDto, JoinAsGuestDto, ListLiveQuestionsQuery, ModerateDto, UpdateQaDto } from './dto/live-qa-input.dto.js';
import { LiveQaService } from './live-qa.service.js';
import {
  GuestJoined, HandOverPreview, HandOverResult, JoinCodeTarget, JoinCodeView, LiveQuestionList, LiveQuestionView, ModerateResult, QaActionList, QaView, VoteResult,
} from './live-qa.views.js';
import { LiveQuestionsService } from './live-questions.service.js';
import { QaExportService } from './qa-export.service.js';

/** A session's live Q&A (see notes in qa-contract / README): `/api/sessions/:idOrSlug/qa…`. */
@ApiTags('live Q&A')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('sessions/:idOrSlug/qa')
export class LiveQaController {
  constructor(
    private readonly qa: LiveQaService,
    private readonly questions: LiveQuestionsService,
    private readonly exports: QaExportService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: "The session's Q&A as the caller sees it: state, settings, the highlighted question, limits, what the caller may do" })
  @ApiOkResponse({ type: QaView })
  get(@CurrentActor() actor: MaybeActor, @Param('idOrSlug') idOrSlug: string) {
    return this.qa.get(actor, idOrSlug);
  }

  @Patch()
  @ApiOperation({ summary: 'Open or close the Q&A, change its settings, or set the session live / ended (ending hands open questions over) — moderators' })
  @ApiOkResponse({ type: QaView })
  update(@CurrentActor() actor: MaybeActor, @Param('idOrSlug') idOrSlug: string, @Body() dto: UpdateQaDto) {
    return this.qa.update(actor, idOrSlug, dto);
  }

  @Get('hand-over')
  @ApiOperation({ summary: 'What a hand-over would carry now (N approved questions, poll results) and what not (M pending), with ?pending=approve|dismiss|keep — moderators' })
  @ApiOkResponse({ type: HandOverPreview })
  handOverPreview(@CurrentActor() actor: MaybeActor, @Param('idOrSlug') idOrSlug: string, @Query() query: HandOverDto) {
    return this.qa.handOverPreview(actor, idOrSlug, query.pending);
  }

  @Post('hand-over')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Carry every approved, unanswered question and the poll results over to the session's forum (moderators; idempotent)" })
  @ApiOkResponse({ type: HandOverResult })
  handOver(@CurrentActor() actor: MaybeActor, @Param('idOrSlug') idOrSlug: string, @Body() dto: HandOverDto) {
    return this.qa.handOver(actor, idOrSlug, dto.pending);
  }

  @Get('questions')
  @ApiOperation({ summary: 'The questions the caller may see, popular or recent, with the stream position to subscribe from' })
  @ApiOkResponse({ type: LiveQuestionList })
  list(@CurrentActor() actor: MaybeActor, @Param('idOrSlug') idOrSlug: string, @Query() query: ListLiveQuestionsQuery) {
    return this.questions.list(actor, idOrSlug, query);
  }

  @Post('questions')
  @UseInterceptors(RetryAfterInterceptor)
  @ApiOperation({ summary: 'Ask a question (optionally anonymous to other attendees)' })
  @ApiTooManyRequestsResponse({ description: '`rate_limited` (asking limits, slow mode), with a Retry-After header (seconds).' })
  @ApiCreatedResponse({ type: LiveQuestionView })
  ask(@CurrentActor() actor: MaybeActor, @Param('idOrSlug') idOrSlug: string, @Body() dto: AskQuestionDto) {
    return this.questions.ask(actor, idOrSlug, dto);
  }

  @Post('join-code')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "The presenter screen's short join code, made on first call (moderators): /j/CODE opens the attendee view" })
  @ApiOkResponse({ type: JoinCodeView })
  joinCode(@CurrentActor() actor: MaybeActor, @Param('idOrSlug') idOrSlug: string) {
    return this.qa.joinCode(actor, idOrSlug);
  }

  @Get('actions')
  @ApiOperation({ summary: "The record of moderators' acts, newest first (moderators)" })
  @ApiOkResponse({ type: QaActionList })
  actions(@CurrentActor() actor: MaybeActor, @Param('idOrSlug') idOrSlug: string) {
    return this.qa.actions(actor, idOrSlug);
  }

  @Get('export')
  @ApiOperation({ summary: 'Export the Q&A as CSV (?format=csv, default; &part=polls for the polls) or Markdown (?format=md, questions and polls) — moderators' })
  @ApiOkResponse({ description: 'The file (text/csv or text/markdown), as an attachment.', content: { 'text/csv': { schema: { type: 'string' } }, 'text/markdown': { schema: { type: 'string' } } } })
  async export(@CurrentActor() actor: MaybeActor, @Param('idOrSlug') idOrSlug: string, @Query() query: ExportQuery, @Res({ passthrough: true }) res: Response): Promise<string> {
    const file = await this.exports.export(actor, idOrSlug, query.format ?? 'csv', query.part ?? 'questions');
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
    return file.body;
  }

  @Post('guests')
  @ApiOperation({ summary: 'Join this Q&A as a guest with a name (when the moderators allow guests); sets the agora_session cookie' })
  @ApiCreatedResponse({ type: GuestJoined })
  async joinAsGuest(@CurrentActor() actor: MaybeActor, @Param('idOrSlug') idOrSlug: string, @Body() dto: JoinAsGuestDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const joined = await this.qa.joinAsGuest(actor, idOrSlug, dto.displayName, clientInfo(req));
    setSessionCookie(req, res, this.config, joined.secret, joined.expiresAt);
    return joined.view;
  }
}

/** A join code from the presenter screen: `/api/qa/join/:code` → the session it opens. */
@ApiTags('live Q&A')
@Controller('qa/join/:code')
export class JoinCodeController {
  constructor(private readonly qa: LiveQaService) {}

  @Get()
  @ApiOperation({ summary: 'The session a short join code opens (anyone; case-insensitive)' })
  @ApiOkResponse({ type: JoinCodeTarget })
  find(@Param('code') code: string) {
    return this.qa.findByJoinCode(code);
  }
}

/** One live question: `/api/qa/questions/:id…`. */
@ApiTags('live Q&A')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('qa/questions/:id')
export class LiveQuestionsController {
  constructor(
    private readonly questions: LiveQuestionsService,
    private readonly commands: QaCommands,
  ) {}

  @Get()
  @ApiOperation({ summary: 'One live question as the caller may see it' })
  @ApiOkResponse({ type: LiveQuestionView })
  get(@CurrentActor() actor: MaybeActor, @Param('id', new IntIdPipe('id')) id: number) {
    return this.questions.get(actor, id);
  }

  @Patch()
  @ApiOperation({ summary: "Change one's own question's text (until it is answered)" })
  @ApiOkResponse({ type: LiveQuestionView })
  edit(@CurrentActor() actor: MaybeActor, @Param('id', new IntIdPipe('id')) id: number, @Body() dto: EditQuestionDto) {
    return this.questions.edit(actor, id, dto);
  }

  @Delete()
  @ApiOperation({ summary: "Withdraw one's own question (until it is answered)" })
  @ApiOkResponse({ type: LiveQuestionView })
  withdraw(@CurrentActor() actor: MaybeActor, @Param('id', new IntIdPipe('id')) id: number) {
    return this.questions.withdraw(actor, id);
  }

  @Put('vote')
  @ApiOperation({ summary: 'Vote for the question (idempotent)' })
  @ApiTooManyRequestsResponse({ description: '`rate_limited`: the per-person vote limit (shared with `qa.vote` and forum votes), with a Retry-After header (seconds).' })
  @UseInterceptors(RetryAfterInterceptor)
  @ApiOkResponse({ type: VoteResult })
  async vote(@CurrentActor() actor: MaybeActor, @Param('id', new IntIdPipe('id')) id: number) {
    return this.commands.vote(actor, id, true);
  }

  @Delete('vote')
  @ApiOperation({ summary: 'Take the vote back (idempotent)' })
  @ApiTooManyRequestsResponse({ description: '`rate_limited`: the per-person vote limit (shared with `qa.vote` and forum votes), with a Retry-After header (seconds).' })
  @UseInterceptors(RetryAfterInterceptor)
  @ApiOkResponse({ type: VoteResult })
  async unvote(@CurrentActor() actor: MaybeActor, @Param('id', new IntIdPipe('id')) id: number) {
    return this.commands.vote(actor, id, false);
  }

  @Post('moderate')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'A moderator act: approve, dismiss, highlight, unhighlight, answer, archive, merge, edit' })
  @ApiOkResponse({ type: ModerateResult })
  moderate(@CurrentActor() actor: MaybeActor, @Param('id', new IntIdPipe('id')) id: number, @Body() dto: ModerateDto) {
    return this.questions.moderate(actor, id, dto);
  }
}
