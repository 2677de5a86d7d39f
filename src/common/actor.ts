/**
 * Who is calling: a signed-in account, or null for an anonymous visitor.
 * Every service method takes the actor first and checks access itself, so
 * HTTP controllers and socket handlers share one rule. Here, not in auth,
 * because every layer (the event core included) speaks of callers; auth
 * decides who they are.
 */
export type GlobalRole = 'member' | 'admin';

export interface Actor {
  accountId: string;
  displayName: string;
  role: GlobalRole;
  /** The sign-in this request is made under (cookie session or API token), so it can be revoked. */
  sessionId: string;
  /**
   * Set for guest accounts only: the session whose live Q&A they joined by
   * name. Guests may ask and vote there and nowhere else; elsewhere they are
   * treated as anonymous visitors (see forum-policy.ts, src/live-qa).
   */
  guestSessionId?: number;
}

export type MaybeActor = Actor | null;

export const isAdmin = (actor: MaybeActor): boolean => actor?.role === 'admin';

/** True for a guest of a live Q&A (a name, no email or password). */
export const isGuest = (actor: MaybeActor): boolean => actor?.guestSessionId !== undefined;
