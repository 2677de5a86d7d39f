import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { BIGINT_ID } from '../../discussions/dto/discussion-params.js';
import { IsMarkdownBody } from '../../discussions/dto/input-rules.js';
import type { ClientMessage } from '../../protocol/socket-messages.js';

/** Postgres `integer` ids. */
const MAX_INT = 2147483647;
/** Reply ids are decimal strings; a small JSON number is accepted too. */
const idToString = ({ value }: { value: unknown }) => (typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value);

/** `forum.subscribe`: follow a forum (optionally one of its threads), replaying what was missed after `lastSeq`. */
export class SubscribeMessage implements ClientMessage<'forum.subscribe'> {
  @IsInt({ message: 'forumId must be a positive integer' }) @Min(1, { message: 'forumId must be a positive integer' }) @Max(MAX_INT)
  forumId: number;

  @IsOptional()
  @IsInt({ message: 'questionId must be a positive integer' }) @Min(1, { message: 'questionId must be a positive integer' }) @Max(MAX_INT)
  questionId?: number;

  @IsOptional()
  @IsInt({ message: 'lastSeq must be a whole number, 0 or more' }) @Min(0, { message: 'lastSeq must be a whole number, 0 or more' })
  @Max(Number.MAX_SAFE_INTEGER)
  lastSeq?: number;
}

/** `forum.unsubscribe` and `forum.presence`: one forum. */
export class ForumMessage implements ClientMessage<'forum.unsubscribe'> {
  @IsInt({ message: 'forumId must be a positive integer' }) @Min(1, { message: 'forumId must be a positive integer' }) @Max(MAX_INT)
  forumId: number;
}

/** `thread.typing`: the sender is typing (or, with `typing: false`, stopped) in a thread. */
export class TypingMessage implements ClientMessage<'thread.typing'> {
  @IsInt({ message: 'questionId must be a positive integer' }) @Min(1, { message: 'questionId must be a positive integer' }) @Max(MAX_INT)
  questionId: number;

  @IsOptional() @IsBoolean()
  typing?: boolean;
}

/** `reply.create`: a reply posted over the socket; `clientId` makes retries safe. */
export class CreateReplyMessage implements ClientMessage<'reply.create'> {
  @IsUUID('all', { message: 'clientId must be a UUID chosen by the client (one per reply, reused when retrying)' })
  clientId: string;

  @IsInt({ message: 'questionId must be a positive integer' }) @Min(1, { message: 'questionId must be a positive integer' }) @Max(MAX_INT)
  questionId: number;

  @IsOptional() @Transform(idToString) @Matches(BIGINT_ID, { message: 'parentId must be a reply id (a positive whole number, as a string)' })
  parentId?: string;

  @IsMarkdownBody()
  body: string;
}

/** `reply.vote`: 1 adds the sender's vote, 0 takes it back. */
export class VoteMessage implements ClientMessage<'reply.vote'> {
  @Transform(idToString) @Matches(BIGINT_ID, { message: 'replyId must be a reply id (a positive whole number, as a string)' })
  replyId: string;

  @IsIn([0, 1], { message: 'value must be 1 (vote) or 0 (take the vote back)' })
  value: 0 | 1;
}
