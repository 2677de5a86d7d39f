import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { BIGINT_ID } from '../../discussions/dto/discussion-params.js';
import { FOLLOW_LEVELS, type FollowLevel } from '../following.js';

export class NotificationQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50, description: 'Notifications per page (grouped after paging).' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'Only unread ones.' })
  @IsOptional() @Type(() => String) @IsIn(['true', 'false'])
  unread?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'nextCursor of the previous page.' })
  @IsOptional() @Matches(BIGINT_ID, { message: 'before must be a notification id' })
  before?: string;
}

export class MarkReadDto {
  @ApiPropertyOptional({ type: [String], description: 'These notifications.' })
  @IsOptional() @IsArray() @ArrayMaxSize(500) @Matches(BIGINT_ID, { each: true, message: 'each of ids must be a notification id' })
  ids?: string[];

  @ApiPropertyOptional({ description: 'Every notification of this thread.' })
  // question ids are int4: a bigger number is a 400, not a failed cast in PostgreSQL.
  @IsOptional() @IsInt() @Min(1) @Max(2147483647)
  questionId?: number;

  @ApiPropertyOptional({ description: 'Every notification (mark all read).' })
  @IsOptional() @IsBoolean()
  all?: boolean;
}

export class FollowDto {
  @ApiProperty({ enum: FOLLOW_LEVELS })
  @IsIn(FOLLOW_LEVELS, { message: `level must be one of ${FOLLOW_LEVELS.join(', ')}` })
  level: FollowLevel;
}

export class ReadPositionDto {
  @ApiProperty({ description: 'The newest reply the member has seen (bigint as a string).' })
  @Matches(BIGINT_ID, { message: 'replyId must be a reply id' })
  replyId: string;
}

export class ParticipantQuery {
  @ApiProperty({ minLength: 1, maxLength: 50, description: 'The start of a name (or of one of its words), as typed after "@".' })
  @IsString({ message: 'prefix must be text' }) @Length(1, 50, { message: 'prefix must be 1 to 50 characters' })
  prefix: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 20, default: 8 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(20)
  limit?: number;
}
