import { ApiProperty } from '@nestjs/swagger';
import type { MailKind } from '../mail-render.js';

/** Per kind of mail, whether it is sent. */
export class MailKinds implements Record<MailKind, boolean> {
  @ApiProperty() replies: boolean;
  @ApiProperty() mentions: boolean;
  @ApiProperty() watching: boolean;
  @ApiProperty() moderation: boolean;
  @ApiProperty() forum: boolean;
  @ApiProperty() digest: boolean;
}

export class MailPreferencesView {
  @ApiProperty({ enum: ['immediate', 'daily', 'weekly', 'none'] }) frequency: 'immediate' | 'daily' | 'weekly' | 'none';
  @ApiProperty({ type: MailKinds, description: 'Per kind (replies, mentions, watching, moderation, forum, digest): whether it is mailed.' }) kinds: MailKinds;
}

export class UnsubscribeView {
  @ApiProperty() kind: string;
  @ApiProperty() subscribed: boolean;
}

export class OutboxMailView {
  @ApiProperty() id: string;
  @ApiProperty() to: string;
  @ApiProperty() subject: string;
  @ApiProperty() kind: string;
  @ApiProperty({ description: 'The plain-text part.' }) text: string;
  @ApiProperty() createdAt: Date;
}

export class OutboxPage {
  @ApiProperty({ type: [OutboxMailView] }) items: OutboxMailView[];
}
