/**
 * The materialised path of a reply (see the ForumCore migration): its
 * parent's path plus its own id as 8 zero-padded base-36 digits. The
 * alphabet 0-9a-z is in ascending byte order, and the column is compared
 * bytewise (COLLATE "C"), so ordering by path is tree order: a reply right
 * after its parent, siblings by id (oldest first).
 */

const SEGMENT_LENGTH = 8;
/** Deepest reply the schema allows (CHECK depth BETWEEN 1 AND 200). */
export const MAX_DEPTH = 200;
/** Largest id that fits one segment: 36^8 - 1 (about 2.8 trillion replies). */
export const MAX_SEGMENT_ID = 36n ** BigInt(SEGMENT_LENGTH) - 1n;

const SEGMENT = /^[0-9a-z]{8}$/;
const PATH = /^(?:[0-9a-z]{8}){1,200}$/;

/** One id as a path segment, e.g. 1 → "00000001", 36 → "00000010". */
export function encodeSegment(id: bigint | string | number): string {
  const n = BigInt(id);
  if (n < 1n || n > MAX_SEGMENT_ID) throw new RangeError(`reply id ${n} does not fit a path segment`);
  return n.toString(36).padStart(SEGMENT_LENGTH, '0');
}

export function decodeSegment(segment: string): string {
  if (!SEGMENT.test(segment)) throw new RangeError(`"${segment}" is not a path segment`);
  let n = 0n;
  for (const ch of segment) n = n * 36n + BigInt(parseInt(ch, 36));
  return n.toString();
}

export function isPath(value: string): boolean {
  return PATH.test(value);
}

/** The path of a new reply with this id under `parentPath` (null for a first-level reply). */
export function childPath(parentPath: string | null, id: bigint | string | number): string {
  return (parentPath ?? '') + encodeSegment(id);
}

export function depthOf(path: string): number {
  return path.length / SEGMENT_LENGTH;
}

/** Every id on the path, root first, as decimal strings (bigint ids travel as strings). */
export function idsOnPath(path: string): string[] {
  if (!isPath(path)) throw new RangeError(`"${path}" is not a reply path`);
  const ids: string[] = [];
  for (let i = 0; i < path.length; i += SEGMENT_LENGTH) ids.push(decodeSegment(path.slice(i, i + SEGMENT_LENGTH)));
  return ids;
}

/** The ids of a reply's ancestors, root first (empty for a first-level reply). */
export function ancestorIds(path: string): string[] {
  return idsOnPath(path).slice(0, -1);
}

/**
 * Exclusive upper bound of a reply's subtree: every descendant's path is
 * `path` followed by more base-36 digits, and every digit ('0'-'9', 'a'-'z')
 * sorts below '{' (0x7B, the byte right after 'z') under COLLATE "C". So the
 * subtree is exactly `path < p AND p < path || '{'`.
 */
export function subtreeUpperBound(path: string): string {
  return path + '{';
}

/** Whether `path` lies strictly inside the subtree rooted at `rootPath`. */
export function isInSubtree(path: string, rootPath: string): boolean {
  return path.length > rootPath.length && path.startsWith(rootPath);
}
