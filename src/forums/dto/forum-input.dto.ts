import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { CursorParam } from '../../common/cursor.js';
import { blankToUndefined, queryBoolean, queryInt, trim } from '../../common/transforms.js';
import { FORUM_STATES, FORUM_VISIBILITIES, type ForumState, type ForumVisibility } from '../forum.entity.js';

const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export class CreateForumDto {
  @ApiProperty({ example: 'Learning forum on digitalisation', maxLength: 200 })
  @Transform(trim) @IsString() @Length(1, 200)
  title: string;

  @ApiPropertyOptional({ example: 'learning-forum-on-digitalisation', description: 'Unique within the session; defaults to one made from the title.' })
  @IsOptional() @IsString() @MaxLength(120)
  @Matches(SLUG_PATTERN, { message: '$property must be lower-case letters and digits separated by single hyphens' })
  slug?: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional() @Transform(trim) @IsString() @MaxLength(5000)
  description?: string;

  @ApiProperty({ enum: FORUM_VISIBILITIES, description: 'public: anyone reads; members: any signed-in member; invite_only: invited members only.' })
  @IsIn(FORUM_VISIBILITIES)
  visibility: ForumVisibility;

  @ApiPropertyOptional({ enum: FORUM_STATES, default: 'open' })
  @IsOptional() @IsIn(FORUM_STATES)
  state?: ForumState;
}

/** Every field optional. Visibility and state changes take effect at once. */
export class UpdateForumDto extends PartialType(CreateForumDto) {}

export class ListForumsQuery {
  @ApiPropertyOptional({ description: 'Only the forums of this session (id).' })
  @Transform(queryInt) @IsOptional() @IsInt() @Min(1) @Max(2_147_483_647)
  sessionId?: number;

  @ApiPropertyOptional({ enum: FORUM_VISIBILITIES })
  @Transform(blankToUndefined) @IsOptional() @IsIn(FORUM_VISIBILITIES)
  visibility?: ForumVisibility;

  @ApiPropertyOptional({ enum: FORUM_STATES })
  @Transform(blankToUndefined) @IsOptional() @IsIn(FORUM_STATES)
  state?: ForumState;

  @ApiPropertyOptional({ description: 'true: only forums where the caller is an active member or moderator (sign-in needed).' })
  @Transform(queryBoolean) @IsOptional() @IsBoolean()
  mine?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @Transform(queryInt) @IsOptional() @IsInt() @Min(1) @Max(100)
  limit: number = 50;

  @CursorParam()
  cursor?: string;
}
