import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { MaybeActor } from '../common/actor.js';

export { isAdmin, isGuest, type Actor, type MaybeActor } from '../common/actor.js';

/** Requests carry the actor resolved by the auth middleware. */
export interface RequestWithActor {
  actor?: MaybeActor;
}

/** Injects the caller (or null) into a controller method. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): MaybeActor => {
  return ctx.switchToHttp().getRequest<RequestWithActor>().actor ?? null;
});
