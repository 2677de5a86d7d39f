import { describe, expect, it } from '@jest/globals';
import type { Reply } from '../api.js';
import type { ForumEvent } from '../live.js';
import type { QueueItem } from './moderation-api.js';
import type { ForumEventPayloads, ForumEventType, QuestionView, ReplyView, Wire } from '../protocol.js';
import { FORUM_EVENT_TYPES } from '../protocol.js';
import { applyQueueEvent, queueAct, QueueModel } from './queue-model.js';

function reply(id: string, over: Partial<Reply> = {}): Reply {
  return {
    id, questionId: 7, forumId: 1, parentId: null, depth: 1, author: { id: 'ana', displayName: 'Ana' }, bodyHtml: `<p>${id}</p>`, bodySource: null,
    state: 'visible', voteCount: 0, childCount: 0, votedByMe: false, createdAt: '2026-12-01T10:00:00.000Z', editedAt: null, stateReason: null,
    featured: false, editedByModerator: false, ...over,
  };
}
const flagged = (id: string): QueueItem => ({
  kind: 'flags', since: '2026-12-01T10:00:00.000Z', reply: reply(id), flags: [], counts: { spam: 1, off_topic: 0, abusive: 0, other: 0 },
});
const waiting = (id: string): QueueItem => ({ kind: 'pending', since: '2026-12-01T10:00:00.000Z', reply: reply(id, { state: 'pending' }) });

const AT = '2026-12-01T10:00:00.000Z';
let seq = 0;
function event<T extends ForumEventType>(type: T, payload: Wire<ForumEventPayloads[T]>): ForumEvent {
  return { seq: ++seq, type, questionId: 7, payload, at: AT, forumId: 1 } as ForumEvent;
}
const wireReply: Wire<ReplyView> = {
  id: '1', questionId: 7, forumId: 1, parentId: null, depth: 1, author: { id: 'ana', displayName: 'Ana' }, bodyHtml: '<p>1</p>', state: 'visible',
  stateReason: null, featured: false, editedByModerator: false, voteCount: 0, childCount: 0, createdAt: AT, editedAt: null,
};

/** A queue with its first page read: three entries, the second selected. */
function loaded(): QueueModel {
  const model = new QueueModel();
  model.loaded({ items: [flagged('1'), waiting('2'), flagged('3')], nextCursor: 'c1' });
  model.select(1);
  return model;
}

