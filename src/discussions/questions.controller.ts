import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiCookieAuth, ApiCreatedResponse, ApiForbiddenResponse,
  ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentActor, type MaybeActor } from '../auth/actor.js';
import { ForumIdParams, QuestionIdParams } from './dto/discussion-params.js';
import { QuestionList, QuestionView } from './dto/discussion.views.js';
import { CreateQuestionDto, ProposeQuestionDto, UpdateQuestionDto } from './dto/question-input.dto.js';
import { QuestionsService } from './questions.service.js';

@ApiTags('questions')
@ApiCookieAuth()
@ApiBearerAuth()
@ApiNotFoundResponse({ description: '`forum_not_found` / `question_not_found`: no such thing, or a forum the caller may not read.' })
@Controller()
export class QuestionsController {
  constructor(private readonly questions: QuestionsService) {}

  @Get('forums/:forumId/questions')
  @ApiOperation({ summary: 'The questions of a forum: pinned first, then in order, each with its reply count' })
  @ApiOkResponse({ type: QuestionList })
  list(@CurrentActor() actor: MaybeActor, @Param() params: ForumIdParams): Promise<QuestionList> {
    return this.questions.listQuestions(actor, params.forumId);
  }

  @Post('forums/:forumId/questions')
  @ApiOperation({ summary: 'Post a discussion question (moderators)' })
  @ApiCreatedResponse({ type: QuestionView })
  @ApiBadRequestResponse({ description: '`validation_failed`, naming each field.' })
  @ApiUnauthorizedResponse({ description: '`unauthenticated`' })
  @ApiForbiddenResponse({ description: '`not_moderator`' })
  @ApiConflictResponse({ description: '`forum_archived`' })
  create(@CurrentActor() actor: MaybeActor, @Param() params: ForumIdParams, @Body() dto: CreateQuestionDto): Promise<QuestionView> {
    return this.questions.createQuestion(actor, params.forumId, dto);
  }

  @Post('forums/:forumId/question-proposals')
  @ApiOperation({
    summary: 'Propose a question (members, while the forum allows it): it awaits a moderator\'s approval, seen only by its author and the moderators; a moderator\'s is published at once',
  })
  @ApiCreatedResponse({ type: QuestionView })
  @ApiBadRequestResponse({ description: '`validation_failed`, naming each field.' })
  @ApiUnauthorizedResponse({ description: '`unauthenticated`' })
  @ApiForbiddenResponse({ description: '`member_questions_off` (the forum\'s setting), `not_invited`, `removed`, `forum_closed`' })
  @ApiConflictResponse({ description: '`forum_archived`' })
  propose(@CurrentActor() actor: MaybeActor, @Param() params: ForumIdParams, @Body() dto: ProposeQuestionDto): Promise<QuestionView> {
    return this.questions.proposeQuestion(actor, params.forumId, dto);
  }

  @Get('questions/:id')
  @ApiOperation({ summary: 'One question' })
  @ApiOkResponse({ type: QuestionView })
  get(@CurrentActor() actor: MaybeActor, @Param() params: QuestionIdParams): Promise<QuestionView> {
    return this.questions.getQuestion(actor, params.id);
  }

  @Patch('questions/:id')
  @ApiOperation({ summary: 'Change a question: title, body, pinned, locked, closed, position (moderators)' })
  @ApiOkResponse({ type: QuestionView })
  @ApiBadRequestResponse({ description: '`validation_failed`, or `empty_update` when no field is sent.' })
  @ApiUnauthorizedResponse({ description: '`unauthenticated`' })
  @ApiForbiddenResponse({ description: '`not_moderator`' })
  @ApiConflictResponse({ description: '`forum_archived`' })
  update(@CurrentActor() actor: MaybeActor, @Param() params: QuestionIdParams, @Body() dto: UpdateQuestionDto): Promise<QuestionView> {
    return this.questions.updateQuestion(actor, params.id, dto);
  }
}
