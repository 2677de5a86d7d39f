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

/** Query-string integers: digits become a number (empty: not given); anything else is left for @IsInt to refuse. */
export const queryInt = ({ value }: TransformFnParams): unknown => {
  if (value === '') return undefined;
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value.trim())) return Number(value.trim());
  return value;
};
