import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AppException, badRequest } from './app-exception.js';
import { fieldProblems } from './validation.js';

/**
 * Validates a client message against its DTO class, like the HTTP
 * ValidationPipe (unknown fields refused, each problem named by field).
 * Shared by every transport, so features never import the realtime layer for it.
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

/** A refusal for acting too fast; HTTP answers it with 429 and Retry-After, the socket ack with retryAfterMs. */
export class RateLimited extends AppException {
  constructor(readonly retryAfterMs: number, what: string) {
    super(429, 'rate_limited', `You are ${what} too fast. Wait ${Math.ceil(retryAfterMs / 1000)} s and try again.`);
  }
}
