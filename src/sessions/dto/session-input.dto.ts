import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsISO8601, IsOptional, IsString, IsUrl, Length, Matches, MaxLength, ValidateNested,
} from 'class-validator';
import { LANGUAGES, type Language } from '../../auth/account.entity.js';
import { trim, trimEach } from '../../common/transforms.js';
import { DOCUMENT_KINDS, type DocumentKind } from '../session-document.entity.js';
import { SESSION_KINDS, SESSION_STATES, type SessionKind, type SessionState } from '../session.entity.js';

const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const SLUG_MESSAGE = '$property must be lower-case letters and digits separated by single hyphens, e.g. "sustainable-urban-mobility"';

export class SessionDateInput {
  @ApiProperty({ example: '2021-05-17T13:00:00Z', description: 'ISO 8601 with a time zone.' })
  @IsISO8601({ strict: true }) @Matches(/(Z|[+-]\d{2}:?\d{2})$/, { message: '$property must include a time zone (Z or +hh:mm)' })
  startsAt: string;

  @ApiProperty({ example: '2021-05-17T15:00:00Z', description: 'ISO 8601 with a time zone; after startsAt.' })
  @IsISO8601({ strict: true }) @Matches(/(Z|[+-]\d{2}:?\d{2})$/, { message: '$property must include a time zone (Z or +hh:mm)' })
  endsAt: string;
}

export class SessionDocumentInput {
  @ApiProperty({ enum: DOCUMENT_KINDS })
  @IsIn(DOCUMENT_KINDS)
  kind: DocumentKind;

  @ApiProperty({ enum: LANGUAGES })
  @IsIn(LANGUAGES)
  language: Language;

  @ApiProperty({ example: 'Concept note (English)', maxLength: 200 })
  @Transform(trim) @IsString() @Length(1, 200)
  title: string;

  @ApiProperty({ example: 'https://www.metropolis.org/sites/default/files/concept-note.pdf' })
  @IsString() @MaxLength(2000) @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: '$property must be an http(s) URL' })
  url: string;
}

export class CreateSessionDto {
  @ApiPropertyOptional({ example: 'sustainable-urban-mobility', description: 'Defaults to one made from the title.' })
  @IsOptional() @IsString() @MaxLength(120) @Matches(SLUG_PATTERN, { message: SLUG_MESSAGE })
  slug?: string;

  @ApiProperty({ enum: SESSION_KINDS })
  @IsIn(SESSION_KINDS)
  kind: SessionKind;

  @ApiProperty({ example: 'Sustainable urban mobility', maxLength: 200 })
  @Transform(trim) @IsString() @Length(1, 200)
  title: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional() @Transform(trim) @IsString() @MaxLength(5000)
  summary?: string;

  @ApiProperty({ example: 'Metropolis', maxLength: 200 })
  @Transform(trim) @IsString() @Length(1, 200)
  organiser: string;

  @ApiPropertyOptional({ type: [String], example: ['UITP'] })
  @IsOptional() @Transform(trimEach) @IsArray() @ArrayMaxSize(50) @ArrayUnique() @IsString({ each: true }) @Length(1, 200, { each: true })
  partners?: string[];

  @ApiPropertyOptional({ type: [String], example: ['Madrid', 'Seoul'] })
  @IsOptional() @Transform(trimEach) @IsArray() @ArrayMaxSize(100) @ArrayUnique() @IsString({ each: true }) @Length(1, 120, { each: true })
  cities?: string[];

  @ApiPropertyOptional({ type: [String], example: ['mobility'] })
  @IsOptional() @Transform(trimEach) @IsArray() @ArrayMaxSize(30) @ArrayUnique() @IsString({ each: true }) @Length(1, 120, { each: true })
  topics?: string[];

  @ApiPropertyOptional({ enum: LANGUAGES, isArray: true, default: ['en'] })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayUnique() @IsIn(LANGUAGES, { each: true })
  languages?: Language[];

  @ApiPropertyOptional({ enum: SESSION_STATES, default: 'scheduled' })
  @IsOptional() @IsIn(SESSION_STATES)
  state?: SessionState;

  @ApiPropertyOptional({ type: [SessionDateInput], description: 'Replaces all dates of the session when given.' })
  @IsOptional() @IsArray() @ArrayMaxSize(60) @ValidateNested({ each: true }) @Type(() => SessionDateInput)
  dates?: SessionDateInput[];

  @ApiPropertyOptional({ type: [SessionDocumentInput], description: 'Replaces all documents of the session when given.' })
  @IsOptional() @IsArray() @ArrayMaxSize(60) @ValidateNested({ each: true }) @Type(() => SessionDocumentInput)
  documents?: SessionDocumentInput[];
}

/** Every field optional; `dates` and `documents`, when given, replace the session's lists. */
export class UpdateSessionDto extends PartialType(CreateSessionDto) {}
