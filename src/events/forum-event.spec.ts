import { describe, expect, it } from '@jest/globals';
import { audienceIncludes } from './forum-event.js';

describe('event audiences', () => {
  const member = { moderator: false, accountId: 'a' };
  const moderator = { moderator: true, accountId: 'm' };
  const anonymous = { moderator: false, accountId: null };

  it('readers: everyone following the forum', () => {
    for (const viewer of [member, moderator, anonymous]) expect(audienceIncludes({ kind: 'readers' }, viewer)).toBe(true);
  });

  it('moderators only', () => {
    expect(audienceIncludes({ kind: 'moderators' }, moderator)).toBe(true);
    expect(audienceIncludes({ kind: 'moderators' }, member)).toBe(false);
    expect(audienceIncludes({ kind: 'moderators' }, anonymous)).toBe(false);
  });

  it('moderators and one account', () => {
    const audience = { kind: 'moderators_and_account', accountId: 'a' } as const;
    expect(audienceIncludes(audience, member)).toBe(true);
    expect(audienceIncludes(audience, moderator)).toBe(true);
    expect(audienceIncludes(audience, { moderator: false, accountId: 'b' })).toBe(false);
    expect(audienceIncludes(audience, anonymous)).toBe(false);
  });
});
