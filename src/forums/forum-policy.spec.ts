import { describe, expect, it } from '@jest/globals';
import type { Actor } from '../auth/actor.js';
import { canModerate, canRead, participationRefusal } from './forum-policy.js';

const member: Actor = { accountId: 'a', displayName: 'Ana', role: 'member', sessionId: 's' };
/** A guest of a live Q&A: a name, no account standing. */
const guest: Actor = { ...member, guestSessionId: 3 };
const forum = (visibility: 'public' | 'members' | 'invite_only') => ({ visibility, state: 'open' as const });
const activeModerator = { role: 'moderator' as const, state: 'active' as const };

describe('forum policy for guests of a live Q&A', () => {
  it('treats a guest like an anonymous visitor: public forums only, never taking part or moderating', () => {
    expect(canRead(forum('public'), guest, null)).toBe(true);
    expect(canRead(forum('members'), guest, null)).toBe(false);
    expect(canRead(forum('members'), member, null)).toBe(true);
    expect(canRead(forum('invite_only'), guest, activeModerator)).toBe(false);
    expect(participationRefusal(forum('public'), guest, null)).toBe('unauthenticated');
    expect(participationRefusal(forum('public'), member, null)).toBeNull();
    expect(canModerate(guest, activeModerator)).toBe(false);
  });
});
