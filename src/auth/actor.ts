import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { GlobalRole } from './account.entity.js';

/**
 * Who is calling: a signed-in account, or null for an anonymous visitor.
 * Every service method takes the actor first and checks access itself, so
 * HTTP controllers and socket handlers share one rule.
 */
export interface Actor {
  accountId: string;
  displayName: string;
  role: GlobalRole;
  /** The sign-in this request is made under (cookie session or API token), so it can be revoked. */
  sessionId: string;
}

export type MaybeActor = Actor | null;

/** Requests carry the actor resolved by the auth middleware. */
export interface RequestWithActor {
  actor?: MaybeActor;
}

/** Injects the caller (or null) into a controller method. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): MaybeActor => {
  return ctx.switchToHttp().getRequest<RequestWithActor>().actor ?? null;
});

export const isAdmin = (actor: MaybeActor): boolean => actor?.role === 'admin';
