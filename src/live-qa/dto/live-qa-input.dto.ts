import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateBy, ValidateIf } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Omittable } from '../../common/validation.js';
import { SESSION_STATES, type SessionState } from '../../sessions/session.entity.js';
import { LIVE_QUESTION_STATES, MAX_DISMISS_REASON_LENGTH, PENDING_CHOICES, type PendingChoice, MAX_QUESTION_LENGTH, MODERATION_ACTIONS, type LiveQuestionState, type ModerationAction, type QaState } from '../qa-policy.js';
import type { ClientMessage } from '../../protocol/socket-messages.js';

const MAX_INT = 2147483647;

/** Characters as Postgres counts them (code points). */
const chars = (s: string) => [...s].length;

function bodyProblem(value: unknown, field: string): string | null {
  if (typeof value !== 'string') return `${field} must be a string`;
  if (value.includes('\u0000')) return `${field} must not contain NUL characters`;
  if (value.trim() === '') return `${field} must not be empty`;
  const n = chars(value.trim());
  if (n > MAX_QUESTION_LENGTH) return `${field} must be at most ${MAX_QUESTION_LENGTH} characters long (it has ${n})`;
  return null;
}

/** A live question's text: 1..500 characters after trimming, no NUL; one precise message naming the field. */
function IsQuestionBody(): PropertyDecorator {
  return ValidateBy({
    name: 'isQuestionBody',
    validator: {
      validate: (value, args) => bodyProblem(value, args!.property) === null,
      defaultMessage: (args) => bodyProblem(args!.value, args!.property) ?? 'invalid',
    },
  });
}

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Postgres text can't hold NUL: refused here (400 naming the field) rather than failing in the database. */
const NO_NUL = /^[^\u0000]*$/;

export class UpdateQaDto {
  @ApiPropertyOptional({ enum: ['open', 'closed'] })
  @Omittable() @IsIn(['open', 'closed'], { message: 'state must be "open" or "closed"' })
  state?: QaState;

  @ApiPropertyOptional({ description: 'New questions wait for a moderator before attendees see them.' })
  @Omittable() @IsBoolean({ message: 'premoderation must be true or false' })
  premoderation?: boolean;

  @ApiPropertyOptional({ description: 'People without an account may join this Q&A with a name.' })
  @Omittable() @IsBoolean({ message: 'allowGuests must be true or false' })
  allowGuests?: boolean;

  @ApiPropertyOptional({ minimum: 0, maximum: 3600, description: 'Least seconds between two questions of one person (0: off).' })
  @Omittable() @IsInt({ message: 'slowModeSeconds must be a whole number of seconds, 0 to 3600' })
  @Min(0, { message: 'slowModeSeconds must be a whole number of seconds, 0 to 3600' }) @Max(3600, { message: 'slowModeSeconds must be a whole number of seconds, 0 to 3600' })
  slowModeSeconds?: number;

  @ApiPropertyOptional({ enum: SESSION_STATES, description: '"live" also opens the Q&A; "ended" closes it and hands its open questions over to the forum.' })
  @Omittable() @IsIn(SESSION_STATES, { message: `sessionState must be one of ${SESSION_STATES.join(', ')}` })
  sessionState?: SessionState;

  @ApiPropertyOptional({ enum: PENDING_CHOICES, description: 'Ending the session: approve (and carry), dismiss, or keep pending the questions awaiting approval (default keep).' })
  @IsOptional() @IsIn(PENDING_CHOICES, { message: `pending must be one of ${PENDING_CHOICES.join(', ')}` })
  pending?: PendingChoice;
}

/** The hand-over and its preview: what becomes of the questions awaiting approval. */
export class HandOverDto {
  @ApiPropertyOptional({ enum: PENDING_CHOICES, description: 'approve (and carry), dismiss, or keep pending the questions awaiting approval (default keep).' })
  @IsOptional() @IsIn(PENDING_CHOICES, { message: `pending must be one of ${PENDING_CHOICES.join(', ')}` })
  pending?: PendingChoice;
}

export class AskQuestionDto {
  @ApiProperty({ maxLength: MAX_QUESTION_LENGTH })
  @Transform(trimmed) @IsQuestionBody()
  body: string;

  @ApiPropertyOptional({ description: 'Hide your name from other attendees (moderators still see who asked).' })
  @IsOptional() @IsBoolean({ message: 'anonymous must be true or false' })
  anonymous?: boolean;

  @ApiPropertyOptional({ format: 'uuid', description: 'Chosen by the client; asking again with the same one returns the stored question.' })
  @IsOptional() @IsUUID('all', { message: 'clientId must be a UUID chosen by the client (one per question, reused when retrying)' })
  clientId?: string;
}

export class EditQuestionDto {
  @ApiProperty({ maxLength: MAX_QUESTION_LENGTH })
  @Transform(trimmed) @IsQuestionBody()
  body: string;
}

