import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean } from 'class-validator';
import { trim } from '../../common/transforms.js';
import { IsIntInRange, IsMarkdownBody, IsTitle, MAX_BODY_CHARS, MAX_TITLE_CHARS, Optional } from './input-rules.js';

const MAX_POSITION = 100_000;

export class CreateQuestionDto {
  @ApiProperty({ maxLength: MAX_TITLE_CHARS, example: 'Which public services did your city digitalise first, and why?' })
  @Transform(trim) @IsTitle()
  title: string;

  @ApiPropertyOptional({ maxLength: MAX_BODY_CHARS, description: 'Markdown.', default: '' })
  @Optional() @IsMarkdownBody({ allowEmpty: true })
  body?: string;

  @ApiPropertyOptional({ minimum: 0, description: 'Place among the forum\'s questions, 0 first; default: last. Others move down to make room.' })
  @Optional() @IsIntInRange(0, MAX_POSITION)
  position?: number;

  @ApiPropertyOptional({ default: false }) @Optional() @IsBoolean() pinned?: boolean;
  @ApiPropertyOptional({ default: false, description: 'Only moderators may reply.' }) @Optional() @IsBoolean() locked?: boolean;
  @ApiPropertyOptional({ default: false, description: 'Nobody may reply.' }) @Optional() @IsBoolean() closed?: boolean;
}

/** Moderators' changes to a question; send at least one field. */
export class UpdateQuestionDto {
  @ApiPropertyOptional({ maxLength: MAX_TITLE_CHARS })
  @Optional() @Transform(trim) @IsTitle()
  title?: string;

  @ApiPropertyOptional({ maxLength: MAX_BODY_CHARS, description: 'Markdown.' })
  @Optional() @IsMarkdownBody({ allowEmpty: true })
  body?: string;

  @ApiPropertyOptional({ minimum: 0, description: 'New place, 0 first (clamped to the last place); the questions in between shift by one.' })
  @Optional() @IsIntInRange(0, MAX_POSITION)
  position?: number;

  @ApiPropertyOptional() @Optional() @IsBoolean() pinned?: boolean;
  @ApiPropertyOptional() @Optional() @IsBoolean() locked?: boolean;
  @ApiPropertyOptional() @Optional() @IsBoolean() closed?: boolean;
}

/** A member's proposed question: a title and a body, as questions have (a moderator places it when approving). */
export class ProposeQuestionDto extends PickType(CreateQuestionDto, ['title', 'body'] as const) {}
