import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class LoginSessionIdParams {
  @ApiProperty({ description: 'A sign-in session id, as listed by GET /api/auth/sessions.', pattern: '^[0-9a-f]{64}$' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'id must be a sign-in session id (64 hexadecimal characters)' })
  id: string;
}
