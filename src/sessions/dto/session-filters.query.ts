import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { LANGUAGES, type Language } from '../../auth/account.entity.js';
import { CursorParam } from '../../common/cursor.js';
import { blankToUndefined, queryInt } from '../../common/transforms.js';
import { SESSION_KINDS, SESSION_STATES, type SessionKind, type SessionState } from '../session.entity.js';

/** Filters of the session catalogue; an empty value means "no filter". */
export class SessionFiltersQuery {
  @ApiPropertyOptional({ description: 'Sessions with this topic (exact, as listed by /api/sessions/facets).', example: 'digitalisation' })
  @Transform(blankToUndefined) @IsOptional() @IsString() @MaxLength(120)
  topic?: string;

  @ApiPropertyOptional({ description: 'Sessions by this organiser (case-insensitive, whole name).', example: 'Metropolis Learning Hub Chengdu' })
  @Transform(blankToUndefined) @IsOptional() @IsString() @MaxLength(200)
  organiser?: string;

  @ApiPropertyOptional({ description: 'Sessions in which this city took part (exact).', example: 'Barcelona' })
  @Transform(blankToUndefined) @IsOptional() @IsString() @MaxLength(120)
  city?: string;

  @ApiPropertyOptional({ enum: SESSION_STATES })
  @Transform(blankToUndefined) @IsOptional() @IsIn(SESSION_STATES)
  state?: SessionState;

  @ApiPropertyOptional({ enum: SESSION_KINDS })
  @Transform(blankToUndefined) @IsOptional() @IsIn(SESSION_KINDS)
  kind?: SessionKind;

  @ApiPropertyOptional({ enum: LANGUAGES, description: 'Sessions held in (or with documents in) this language.' })
  @Transform(blankToUndefined) @IsOptional() @IsIn(LANGUAGES)
  language?: Language;

  @ApiPropertyOptional({ description: 'Words to find in the title or summary (case-insensitive).', example: 'mobility' })
  @Transform(blankToUndefined) @IsOptional() @IsString() @MaxLength(200)
  q?: string;
}

export class ListSessionsQuery extends SessionFiltersQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20, description: 'Sessions per page.' })
  @Transform(queryInt) @IsOptional() @IsInt() @Min(1) @Max(100)
  limit: number = 20;

  @CursorParam()
  cursor?: string;
}
