import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsISO8601, IsUUID, Matches, ValidateIf } from 'class-validator';
import { badRequest } from '../../common/app-exception.js';
import { trim } from '../../common/transforms.js';
import { BIGINT_ID } from '../../discussions/dto/discussion-params.js';
import { IsIntInRange, IsMarkdownBody, IsReason, Optional } from '../../discussions/dto/input-rules.js';
import { parseMessage } from '../../common/messages.js';

/**
 * The acts moderators send, as `POST /api/moderation/acts` bodies and
 * `moderation.act` socket messages alike: `{ act, ...fields }`. Each act has
 * its class below; parseActCommand picks it by `act` and validates the rest
 * (unknown fields refused, each problem named by field).
 */

const MAX_INT = 2147483647;
const idToString = ({ value }: { value: unknown }) => (typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value);
const replyId = () => Matches(BIGINT_ID, { message: 'replyId must be a reply id (a positive whole number, as a string)' });
/** Optional, or null meaning "off" / "none". */
const OptionalOrNull = () => ValidateIf((_o, v) => v !== undefined && v !== null);

export const REPLY_ACTS = ['reply.unhide', 'reply.delete', 'reply.feature', 'reply.unfeature', 'reply.approve', 'reply.reject'] as const;
const QUESTION_FLAG_ACTS = ['question.pin', 'question.unpin', 'question.lock', 'question.unlock', 'question.close', 'question.reopen'] as const;

/** reply.unhide / delete / feature / unfeature / approve / reject. */
export class ReplyActCommand {
  @ApiProperty() @IsIn(REPLY_ACTS) act: (typeof REPLY_ACTS)[number];
  @ApiProperty({ example: '42' }) @Transform(idToString) @replyId() replyId: string;
  @ApiPropertyOptional({ maxLength: 500 }) @Optional() @Transform(trim) @IsReason() reason?: string;
}

export class HideReplyCommand {
  @ApiProperty() @IsIn(['reply.hide']) act: 'reply.hide';
  @ApiProperty() @Transform(idToString) @replyId() replyId: string;
  @ApiProperty({ maxLength: 500, description: 'Shown in the reply\'s place.' }) @Transform(trim) @IsReason() reason: string;
}

class EditReplyCommand {
  @ApiProperty() @IsIn(['reply.edit']) act: 'reply.edit';
  @ApiProperty() @Transform(idToString) @replyId() replyId: string;
  @ApiProperty({ description: 'Markdown.' }) @IsMarkdownBody() body: string;
  @ApiPropertyOptional() @Optional() @Transform(trim) @IsReason() reason?: string;
}

export class MoveReplyCommand {
  @ApiProperty() @IsIn(['reply.move']) act: 'reply.move';
  @ApiProperty() @Transform(idToString) @replyId() replyId: string;
  @ApiProperty() @IsIntInRange(1, MAX_INT) toQuestionId: number;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'A reply of the target question to move under; none: first level.' })
  @OptionalOrNull() @Transform(idToString) @Matches(BIGINT_ID, { message: 'toParentId must be a reply id (a positive whole number, as a string)' })
  toParentId?: string | null;
  @ApiPropertyOptional() @Optional() @Transform(trim) @IsReason() reason?: string;
}

export class ResolveFlagsCommand {
  @ApiProperty() @IsIn(['flags.resolve']) act: 'flags.resolve';
  @ApiProperty() @Transform(idToString) @replyId() replyId: string;
  @ApiProperty({ enum: ['uphold', 'dismiss'] }) @IsIn(['uphold', 'dismiss'], { message: 'outcome must be uphold or dismiss' }) outcome: 'uphold' | 'dismiss';
  @ApiPropertyOptional({ enum: ['hide', 'delete'], default: 'hide' })
  @Optional() @IsIn(['hide', 'delete'], { message: 'removal must be hide or delete' }) removal?: 'hide' | 'delete';
  @ApiPropertyOptional() @Optional() @Transform(trim) @IsReason() reason?: string;
}

/** question.pin / unpin / lock / unlock / close / reopen. */
class QuestionFlagCommand {
  @ApiProperty() @IsIn(QUESTION_FLAG_ACTS) act: (typeof QUESTION_FLAG_ACTS)[number];
  @ApiProperty() @IsIntInRange(1, MAX_INT) questionId: number;
  @ApiPropertyOptional() @Optional() @Transform(trim) @IsReason() reason?: string;
}

class ReorderQuestionCommand {
  @ApiProperty() @IsIn(['question.reorder']) act: 'question.reorder';
  @ApiProperty() @IsIntInRange(1, MAX_INT) questionId: number;
  @ApiProperty({ description: '0 first; clamped to the last place.' }) @IsIntInRange(0, 100_000) position: number;
  @ApiPropertyOptional() @Optional() @Transform(trim) @IsReason() reason?: string;
}

/** question.approve: publish a member's proposed question. */
export class ApproveQuestionCommand {
  @ApiProperty() @IsIn(['question.approve']) act: 'question.approve';
  @ApiProperty() @IsIntInRange(1, MAX_INT) questionId: number;
  @ApiPropertyOptional() @Optional() @Transform(trim) @IsReason() reason?: string;
}

/** question.reject: turn a proposal down; the reason is shown to its author. */
export class RejectQuestionCommand {
  @ApiProperty() @IsIn(['question.reject']) act: 'question.reject';
  @ApiProperty() @IsIntInRange(1, MAX_INT) questionId: number;
  @ApiProperty({ maxLength: 500, description: 'Shown to the member who proposed it.' }) @Transform(trim) @IsReason() reason: string;
}

