import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { CursorParam } from '../../common/cursor.js';
import { blankToUndefined, queryInt } from '../../common/transforms.js';
import { FORUM_ROLES, type ForumRole, type MembershipState } from '../forum-membership.entity.js';

export class SetMemberDto {
  @ApiProperty({ enum: FORUM_ROLES, description: 'member, or moderator. Adding a removed person re-admits them.' })
  @IsIn(FORUM_ROLES)
  role: ForumRole;
}

export class ListMembersQuery {
  @ApiPropertyOptional({ enum: ['active', 'removed'], description: 'Moderators only: list removed people instead of active members.' })
  @Transform(blankToUndefined) @IsOptional() @IsIn(['active', 'removed'])
  state?: MembershipState;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 100 })
  @Transform(queryInt) @IsOptional() @IsInt() @Min(1) @Max(200)
  limit: number = 100;

  @CursorParam()
  cursor?: string;
}

/** A person in a forum. Email, state and dates are shown to moderators only. */
export class MemberView {
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ type: String, nullable: true }) organisation: string | null;
  @ApiProperty({ enum: FORUM_ROLES }) role: ForumRole;
  @ApiPropertyOptional({ enum: ['active', 'removed'], description: 'Moderators only.' }) state?: MembershipState;
  @ApiPropertyOptional({ description: 'Moderators only.' }) email?: string;
  @ApiProperty() joinedAt: Date;
  @ApiPropertyOptional({ description: 'Moderators only: last change of role or state.' }) updatedAt?: Date;
}

export class MemberPage {
  @ApiProperty({ type: [MemberView], description: 'Moderators first, then by join date.' }) items: MemberView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class MembershipView {
  @ApiProperty() forumId: number;
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty({ enum: FORUM_ROLES }) role: ForumRole;
  @ApiProperty({ enum: ['active', 'removed'] }) state: MembershipState;
}
