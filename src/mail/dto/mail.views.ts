import { ApiProperty } from '@nestjs/swagger';
import { MAIL_KINDS, type MailKind } from '../mail-render.js';

export class MailPreferencesView {
  @ApiProperty({ enum: ['immediate', 'daily', 'weekly', 'none'] }) frequency: 'immediate' | 'daily' | 'weekly' | 'none';
  @ApiProperty({
    type: 'object',
    properties: Object.fromEntries(MAIL_KINDS.map((k) => [k, { type: 'boolean' }])),
    required: [...MAIL_KINDS],
    description: 'Per kind (replies, mentions, watching, moderation, forum, digest): whether it is mailed.' })
  kinds: Record<MailKind, boolean>;
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
