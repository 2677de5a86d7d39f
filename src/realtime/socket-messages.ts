import { Logger } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AppException, badRequest } from '../common/app-exception.js';
import { toErrorBody } from '../common/error.filter.js';
import { fieldProblems } from '../common/validation.js';
import { rateLimited } from '../metrics/metrics.js';
import type { SocketError } from './socket-types.js';

/**
 * Validates a client message against its DTO class, like the HTTP
 * ValidationPipe (unknown fields refused, each problem named by field).
 */
export async function parseMessage<T extends object>(type: new () => T, raw: unknown, example: string): Promise<T> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw badRequest('validation_failed', `Invalid message: send one object, e.g. ${example}.`, [
      { field: '(message)', message: 'the message must be a single JSON object' },
    ]);
  }
  const message = plainToInstance(type, raw);
  const errors = await validate(message, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } });
  if (errors.length) {
    const details = fieldProblems(errors);
    throw badRequest('validation_failed', `Invalid message: ${details.map((d) => d.message).join('; ')}.`, details);
  }
  return message;
}

/** A refusal as the ack carries it: the HTTP API's code, message and details; never an internal error's text. */
export function socketError(error: unknown, logger: Logger, context: string): SocketError {
  const body = toErrorBody(error, logger, context);
  if (body.code === 'rate_limited') rateLimited.inc({ transport: 'socket' });
  const retryAfterMs = error instanceof RateLimited ? error.retryAfterMs : body.retryAfterMs;
  return {
    error: {
      status: body.statusCode,
      code: body.code,
      message: body.message,
      ...(body.details ? { details: body.details } : {}),
      ...(body.requestId ? { requestId: body.requestId } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    },
  };
}

export class RateLimited extends AppException {
  constructor(readonly retryAfterMs: number, what: string) {
    super(429, 'rate_limited', `You are ${what} too fast. Wait ${Math.ceil(retryAfterMs / 1000)} s and try again.`);
  }
}
