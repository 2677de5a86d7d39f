import { describe, expect, it } from '@jest/globals';
import { canSeeReply, countsAsChild, countsAsReply, replyAudience, shownRepliesCondition } from './reply-visibility.js';
import type { ReplyState } from './reply.entity.js';

const STATES: ReplyState[] = ['visible', 'hidden', 'deleted', 'pending', 'rejected'];
const AUTHOR = '00000000-0000-4000-8000-000000000001';
const reply = (state: ReplyState) => ({ state, author_id: AUTHOR });

describe('reply visibility', () => {
  it('shows readers visible, hidden and deleted replies (in place), pending and rejected ones to their author and the moderators only', () => {
    const seen = (viewer: { canModerate: boolean; accountId: string | null }) => STATES.filter((s) => canSeeReply(viewer, reply(s)));
    expect(seen({ canModerate: false, accountId: null })).toEqual(['visible', 'hidden', 'deleted']);
    expect(seen({ canModerate: false, accountId: '00000000-0000-4000-8000-000000000002' })).toEqual(['visible', 'hidden', 'deleted']);
    expect(seen({ canModerate: false, accountId: AUTHOR })).toEqual(STATES);
    expect(seen({ canModerate: true, accountId: null })).toEqual(STATES);
  });

  it('keeps a reply deleted while pending or rejected (withheld) from readers: its author and the moderators only', () => {
    const withheld = { state: 'deleted' as const, author_id: AUTHOR, withheld: true };
    expect([null, '00000000-0000-4000-8000-000000000002', AUTHOR].map((accountId) => canSeeReply({ canModerate: false, accountId }, withheld))).toEqual([false, false, true]);
    expect(canSeeReply({ canModerate: true, accountId: null }, withheld)).toBe(true);
    expect(countsAsChild('deleted', true)).toBe(false);
    expect(replyAudience(withheld)).toEqual({ kind: 'moderators_and_account', accountId: AUTHOR });
  });

  it('says the same in SQL', () => {
    expect(shownRepliesCondition({ canModerate: true }, 'r', '$4')).toBe('TRUE');
    expect(shownRepliesCondition({ canModerate: false }, 'r')).toBe(`(r.state IN ('visible', 'hidden', 'deleted') AND NOT r.withheld)`);
    expect(shownRepliesCondition({ canModerate: false }, 'r', '$4')).toBe(
      `((r.state IN ('visible', 'hidden', 'deleted') AND NOT r.withheld) OR (r.author_id = $4 AND (r.state IN ('pending', 'rejected') OR r.withheld)))`,
    );
  });

  it('counts visible replies in the question, and what readers see in place as children', () => {
    expect(STATES.filter(countsAsReply)).toEqual(['visible']);
    expect(STATES.filter((s) => countsAsChild(s))).toEqual(['visible', 'hidden', 'deleted']);
  });

  it('tells the author and the moderators only of a pending or rejected reply', () => {
    expect(STATES.map((s) => replyAudience(reply(s)).kind)).toEqual(['readers', 'readers', 'readers', 'moderators_and_account', 'moderators_and_account']);
  });
});
