import { ValidateBy, ValidateIf, type ValidationOptions } from 'class-validator';

/** Longest markdown source of a reply or a question body, in characters. Also a CHECK in the database. */
export const MAX_BODY_CHARS = 20_000;
/** Longest question title (the ForumCore CHECK). */
export const MAX_TITLE_CHARS = 300;

/** Characters as Postgres counts them (code points), so the API and the CHECK constraints agree. */
const chars = (s: string) => [...s].length;

/** Postgres text can't hold NUL: refuse it here rather than fail in the database. */
const hasNul = (s: string) => s.includes('\u0000');

function textProblem(value: unknown, field: string, min: number, max: number): string | null {
  if (typeof value !== 'string') return `${field} must be a string`;
  if (hasNul(value)) return `${field} must not contain NUL characters`;
  if (min > 0 && value.trim() === '') return `${field} must not be empty`;
  const n = chars(value);
  if (n > max) return `${field} must be at most ${max} characters long (it has ${n})`;
  return null;
}

/**
 * A markdown body: a string, not blank (unless `allowEmpty`), at most
 * MAX_BODY_CHARS characters, no NUL. One decorator so each failure gets one
 * precise message naming the field.
 */
export function IsMarkdownBody(options: { allowEmpty?: boolean } = {}, validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isMarkdownBody',
      validator: {
        validate: (value, args) => textProblem(value, args!.property, options.allowEmpty ? 0 : 1, MAX_BODY_CHARS) === null,
        defaultMessage: (args) => textProblem(args!.value, args!.property, options.allowEmpty ? 0 : 1, MAX_BODY_CHARS) ?? 'invalid',
      },
    },
    validationOptions,
  );
}

/** A one-line title: trimmed by the DTO, then 1..MAX_TITLE_CHARS characters, no NUL. */
export function IsTitle(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTitle',
      validator: {
        validate: (value, args) => textProblem(value, args!.property, 1, MAX_TITLE_CHARS) === null,
        defaultMessage: (args) => textProblem(args!.value, args!.property, 1, MAX_TITLE_CHARS) ?? 'invalid',
      },
    },
    validationOptions,
  );
}

/** A whole number in [min, max], with one message (not three) when it isn't. */
export function IsIntInRange(min: number, max: number, validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIntInRange',
      validator: {
        validate: (value) => Number.isInteger(value) && (value as number) >= min && (value as number) <= max,
        defaultMessage: (args) => `${args!.property} must be a whole number from ${min} to ${max}`,
      },
    },
    validationOptions,
  );
}

/**
 * The field may be left out, but not sent as null (IsOptional lets null
 * through, and a null would reach a NOT NULL column).
 */
export function Optional(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}

/** Longest reason a moderator gives for an act (also the CHECK on a forum act's audit_record.reason and reply.state_reason). */
export const MAX_REASON_CHARS = 500;

/** A moderator's reason or a flag's note: trimmed by the DTO, then 1..MAX_REASON_CHARS characters, no NUL. */
export function IsReason(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isReason',
      validator: {
        validate: (value, args) => textProblem(value, args!.property, 1, MAX_REASON_CHARS) === null,
        defaultMessage: (args) => textProblem(args!.value, args!.property, 1, MAX_REASON_CHARS) ?? 'invalid',
      },
    },
    validationOptions,
  );
}
