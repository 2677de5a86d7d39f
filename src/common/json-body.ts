import { HttpStatus } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { isUtf8 } from 'node:buffer';
import { AppException } from './app-exception.js';

/** Sends an error in the API's shape from plain Express middleware (which runs before Nest's filters can). */
export function sendError(res: Response, error: AppException, headers: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.status(error.status).json({ statusCode: error.status, code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) });
}

class InvalidUtf8 extends Error {
  readonly status = 400;
}

// Same size limit as Nest's default parser; invalid UTF-8 is refused rather than stored with replacement characters.
const parseJson = express.json({
  verify: (_req, _res, buffer) => {
    if (!isUtf8(buffer)) throw new InvalidUtf8('The body is not valid UTF-8.');
  },
});

/**
 * The routes whose body is another type by design: the avatar upload
 * (multipart, read by its own interceptor) and RFC 8058's one-click
 * unsubscribe, which mail clients send as a form post (its token is in the
 * link, so the body is not read).
 */
const OTHER_BODIES: ReadonlyArray<{ method: string; path: RegExp; types: string[] }> = [
  { method: 'PUT', path: /^\/api\/auth\/me\/avatar$/, types: ['multipart/form-data'] },
  { method: 'POST', path: /^\/api\/mail\/unsubscribe$/, types: ['application/x-www-form-urlencoded'] },
];

const bodyProblem = (message: string) => [{ field: '(body)', message }];

/**
 * The API takes JSON bodies (but for OTHER_BODIES): a body of another type (a form post) is
 * 415, malformed JSON or invalid UTF-8 is 400, too big is 413, each before
 * any handler runs, so nothing is written.
 */
export function jsonBodiesOnly() {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.path.startsWith('/api/') || !hasBody(req)) return next();
    const other = OTHER_BODIES.find((route) => route.method === req.method && route.path.test(req.path));
    if (other && req.is(other.types)) return next();
    if (!req.is(['application/json', 'application/*+json'])) {
      return sendError(res, new AppException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported_media_type', 'Send the body as JSON, with Content-Type: application/json.', [
        { field: 'Content-Type', message: 'must be application/json' },
      ]));
    }
    parseJson(req, res, (error?: unknown) => {
      if (!error) return next();
      const status = (error as { status?: number }).status;
      if (status === HttpStatus.PAYLOAD_TOO_LARGE) return sendError(res, new AppException(413, 'payload_too_large', 'The body is too large.', bodyProblem('at most 100 KB')));
      if (error instanceof InvalidUtf8) return sendError(res, new AppException(400, 'validation_failed', 'Invalid input: the body is not valid UTF-8.', bodyProblem('must be valid UTF-8')));
      if (status && status < 500) return sendError(res, new AppException(400, 'validation_failed', 'Invalid input: the body is not valid JSON.', bodyProblem('must be valid JSON')));
      next(error);
    });
  };
}

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}
