import { describe, expect, it } from '@jest/globals';
import type { LiveQuestionView, PollView, QaEventPayloads, QaEventType, QaEventView, Wire } from '../protocol.js';
import type { QaInfo } from './qa-api.js';
import { QaModel } from './qa-model.js';

const info: QaInfo = {
  sessionId: 3, sessionSlug: 'digital-cities', sessionTitle: 'Digital cities', sessionState: 'live', state: 'open', premoderation: false,
  allowGuests: true, slowModeSeconds: 0, startedAt: null, highlightedQuestionId: null, highlighted: null, handedOverAt: null, handOverForum: null,
  onScreenPollId: null, joinCode: null, limits: { maxBodyLength: 500, asksPerWindow: 5, windowSeconds: 60, minIntervalSeconds: 0 },
  viewer: { accountId: 'me', displayName: 'Me', guest: false, canModerate: false, canAsk: true, askRefusal: null },
};

function question(id: number, over: Partial<Wire<LiveQuestionView>> = {}): Wire<LiveQuestionView> {
  return {
    id, sessionId: 3, body: `Question ${id}?`, state: 'approved', anonymous: false, asker: null, voteCount: 0, highlighted: false, mergedIntoId: null,
    mergedCount: 0, dismissReason: null, answeredAt: null, answeredOffset: null, editedAt: null, editedByModerator: false, carriedOver: null,
    createdAt: '2026-12-01T10:00:00.000Z', updatedAt: '2026-12-01T10:00:00.000Z', ...over,
  };
}

let seq = 0;
function event<T extends QaEventType>(type: T, payload: Wire<QaEventPayloads[T]>, at = '2026-12-01T10:05:00.000Z'): QaEventView {
  return { seq: ++seq, type, questionId: null, payload, at } as QaEventView;
}

describe('QaModel.apply', () => {
  it('lists an approved question asked by someone else, and keeps a pending one from attendees', () => {
    const model = new QaModel(info);
    expect(model.apply(event('question.asked', { question: question(1) }))).toMatchObject({ kind: 'asked', mine: false });
    expect(model.apply(event('question.asked', { question: question(2, { state: 'pending' }) }))).toEqual({ kind: 'none' });
    expect([...model.questions.keys()]).toEqual([1]);
  });

  it('keeps the text it knows when an update comes without it (a dismissed question, for its asker)', () => {
    const model = new QaModel(info);
    model.fromList(toClient(question(1, { viewerAsked: true })), null);
    model.apply(event('question.updated', { question: question(1, { state: 'dismissed', body: null }) }));
    expect(model.questions.get(1)).toMatchObject({ state: 'dismissed', body: 'Question 1?' });
  });

  it('says when a question is answered, once', () => {
    const model = new QaModel(info);
    model.apply(event('question.asked', { question: question(1) }));
    expect(model.apply(event('question.updated', { question: question(1, { state: 'answered' }) })).kind).toBe('answered');
    expect(model.apply(event('question.updated', { question: question(1, { state: 'answered' }) })).kind).toBe('none');
  });

  it('highlights one question at a time, and none', () => {
    const model = new QaModel(info);
    model.apply(event('question.asked', { question: question(1) }));
    model.apply(event('question.asked', { question: question(2) }));
    model.apply(event('question.highlighted', { questionId: 1, previousId: null, question: question(1) }));
    model.apply(event('question.highlighted', { questionId: 2, previousId: 1, question: question(2) }));
    expect([...model.questions.values()].filter((q) => q.highlighted).map((q) => q.id)).toEqual([2]);
    expect(model.apply(event('question.highlighted', { questionId: null, previousId: 2, question: null }))).toEqual({ kind: 'highlighted', question: null });
    expect(model.highlighted()).toBeNull();
  });

  it("merges a question into another, which becomes the viewer's when they asked the first", () => {
    const model = new QaModel(info);
    model.fromList(toClient(question(1, { viewerAsked: true })), null);
    model.apply(event('question.asked', { question: question(2) }));
    model.apply(event('question.merged', { question: question(1, { state: 'merged', mergedIntoId: 2 }), into: question(2, { mergedCount: 1 }) }));
    expect([...model.questions.keys()]).toEqual([2]);
    expect(model.mine.has(2)).toBe(true);
  });

  it('archives the questions carried over to the forum at the hand-over, with the way there', () => {
    const model = new QaModel(info);
    model.apply(event('question.asked', { question: question(1) }));
    const forum = { id: 9, slug: 'digital-cities-forum', title: 'Digital cities: the forum' };
    expect(model.apply(event('qa.handed_over', { forum, created: [{ liveQuestionId: 1, forumQuestionId: 40 }] }))).toEqual({ kind: 'handedOver' });
    expect(model.questions.get(1)).toMatchObject({ state: 'archived', carriedOver: { forumId: 9, questionId: 40 } });
    expect(model.info).toMatchObject({ handOverForum: forum, handedOverAt: '2026-12-01T10:05:00.000Z' });
  });

  it('leaves polls to the polls model', () => {
    const poll: Wire<PollView> = {
      id: 5, sessionId: 3, kind: 'single', prompt: 'Which?', options: ['a', 'b'], state: 'open', resultsHidden: false, liveQuestionId: null, onScreen: false,
      launchedAt: null, closedAt: null, createdAt: '2026-12-01T10:00:00.000Z', handedOverQuestionId: null,
    };
    expect(new QaModel(info).apply(event('poll.created', { poll }))).toEqual({ kind: 'none' });
  });
});

/** A question as the HTTP list gives it to the client (the model's own shape). */
function toClient(q: Wire<LiveQuestionView>) {
  return { ...q, body: q.body ?? '' };
}
