import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { CursorParam, MAX_CURSOR_LENGTH } from '../../common/cursor.js';
import { strictInt } from '../../common/transforms.js';
import { IsIntInRange } from './input-rules.js';

const THREAD_ORDERS = ['tree', 'top'] as const;
export type ThreadOrder = (typeof THREAD_ORDERS)[number];
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;

/** A page of a list read by keyset: `cursor` is the previous page's `nextCursor`, unchanged (empty: the first page). */
export class PageQuery {
  @CursorParam({ maxLength: MAX_CURSOR_LENGTH, description: 'The `nextCursor` of the previous page, unchanged; leave out (or empty) for the first page.' })
  cursor?: string;

  /** The old name of `cursor`, still read for one release (the web client sends it today). */
  @CursorParam({ maxLength: MAX_CURSOR_LENGTH, deprecated: true, description: 'Deprecated: the old name of `cursor`; give one or the other.' })
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional() @Transform(strictInt) @IsIntInRange(1, MAX_PAGE_SIZE)
  limit: number = DEFAULT_PAGE_SIZE;
}

export class ThreadQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: THREAD_ORDERS,
    default: 'tree',
    description: 'tree: every reply, each right after its parent, siblings oldest first. top: first-level replies only, most votes first.',
  })
  @IsOptional() @IsIn(THREAD_ORDERS)
  order: ThreadOrder = 'tree';
}
