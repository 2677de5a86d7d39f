import { ApiProperty } from '@nestjs/swagger';
import { FORUM_ROLES, type ForumRole, type MembershipState } from '../forum-membership.entity.js';
import { FORUM_STATES, FORUM_VISIBILITIES, type ForumState, type ForumVisibility } from '../forum.entity.js';

/** A forum in a list: what it is and how busy it is. */
export class ForumSummaryView {
  @ApiProperty() id: number;
  @ApiProperty() sessionId: number;
  @ApiProperty({ example: 'learning-forum-on-digitalisation' }) slug: string;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty({ enum: FORUM_VISIBILITIES }) visibility: ForumVisibility;
  @ApiProperty({ enum: FORUM_STATES }) state: ForumState;
  @ApiProperty() questionCount: number;
  @ApiProperty({ description: 'Replies in all threads, from the sharded thread counters.' }) replyCount: number;
}

export class ForumSessionRef {
  @ApiProperty() id: number;
  @ApiProperty() slug: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: ['scheduled', 'live', 'ended'] }) state: string;
}

export class PostRefusal {
  @ApiProperty({ enum: ['unauthenticated', 'removed', 'not_invited', 'forum_closed', 'forum_archived'] }) code: string;
  @ApiProperty() message: string;
}

/** The caller's standing in a forum. */
export class ForumViewer {
  @ApiProperty({ enum: FORUM_ROLES, nullable: true, description: 'Role from the caller\'s membership, if any.' })
  role: ForumRole | null;
  @ApiProperty({ enum: ['active', 'removed'], nullable: true }) membershipState: MembershipState | null;
  @ApiProperty({ description: 'Global admins moderate every forum.' }) isAdmin: boolean;
  @ApiProperty() canModerate: boolean;
  @ApiProperty({ description: 'Whether the caller may reply and vote (signed-in people join public and members-only forums on their first post).' })
  canPost: boolean;
  @ApiProperty({ type: PostRefusal, nullable: true, description: 'Why the caller may not post, or null.' })
  postRefusal: PostRefusal | null;
}

/** One forum as the caller sees it. */
export class ForumView extends ForumSummaryView {
  @ApiProperty({ type: ForumSessionRef }) session: ForumSessionRef;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
  @ApiProperty({ description: 'Members may propose questions for the moderators to approve (a moderation setting, on by default).' }) memberQuestions: boolean;
  @ApiProperty({ type: ForumViewer }) viewer: ForumViewer;
}

export class ForumListItem extends ForumSummaryView {
  @ApiProperty({ type: ForumSessionRef }) session: ForumSessionRef;
}

export class ForumPage {
  @ApiProperty({ type: [ForumListItem] }) items: ForumListItem[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
