import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_MAX, PASSWORD_MIN } from './sign-up.dto.js';

export class RequestPasswordResetDto {
  @ApiProperty({ example: 'ana@example.org' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString() @MaxLength(254) @IsEmail({}, { message: 'email must be an email address' })
  email: string;
}

export class ConfirmPasswordResetDto {
  @ApiProperty({ description: 'The token from the mailed link.' })
  @IsString() @Matches(/^[A-Za-z0-9_-]{20,200}$/, { message: 'token must be the token of a password reset link' })
  token: string;

  @ApiProperty({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX, writeOnly: true })
  @IsString()
  @MinLength(PASSWORD_MIN, { message: `password must be at least ${PASSWORD_MIN} characters long` })
  @MaxLength(PASSWORD_MAX)
  password: string;
}

export class ConfirmEmailDto {
  @ApiProperty({ description: 'The token from the mailed confirmation link.' })
  @IsString() @Matches(/^[A-Za-z0-9_-]{20,200}$/, { message: 'token must be the token of an address confirmation link' })
  token: string;
}
