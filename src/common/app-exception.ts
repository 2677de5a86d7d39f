import { HttpStatus } from '@nestjs/common';
import type { ErrorCode } from '../protocol/error-codes.js';

/** A field-level problem, named so a client can show it next to the input. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * A failure the user can act on: an HTTP status, a stable machine-readable
 * code, and a message that says what happened and what to do. Services throw
 * these; the error filter (HTTP) and the socket layer map them the same way.
 */
export class AppException extends Error {
  constructor(
    readonly status: HttpStatus,
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldProblem[],
  ) {
    super(message);
  }
}

export const notFound = (what: string, code: ErrorCode = 'not_found') =>
  new AppException(HttpStatus.NOT_FOUND, code, `${what} was not found, or you don't have access to it.`);

export const forbidden = (code: ErrorCode, message: string) => new AppException(HttpStatus.FORBIDDEN, code, message);

export const conflict = (code: ErrorCode, message: string) => new AppException(HttpStatus.CONFLICT, code, message);

export const badRequest = (code: ErrorCode, message: string, details?: FieldProblem[]) =>
  new AppException(HttpStatus.BAD_REQUEST, code, message, details);

export const unauthenticated = (message = 'Sign in to do this.', details?: FieldProblem[]) =>
  new AppException(HttpStatus.UNAUTHORIZED, 'unauthenticated', message, details);
