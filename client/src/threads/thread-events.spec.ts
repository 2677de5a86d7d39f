import { describe, expect, it } from '@jest/globals';
import type { ForumEvent } from '../live.js';
import type { ForumEventPayloads, ForumEventType, ReplyView, Wire } from '../protocol.js';
import { applyThreadEvent, type ThreadReader } from './thread-events.js';
import { ThreadModel } from './thread-model.js';

const QUESTION = 7;
const member: ThreadReader = { questionId: QUESTION, meId: 'me', moderator: false };
const moderator: ThreadReader = { ...member, moderator: true };

/** A reply as events carry it (by Ana, visible, top-level, in question 7 unless told otherwise). */
function reply(id: string, over: Partial<Wire<ReplyView>> = {}): Wire<ReplyView> {
  return {
    id, questionId: QUESTION, forumId: 1, parentId: null, depth: 1, author: { id: 'ana', displayName: 'Ana' }, bodyHtml: `<p>${id}</p>`,
    state: 'visible', stateReason: null, featured: false, editedByModerator: false, voteCount: 0, childCount: 0,
    createdAt: '2026-12-01T10:00:00.000Z', editedAt: null, ...over,
  };
}

let seq = 0;
function event<T extends ForumEventType>(type: T, payload: Wire<ForumEventPayloads[T]>, questionId: number | null = QUESTION): ForumEvent {
  return { seq: ++seq, type, questionId, payload, at: '2026-12-01T10:00:00.000Z', forumId: 1 } as ForumEvent;
}

/** A thread with its first (and only) page loaded: replies 1 and 2, and 3 under 1. */
function loaded(more: string | null = null): ThreadModel {
  const model = new ThreadModel();
  model.addPage([reply('1'), reply('2'), reply('3', { parentId: '1', depth: 2 })].map(toModel), more);
  return model;
}
const toModel = (r: Wire<ReplyView>) => ({ ...r, bodyHtml: r.bodyHtml ?? '', bodySource: null, votedByMe: false });

