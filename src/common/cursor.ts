import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { badRequest, type AppException } from './app-exception.js';
import { blankToUndefined } from './transforms.js';

/**
 * Opaque keyset cursors, for every list read by keyset: the sort key of the
 * last row of a page, as base64url JSON. A client hands it back unchanged in
 * the `cursor` query parameter to get the next page; anything else is
 * refused as a validation error naming the parameter.
 */
export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The query parameter a cursor came in: `cursor`, or `after`, its old name on the thread and moderation lists (deprecated). */
export type CursorField = 'cursor' | 'after';

/** Long enough for a tree-order key of the deepest thread (200 levels of 8 characters). */
export const MAX_CURSOR_LENGTH = 4096;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A refused cursor, named as the client sent it; `reason` for a well-formed one that doesn't fit (e.g. another part of the thread). */
export function invalidCursor(field: CursorField = 'cursor', reason?: string): AppException {
  return badRequest('validation_failed', `Invalid input: ${field} ${reason ?? 'is not one this API handed out'}; start again without it.`, [
    { field, message: `${field} ${reason ?? 'is not valid'}` },
  ]);
}

/**
 * Decodes a cursor and checks each element with the given guards (in order),
 * e.g. `decodeCursor(c, [isTimestampOrNull, isPositiveInt])`. Strict: only
 * the exact text encodeCursor makes (no padding, no altered characters).
 */
export function decodeCursor<T extends unknown[]>(
  cursor: string,
  guards: { [K in keyof T]: (v: unknown) => v is T[K] },
  field: CursorField = 'cursor',
): T {
  if (cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) throw invalidCursor(field);
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (Buffer.from(text).toString('base64url') !== cursor) throw invalidCursor(field);
  let key: unknown;
  try {
    key = JSON.parse(text);
  } catch {
    throw invalidCursor(field);
  }
  if (!Array.isArray(key) || key.length !== guards.length) throw invalidCursor(field);
  if (!guards.every((guard, i) => guard(key[i]))) throw invalidCursor(field);
  return key as T;
}

/** A page query's cursor, under either name. */
export interface CursorInput {
  cursor?: string;
  /** Deprecated: the old name of `cursor` on the lists that had it. */
  after?: string;
}

/** The cursor a page query was given, and the name it came under. */
export interface PageCursor {
  value: string;
  field: CursorField;
}

/** The cursor a page query was given (null: the first page). */
export function cursorOf(query: CursorInput): PageCursor | null {
  if (query.cursor !== undefined && query.after !== undefined) {
    throw badRequest('validation_failed', 'Invalid input: after is the old name of cursor; give cursor only.', [
      { field: 'after', message: 'after is the old name of cursor; give cursor only' },
    ]);
  }
  if (query.cursor !== undefined) return { value: query.cursor, field: 'cursor' };
  if (query.after !== undefined) return { value: query.after, field: 'after' };
  return null;
}

/** Decodes a page query's cursor (either name); null on the first page. */
export function decodePageCursor<T extends unknown[]>(query: CursorInput, guards: { [K in keyof T]: (v: unknown) => v is T[K] }): T | null {
  const cursor = cursorOf(query);
  return cursor ? decodeCursor<T>(cursor.value, guards, cursor.field) : null;
}

/** The `cursor` query parameter of a list DTO (and, deprecated, `after` where a list had that name). */
export function CursorParam(options: { description?: string; maxLength?: number; deprecated?: boolean } = {}): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      description: options.description ?? 'The `nextCursor` of the previous page, unchanged.',
      ...(options.deprecated ? { deprecated: true } : {}),
    }),
    Transform(blankToUndefined),
    IsOptional(),
    IsString(),
    MaxLength(options.maxLength ?? 500),
  );
}

/** A tag first in a key, naming what the key orders (so a cursor of one list is refused by another). */
export const isTag =
  <T extends string>(tag: T) =>
  (v: unknown): v is T =>
    v === tag;

// Microsecond UTC timestamps, as produced by SQL_TIMESTAMP_KEY below.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
export const isTimestamp = (v: unknown): v is string => typeof v === 'string' && TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v));
export const isTimestampOrNull = (v: unknown): v is string | null => v === null || isTimestamp(v);
export const isPositiveInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;
/** A bigint id as text (past 2^53 a JSON number loses digits); at most 18 digits, so it always fits a bigint. */
export const isIdText = (v: unknown): v is string => typeof v === 'string' && /^[1-9][0-9]{0,17}$/.test(v);
export const isUuid = (v: unknown): v is string =>
  typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

/** SQL rendering a timestamptz expression as a cursor key, keeping microseconds (a JS Date would drop them). */
export const sqlTimestampKey = (expr: string) => `to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
