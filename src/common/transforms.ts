import type { TransformFnParams } from 'class-transformer';

/** Trims strings (so "  " fails a length check instead of reaching a CHECK constraint); other values pass through. */
export const trim = ({ value }: TransformFnParams): unknown => (typeof value === 'string' ? value.trim() : value);

/** Trims each string of an array. */
export const trimEach = ({ value }: TransformFnParams): unknown =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim() : v)) : value;

/** Query-string filters: an empty `?topic=` means "no filter". */
export const blankToUndefined = ({ value }: TransformFnParams): unknown => {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
};

/** Query-string booleans: true/false/1/0 only (empty: not given); anything else is left for @IsBoolean to refuse. */
export const queryBoolean = ({ value }: TransformFnParams): unknown => {
  if (value === '') return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return value;
};

/** An integer written the one plain way: no sign but "-", no leading zeros, no spaces, no hex or exponent. */
const CANONICAL_INT = /^-?(0|[1-9][0-9]{0,14})$/;

/**
 * Path and query integers: a canonical decimal string becomes a number;
 * anything else ("0x10", "+2", "016", " 2") is left as it is for @IsInt to
 * refuse, where Number() would have read it as some other id.
 */
export const strictInt = ({ value }: TransformFnParams): unknown =>
  typeof value === 'string' && CANONICAL_INT.test(value) ? Number(value) : value;

/** Query-string integers: as strictInt, and empty means not given. */
export const queryInt = (params: TransformFnParams): unknown => (params.value === '' ? undefined : strictInt(params));
