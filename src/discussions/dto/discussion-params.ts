import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { strictInt } from '../../common/transforms.js';
import { Matches } from 'class-validator';
import { IsIntInRange } from './input-rules.js';

/** Postgres `integer` ids: refuse what would overflow the column instead of failing in the database. */
const MAX_INT = 2147483647;
/** Postgres `bigint` reply ids travel as decimal strings (JSON numbers lose precision past 2^53). */
export const BIGINT_ID = /^[1-9][0-9]{0,17}$/;

export class ForumIdParams {
  @ApiProperty({ example: 1 })
  @Transform(strictInt) @IsIntInRange(1, MAX_INT)
  forumId: number;
}

export class QuestionIdParams {
  @ApiProperty({ example: 1 })
  @Transform(strictInt) @IsIntInRange(1, MAX_INT)
  id: number;
}

export class ReplyIdParams {
  @ApiProperty({ example: '42', description: 'Reply id (bigint, decimal).' })
  @Matches(BIGINT_ID, { message: 'id must be a reply id (a positive whole number)' })
  id: string;
}