export class MergeQuestionCommand {
  @ApiProperty() @IsIn(['question.merge']) act: 'question.merge';
  @ApiProperty() @IsIntInRange(1, MAX_INT) questionId: number;
  @ApiProperty() @IsIntInRange(1, MAX_INT) intoQuestionId: number;
  @ApiPropertyOptional() @Optional() @Transform(trim) @IsReason() reason?: string;
}

export class SynthesisCommand {
  @ApiProperty() @IsIn(['question.synthesis']) act: 'question.synthesis';
  @ApiProperty() @IsIntInRange(1, MAX_INT) questionId: number;
  @ApiProperty({ description: 'Markdown; empty removes the synthesis.' }) @IsMarkdownBody({ allowEmpty: true }) body: string;
}

export class SlowModeCommand {
  @ApiProperty() @IsIn(['question.slow_mode']) act: 'question.slow_mode';
  @ApiProperty() @IsIntInRange(1, MAX_INT) questionId: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Seconds between two replies of one person; null turns slow mode off.' })
  @ValidateIf((_o, v) => v !== null) @IsIntInRange(1, 86_400) seconds: number | null;
  @ApiPropertyOptional() @Optional() @Transform(trim) @IsReason() reason?: string;
}

export class ForumSettingsCommand {
  @ApiProperty() @IsIn(['forum.settings']) act: 'forum.settings';
  @ApiProperty() @IsIntInRange(1, MAX_INT) forumId: number;
  @ApiPropertyOptional() @Optional() @IsBoolean() premoderation?: boolean;
  @ApiPropertyOptional() @Optional() @IsIntInRange(0, 100) premoderateFirstReplies?: number;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'null: the server default (FLAG_THRESHOLD).' })
  @OptionalOrNull() @IsIntInRange(1, 100) flagThreshold?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) @OptionalOrNull() @IsIntInRange(1, 86_400) slowModeSeconds?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) @OptionalOrNull() @IsIntInRange(1, 1000) maxRepliesPerHour?: number | null;
  @ApiPropertyOptional({ description: 'Members may propose questions for the moderators to approve.' }) @Optional() @IsBoolean() memberQuestions?: boolean;
  @ApiPropertyOptional() @Optional() @Transform(trim) @IsReason() reason?: string;
}

const YEAR_MS = 366 * 24 * 3600_000;

export class SilenceCommand {
  @ApiProperty() @IsIn(['member.silence']) act: 'member.silence';
  @ApiProperty() @IsIntInRange(1, MAX_INT) forumId: number;
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'accountId must be an account id (a UUID)' }) accountId: string;
  @ApiProperty({ description: 'ISO time in the future, at most a year away.' })
  @IsISO8601({ strict: true }, { message: 'until must be an ISO 8601 time, e.g. 2030-01-01T12:00:00Z' })
  until: string;
  @ApiPropertyOptional() @Optional() @Transform(trim) @IsReason() reason?: string;
}

export class UnsilenceCommand {
  @ApiProperty() @IsIn(['member.unsilence']) act: 'member.unsilence';
  @ApiProperty() @IsIntInRange(1, MAX_INT) forumId: number;
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'accountId must be an account id (a UUID)' }) accountId: string;
  @ApiPropertyOptional() @Optional() @Transform(trim) @IsReason() reason?: string;
}

export type ActCommand =
  | ReplyActCommand | HideReplyCommand | EditReplyCommand | MoveReplyCommand | ResolveFlagsCommand
  | QuestionFlagCommand | ReorderQuestionCommand | ApproveQuestionCommand | RejectQuestionCommand | MergeQuestionCommand | SynthesisCommand | SlowModeCommand
  | ForumSettingsCommand | SilenceCommand | UnsilenceCommand;

const COMMANDS: Record<string, new () => ActCommand> = {
  ...Object.fromEntries(REPLY_ACTS.map((a) => [a, ReplyActCommand])),
  'reply.hide': HideReplyCommand,
  'reply.edit': EditReplyCommand,
  'reply.move': MoveReplyCommand,
  'flags.resolve': ResolveFlagsCommand,
  ...Object.fromEntries(QUESTION_FLAG_ACTS.map((a) => [a, QuestionFlagCommand])),
  'question.reorder': ReorderQuestionCommand,
  'question.approve': ApproveQuestionCommand,
  'question.reject': RejectQuestionCommand,
  'question.merge': MergeQuestionCommand,
  'question.synthesis': SynthesisCommand,
  'question.slow_mode': SlowModeCommand,
  'forum.settings': ForumSettingsCommand,
  'member.silence': SilenceCommand,
  'member.unsilence': UnsilenceCommand,
};
export const ACT_NAMES = Object.keys(COMMANDS);

/** Validates an act command (HTTP body or socket message) against its act's class. */
export async function parseActCommand(raw: unknown): Promise<ActCommand> {
  const act = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as { act?: unknown }).act : undefined;
  const type = typeof act === 'string' && Object.hasOwn(COMMANDS, act) ? COMMANDS[act] : undefined;
  if (!type) {
    const message = `act must be one of: ${ACT_NAMES.join(', ')}`;
    throw badRequest('validation_failed', `Invalid act: ${message}.`, [{ field: 'act', message }]);
  }
  const command = await parseMessage(type, raw, `{ "act": "${String(act)}", ... }`);
  if (command instanceof SilenceCommand) {
    const until = Date.parse(command.until);
    if (!(until > Date.now() && until <= Date.now() + YEAR_MS)) {
      const message = 'until must be in the future and at most a year away';
      throw badRequest('validation_failed', `Invalid input: ${message}.`, [{ field: 'until', message }]);
    }
  }
  return command;
}
