/**
 * Sign-in rate limiting: how long to wait before the next attempt, given the
 * failures recorded in a sliding window. Pure, so the window math is unit
 * tested; SignInThrottleService feeds it from PostgreSQL.
 *
 * A few failures are free (typos happen); after that each further failure
 * doubles the wait counted from the latest failure, up to a ceiling. Failures
 * older than the window no longer count, so the limit lifts by itself.
 */
export interface ThrottleRule {
  /** Failures in the window that cost nothing. */
  freeFailures: number;
  /** Wait after the first failure beyond the free ones. */
  baseDelayMs: number;
  /** The wait never grows beyond this. */
  maxDelayMs: number;
}

export const SIGN_IN_WINDOW_MS = 15 * 60_000;

/** Per account (by email): a person who forgot their password gets 5 tries, then 30 s, 60 s, 120 s... */
export const ACCOUNT_RULE: ThrottleRule = { freeFailures: 5, baseDelayMs: 30_000, maxDelayMs: SIGN_IN_WINDOW_MS };

/**
 * Per client address: generous (offices and webinar rooms share one address,
 * and only settled failures count here) but stops spraying many accounts
 * from one place.
 */
export const ADDRESS_RULE: ThrottleRule = { freeFailures: 50, baseDelayMs: 30_000, maxDelayMs: SIGN_IN_WINDOW_MS };

export interface FailureHistory {
  /** Failures within the window. */
  count: number;
  /** Time of the latest of them (ms since epoch), or null when there are none. */
  latestMs: number | null;
}

/** Milliseconds until another attempt is allowed; 0 when it is allowed now. */
export function retryAfterMs(history: FailureHistory, nowMs: number, rule: ThrottleRule): number {
  if (history.count < rule.freeFailures || history.latestMs === null) return 0;
  const excess = history.count - rule.freeFailures;
  // 2 ** excess overflows to Infinity for huge counts; min() keeps it bounded.
  const delay = Math.min(rule.maxDelayMs, rule.baseDelayMs * 2 ** Math.min(excess, 40));
  return Math.max(0, history.latestMs + delay - nowMs);
}

/** The longer of the two waits, in whole seconds for a Retry-After header (0 = go ahead). */
export function retryAfterSeconds(account: FailureHistory, address: FailureHistory, nowMs: number): number {
  const wait = Math.max(retryAfterMs(account, nowMs, ACCOUNT_RULE), retryAfterMs(address, nowMs, ADDRESS_RULE));
  return Math.ceil(wait / 1000);
}
