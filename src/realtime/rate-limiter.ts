/** A token bucket's shape: `burst` actions at once, then one every `everyMs`. */
export interface RateRule {
  burst: number;
  everyMs: number;
}

/** Longer than any rule here needs to refill completely. */
const IDLE_MS = 10 * 60_000;

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Per-key token buckets in memory (keys are per account, never per address:
 * a webinar audience often shares one NAT). Each instance limits on its own,
 * so a person spread over N instances gets at most N times the rate; sticky
 * load balancing keeps one person on one instance in practice.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private sweeps = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Takes a token; returns 0 when allowed, else the milliseconds until one is available. */
  take(key: string, rule: RateRule): number {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: rule.burst, at: now };
    const refilled = Math.min(rule.burst, bucket.tokens + (now - bucket.at) / rule.everyMs);
    if (refilled < 1) {
      this.buckets.set(key, { tokens: refilled, at: now });
      return Math.ceil((1 - refilled) * rule.everyMs);
    }
    this.buckets.set(key, { tokens: refilled - 1, at: now });
    if (++this.sweeps % 1000 === 0) this.sweep(now);
    return 0;
  }

  /** Forgets buckets idle for longer than any rule takes to refill (a forgotten bucket is a full one). */
  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) if (now - bucket.at > IDLE_MS) this.buckets.delete(key);
  }
}
