import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, Length, MaxLength, MinLength } from 'class-validator';
import { LANGUAGES, type Language } from '../account.entity.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

export class SignUpDto {
  @ApiProperty({ example: 'ana@example.org', description: 'Unique, compared without regard to case.' })
  @Transform(trim)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX, writeOnly: true })
  @IsString()
  @MinLength(PASSWORD_MIN, { message: `password must be at least ${PASSWORD_MIN} characters long` })
  @MaxLength(PASSWORD_MAX)
  password: string;

  @ApiProperty({ example: 'Ana García', minLength: 1, maxLength: 80 })
  @Transform(trim)
  @IsString()
  @Length(1, 80, { message: 'displayName must be between 1 and 80 characters' })
  displayName: string;

  @ApiPropertyOptional({ example: 'Barcelona Metropolitan Area', maxLength: 120, description: 'Organisation or city.' })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MaxLength(120)
  organisation?: string;

  @ApiPropertyOptional({ enum: LANGUAGES, default: 'en', description: 'Preferred language.' })
  @IsOptional()
  @IsIn(LANGUAGES, { message: `language must be one of: ${LANGUAGES.join(', ')}` })
  language?: Language;
}
