import { ApiProperty } from '@nestjs/swagger';
import type { LoginSessionKind } from '../login-session.entity.js';

/** One of a person's sign-ins (a browser session or an API token), as they see it. */
export class LoginSessionView {
  @ApiProperty({ description: 'Identifies the sign-in (not the secret: that is never shown again).' }) id: string;
  @ApiProperty({ enum: ['cookie', 'token'] }) kind: LoginSessionKind;
  @ApiProperty({ type: String, nullable: true }) label: string | null;
  @ApiProperty({ description: 'The sign-in this request was made with.' }) current: boolean;
  @ApiProperty() createdAt: Date;
  @ApiProperty() lastSeenAt: Date;
  @ApiProperty() expiresAt: Date;
  @ApiProperty({ type: String, nullable: true }) userAgent: string | null;
  @ApiProperty({ type: String, nullable: true }) ip: string | null;
}

export class IssuedTokenView {
  @ApiProperty({ description: 'Send as `Authorization: Bearer <token>`. Shown only this once: store it now.' }) token: string;
  @ApiProperty() id: string;
  @ApiProperty() label: string;
  @ApiProperty() expiresAt: Date;
}
