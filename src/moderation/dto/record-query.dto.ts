import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';
import { blankToUndefined, strictInt } from '../../common/transforms.js';
import { IsIntInRange } from '../../discussions/dto/input-rules.js';
import { PageQuery } from '../../discussions/dto/thread-query.dto.js';
import { MODERATION_ACTS } from '../moderation-acts.js';

const toActList = ({ value }: { value: unknown }) => {
  const list = (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v]));
  const trimmed = list.map((v) => (typeof v === 'string' ? v.trim() : v)).filter((v) => v !== '');
  return trimmed.length ? trimmed : undefined;
};

/** Filters of the record (all optional, combined with AND). */
export class ActionsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'One or more act names (repeat, or comma-separated), e.g. reply.hide,reply.delete.', type: [String] })
  @Transform(toActList) @IsOptional() @IsIn(MODERATION_ACTS, { each: true, message: `act must be one of: ${MODERATION_ACTS.join(', ')}` })
  act?: string[];

  @ApiPropertyOptional({ format: 'uuid' }) @Transform(blankToUndefined) @IsOptional() @IsUUID('all', { message: 'actorId must be an account id (a UUID)' })
  actorId?: string;

  @ApiPropertyOptional({ enum: ['reply', 'question', 'forum', 'account'] })
  @Transform(blankToUndefined) @IsOptional() @IsIn(['reply', 'question', 'forum', 'account'], { message: 'targetKind must be reply, question, forum or account' })
  targetKind?: 'reply' | 'question' | 'forum' | 'account';

  @ApiPropertyOptional() @Transform(blankToUndefined) @IsOptional() @Matches(/^[0-9a-f-]{1,64}$/i, { message: 'targetId must be an id' })
  targetId?: string;

  @ApiPropertyOptional() @IsOptional() @Transform(strictInt) @IsIntInRange(1, 2147483647) questionId?: number;

  @ApiPropertyOptional({ description: 'ISO time: acts at or after it.' }) @Transform(blankToUndefined) @IsOptional() @IsISO8601({}, { message: 'since must be an ISO 8601 time' })
  since?: string;

  @ApiPropertyOptional({ description: 'ISO time: acts before it.' }) @Transform(blankToUndefined) @IsOptional() @IsISO8601({}, { message: 'until must be an ISO 8601 time' })
  until?: string;
}

export class MyActionsQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @Transform(strictInt) @IsIntInRange(1, 2147483647) forumId?: number;
}
