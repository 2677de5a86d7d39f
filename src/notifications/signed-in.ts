import type { MaybeActor } from '../auth/actor.js';
import { unauthenticated } from '../common/app-exception.js';

/** The caller's account id; following, notifications and read positions are for signed-in members (not guests of a live Q&A). */
export function signedInId(actor: MaybeActor, why: string): string {
  if (!actor || actor.guestSessionId !== undefined) throw unauthenticated(why);
  return actor.accountId;
}
