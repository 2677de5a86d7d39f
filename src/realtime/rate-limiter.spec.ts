import { describe, expect, it } from '@jest/globals';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('allows a burst, then one action per interval, per key', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(() => now);
    const rule = { burst: 3, everyMs: 1_000 };
    expect([1, 2, 3].map(() => limiter.take('a', rule))).toEqual([0, 0, 0]);
    expect(limiter.take('a', rule)).toBe(1_000);
    expect(limiter.take('b', rule)).toBe(0);
    now += 400;
    expect(limiter.take('a', rule)).toBe(600);
    now += 600;
    expect(limiter.take('a', rule)).toBe(0);
    expect(limiter.take('a', rule)).toBe(1_000);
  });

  it('refills up to the burst, never beyond', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    const rule = { burst: 2, everyMs: 100 };
    limiter.take('a', rule);
    now += 10_000;
    expect([limiter.take('a', rule), limiter.take('a', rule), limiter.take('a', rule)]).toEqual([0, 0, 100]);
  });
});
