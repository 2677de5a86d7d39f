import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { strictInt, trim } from '../../common/transforms.js';
import { BIGINT_ID } from '../../discussions/dto/discussion-params.js';
import { IsIntInRange, IsReason, Optional } from '../../discussions/dto/input-rules.js';
import { PageQuery } from '../../discussions/dto/thread-query.dto.js';
import { FLAG_REASONS, type FlagReason } from './moderation.views.js';
import type { ClientMessage } from '../../protocol/socket-messages.js';

const REASON_MESSAGE = `reason must be one of: ${FLAG_REASONS.join(', ')}`;

export class CreateFlagDto {
  @ApiProperty({ enum: FLAG_REASONS }) @IsIn(FLAG_REASONS, { message: REASON_MESSAGE }) reason: FlagReason;
  @ApiPropertyOptional({ maxLength: 500, description: 'What the moderators should know.' }) @Optional() @Transform(trim) @IsReason() note?: string;
}

const idToString = ({ value }: { value: unknown }) => (typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value);

/** `reply.flag` over a socket: the same as POST /replies/:id/flags. */
export class FlagReplyMessage extends CreateFlagDto implements ClientMessage<'reply.flag'> {
  @Transform(idToString) @Matches(BIGINT_ID, { message: 'replyId must be a reply id (a positive whole number, as a string)' }) replyId: string;
}

export class MyFlagsQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @Transform(strictInt) @IsIntInRange(1, 2147483647) forumId?: number;
}

export const QUEUE_KINDS = ['all', 'flags', 'pending', 'question'] as const;

export class QueueQuery extends PageQuery {
  @ApiPropertyOptional({ enum: QUEUE_KINDS, default: 'all' })
  @IsOptional() @IsIn(QUEUE_KINDS, { message: 'kind must be all, flags, pending or question' })
  kind: (typeof QUEUE_KINDS)[number] = 'all';
}
