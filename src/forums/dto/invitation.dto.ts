import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CursorParam } from '../../common/cursor.js';
import { blankToUndefined, queryInt } from '../../common/transforms.js';
import { FORUM_STATES, FORUM_VISIBILITIES, type ForumState, type ForumVisibility } from '../forum.entity.js';
import { ForumView } from './forum.view.js';

const INVITATION_STATUSES = ['pending', 'expired', 'revoked', 'used_up'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

const lowerTrim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class CreateInvitationDto {
  @ApiPropertyOptional({ example: 'ana@example.org', description: 'Invite this person (single use). Without an email, a link is created.' })
  @IsOptional() @Transform(lowerTrim) @IsString() @MaxLength(254) @IsEmail({}, { message: '$property must be an email address' })
  email?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 10000, default: 10, description: 'Links only: how many people may use it.' })
  @IsOptional() @IsInt() @Min(1) @Max(10000)
  maxUses?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 2160, default: 168, description: 'Hours until it expires (at most 90 days; default 7 days).' })
  @IsOptional() @IsInt() @Min(1) @Max(2160)
  expiresInHours?: number;
}

export class AcceptInvitationDto {
  @ApiProperty({ description: 'The token from the invitation link (`/invite/<token>`).' })
  @IsString() @Matches(/^[A-Za-z0-9_-]{20,200}$/, { message: '$property must be the token of an invitation link' })
  token: string;
}

export class ListInvitationsQuery {
  @ApiPropertyOptional({ enum: INVITATION_STATUSES })
  @Transform(blankToUndefined) @IsOptional() @IsIn(INVITATION_STATUSES)
  status?: InvitationStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @Transform(queryInt) @IsOptional() @IsInt() @Min(1) @Max(100)
  limit: number = 50;

  @CursorParam()
  cursor?: string;
}

export class InvitationCreator {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() displayName: string;
}

/** An invitation as its forum's moderators see it (never with its token). */
export class InvitationView {
  @ApiProperty() id: number;
  @ApiProperty() forumId: number;
  @ApiProperty({ enum: ['email', 'link'] }) kind: 'email' | 'link';
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ enum: INVITATION_STATUSES }) status: InvitationStatus;
  @ApiProperty() expiresAt: Date;
  @ApiProperty() maxUses: number;
  @ApiProperty() useCount: number;
  @ApiProperty({ type: Date, nullable: true }) revokedAt: Date | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: InvitationCreator, nullable: true }) createdBy: InvitationCreator | null;
}

export class CreatedInvitation {
  @ApiProperty({ type: InvitationView }) invitation: InvitationView;
  @ApiProperty({ description: 'Shown this once: the secret token. For an email invitation, pass the link to that person (no email is sent); only their account can use it.' }) token: string;
  @ApiProperty({ example: '/invite/3q2-…', description: 'Shown this once: the path to share (prefix it with the site address).' })
  url: string;
}

export class InvitationPage {
  @ApiProperty({ type: [InvitationView], description: 'Newest first.' }) items: InvitationView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class InvitedForum {
  @ApiProperty() id: number;
  @ApiProperty() sessionId: number;
  @ApiProperty() slug: string;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty({ enum: FORUM_VISIBILITIES }) visibility: ForumVisibility;
  @ApiProperty({ enum: FORUM_STATES }) state: ForumState;
}

/** An invitation as the invited person (or a link's holder) sees it. */
export class ReceivedInvitation {
  @ApiProperty() id: number;
  @ApiProperty({ enum: INVITATION_STATUSES }) status: InvitationStatus;
  @ApiProperty() expiresAt: Date;
  @ApiProperty({ type: InvitedForum }) forum: InvitedForum;
  @ApiProperty() sessionTitle: string;
  @ApiProperty({ type: String, nullable: true }) invitedBy: string | null;
}

export class AcceptedInvitation {
  @ApiProperty({ description: 'True when the caller was already a member (no use of the invitation was spent).' }) alreadyMember: boolean;
  @ApiProperty({ type: ForumView }) forum: ForumView;
}
