import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { DATABASE_RETRY_AFTER_MS, isDatabaseUnavailable } from '../database/unavailable.js';
import { currentRequestId } from '../logging/request-id.js';
import { rateLimited } from '../metrics/metrics.js';
import type { ErrorCode } from '../protocol/error-codes.js';
import { AppException } from './app-exception.js';

/** The one error shape of the API: `{ statusCode, code, message, details? }`. */
export interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  details?: { field: string; message: string }[];
  /** On 5xx answers: the request's id (X-Request-Id; a socket message's own id), to quote when reporting it. */
  requestId?: string;
  /** When to retry (a dependency is away): sent as Retry-After over HTTP, as `retryAfterMs` over sockets. */
  retryAfterMs?: number;
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed',
  409: 'conflict', 413: 'payload_too_large', 415: 'unsupported_media_type', 429: 'rate_limited',
};

/** Maps any thrown value to the API's error shape; unexpected ones are logged with context and hidden. */
export function toErrorBody(error: unknown, logger: Logger, context: string): ErrorBody {
  if (error instanceof AppException) {
    return { statusCode: error.status, code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const raw = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    const message = Array.isArray(raw) ? raw.join('; ') : String(raw ?? error.message);
    return { statusCode: status, code: CODE_BY_STATUS[status] ?? 'error', message };
  }
  // Postgres refused a malformed value the DTOs let through (e.g. an invalid uuid in a path).
  if (error instanceof QueryFailedError && (error as { code?: string }).code === '22P02') {
    return { statusCode: 400, code: 'bad_request', message: 'An identifier in the request is malformed.' };
  }
  const requestId = currentRequestId();
  if (isDatabaseUnavailable(error)) {
    logger.warn(`${context}: database unavailable (${error instanceof Error ? error.message : String(error)})`);
    return {
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      code: 'database_unavailable',
      message: 'The database cannot be reached right now. Nothing was changed; try again in a few seconds.',
      retryAfterMs: DATABASE_RETRY_AFTER_MS,
      ...(requestId ? { requestId } : {}),
    };
  }
  logger.error(`${context}${requestId ? ` (${requestId})` : ''}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  return {
    statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
    code: 'internal_error',
    message: 'Something went wrong on our side. Try again in a moment; if it keeps happening, tell the organisers.',
    ...(requestId ? { requestId } : {}),
  };
}

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const { retryAfterMs, ...body } = toErrorBody(error, this.logger, `${request.method} ${request.originalUrl}`);
    if (body.code === 'rate_limited') rateLimited.inc({ transport: 'http' });
    if (response.headersSent) return;
    if (retryAfterMs !== undefined) response.setHeader('Retry-After', String(Math.ceil(retryAfterMs / 1000)));
    response.status(body.statusCode).json(body);
  }
}
