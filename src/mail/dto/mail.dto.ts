import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { MAIL_KINDS, type MailKind } from '../mail-render.js';

const FREQUENCIES = ['immediate', 'daily', 'weekly', 'none'] as const;

export class MailKindsDto implements Partial<Record<MailKind, boolean>> {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() replies?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() mentions?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() watching?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() moderation?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() forum?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() digest?: boolean;
}

export class MailPreferencesDto {
  @ApiPropertyOptional({ enum: FREQUENCIES, description: 'Each notification as it happens (bursts coalesced), a daily or weekly digest, or no mail.' })
  @IsOptional() @IsIn(FREQUENCIES, { message: `frequency must be one of ${FREQUENCIES.join(', ')}` })
  frequency?: (typeof FREQUENCIES)[number];

  @ApiPropertyOptional({ type: MailKindsDto, description: 'Per kind: false stops those mails.' })
  @IsOptional() @ValidateNested() @Type(() => MailKindsDto)
  kinds?: MailKindsDto;
}

export class UnsubscribeQuery {
  @ApiProperty({ description: 'The token from the mail\'s link.' })
  @IsString() @Matches(/^[A-Za-z0-9_-]{20,100}$/, { message: 'token must be the token of an unsubscribe link' })
  token: string;

  @ApiProperty({ enum: [...MAIL_KINDS, 'all'] })
  @IsIn([...MAIL_KINDS, 'all'], { message: `kind must be one of ${[...MAIL_KINDS, 'all'].join(', ')}` })
  kind: MailKind | 'all';
}
