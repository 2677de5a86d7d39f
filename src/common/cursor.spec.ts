import { describe, expect, it } from '@jest/globals';
import { AppException } from './app-exception.js';
import { cursorOf, decodeCursor, encodeCursor, isPositiveInt, isTimestampOrNull, isUuid } from './cursor.js';

describe('keyset cursors', () => {
  it('round-trips a key', () => {
    const key: [string | null, number] = ['2021-05-17T13:00:00.123456Z', 42];
    expect(decodeCursor<[string | null, number]>(encodeCursor(key), [isTimestampOrNull, isPositiveInt])).toEqual(key);
    expect(decodeCursor<[string | null, number]>(encodeCursor([null, 7]), [isTimestampOrNull, isPositiveInt])).toEqual([null, 7]);
  });

  it.each([
    ['not base64 json', 'abc'],
    ['the wrong length', encodeCursor([1])],
    ['a timestamp without microseconds', encodeCursor(['2021-05-17T13:00:00Z', 1])],
    ['a negative id', encodeCursor([null, -1])],
    ['a fractional id', encodeCursor([null, 1.5])],
    ['an object', Buffer.from('{"a":1}').toString('base64url')],
    ['padded', encodeCursor([null, 7]) + '='],
    ['not base64url', encodeCursor([null, 7]).replace(/^./, '+')],
    ['over 4096 characters', 'A'.repeat(4097)],
  ])('refuses %s as a validation error on cursor', (_label, cursor) => {
    let error: unknown;
    try {
      decodeCursor(cursor, [isTimestampOrNull, isPositiveInt]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppException);
    expect(error).toMatchObject({ status: 400, code: 'validation_failed', details: [{ field: 'cursor' }] });
  });

  it('names the parameter a refused cursor came in', () => {
    expect(() => decodeCursor('abc', [isPositiveInt], 'after')).toThrow(expect.objectContaining({ details: [{ field: 'after', message: 'after is not valid' }] }));
  });

  it('reads a page query\'s cursor under its name or its old one, not both', () => {
    expect(cursorOf({})).toBeNull();
    expect(cursorOf({ cursor: 'x' })).toEqual({ value: 'x', field: 'cursor' });
    expect(cursorOf({ after: 'x' })).toEqual({ value: 'x', field: 'after' });
    expect(() => cursorOf({ cursor: 'x', after: 'x' })).toThrow(expect.objectContaining({ status: 400, details: [{ field: 'after', message: expect.any(String) }] }));
  });

  it('recognises uuids', () => {
    expect(isUuid('4f9a3c1e-2b7d-4e8f-9a6b-1c2d3e4f5a6b')).toBe(true);
    expect(isUuid('4f9a3c1e')).toBe(false);
  });
});
