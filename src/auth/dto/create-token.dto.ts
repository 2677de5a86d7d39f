import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export class CreateTokenDto {
  @ApiProperty({ example: 'nightly export', description: 'What the token is for, so you can recognise it later.' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 100, { message: 'label must be between 1 and 100 characters' })
  label: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 365, default: 90, description: 'Days until the token stops working.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  expiresInDays?: number;
}
