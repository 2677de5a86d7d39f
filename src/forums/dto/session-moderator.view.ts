import { ApiProperty } from '@nestjs/swagger';

/** An organiser of a session: moderator of all its forums. */
export class SessionModeratorView {
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ type: String, nullable: true }) organisation: string | null;
  @ApiProperty() since: Date;
}
