import { describe, expect, it } from '@jest/globals';
import { AppException } from '../common/app-exception.js';
import { encodeCursor } from '../common/cursor.js';
import {
  decodeRevisionCursor, decodeTopCursor, decodeTreeCursor, encodeRevisionCursor, encodeTopCursor, encodeTreeCursor,
} from './thread-cursor.js';

function refusal(fn: () => unknown): AppException {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppException) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('thread cursors', () => {
  const path = '00000001000000a2';

  it('round-trip each kind of key', () => {
    expect(decodeTreeCursor(encodeTreeCursor(path))).toBe(path);
    expect(decodeTopCursor(encodeTopCursor({ voteCount: 0, id: '7' }))).toEqual({ voteCount: 0, id: '7' });
    expect(decodeTopCursor(encodeTopCursor({ voteCount: 1234, id: '999999999999' }))).toEqual({ voteCount: 1234, id: '999999999999' });
    expect(decodeRevisionCursor(encodeRevisionCursor('15'))).toBe('15');
  });

  it('are opaque url-safe strings', () => {
    const cursor = encodeTreeCursor('zzzzzzzz'.repeat(200));
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('zzzz');
  });

  it('refuse a cursor of another order', () => {
    expect(() => decodeTreeCursor(encodeTopCursor({ voteCount: 1, id: '2' }))).toThrow(AppException);
    expect(() => decodeTopCursor(encodeTreeCursor(path))).toThrow(AppException);
    expect(() => decodeRevisionCursor(encodeTreeCursor(path))).toThrow(AppException);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc+/=='],
    ['padded', encodeTreeCursor(path) + '='],
    ['garbage', 'Zm9vYmFy'],
    ['bad path length', Buffer.from('t0000001').toString('base64url')],
    ['uppercase path', Buffer.from('t0000000A').toString('base64url')],
    ['path too deep', Buffer.from('t' + '00000001'.repeat(201)).toString('base64url')],
    ['sql in path', Buffer.from("t00000001' OR 1=1 --").toString('base64url')],
    ['a key with a bad path length', encodeCursor(['t', '0000001'])],
    ['a key with an uppercase path', encodeCursor(['t', '0000000A'])],
    ['a key with a path too deep', encodeCursor(['t', '00000001'.repeat(201)])],
    ['a key with sql in its path', encodeCursor(['t', "00000001' OR 1=1 --"])],
    ['a key without its tag', encodeCursor([path])],
  ])('refuse a tree cursor that is %s, naming the field', (_name, cursor) => {
    const error = refusal(() => decodeTreeCursor(cursor, 'after'));
    expect(error.status).toBe(400);
    expect(error.code).toBe('validation_failed');
    expect(error.details).toEqual([{ field: 'after', message: expect.stringContaining('after') }]);
  });

  it.each([
    ['a negative count', 'v-1.5'],
    ['a zero id', 'v1.0'],
    ['a leading zero', 'v01.5'],
    ['an extra part', 'v1.5.6'],
    ['a missing id', 'v1'],
    ['an overflowing count', 'v99999999999.5'],
    ['a huge id', 'v1.1234567890123456789'],
  ])('refuse a top cursor with %s', (_name, text) => {
    expect(refusal(() => decodeTopCursor(Buffer.from(text).toString('base64url'))).code).toBe('validation_failed');
  });

  it.each([
    ['a negative count', ['v', -1, '5']],
    ['a zero id', ['v', 1, '0']],
    ['a leading zero', ['v', 1, '05']],
    ['an extra part', ['v', 1, '5', '6']],
    ['a missing id', ['v', 1]],
    ['an overflowing count', ['v', 2147483648, '5']],
    ['a fractional count', ['v', 1.5, '5']],
    ['a huge id', ['v', 1, '1234567890123456789']],
    ['a number for an id', ['v', 1, 5]],
  ])('refuse a top key with %s, naming the field it came in', (_name, key) => {
    expect(refusal(() => decodeTopCursor(encodeCursor(key))).details).toEqual([{ field: 'cursor', message: expect.stringContaining('cursor') }]);
  });
});
