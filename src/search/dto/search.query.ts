import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { LANGUAGES, type Language } from '../../auth/account.entity.js';
import { CursorParam } from '../../common/cursor.js';
import { blankToUndefined, queryInt } from '../../common/transforms.js';

export const SEARCH_KINDS = ['session', 'forum', 'question', 'reply', 'live_question'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** `GET /api/search`: the words, and filters that narrow every kind they apply to. */
export class SearchQuery {
  @ApiPropertyOptional({ description: 'The words to find (web-search syntax: "a phrase", -word, or). Matched in English, Spanish and French, accents ignored.', example: 'ciclovías Bogotá' })
  @Transform(blankToUndefined) @IsString() @MinLength(1) @MaxLength(200)
  q: string;

  @ApiPropertyOptional({ enum: SEARCH_KINDS, description: 'One kind only, a page of it (with `cursor` for the next). Without it: the first results of every kind.' })
  @Transform(blankToUndefined) @IsOptional() @IsIn(SEARCH_KINDS)
  kind?: SearchKind;

  @ApiPropertyOptional({ description: 'Within this session (id or slug).' })
  @Transform(blankToUndefined) @IsOptional() @IsString() @MaxLength(120)
  session?: string;

  @ApiPropertyOptional({ description: 'Within this forum: its questions and replies.' })
  // forum ids are int4: a bigger number is a 400, not a failed cast in PostgreSQL.
  @Transform(queryInt) @IsOptional() @IsInt() @Min(1) @Max(2147483647)
  forum?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'Written by this member: questions, replies, live questions not asked anonymously.' })
  @Transform(blankToUndefined) @IsOptional() @IsUUID()
  author?: string;

  @ApiPropertyOptional({ description: "A city: sessions, forums and questions of sessions it took part in; replies and live questions whose author's organisation or city names it (accents and case ignored)." })
  @Transform(blankToUndefined) @IsOptional() @IsString() @MaxLength(120)
  city?: string;

  @ApiPropertyOptional({ enum: LANGUAGES, description: "Replies written in this language (detected); sessions, forums and questions of sessions held in it." })
  @Transform(blankToUndefined) @IsOptional() @IsIn(LANGUAGES)
  language?: Language;

  @ApiPropertyOptional({ description: 'Written (or, for a session, held) at or after this time (ISO 8601).' })
  @Transform(blankToUndefined) @IsOptional() @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Before this time (ISO 8601).' })
  @Transform(blankToUndefined) @IsOptional() @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 50, description: 'Results per kind: default 5 without `kind`, 20 with it.' })
  @Transform(queryInt) @IsOptional() @IsInt() @Min(1) @Max(50)
  limit?: number;

  @CursorParam({ description: 'The `nextCursor` of the previous page of this `kind`, unchanged.' })
  cursor?: string;
}
