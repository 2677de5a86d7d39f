import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

export class SignOutQuery {
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'End every sign-in of this account (all browsers and API tokens), not just this one.' })
  @Transform(({ value }) => (value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value))
  @IsOptional()
  @IsBoolean({ message: 'everywhere must be true or false' })
  everywhere?: boolean;
}
