import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsUUID, Matches } from 'class-validator';
import { BIGINT_ID } from './discussion-params.js';
import { trim } from '../../common/transforms.js';
import { IsMarkdownBody, IsReason, MAX_BODY_CHARS, MAX_REASON_CHARS, Optional } from './input-rules.js';

/** Reply ids are strings in the API; a client that sends a small JSON number is met halfway. */
const idToString = ({ value }: { value: unknown }) => (typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value);

export class CreateReplyDto {
  @ApiProperty({ maxLength: MAX_BODY_CHARS, description: 'Markdown.', example: 'In Bilbao we started with the **parking permits**.' })
  @IsMarkdownBody()
  body: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: '42', description: 'The reply this one answers (same question); omit (or null) for a first-level reply.' })
  @IsOptional() @Transform(idToString) @Matches(BIGINT_ID, { message: 'parentId must be a reply id (a positive whole number, as a string)' })
  parentId?: string | null;

  @ApiPropertyOptional({
    format: 'uuid', example: '6f1c2a4e-0d7b-4c1e-9a59-2f8e1d3b7c10',
    description: 'An id the client chooses once per reply and sends again when it retries (e.g. after a failed request): '
      + 'the retry returns the reply stored the first time and stores nothing twice. Reusing it for another question is refused (409 client_id_reused).',
  })
  @IsOptional() @IsUUID('all', { message: 'clientId must be a UUID chosen by the client (one per reply, reused when retrying)' })
  clientId?: string;
}

export class UpdateReplyDto {
  @ApiProperty({ maxLength: MAX_BODY_CHARS, description: 'Markdown; the previous text is kept in the reply\'s history.' })
  @IsMarkdownBody()
  body: string;

  @ApiPropertyOptional({ maxLength: MAX_REASON_CHARS, description: 'A moderator editing someone else\'s reply: why (kept in the moderation record).' })
  @Optional() @Transform(trim) @IsReason()
  reason?: string;
}
