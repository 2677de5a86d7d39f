import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const ids = new AsyncLocalStorage<string>();

/** An id a client or proxy sent, if it is a plain token (else a new one). */
const GIVEN = /^[A-Za-z0-9._:-]{1,64}$/;

/** The id of the HTTP request or socket message being handled now, if any (echoed in 5xx answers, so a report can be matched to the logs). */
export const currentRequestId = (): string | undefined => ids.getStore();

/** Runs `work` as the handling of one socket message, under a new id; returns that id with the result. */
export function withMessageId<T>(work: () => T): T {
  return ids.run(randomUUID(), work);
}

/** Gives every HTTP request an id (the caller's X-Request-Id if it is a plain token), answered in X-Request-Id and logged with each line. */
export function assignRequestIds() {
  return (req: Request, res: Response, next: NextFunction) => {
    const given = req.get('x-request-id');
    const id = given && GIVEN.test(given) ? given : randomUUID();
    (req as Request & { id?: string }).id = id;
    res.setHeader('X-Request-Id', id);
    ids.run(id, next);
  };
}
