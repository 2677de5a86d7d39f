import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ValidateIf } from 'class-validator';
import { badRequest, type FieldProblem } from './app-exception.js';

/** Flattens nested class-validator errors into `field.path: message` pairs. */
export function fieldProblems(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

/** Validation for every input: unknown fields rejected, values transformed to their declared types. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const details = fieldProblems(errors);
      const summary = details.map((d) => d.message).join('; ');
      return badRequest('validation_failed', `Invalid input: ${summary}.`, details);
    },
  });
}

/**
 * A field that may be left out but, when sent, must pass its checks: unlike
 * @IsOptional(), `null` is checked (and refused by a type check), not let
 * through to a NOT NULL column.
 */
export const Omittable = () => ValidateIf((_object, value: unknown) => value !== undefined);
