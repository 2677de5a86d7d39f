import { badRequest } from './app-exception.js';

/**
 * Opaque keyset cursors: the sort key of the last row of a page, as
 * base64url JSON. A client hands it back unchanged to get the next page;
 * anything else is refused as a validation error on `cursor`.
 */
export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

const invalid = () =>
  badRequest('validation_failed', 'Invalid input: cursor is not one this API handed out; start again without it.', [
    { field: 'cursor', message: 'cursor is not valid' },
  ]);

/**
 * Decodes a cursor and checks each element with the given guards (in order),
 * e.g. `decodeCursor(c, [isTimestampOrNull, isPositiveInt])`.
 */
export function decodeCursor<T extends unknown[]>(cursor: string, guards: { [K in keyof T]: (v: unknown) => v is T[K] }): T {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(key) || key.length !== guards.length) throw invalid();
  if (!guards.every((guard, i) => guard(key[i]))) throw invalid();
  return key as T;
}

// Microsecond UTC timestamps, as produced by SQL_TIMESTAMP_KEY below.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
export const isTimestamp = (v: unknown): v is string => typeof v === 'string' && TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v));
export const isTimestampOrNull = (v: unknown): v is string | null => v === null || isTimestamp(v);
export const isPositiveInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;
export const isUuid = (v: unknown): v is string =>
  typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

/** SQL rendering a timestamptz expression as a cursor key, keeping microseconds (a JS Date would drop them). */
export const sqlTimestampKey = (expr: string) => `to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
