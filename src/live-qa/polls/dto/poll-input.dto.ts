import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import {
  MAX_OPEN_TEXT_LENGTH, MAX_POLL_OPTION_LENGTH, MAX_POLL_OPTIONS, MAX_POLL_PROMPT_LENGTH, POLL_ACTIONS, POLL_KINDS, type PollAction, type PollKind,
} from '../poll-policy.js';
import type { ClientMessage } from '../../../protocol/socket-messages.js';

const MAX_INT = 2147483647;
const NO_NUL = /^[^\u0000]*$/;
const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const trimmedAll = ({ value }: { value: unknown }) => (Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim() : v)) : value);

export class CreatePollDto {
  @ApiProperty({ enum: POLL_KINDS })
  @IsIn(POLL_KINDS, { message: `kind must be one of ${POLL_KINDS.join(', ')}` })
  kind: PollKind;

  @ApiProperty({ maxLength: MAX_POLL_PROMPT_LENGTH, example: 'Which topic should the next workshop cover?' })
  @Transform(trimmed) @IsString({ message: 'prompt must be a string' }) @Matches(NO_NUL, { message: 'prompt must not contain NUL characters' })
  @MinLength(1, { message: 'prompt must not be empty' }) @MaxLength(MAX_POLL_PROMPT_LENGTH, { message: `prompt must be at most ${MAX_POLL_PROMPT_LENGTH} characters long` })
  prompt: string;

  @ApiPropertyOptional({ type: [String], description: 'single / multiple: 2 to 10 choices, in order (answers name them by number, from 0).' })
  @IsOptional() @Transform(trimmedAll) @IsArray({ message: 'options must be a list of texts' })
  @ArrayMinSize(2, { message: 'options must have 2 to 10 choices' }) @ArrayMaxSize(MAX_POLL_OPTIONS, { message: 'options must have 2 to 10 choices' })
  @IsString({ each: true, message: 'options must be a list of texts' }) @Matches(NO_NUL, { each: true, message: 'options must not contain NUL characters' })
  @MinLength(1, { each: true, message: 'options must not contain an empty choice' })
  @MaxLength(MAX_POLL_OPTION_LENGTH, { each: true, message: `each of options must be at most ${MAX_POLL_OPTION_LENGTH} characters long` })
  options?: string[];

  @ApiPropertyOptional({ description: 'Only moderators see the results until one reveals them.' })
  @IsOptional() @IsBoolean({ message: 'resultsHidden must be true or false' })
  resultsHidden?: boolean;

  @ApiPropertyOptional({ description: "A live question of this session the poll belongs to: its results travel with it to the forum." })
  @IsOptional() @IsInt({ message: 'liveQuestionId must be the id of a live question of this session' }) @Min(1, { message: 'liveQuestionId must be the id of a live question of this session' }) @Max(MAX_INT)
  liveQuestionId?: number;
}

export class AnswerPollDto {
  @ApiPropertyOptional({ type: [Number], description: 'single (one) / multiple (one or more): option numbers, from 0.' })
  @IsOptional() @IsArray({ message: 'choices must be a list of option numbers' }) @ArrayMinSize(1, { message: 'choices must name at least one option' })
  @ArrayMaxSize(MAX_POLL_OPTIONS, { message: `choices must name at most ${MAX_POLL_OPTIONS} options` })
  @IsInt({ each: true, message: 'choices must be a list of option numbers' }) @Min(0, { each: true, message: 'choices must be a list of option numbers' })
  @Max(MAX_POLL_OPTIONS, { each: true, message: 'choices must be a list of option numbers' })
  choices?: number[];

  @ApiPropertyOptional({ minimum: 1, maximum: 5 })
  @IsOptional() @IsInt({ message: 'rating must be a whole number from 1 to 5' }) @Min(1, { message: 'rating must be a whole number from 1 to 5' }) @Max(5, { message: 'rating must be a whole number from 1 to 5' })
  rating?: number;

  @ApiPropertyOptional({ maxLength: MAX_OPEN_TEXT_LENGTH, description: 'word cloud (a few words, up to 40 characters) / open text.' })
  @IsOptional() @Transform(trimmed) @IsString({ message: 'text must be a string' }) @Matches(NO_NUL, { message: 'text must not contain NUL characters' })
  @MinLength(1, { message: 'text must not be empty' }) @MaxLength(MAX_OPEN_TEXT_LENGTH, { message: `text must be at most ${MAX_OPEN_TEXT_LENGTH} characters long` })
  text?: string;
}

export class PollActDto {
  @ApiProperty({ enum: POLL_ACTIONS })
  @IsIn(POLL_ACTIONS, { message: `action must be one of ${POLL_ACTIONS.join(', ')}` })
  action: PollAction;

  @ApiPropertyOptional({ description: 'remove_word: the entry to remove (as shown, or any spelling of it).' })
  @IsOptional() @Transform(trimmed) @IsString({ message: 'word must be a string' }) @MinLength(1, { message: 'word must not be empty' }) @MaxLength(MAX_OPEN_TEXT_LENGTH)
  word?: string;

  @ApiPropertyOptional({ description: 'approve_text / reject_text: the answer.' })
  @IsOptional() @IsInt({ message: 'answerId must be the id of an answer of this poll' }) @Min(1, { message: 'answerId must be the id of an answer of this poll' })
  @Max(Number.MAX_SAFE_INTEGER)
  answerId?: number;
}

// ---- socket messages (same rules, plus the session or poll they are about) ----

const pollIdMessage = 'pollId must be a positive integer';
const sessionIdMessage = "sessionId must be a positive integer (the session's numeric id)";

export class QaPollCreateMessage extends CreatePollDto implements ClientMessage<'qa.poll.create'> {
  @IsInt({ message: sessionIdMessage }) @Min(1, { message: sessionIdMessage }) @Max(MAX_INT)
  sessionId: number;
}

export class QaPollAnswerMessage extends AnswerPollDto implements ClientMessage<'qa.poll.answer'> {
  @IsInt({ message: pollIdMessage }) @Min(1, { message: pollIdMessage }) @Max(MAX_INT)
  pollId: number;
}

export class QaPollActMessage extends PollActDto implements ClientMessage<'qa.poll.act'> {
  @IsInt({ message: pollIdMessage }) @Min(1, { message: pollIdMessage }) @Max(MAX_INT)
  pollId: number;
}
