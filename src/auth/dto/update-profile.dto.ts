import { ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsString, MaxLength } from 'class-validator';
import { trim } from '../../common/transforms.js';
import { Omittable } from '../../common/validation.js';
import { LANGUAGES, type Language } from '../account.entity.js';
import { SignUpDto } from './sign-up.dto.js';

const BIO_MAX = 500;

/** The parts of one's own account a person may change (email and password have their own flows). */
export class UpdateProfileDto extends PartialType(PickType(SignUpDto, ['displayName', 'organisation', 'language'] as const)) {
  @ApiPropertyOptional({ maxLength: BIO_MAX, description: 'A short bio for the profile page (plain text).' })
  @Transform(trim) @Omittable() @IsString() @MaxLength(BIO_MAX, { message: `bio must be at most ${BIO_MAX} characters` })
  bio?: string;

  @ApiPropertyOptional({ enum: LANGUAGES, isArray: true, description: 'The languages one reads and writes, shown on the profile.' })
  @Omittable() @IsArray() @ArrayUnique() @ArrayMaxSize(LANGUAGES.length)
  @IsIn(LANGUAGES, { each: true, message: `languages must each be one of: ${LANGUAGES.join(', ')}` })
  languages?: Language[];
}
