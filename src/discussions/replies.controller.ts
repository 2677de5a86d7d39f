import { Body, Controller, Delete, Get, Param, Patch, Post, Put, Query, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiCookieAuth, ApiCreatedResponse, ApiForbiddenResponse,
  ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentActor, type MaybeActor } from '../auth/actor.js';
import { RetryAfterInterceptor } from '../auth/retry-after.interceptor.js';
import { ReplyCommands } from './reply-commands.js';
import { QuestionIdParams, ReplyIdParams } from './dto/discussion-params.js';
import { ReplyPage, ReplyPermalink, ReplyRevisionPage, ReplyView, VoteResult } from './dto/discussion.views.js';
import { CreateReplyDto, UpdateReplyDto } from './dto/reply-input.dto.js';
import { PageQuery, ThreadQuery } from './dto/thread-query.dto.js';
import { RepliesService } from './replies.service.js';
import { ThreadsService } from './threads.service.js';

const REFUSALS =
  '`forum_closed`, `forum_archived`, `question_closed`, `question_locked` (only moderators may post in a locked question), `reply_deleted`.';

@ApiTags('replies')
@ApiCookieAuth()
@ApiBearerAuth()
@ApiNotFoundResponse({ description: '`question_not_found` / `reply_not_found` / `forum_not_found`: no such thing, or one the caller may not read.' })
@Controller()
export class RepliesController {
  constructor(
    private readonly threads: ThreadsService,
    private readonly replies: RepliesService,
    private readonly commands: ReplyCommands,
  ) {}

  @Get('questions/:id/replies')
  @ApiOperation({ summary: 'Read a thread, a page at a time (tree order, or first-level replies by votes)' })
  @ApiOkResponse({ type: ReplyPage })
  @ApiBadRequestResponse({ description: '`validation_failed`: bad order, limit or cursor (`cursor`, or its old name `after`).' })
  listThread(@CurrentActor() actor: MaybeActor, @Param() params: QuestionIdParams, @Query() query: ThreadQuery): Promise<ReplyPage> {
    return this.threads.listThread(actor, params.id, query);
  }

  @Post('questions/:id/replies')
  @ApiOperation({ summary: 'Reply to a question, or (with parentId) to a reply in it' })
  @ApiCreatedResponse({ type: ReplyView })
  @ApiBadRequestResponse({ description: '`validation_failed`; `invalid_parent`: parentId is not a reply in this question.' })
  @ApiUnauthorizedResponse({ description: '`unauthenticated`' })
  @ApiForbiddenResponse({ description: '`removed`, `not_invited`' })
  @ApiConflictResponse({ description: `${REFUSALS} \`parent_deleted\`, \`thread_too_deep\` (200 levels), \`client_id_reused\` (a clientId already used for another question).` })
  @ApiTooManyRequestsResponse({ description: '`rate_limited`: the same per-person limit as the socket\'s `reply.create`, with a Retry-After header (seconds).' })
  @UseInterceptors(RetryAfterInterceptor)
  async createReply(@CurrentActor() actor: MaybeActor, @Param() params: QuestionIdParams, @Body() dto: CreateReplyDto): Promise<ReplyView> {
    return this.commands.create(actor, params.id, dto);
  }

  @Get('replies/:id')
  @ApiOperation({ summary: 'One reply (permalink), with its ancestors\' ids' })
  @ApiOkResponse({ type: ReplyPermalink })
  getReply(@CurrentActor() actor: MaybeActor, @Param() params: ReplyIdParams): Promise<ReplyPermalink> {
    return this.threads.getReply(actor, params.id);
  }

  @Get('replies/:id/replies')
  @ApiOperation({ summary: 'The replies under a reply, in tree order, a page at a time' })
  @ApiOkResponse({ type: ReplyPage })
  @ApiBadRequestResponse({ description: '`validation_failed`: bad limit or cursor (`cursor`, or its old name `after`).' })
  listSubtree(@CurrentActor() actor: MaybeActor, @Param() params: ReplyIdParams, @Query() query: PageQuery): Promise<ReplyPage> {
    return this.threads.listSubtree(actor, params.id, query);
  }

