import { describe, expect, it } from '@jest/globals';
import { ACCOUNT_RULE, ADDRESS_RULE, retryAfterMs, retryAfterSeconds, type ThrottleRule } from './sign-in-throttle.js';

const rule: ThrottleRule = { freeFailures: 3, baseDelayMs: 10_000, maxDelayMs: 60_000 };
const now = 1_000_000;

describe('retryAfterMs', () => {
  it('allows attempts while failures are within the free allowance', () => {
    expect(retryAfterMs({ count: 0, latestMs: null }, now, rule)).toBe(0);
    expect(retryAfterMs({ count: 2, latestMs: now }, now, rule)).toBe(0);
  });

  it('makes the first failure beyond the allowance wait the base delay from the latest failure', () => {
    expect(retryAfterMs({ count: 3, latestMs: now }, now, rule)).toBe(10_000);
    expect(retryAfterMs({ count: 3, latestMs: now - 4_000 }, now, rule)).toBe(6_000);
  });

  it('doubles the wait with each further failure', () => {
    expect(retryAfterMs({ count: 4, latestMs: now }, now, rule)).toBe(20_000);
    expect(retryAfterMs({ count: 5, latestMs: now }, now, rule)).toBe(40_000);
  });

  it('never waits longer than the ceiling, even for huge counts', () => {
    expect(retryAfterMs({ count: 6, latestMs: now }, now, rule)).toBe(60_000);
    expect(retryAfterMs({ count: 10_000, latestMs: now }, now, rule)).toBe(60_000);
  });

  it('lifts once the wait since the latest failure has passed', () => {
    expect(retryAfterMs({ count: 4, latestMs: now - 20_000 }, now, rule)).toBe(0);
    expect(retryAfterMs({ count: 4, latestMs: now - 19_999 }, now, rule)).toBe(1);
  });
});

describe('retryAfterSeconds', () => {
  const none = { count: 0, latestMs: null };

  it('is 0 when neither the account nor the address is over its allowance', () => {
    expect(retryAfterSeconds({ count: ACCOUNT_RULE.freeFailures - 1, latestMs: now }, { count: ADDRESS_RULE.freeFailures - 1, latestMs: now }, now)).toBe(0);
  });

  it('takes the longer of the two waits, rounded up to whole seconds', () => {
    const account = { count: ACCOUNT_RULE.freeFailures, latestMs: now - 500 };
    expect(retryAfterSeconds(account, none, now)).toBe(Math.ceil((ACCOUNT_RULE.baseDelayMs - 500) / 1000));
    const address = { count: ADDRESS_RULE.freeFailures + 2, latestMs: now };
    expect(retryAfterSeconds(account, address, now)).toBe((ADDRESS_RULE.baseDelayMs * 4) / 1000);
  });

  it('limits by address alone when one address sprays many accounts', () => {
    expect(retryAfterSeconds(none, { count: ADDRESS_RULE.freeFailures, latestMs: now }, now)).toBe(ADDRESS_RULE.baseDelayMs / 1000);
  });
});
