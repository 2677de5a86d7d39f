import { ApiProperty } from '@nestjs/swagger';

const NOTIFICATION_KINDS = [
  'reply_to_reply',
  'reply_to_question',
  'mention',
  'watched_reply',
  'watched_question',
  'reply_featured',
  'reply_hidden',
  'reply_approved',
  'flag_resolved',
  'invitation_accepted',
  'live_question_handed_over',
  'moderation_queue',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export class NotificationActorView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() displayName: string;
}

export class NotificationView {
  @ApiProperty({ description: 'bigint, as a string' }) id: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS }) kind: NotificationKind;
  @ApiProperty() forumId: number;
  @ApiProperty({ type: Number, nullable: true }) questionId: number | null;
  @ApiProperty({ type: String, nullable: true }) replyId: string | null;
  @ApiProperty({ type: NotificationActorView, nullable: true, description: 'Who caused it (null for moderators\' acts and anonymous askers).' })
  actor: NotificationActorView | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What to show: questionTitle, forumTitle, and per kind e.g. reason (hidden), outcome (flag resolved).' })
  data: Record<string, unknown>;
  @ApiProperty({ description: 'Where it happened: /forums/:forumId/questions/:questionId#reply-:replyId (or the forum).' }) link: string;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: Date, nullable: true }) readAt: Date | null;
}

/** Notifications of one thread (or one forum-wide notification), newest first: "3 new replies in …". */
export class NotificationGroupView {
  @ApiProperty() forumId: number;
  @ApiProperty({ type: Number, nullable: true }) questionId: number | null;
  @ApiProperty({ type: String, nullable: true }) questionTitle: string | null;
  @ApiProperty({ description: 'Notifications in the group (on this page).' }) count: number;
  @ApiProperty() unread: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'Notifications per kind in the group.' }) kinds: Record<string, number>;
  @ApiProperty() latestAt: Date;
  @ApiProperty({ type: [NotificationView], description: 'Newest first.' }) items: NotificationView[];
}

export class NotificationPage {
  @ApiProperty({ type: [NotificationGroupView] }) groups: NotificationGroupView[];
  @ApiProperty({ description: 'Unread notifications in all.' }) unread: number;
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `before` for older notifications.' }) nextCursor: string | null;
}

export class UnreadCount {
  @ApiProperty() unread: number;
}

export class FollowingView {
  @ApiProperty() forumId: number;
  @ApiProperty({ type: Number, nullable: true }) questionId: number | null;
  @ApiProperty({ enum: ['watching', 'normal', 'muted'], description: 'The level in effect (the thread\'s own, else the forum\'s, else normal).' })
  level: 'watching' | 'normal' | 'muted';
  @ApiProperty({ description: 'Where the level comes from.', enum: ['question', 'forum', 'default'] }) source: 'question' | 'forum' | 'default';
}

/** Someone who can be @mentioned in a forum. */
export class ParticipantView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() displayName: string;
}

export class ParticipantList {
  @ApiProperty({ type: [ParticipantView] }) items: ParticipantView[];
}