  @Patch('replies/:id')
  @ApiOperation({ summary: 'Edit a reply (its author, or a moderator); the previous text goes to its history' })
  @ApiOkResponse({ type: ReplyView })
  @ApiBadRequestResponse({ description: '`validation_failed`' })
  @ApiUnauthorizedResponse({ description: '`unauthenticated`' })
  @ApiForbiddenResponse({ description: '`not_reply_author`, `removed`' })
  @ApiConflictResponse({ description: REFUSALS })
  editReply(@CurrentActor() actor: MaybeActor, @Param() params: ReplyIdParams, @Body() dto: UpdateReplyDto): Promise<ReplyView> {
    return this.replies.editReply(actor, params.id, { body: dto.body }, { reason: dto.reason });
  }

  @Delete('replies/:id')
  @ApiOperation({ summary: 'Delete a reply (its author, or a moderator): it keeps its place in the thread, without its text' })
  @ApiOkResponse({ type: ReplyView })
  @ApiUnauthorizedResponse({ description: '`unauthenticated`' })
  @ApiForbiddenResponse({ description: '`not_reply_author`, `removed`' })
  @ApiConflictResponse({ description: REFUSALS })
  deleteReply(@CurrentActor() actor: MaybeActor, @Param() params: ReplyIdParams): Promise<ReplyView> {
    return this.replies.deleteReply(actor, params.id);
  }

  @Get('replies/:id/revisions')
  @ApiOperation({ summary: 'Earlier texts of a reply, newest first (a deleted reply\'s: moderators only)' })
  @ApiOkResponse({ type: ReplyRevisionPage })
  @ApiForbiddenResponse({ description: '`reply_deleted`' })
  listRevisions(@CurrentActor() actor: MaybeActor, @Param() params: ReplyIdParams, @Query() query: PageQuery): Promise<ReplyRevisionPage> {
    return this.threads.listRevisions(actor, params.id, query);
  }

  @Put('replies/:id/vote')
  @ApiOperation({ summary: 'Vote for a reply (once; again changes nothing)' })
  @ApiOkResponse({ type: VoteResult })
  @ApiUnauthorizedResponse({ description: '`unauthenticated`' })
  @ApiForbiddenResponse({ description: '`own_reply`, `removed`, `not_invited`' })
  @ApiConflictResponse({ description: '`reply_deleted`, `reply_not_visible`, `forum_closed`, `forum_archived`' })
  @ApiTooManyRequestsResponse({ description: '`rate_limited`: the per-person vote limit (shared with `reply.vote`), with a Retry-After header (seconds).' })
  @UseInterceptors(RetryAfterInterceptor)
  async vote(@CurrentActor() actor: MaybeActor, @Param() params: ReplyIdParams): Promise<VoteResult> {
    return this.commands.vote(actor, params.id, true);
  }

  @Delete('replies/:id/vote')
  @ApiOperation({ summary: 'Take back a vote (again changes nothing)' })
  @ApiOkResponse({ type: VoteResult })
  @ApiUnauthorizedResponse({ description: '`unauthenticated`' })
  @ApiConflictResponse({ description: '`reply_deleted`, `reply_not_visible`, `forum_closed`, `forum_archived`' })
  @ApiTooManyRequestsResponse({ description: '`rate_limited`: the per-person vote limit (shared with `reply.vote`), with a Retry-After header (seconds).' })
  @UseInterceptors(RetryAfterInterceptor)
  async unvote(@CurrentActor() actor: MaybeActor, @Param() params: ReplyIdParams): Promise<VoteResult> {
    return this.commands.vote(actor, params.id, false);
  }
}
