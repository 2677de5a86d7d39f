import { badRequest } from '../common/app-exception.js';
import { isPath } from './reply-path.js';

/**
 * Opaque keyset cursors for reading threads: the sort key of the last item
 * of a page, tagged with the order it belongs to, as base64url. A client
 * hands a cursor back unchanged in `after`; anything else (edited, from
 * another order, garbage) is a validation error on `after`.
 *
 *   tree order      "t" + path                 (next page: path > cursor)
 *   top order       "v" + voteCount + "." + id (next page: after (voteCount DESC, id ASC))
 *   revisions       "r" + revision id          (next page: id < cursor, newest first)
 */

export interface TopKey {
  voteCount: number;
  id: string;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const ID = /^[1-9][0-9]{0,17}$/;
const COUNT = /^(?:0|[1-9][0-9]{0,9})$/;

export function invalidCursor(reason = 'is not a cursor this API handed out'): Error {
  return badRequest('validation_failed', `Invalid input: after ${reason}; start again without it.`, [
    { field: 'after', message: `after ${reason}` },
  ]);
}

function encode(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** Decodes strictly: the text must round-trip, so padded, altered or foreign strings are refused. */
function decode(cursor: string, tag: string): string {
  if (!BASE64URL.test(cursor) || cursor.length > 4096) throw invalidCursor();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (encode(text) !== cursor || !text.startsWith(tag)) throw invalidCursor();
  return text.slice(tag.length);
}

export function encodeTreeCursor(path: string): string {
  return encode('t' + path);
}

export function decodeTreeCursor(cursor: string): string {
  const path = decode(cursor, 't');
  if (!isPath(path)) throw invalidCursor();
  return path;
}

export function encodeTopCursor(key: TopKey): string {
  return encode(`v${key.voteCount}.${key.id}`);
}

export function decodeTopCursor(cursor: string): TopKey {
  const [count, id, ...rest] = decode(cursor, 'v').split('.');
  if (rest.length || !COUNT.test(count ?? '') || !ID.test(id ?? '')) throw invalidCursor();
  const voteCount = Number(count);
  if (voteCount > 2147483647) throw invalidCursor();
  return { voteCount, id: id! };
}

export function encodeRevisionCursor(id: string): string {
  return encode('r' + id);
}

export function decodeRevisionCursor(cursor: string): string {
  const id = decode(cursor, 'r');
  if (!ID.test(id)) throw invalidCursor();
  return id;
}
