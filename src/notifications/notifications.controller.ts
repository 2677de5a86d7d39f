import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { CurrentActor, type MaybeActor } from '../auth/actor.js';
import { ForumIdParams, QuestionIdParams } from '../discussions/dto/discussion-params.js';
import { FollowDto, MarkReadDto, NotificationQuery, ParticipantQuery, ReadPositionDto } from './dto/notification-input.dto.js';
import { FollowingView, NotificationPage, ParticipantList, UnreadCount } from './dto/notification.views.js';
import { ForumUnreadView, SessionActivityView, ThreadUnreadView } from './dto/unread.views.js';
import { FollowingService } from './following.service.js';
import { NotificationsService } from './notifications.service.js';
import { ParticipantsService, type Participant } from './participants.service.js';
import { ReadPositionsService } from './read-positions.service.js';

@ApiTags('notifications')
@ApiCookieAuth()
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: '`unauthenticated`: sign in first.' })
@ApiNotFoundResponse({ description: '`forum_not_found` / `question_not_found`: no such thing, or one the caller may not read.' })
@Controller()
export class NotificationsController {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly following: FollowingService,
    private readonly reads: ReadPositionsService,
    private readonly people: ParticipantsService,
  ) {}

  @Get('me/notifications')
  @ApiOperation({ summary: 'The caller\'s notifications, newest first, grouped by thread' })
  @ApiOkResponse({ type: NotificationPage })
  list(@CurrentActor() actor: MaybeActor, @Query() query: NotificationQuery): Promise<NotificationPage> {
    return this.notifications.list(actor, query);
  }

  @Get('me/notifications/unread-count')
  @ApiOperation({ summary: 'Unread notifications (the bell)' })
  @ApiOkResponse({ type: UnreadCount })
  unread(@CurrentActor() actor: MaybeActor): Promise<UnreadCount> {
    return this.notifications.unreadCount(actor);
  }

  @Post('me/notifications/read')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Mark notifications read: `ids`, a thread\'s (`questionId`), or `all`' })
  @ApiOkResponse({ type: UnreadCount })
  markRead(@CurrentActor() actor: MaybeActor, @Body() dto: MarkReadDto): Promise<UnreadCount> {
    return this.notifications.markRead(actor, dto);
  }

  @Get('me/following/forums/:forumId')
  @ApiOperation({ summary: 'How the caller follows a forum' })
  @ApiOkResponse({ type: FollowingView })
  forumLevel(@CurrentActor() actor: MaybeActor, @Param() params: ForumIdParams): Promise<FollowingView> {
    return this.following.get(actor, { forumId: params.forumId });
  }

  @Put('me/following/forums/:forumId')
  @ApiOperation({ summary: 'Follow a forum: watching (every new question and reply), normal (what concerns me), muted' })
  @ApiOkResponse({ type: FollowingView })
  setForumLevel(@CurrentActor() actor: MaybeActor, @Param() params: ForumIdParams, @Body() dto: FollowDto): Promise<FollowingView> {
    return this.following.set(actor, { forumId: params.forumId }, dto.level);
  }

  @Get('me/following/questions/:id')
  @ApiOperation({ summary: 'How the caller follows a thread (its own level, else its forum\'s)' })
  @ApiOkResponse({ type: FollowingView })
  questionLevel(@CurrentActor() actor: MaybeActor, @Param() params: QuestionIdParams): Promise<FollowingView> {
    return this.following.get(actor, { questionId: params.id });
  }

  @Put('me/following/questions/:id')
  @ApiOperation({ summary: 'Follow a thread: watching, normal, muted' })
  @ApiOkResponse({ type: FollowingView })
  setQuestionLevel(@CurrentActor() actor: MaybeActor, @Param() params: QuestionIdParams, @Body() dto: FollowDto): Promise<FollowingView> {
    return this.following.set(actor, { questionId: params.id }, dto.level);
  }

  @Get('questions/:id/read-position')
  @ApiOperation({ summary: 'Where the caller stands in a thread: unread replies and the first of them' })
  @ApiOkResponse({ type: ThreadUnreadView })
  readPosition(@CurrentActor() actor: MaybeActor, @Param() params: QuestionIdParams): Promise<ThreadUnreadView> {
    return this.reads.thread(actor, params.id);
  }

  @Put('questions/:id/read-position')
  @ApiOperation({ summary: 'The caller has read the thread up to this reply (never moves back); reads its notifications' })
  @ApiOkResponse({ type: ThreadUnreadView })
  markThreadRead(@CurrentActor() actor: MaybeActor, @Param() params: QuestionIdParams, @Body() dto: ReadPositionDto): Promise<ThreadUnreadView> {
    return this.reads.markThreadRead(actor, params.id, dto.replyId);
  }

  @Get('forums/:forumId/participants')
  @ApiOperation({ summary: "People of the forum whose name (or a word of it) starts with prefix, who can read it: the @mention autocomplete (signed-in readers)" })
  @ApiOkResponse({ type: ParticipantList })
  participants(@CurrentActor() actor: MaybeActor, @Param() params: ForumIdParams, @Query() query: ParticipantQuery): Promise<{ items: Participant[] }> {
    return this.people.matching(actor, params.forumId, query.prefix, query.limit);
  }

  @Get('forums/:forumId/unread')
  @ApiOperation({ summary: '"N new" per question, and questions new since the last visit' })
  @ApiOkResponse({ type: ForumUnreadView })
  forumUnread(@CurrentActor() actor: MaybeActor, @Param() params: ForumIdParams): Promise<ForumUnreadView> {
    return this.reads.forum(actor, params.forumId);
  }

  @Post('forums/:forumId/visit')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Record a visit to the forum page; answers the unread state as it was before it' })
  @ApiOkResponse({ type: ForumUnreadView })
  visit(@CurrentActor() actor: MaybeActor, @Param() params: ForumIdParams): Promise<ForumUnreadView> {
    return this.reads.visitForum(actor, params.forumId);
  }

  @Get('me/activity')
  @ApiOperation({ summary: 'Sessions with new activity in the forums the caller follows (the catalogue\'s marks)' })
  @ApiOkResponse({ type: SessionActivityView })
  activity(@CurrentActor() actor: MaybeActor): Promise<SessionActivityView> {
    return this.reads.activity(actor);
  }
}
