import { describe, expect, it } from '@jest/globals';
import {
  ancestorIds, childPath, decodeSegment, depthOf, encodeSegment, idsOnPath, isInSubtree, isPath, MAX_SEGMENT_ID, subtreeUpperBound,
} from './reply-path.js';

/** Bytewise comparison, as Postgres compares under COLLATE "C". */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('reply path', () => {
  it('encodes ids as 8 zero-padded base-36 digits', () => {
    expect(encodeSegment(1)).toBe('00000001');
    expect(encodeSegment(35)).toBe('0000000z');
    expect(encodeSegment(36)).toBe('00000010');
    expect(encodeSegment('1234567890')).toBe('00kf12oi');
    expect(encodeSegment(MAX_SEGMENT_ID)).toBe('zzzzzzzz');
  });

  it('refuses ids that do not fit a segment', () => {
    expect(() => encodeSegment(0)).toThrow(RangeError);
    expect(() => encodeSegment(-5)).toThrow(RangeError);
    expect(() => encodeSegment(MAX_SEGMENT_ID + 1n)).toThrow(RangeError);
  });

  it('decodes what it encodes', () => {
    for (const id of ['1', '35', '36', '1295', '1296', '999999999', '2821109907455']) {
      expect(decodeSegment(encodeSegment(id))).toBe(id);
    }
    expect(() => decodeSegment('0000000Z')).toThrow(RangeError);
    expect(() => decodeSegment('0001')).toThrow(RangeError);
  });

  it('keeps numeric order in byte order, so siblings sort oldest first', () => {
    const ids = [1, 9, 10, 35, 36, 37, 1295, 1296, 46655, 46656, 10 ** 9, 2 ** 40];
    const segments = ids.map((id) => encodeSegment(id));
    expect([...segments].sort(byteOrder)).toEqual(segments);
  });

  it('builds child paths from the parent path', () => {
    const root = childPath(null, 5);
    const child = childPath(root, 41);
    expect(root).toBe('00000005');
    expect(child).toBe('0000000500000015');
    expect(depthOf(child)).toBe(2);
    expect(idsOnPath(child)).toEqual(['5', '41']);
    expect(ancestorIds(child)).toEqual(['5']);
    expect(ancestorIds(root)).toEqual([]);
  });

  it('orders a tree depth-first: a reply right after its parent, before its parent\'s later siblings', () => {
    const a = childPath(null, 1);
    const a1 = childPath(a, 3);
    const a1x = childPath(a1, 40);
    const a2 = childPath(a, 4);
    const b = childPath(null, 2);
    expect([b, a2, a1x, a, a1].sort(byteOrder)).toEqual([a, a1, a1x, a2, b]);
  });

  it('bounds a subtree exactly: every descendant, nothing else', () => {
    const root = childPath(null, 36);
    const upper = subtreeUpperBound(root);
    const inside = [childPath(root, 1), childPath(root, MAX_SEGMENT_ID), childPath(childPath(root, MAX_SEGMENT_ID), MAX_SEGMENT_ID)];
    const outside = [childPath(null, 37), childPath(null, 35), childPath(childPath(null, 37), 1), root];
    for (const p of inside) expect(byteOrder(p, root) > 0 && byteOrder(p, upper) < 0).toBe(true);
    for (const p of outside) expect(byteOrder(p, root) > 0 && byteOrder(p, upper) < 0).toBe(false);
    expect(inside.every((p) => isInSubtree(p, root))).toBe(true);
    expect(outside.some((p) => isInSubtree(p, root))).toBe(false);
  });

  it('recognises well-formed paths up to 200 levels', () => {
    expect(isPath('00000001')).toBe(true);
    expect(isPath('00000001'.repeat(200))).toBe(true);
    expect(isPath('00000001'.repeat(201))).toBe(false);
    expect(isPath('')).toBe(false);
    expect(isPath('0000001')).toBe(false);
    expect(isPath('0000000A')).toBe(false);
    expect(isPath('0000000{')).toBe(false);
    expect(() => idsOnPath('nope')).toThrow(RangeError);
  });
});