describe('applyQueueEvent', () => {
  it('announces a new flagged or waiting entry and reads the queue again', () => {
    expect(applyQueueEvent(event('moderation.queue', { kind: 'flags', change: 'added', replyId: '1', questionId: 7 }))).toEqual([
      { kind: 'announceArrival' },
      { kind: 'refresh' },
    ]);
    expect(applyQueueEvent(event('moderation.queue', { kind: 'pending', change: 'added', replyId: '1', questionId: 7 }))).toEqual([
      { kind: 'announceArrival' },
      { kind: 'refresh' },
    ]);
  });

  it('reads the queue again, quietly, when an entry changed or left', () => {
    expect(applyQueueEvent(event('moderation.queue', { kind: 'flags', change: 'updated', replyId: '1', questionId: 7 }))).toEqual([{ kind: 'refresh' }]);
    expect(applyQueueEvent(event('moderation.queue', { kind: 'pending', change: 'removed', replyId: '1', questionId: 7 }))).toEqual([{ kind: 'refresh' }]);
  });

  it("leaves members' proposed questions to their panel, announcing a new one", () => {
    expect(applyQueueEvent(event('moderation.queue', { kind: 'question', change: 'added', questionId: 9 }))).toEqual([
      { kind: 'announceArrival' },
      { kind: 'reloadProposals' },
    ]);
    expect(applyQueueEvent(event('moderation.queue', { kind: 'question', change: 'removed', questionId: 9 }))).toEqual([{ kind: 'reloadProposals' }]);
  });

  const replyEvents = [
    event('reply.created', { reply: wireReply }),
    event('reply.edited', { reply: wireReply }),
    event('reply.deleted', { reply: wireReply }),
    event('reply.voted', { replyId: '1', voteCount: 2 }),
    event('reply.hidden', { reply: wireReply }),
    event('reply.unhidden', { reply: wireReply }),
    event('reply.approved', { reply: wireReply }),
    event('reply.rejected', { reply: wireReply }),
    event('reply.featured', { reply: wireReply }),
    event('reply.moved', { replyId: '1', fromQuestionId: 7, toQuestionId: 8, parentId: null, movedReplyIds: ['1'] }),
  ];
  it.each(replyEvents)('reads the queue again after $type (an entry may have been acted on in its thread)', (e) => {
    expect(applyQueueEvent(e)).toEqual([{ kind: 'refresh' }]);
  });

  it('reloads the silenced members when a silence begins or ends', () => {
    const silence = { forumId: 1, account: { id: 'ana', displayName: 'Ana' }, until: AT, reason: null, by: null, createdAt: AT };
    expect(applyQueueEvent(event('member.silenced', { accountId: 'ana', silence }))).toEqual([{ kind: 'reloadSilences' }]);
    expect(applyQueueEvent(event('member.silenced', { accountId: 'ana', silence: null }))).toEqual([{ kind: 'reloadSilences' }]);
  });

  const question: Wire<QuestionView> = {
    id: 7, forumId: 1, position: 1, title: 'Heat pumps', bodyHtml: '', author: null, pinned: false, locked: false, closed: false, replyCount: 0,
    mergedIntoId: null, slowModeSeconds: null, synthesis: null, featuredReplyIds: [], liveScore: null, liveQuestion: null, createdAt: AT, updatedAt: AT,
  };
  const quiet = [
    event('question.created', { question }),
    event('question.updated', { question }),
    event('question.merged', { sourceId: 7, targetId: 8, movedReplyIds: ['1'] }),
    event('questions.reordered', { questions: [{ id: 7, position: 2 }] }),
    event('forum.updated', { forum: { id: 1, title: 'Net zero' } }),
    event('forum.moderation', {
      settings: { forumId: 1, premoderation: true, premoderateFirstReplies: 0, flagThreshold: 3, flagThresholdIsDefault: true, slowModeSeconds: null, maxRepliesPerHour: null, memberQuestions: true },
    }),
    event('membership.changed', { accountId: 'ana', role: 'moderator', state: 'active' }),
    event('membership.removed', { accountId: 'ana' }),
    event('moderation.action', {
      action: { id: 'a1', forumId: 1, act: 'reply.hide', actor: null, targetKind: 'reply', targetId: '1', questionId: 7, targetAuthor: null, reason: 'spam', before: null, after: null, createdAt: AT },
    }),
    event('flag.resolved', { flag: { id: 'f1', replyId: '1', questionId: 7, forumId: 1, reason: 'spam', note: null, state: 'upheld', createdAt: AT, resolvedAt: AT } }),
  ];
  it.each(quiet)('does nothing on $type (nothing the queue shows)', (e) => {
    expect(applyQueueEvent(e)).toEqual([]);
  });

  it('has a test for every event type of the protocol', () => {
    const tested = new Set([...replyEvents, ...quiet].map((e) => e.type).concat('moderation.queue', 'member.silenced'));
    expect(FORUM_EVENT_TYPES.filter((type) => !tested.has(type))).toEqual([]);
  });
});

describe('queueAct', () => {
  it('approves or rejects a waiting reply, and does not delete one', () => {
    expect(queueAct(waiting('2'), 'a')).toEqual({ command: { act: 'reply.approve', replyId: '2' }, done: 'queue.approved', name: 'Ana' });
    expect(queueAct(waiting('2'), 'r')).toEqual({ command: { act: 'reply.reject', replyId: '2' }, done: 'queue.rejected', name: 'Ana' });
    expect(queueAct(waiting('2'), 'd')).toBeNull();
  });

  it('keeps a flagged reply (dismissing the flags), or hides or deletes it (upholding them)', () => {
    expect(queueAct(flagged('1'), 'a')).toMatchObject({ command: { act: 'flags.resolve', replyId: '1', outcome: 'dismiss' }, done: 'queue.dismissed' });
    expect(queueAct(flagged('1'), 'r')).toMatchObject({ command: { act: 'flags.resolve', outcome: 'uphold', removal: 'hide' }, done: 'queue.upheld' });
    expect(queueAct(flagged('1'), 'd')).toMatchObject({ command: { act: 'flags.resolve', outcome: 'uphold', removal: 'delete' }, done: 'queue.upheldDeleted' });
  });

  it('names the author, or a dash for a deleted account', () => {
    expect(queueAct({ ...flagged('1'), reply: reply('1', { author: undefined }) }, 'a')?.name).toBe('—');
  });
});

