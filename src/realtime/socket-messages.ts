import { Logger } from '@nestjs/common';
import { toErrorBody } from '../common/error.filter.js';
import { RateLimited } from '../common/messages.js';
import { rateLimited } from '../metrics/metrics.js';
import type { SocketError } from '../events/socket-types.js';

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
