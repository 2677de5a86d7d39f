import { decodeCursor, encodeCursor, isIdText, isTag, type CursorField } from '../common/cursor.js';
import { isPath } from './reply-path.js';

/**
 * The keys of a thread's pages, as keyset cursors (common/cursor.ts), each
 * tagged with the order it belongs to, so a cursor of another order is
 * refused like any other that this API did not hand out:
 *
 *   tree order      ['t', path]              (next page: path > cursor)
 *   top order       ['v', voteCount, id]     (next page: after (voteCount DESC, id ASC))
 *   revisions       ['r', revision id]       (next page: id < cursor, newest first)
 */

export interface TopKey {
  voteCount: number;
  id: string;
}

const isReplyPath = (v: unknown): v is string => typeof v === 'string' && isPath(v);
/** Vote counts are int4. */
const isVoteCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 2147483647;

export function encodeTreeCursor(path: string): string {
  return encodeCursor(['t', path]);
}

export function decodeTreeCursor(cursor: string, field?: CursorField): string {
  return decodeCursor<['t', string]>(cursor, [isTag('t'), isReplyPath], field)[1];
}

export function encodeTopCursor(key: TopKey): string {
  return encodeCursor(['v', key.voteCount, key.id]);
}

export function decodeTopCursor(cursor: string, field?: CursorField): TopKey {
  const [, voteCount, id] = decodeCursor<['v', number, string]>(cursor, [isTag('v'), isVoteCount, isIdText], field);
  return { voteCount, id };
}

export function encodeRevisionCursor(id: string): string {
  return encodeCursor(['r', id]);
}

export function decodeRevisionCursor(cursor: string, field?: CursorField): string {
  return decodeCursor<['r', string]>(cursor, [isTag('r'), isIdText], field)[1];
}