export class ModerateDto {
  @ApiProperty({ enum: MODERATION_ACTIONS })
  @IsIn(MODERATION_ACTIONS, { message: `action must be one of ${MODERATION_ACTIONS.join(', ')}` })
  action: ModerationAction;

  @ApiPropertyOptional({ maxLength: MAX_DISMISS_REASON_LENGTH, description: 'dismiss: why (shown to the asker).' })
  @ValidateIf((o: ModerateDto) => o.reason !== undefined)
  @Transform(trimmed) @IsString({ message: 'reason must be a string' }) @Matches(NO_NUL, { message: 'reason must not contain NUL characters' })
  @MaxLength(MAX_DISMISS_REASON_LENGTH, { message: `reason must be at most ${MAX_DISMISS_REASON_LENGTH} characters long` })
  reason?: string;

  @ApiPropertyOptional({ description: 'merge: the question this one is merged into.' })
  @ValidateIf((o: ModerateDto) => o.action === 'merge' || o.intoId !== undefined)
  @IsInt({ message: 'intoId must be the id of the question to merge into' }) @Min(1, { message: 'intoId must be the id of the question to merge into' }) @Max(MAX_INT)
  intoId?: number;

  @ApiPropertyOptional({ maxLength: MAX_QUESTION_LENGTH, description: 'edit: the clarified text.' })
  @ValidateIf((o: ModerateDto) => o.action === 'edit' || o.body !== undefined)
  @Transform(trimmed) @IsQuestionBody()
  body?: string;
}

export class JoinAsGuestDto {
  @ApiProperty({ maxLength: 80, example: 'Ana (Barcelona)' })
  @Transform(trimmed) @IsString({ message: 'displayName must be a string' }) @Matches(NO_NUL, { message: 'displayName must not contain NUL characters' })
  @MinLength(1, { message: 'displayName must not be empty' }) @MaxLength(80, { message: 'displayName must be at most 80 characters long' })
  displayName: string;
}

export class ListLiveQuestionsQuery {
  @ApiPropertyOptional({ enum: ['popular', 'recent'] })
  @IsOptional() @IsIn(['popular', 'recent'], { message: 'sort must be "popular" or "recent"' })
  sort?: 'popular' | 'recent';

  @ApiPropertyOptional({ enum: LIVE_QUESTION_STATES })
  @IsOptional() @IsIn(LIVE_QUESTION_STATES, { message: `state must be one of ${LIVE_QUESTION_STATES.join(', ')}` })
  state?: LiveQuestionState;
}

export class ExportQuery {
  @ApiPropertyOptional({ enum: ['csv', 'md'] })
  @IsOptional() @IsIn(['csv', 'md'], { message: 'format must be "csv" or "md"' })
  format?: 'csv' | 'md';

  @ApiPropertyOptional({ enum: ['questions', 'polls'], description: 'CSV: the questions (default) or the polls.' })
  @IsOptional() @IsIn(['questions', 'polls'], { message: 'part must be "questions" or "polls"' })
  part?: 'questions' | 'polls';
}

// ---- socket messages (same rules, plus the session or question they are about) ----

const sessionIdMessage = 'sessionId must be a positive integer (the session\'s numeric id)';
const questionIdMessage = 'questionId must be a positive integer';

export class QaSessionMessage implements ClientMessage<'qa.unsubscribe'> {
  @IsInt({ message: sessionIdMessage }) @Min(1, { message: sessionIdMessage }) @Max(MAX_INT)
  sessionId: number;
}

export class QaSubscribeMessage extends QaSessionMessage implements ClientMessage<'qa.subscribe'> {
  @IsOptional()
  @IsInt({ message: 'lastSeq must be a whole number, 0 or more' }) @Min(0, { message: 'lastSeq must be a whole number, 0 or more' })
  @Max(Number.MAX_SAFE_INTEGER)
  lastSeq?: number;
}

export class QaAskMessage extends AskQuestionDto implements ClientMessage<'qa.ask'> {
  @IsInt({ message: sessionIdMessage }) @Min(1, { message: sessionIdMessage }) @Max(MAX_INT)
  sessionId: number;
}

export class QaQuestionMessage implements ClientMessage<'qa.withdraw'> {
  @IsInt({ message: questionIdMessage }) @Min(1, { message: questionIdMessage }) @Max(MAX_INT)
  questionId: number;
}

export class QaEditMessage extends EditQuestionDto implements ClientMessage<'qa.edit'> {
  @IsInt({ message: questionIdMessage }) @Min(1, { message: questionIdMessage }) @Max(MAX_INT)
  questionId: number;
}

export class QaVoteMessage extends QaQuestionMessage implements ClientMessage<'qa.vote'> {
  @IsIn([0, 1], { message: 'value must be 1 (vote) or 0 (take the vote back)' })
  value: 0 | 1;
}

export class QaModerateMessage extends ModerateDto implements ClientMessage<'qa.moderate'> {
  @IsInt({ message: questionIdMessage }) @Min(1, { message: questionIdMessage }) @Max(MAX_INT)
  questionId: number;
}