describe('QueueModel', () => {
  it('replaces the list with a fresh read, the selection staying on its entry', () => {
    const model = loaded();
    model.failed(new Error('offline'));
    model.loaded({ items: [waiting('2'), flagged('3')], nextCursor: null });
    expect(model.selected).toBe(0);
    expect(model.list[model.selected]).toMatchObject({ kind: 'pending', reply: { id: '2' } });
    expect(model.error).toBeNull();
    expect(model.nextCursor).toBeNull();
  });

  it('selects the first entry when the selected one left', () => {
    const model = loaded();
    model.loaded({ items: [flagged('1'), flagged('3')], nextCursor: null });
    expect(model.selected).toBe(0);
  });

  it('keeps the list it shows when a read fails', () => {
    const model = loaded();
    const error = new Error('offline');
    model.failed(error);
    expect(model.error).toBe(error);
    expect(model.list).toHaveLength(3);
  });

  it('adds the next page without the entries already listed (a reply flagged and waiting is two entries)', () => {
    const model = loaded();
    model.loadedMore({ items: [flagged('3'), flagged('2'), flagged('4')], nextCursor: null });
    expect(model.list.map((i) => `${i.kind}-${i.reply.id}`)).toEqual(['flags-1', 'pending-2', 'flags-3', 'flags-2', 'flags-4']);
    expect(model.nextCursor).toBeNull();
  });

  it('chooses another kind of entries, keeping the list until it is read', () => {
    const model = loaded();
    model.choose('pending');
    expect(model.kind).toBe('pending');
    expect(model.list).toHaveLength(3);
  });

  it('selects an entry by its place, and ignores a place past the end', () => {
    const model = loaded();
    model.select(2);
    expect(model.selected).toBe(2);
    model.select(5);
    expect(model.selected).toBe(2);
  });

  it('drops an entry acted on and selects the next one, or the previous one at the end', () => {
    const model = loaded();
    model.acted(model.list[1]);
    expect(model.list.map((i) => i.reply.id)).toEqual(['1', '3']);
    expect(model.list[model.selected].reply.id).toBe('3');
    model.acted(model.list[1]);
    expect(model.list.map((i) => i.reply.id)).toEqual(['1']);
    expect(model.list[model.selected].reply.id).toBe('1');
  });

  it('moves the selection with j/k and the arrows, within the list', () => {
    const model = loaded();
    expect(model.command('j')).toEqual({ kind: 'select', index: 2 });
    expect(model.command('ArrowDown')).toEqual({ kind: 'select', index: 2 });
    expect(model.command('k')).toEqual({ kind: 'select', index: 0 });
    expect(model.command('ArrowUp')).toEqual({ kind: 'select', index: 0 });
    model.select(2);
    expect(model.command('j')).toEqual({ kind: 'select', index: 2 });
    model.select(0);
    expect(model.command('k')).toEqual({ kind: 'select', index: 0 });
  });

  it('acts on, or opens, the selected entry', () => {
    const model = loaded();
    const item = model.list[1];
    for (const key of ['a', 'r', 'd'] as const) expect(model.command(key)).toEqual({ kind: 'act', item, key });
    expect(model.command('o')).toEqual({ kind: 'open', item });
    expect(model.command('Enter')).toEqual({ kind: 'open', item });
    expect(model.command('?')).toEqual({ kind: 'toggleHelp' });
    expect(model.command('x')).toBeNull();
  });

  it('leaves the keys to the browser in an empty queue, but for the help', () => {
    const model = new QueueModel();
    for (const key of ['j', 'k', 'ArrowDown', 'ArrowUp', 'a', 'r', 'd', 'o', 'Enter']) expect(model.command(key)).toBeNull();
    expect(model.command('?')).toEqual({ kind: 'toggleHelp' });
  });

  it('takes no key while an act is under way', () => {
    const model = loaded();
    model.busy = true;
    for (const key of ['j', 'a', '?']) expect(model.command(key)).toBeNull();
  });
});