describe('applyThreadEvent', () => {
  it("places someone else's new reply, marks it new and unseen, and says who wrote it", () => {
    const model = loaded();
    const effects = applyThreadEvent(model, event('reply.created', { reply: reply('4', { parentId: '2', depth: 2 }) }), member);
    expect(model.childIds('2')).toEqual(['4']);
    expect(model.fresh.has('4')).toBe(true);
    expect(model.unseen.has('4')).toBe(true);
    expect(effects).toEqual([{ kind: 'counted' }, { kind: 'announce', name: 'Ana' }, { kind: 'stoppedTyping', accountId: 'ana' }]);
  });

  it("does not announce the reader's own reply, nor mark it new", () => {
    const model = loaded();
    const effects = applyThreadEvent(model, event('reply.created', { reply: reply('4', { author: { id: 'me', displayName: 'Me' } }) }), member);
    expect(model.has('4')).toBe(true);
    expect(model.unseen.size + model.fresh.size).toBe(0);
    expect(effects).toEqual([{ kind: 'counted' }, { kind: 'stoppedTyping', accountId: 'me' }]);
  });

  it('applies a reply once: the same event replayed changes nothing', () => {
    const model = loaded();
    const e = event('reply.created', { reply: reply('4') });
    applyThreadEvent(model, e, member);
    const version = model.version;
    expect(applyThreadEvent(model, e, member)).toEqual([]);
    expect(model.ordered()).toEqual(['1', '3', '2', '4']);
    expect(model.version).toBe(version + 1); // refreshed in place, not added again
  });

  it("ignores another thread's reply", () => {
    const model = loaded();
    expect(applyThreadEvent(model, event('reply.created', { reply: reply('4', { questionId: 8 }) }, 8), member)).toEqual([]);
    expect(model.has('4')).toBe(false);
  });

  it('keeps a new reply beyond the loaded pages for later, counted, and marks it new when its page comes', () => {
    const model = loaded('cursor');
    const effects = applyThreadEvent(model, event('reply.created', { reply: reply('9') }), member);
    expect(model.has('9')).toBe(false);
    expect(model.deferred.has('9')).toBe(true);
    expect(model.unseenCount()).toBe(1);
    expect(effects).toEqual([{ kind: 'counted' }, { kind: 'announce', name: 'Ana' }]);
    model.addNextPage([toModel(reply('9'))], null);
    expect(model.deferred.size).toBe(0);
    expect(model.fresh.has('9') && model.unseen.has('9')).toBe(true);
  });

  it('does not count a reply that waits for approval (its author and the moderators see it)', () => {
    const model = loaded();
    const effects = applyThreadEvent(model, event('reply.created', { reply: reply('4', { state: 'pending' }) }), moderator);
    expect(model.replies.get('4')?.state).toBe('pending');
    expect(effects).not.toContainEqual({ kind: 'counted' });
  });

  it('refreshes an edited reply and keeps the reader\'s own vote', () => {
    const model = loaded();
    model.patch('2', { votedByMe: true, voteCount: 1 });
    applyThreadEvent(model, event('reply.edited', { reply: reply('2', { bodyHtml: '<p>better</p>', voteCount: 1, editedAt: '2026-12-01T11:00:00.000Z' }) }), member);
    expect(model.replies.get('2')).toMatchObject({ bodyHtml: '<p>better</p>', votedByMe: true, editedAt: '2026-12-01T11:00:00.000Z' });
  });

  it('shows a hidden reply as its placeholder; moderators and its author fetch its text again', () => {
    const hidden = { reply: reply('2', { state: 'hidden', bodyHtml: null, stateReason: 'off topic' }) } as const;
    const forMember = loaded();
    expect(applyThreadEvent(forMember, event('reply.hidden', hidden), member)).toEqual([]);
    expect(forMember.replies.get('2')).toMatchObject({ state: 'hidden', bodyHtml: '' });
    expect(applyThreadEvent(loaded(), event('reply.hidden', hidden), moderator)).toEqual([{ kind: 'fetchReply', replyId: '2' }]);
    expect(applyThreadEvent(loaded(), event('reply.hidden', hidden), { ...member, meId: 'ana' })).toEqual([{ kind: 'fetchReply', replyId: '2' }]);
    // An edit of a hidden reply comes without its text too.
    expect(applyThreadEvent(loaded(), event('reply.edited', hidden), moderator)).toEqual([{ kind: 'fetchReply', replyId: '2' }]);
  });

  it('keeps a deleted reply in its place', () => {
    const model = loaded();
    applyThreadEvent(model, event('reply.deleted', { reply: reply('1', { state: 'deleted', bodyHtml: null }) }), member);
    expect(model.ordered()).toEqual(['1', '3', '2']);
    expect(model.replies.get('1')?.state).toBe('deleted');
  });

  it('inserts an approved reply for readers who could not see it, counted, and new to them', () => {
    const model = loaded();
    const effects = applyThreadEvent(model, event('reply.approved', { reply: reply('5') }), member);
    expect(model.has('5') && model.unseen.has('5')).toBe(true);
    expect(effects).toEqual([{ kind: 'counted' }]);
    // Its author had it already (pending): it is refreshed, not counted again.
    const mine = loaded();
    mine.upsert(toModel(reply('5', { state: 'pending', author: { id: 'me', displayName: 'Me' } })));
    expect(applyThreadEvent(mine, event('reply.approved', { reply: reply('5', { author: { id: 'me', displayName: 'Me' } }) }), member)).toEqual([]);
    expect(mine.replies.get('5')?.state).toBe('visible');
  });

  it('updates a vote count', () => {
    const model = loaded();
    applyThreadEvent(model, event('reply.voted', { replyId: '3', voteCount: 4 }), member);
    expect(model.replies.get('3')?.voteCount).toBe(4);
  });

  it('takes a moved reply and its subtree out of the thread, and reads the thread it went to again', () => {
    const model = loaded();
    const moved = { replyId: '1', parentId: null, movedReplyIds: ['1', '3'] };
    expect(applyThreadEvent(model, event('reply.moved', { ...moved, fromQuestionId: QUESTION, toQuestionId: 8 }, null), member)).toEqual([
      { kind: 'notice', notice: { kind: 'moved' } },
      { kind: 'reloadQuestion' },
    ]);
    expect(model.ordered()).toEqual(['2']);
    expect(applyThreadEvent(loaded(), event('reply.moved', { ...moved, fromQuestionId: 8, toQuestionId: QUESTION }, null), member)).toEqual([
      { kind: 'reloadThread' },
      { kind: 'reloadQuestion' },
    ]);
  });

  it('reads the question and the thread again after a merge that concerns it', () => {
    expect(applyThreadEvent(loaded(), event('question.merged', { sourceId: 9, targetId: QUESTION, movedReplyIds: [] }, null), member)).toEqual([
      { kind: 'reloadQuestion' },
      { kind: 'reloadThread' },
    ]);
    expect(applyThreadEvent(loaded(), event('question.merged', { sourceId: 9, targetId: 10, movedReplyIds: [] }, null), member)).toEqual([]);
  });

  it("tells the reader of their flag's outcome and of their own silence", () => {
    const flag = { id: '1', replyId: '2', questionId: QUESTION, forumId: 1, reason: 'spam', note: null, createdAt: '2026-12-01T10:00:00.000Z' } as const;
    expect(applyThreadEvent(loaded(), event('flag.resolved', { flag: { ...flag, state: 'upheld', resolvedAt: '2026-12-01T11:00:00.000Z' } }), member)).toEqual([
      { kind: 'notice', notice: { kind: 'flagResolved', state: 'upheld' } },
    ]);
    const silence = { forumId: 1, account: { id: 'me', displayName: 'Me' }, until: '2026-12-02T10:00:00.000Z', reason: null, by: null, createdAt: '2026-12-01T10:00:00.000Z' };
    expect(applyThreadEvent(loaded(), event('member.silenced', { accountId: 'me', silence }, null), member)).toEqual([
      { kind: 'notice', notice: { kind: 'silenced', until: '2026-12-02T10:00:00.000Z' } },
    ]);
    expect(applyThreadEvent(loaded(), event('member.silenced', { accountId: 'someone', silence }, null), member)).toEqual([]);
  });

  it('reads the question again when it changed or moved in the agenda, and the forum when it changed', () => {
    const order = { questions: [{ id: QUESTION, position: 0 }] };
    expect(applyThreadEvent(loaded(), event('questions.reordered', order, null), member)).toEqual([{ kind: 'reloadQuestion' }]);
    expect(applyThreadEvent(loaded(), event('questions.reordered', { questions: [{ id: 8, position: 0 }] }, null), member)).toEqual([]);
    expect(applyThreadEvent(loaded(), event('forum.updated', { forum: { id: 1, title: 'Renamed' } }, null), member)).toEqual([{ kind: 'reloadForum' }]);
    expect(applyThreadEvent(loaded(), event('moderation.queue', { kind: 'question', change: 'added', questionId: 9 }, null), moderator)).toEqual([]);
  });
});
