import { describe, expect, it } from '@jest/globals';
import type { Actor } from '../auth/actor.js';
import { askingLimits, askRefusal, askWaitMs, GUEST_MIN_INTERVAL_SECONDS, isPublicState, LIVE_QUESTION_STATES, offsetLabel, transitionAllowed } from './qa-policy.js';

const member: Actor = { accountId: 'a', displayName: 'Ana', role: 'member', sessionId: 's' };
const guestOf = (sessionId: number): Actor => ({ ...member, guestSessionId: sessionId });
const qa = { state: 'open' as const, allowGuests: true, sessionId: 7 };
const config = { QA_ASKS_PER_WINDOW: 10, QA_GUEST_ASKS_PER_WINDOW: 3, QA_ASK_WINDOW_SECONDS: 600 };

describe('askRefusal', () => {
  it('lets signed-in people ask in an open Q&A, and guests only in their own session when guests are allowed', () => {
    expect(askRefusal(qa, member, false)).toBeNull();
    expect(askRefusal(qa, null, false)).toBe('unauthenticated');
    expect(askRefusal(qa, guestOf(7), false)).toBeNull();
    expect(askRefusal(qa, guestOf(8), false)).toBe('guest_not_allowed');
    expect(askRefusal({ ...qa, allowGuests: false }, guestOf(7), false)).toBe('guest_not_allowed');
    expect(askRefusal(null, guestOf(7), false)).toBe('guest_not_allowed');
  });

  it('refuses a closed or never opened Q&A, except to moderators of an existing one', () => {
    expect(askRefusal({ ...qa, state: 'closed' }, member, false)).toBe('qa_not_open');
    expect(askRefusal({ ...qa, state: 'closed' }, member, true)).toBeNull();
    expect(askRefusal(null, member, true)).toBe('qa_not_open');
  });
});

describe('states and transitions', () => {
  it('shows approved, answered and carried-over questions to everyone, the rest to moderators and askers', () => {
    expect(LIVE_QUESTION_STATES.filter((state) => isPublicState(state))).toEqual(['approved', 'answered']);
    // Archived: public only once carried over to the forum (a moderator archiving a pending question must not publish it).
    expect(LIVE_QUESTION_STATES.filter((state) => isPublicState(state, true))).toEqual(['approved', 'answered', 'archived']);
  });

  it('answers and highlights approved questions only; merges from pending or approved; never touches merged or withdrawn ones', () => {
    expect(transitionAllowed('answer', 'approved')).toBe(true);
    expect(transitionAllowed('answer', 'pending')).toBe(false);
    expect(transitionAllowed('highlight', 'pending')).toBe(false);
    expect(transitionAllowed('merge', 'answered')).toBe(false);
    expect(transitionAllowed('approve', 'dismissed')).toBe(true);
    for (const action of ['approve', 'dismiss', 'answer', 'archive', 'merge', 'edit'] as const) {
      expect(transitionAllowed(action, 'merged')).toBe(false);
      expect(transitionAllowed(action, 'withdrawn')).toBe(false);
    }
  });
});

describe('offsetLabel', () => {
  const start = new Date('2026-11-25T10:00:00Z');
  it('formats the time since the start as mm:ss, minutes past 59 included', () => {
    expect(offsetLabel(start, new Date('2026-11-25T10:05:07.900Z'))).toBe('05:07');
    expect(offsetLabel(start, new Date('2026-11-25T11:15:03Z'))).toBe('75:03');
    expect(offsetLabel(start, new Date('2026-11-25T09:59:00Z'))).toBe('00:00');
    expect(offsetLabel(null, start)).toBeNull();
  });
});

describe('asking limits', () => {
  const now = 1_000_000_000;
  it('limits guests harder than members', () => {
    expect(askingLimits(config, false, 0)).toEqual({ asksPerWindow: 10, windowSeconds: 600, minIntervalSeconds: 0 });
    expect(askingLimits(config, true, 0)).toEqual({ asksPerWindow: 3, windowSeconds: 600, minIntervalSeconds: GUEST_MIN_INTERVAL_SECONDS });
    expect(askingLimits(config, true, 120).minIntervalSeconds).toBe(120);
    expect(askingLimits(config, false, 45).minIntervalSeconds).toBe(45);
  });

  it('waits out the slow-mode gap after the newest question', () => {
    const limits = { asksPerWindow: 10, windowSeconds: 600, minIntervalSeconds: 60 };
    expect(askWaitMs(limits, [], now)).toBe(0);
    expect(askWaitMs(limits, [now - 20_000], now)).toBe(40_000);
    expect(askWaitMs(limits, [now - 61_000], now)).toBe(0);
  });

  it('waits until the oldest counted question leaves the window when the window is full', () => {
    const limits = { asksPerWindow: 3, windowSeconds: 600, minIntervalSeconds: 0 };
    expect(askWaitMs(limits, [now - 500_000, now - 100_000], now)).toBe(0);
    expect(askWaitMs(limits, [now - 500_000, now - 100_000, now - 1_000], now)).toBe(100_000);
    // Older than the window: not counted.
    expect(askWaitMs(limits, [now - 700_000, now - 100_000, now - 1_000], now)).toBe(0);
  });
});
