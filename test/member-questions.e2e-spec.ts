import { beforeAll, describe, expect, it } from '@jest/globals';
import type { TestApp } from './support/app.js';
import { newForum } from './support/fixtures.js';
import { act, actOk, eventOf, moderationScene, recordRows, stage, type Cast, type Stage } from './support/moderation.js';
import { signedIn } from './support/people.js';
import { connectSocket, type TestSocket } from './support/sockets.js';

/**
 * Issue 18: members propose questions; the forum's moderators approve
 * (published to readers then) or reject them with a reason. Until then a
 * proposal reaches only its author and the moderators, over HTTP and live.
 */
describe('member questions', () => {
  const scene = moderationScene();
  let t: TestApp;
  let cast: Cast;
  beforeAll(() => {
    ({ t, cast } = scene);
  });

  const propose = (s: Stage, title: string, body = 'Some context') =>
    cast.author.agent.post(`/api/forums/${s.forumId}/question-proposals`).send({ title, body });
  const titles = async (agent: ReturnType<TestApp['agent']>, forumId: number) =>
    ((await agent.get(`/api/forums/${forumId}/questions`).expect(200)).body.items as { title: string }[]).map((q) => q.title);

  /** An anonymous visitor following the forum live. */
  const anonymousFollower = async (forumId: number): Promise<TestSocket> => {
    const socket = await connectSocket(t.url);
    expect(await socket.request('forum.subscribe', { forumId })).toMatchObject({ forumId });
    return socket;
  };

  /** A published question the moderator adds: the sentinel every follower receives after anything that came before it. */
  const sentinel = async (s: Stage, title: string) => {
    const { body } = await cast.moderator.agent.post(`/api/forums/${s.forumId}/questions`).send({ title }).expect(201);
    return body.id as number;
  };

  it('a proposal is seen only by its author and the moderators, over HTTP and live, and is not counted for others', async () => {
    const s = await stage(t, cast);
    const anonymous = await anonymousFollower(s.forumId);
    try {
      const res = await propose(s, 'Can we talk about open data?').expect(201);
      expect(res.body).toMatchObject({ title: 'Can we talk about open data?', state: 'proposed', stateReason: null, author: { id: cast.author.account.id } });
      const id = res.body.id as number;

      // HTTP: the author and the moderator list it and read it; another member and an anonymous visitor don't.
      expect(await titles(cast.author.agent, s.forumId)).toContain('Can we talk about open data?');
      expect(await titles(cast.moderator.agent, s.forumId)).toContain('Can we talk about open data?');
      expect(await titles(cast.reader.agent, s.forumId)).not.toContain('Can we talk about open data?');
      expect(await titles(t.agent(), s.forumId)).not.toContain('Can we talk about open data?');
      await cast.author.agent.get(`/api/questions/${id}`).expect(200);
      expect((await cast.reader.agent.get(`/api/questions/${id}`).expect(404)).body.code).toBe('question_not_found');
      expect((await t.agent().get(`/api/questions/${id}`).expect(404)).body.code).toBe('question_not_found');
      expect((await cast.reader.agent.get(`/api/questions/${id}/replies`).expect(404)).body.code).toBe('question_not_found');
      await cast.author.agent.get(`/api/questions/${id}/replies`).expect(200);
      // Nobody replies to it before it is published; others can't tell it exists.
      expect((await cast.reader.agent.post(`/api/questions/${id}/replies`).send({ body: 'Me first' }).expect(404)).body.code).toBe('question_not_found');
      expect((await cast.author.agent.post(`/api/questions/${id}/replies`).send({ body: 'Me first' }).expect(409)).body.code).toBe('question_not_published');
      // The forum's question count is what readers see (the stage's question only).
      expect((await cast.reader.agent.get(`/api/forums/${s.forumId}`).expect(200)).body.questionCount).toBe(1);

      // Live: the author and the moderator hear of it; then the sentinel reaches everyone, and nothing of the proposal came before it.
      await eventOf(cast.author.socket, s.forumId, 'question.created', (e) => (e.payload as any).question.id === id);
      await eventOf(cast.moderator.socket, s.forumId, 'moderation.queue', (e) => (e.payload as any).kind === 'question');
      // A moderator's change to a proposal (pin, edit) reaches the same people only.
      await actOk(cast.moderator, 'http', { act: 'question.pin', questionId: id });
      await cast.moderator.agent.patch(`/api/questions/${id}`).send({ title: 'Can we talk about open data, please?' }).expect(200);
      await eventOf(cast.author.socket, s.forumId, 'question.updated', (e) => (e.payload as any).question.title === 'Can we talk about open data, please?');
      const mark = await sentinel(s, 'Sentinel question');
      for (const socket of [cast.reader.socket, anonymous]) {
        await eventOf(socket, s.forumId, 'question.created', (e) => (e.payload as any).question.id === mark);
        const seen = socket.forumEvents(s.forumId);
        expect(seen.filter((e) => (e.payload as any).question?.id === id || (e.payload as any).questionId === id || e.questionId === id)).toEqual([]);
        expect(JSON.stringify(seen)).not.toContain('open data');
      }
    } finally {
      anonymous.close();
    }
  });

  it('a moderator approves: readers see it live, it is recorded, and it takes replies', async () => {
    const s = await stage(t, cast);
    const anonymous = await anonymousFollower(s.forumId);
    try {
      const { body: proposal } = await propose(s, 'What about rural broadband?').expect(201);
      // Until it is published, no reply is moved or merged into it (readers couldn't follow them there).
      const { body: reply } = await cast.reader.agent.post(`/api/questions/${s.questionId}/replies`).send({ body: 'Broadband first' }).expect(201);
      expect((await act(cast.moderator, 'http', { act: 'reply.move', replyId: reply.id, toQuestionId: proposal.id })).body.code).toBe('question_not_published');
      expect((await act(cast.moderator, 'http', { act: 'question.merge', questionId: s.questionId, intoQuestionId: proposal.id })).body.code).toBe('question_not_published');
      const result = await actOk(cast.moderator, 'socket', { act: 'question.approve', questionId: proposal.id });
      expect(result.question).toMatchObject({ id: proposal.id, state: 'published' });
      expect(result.actions).toEqual([expect.objectContaining({ act: 'question.approve', targetKind: 'question', targetId: String(proposal.id) })]);
      for (const socket of [cast.reader.socket, anonymous]) {
        const live = await eventOf(socket, s.forumId, 'question.created', (e) => (e.payload as any).question.id === proposal.id);
        expect((live.payload as any).question).toMatchObject({ title: 'What about rural broadband?', state: 'published' });
      }
      expect(await titles(cast.reader.agent, s.forumId)).toContain('What about rural broadband?');
      expect(await titles(t.agent(), s.forumId)).toContain('What about rural broadband?');
      expect((await cast.reader.agent.get(`/api/forums/${s.forumId}`).expect(200)).body.questionCount).toBe(2);
      await cast.reader.agent.post(`/api/questions/${proposal.id}/replies`).send({ body: 'Yes please' }).expect(201);
      expect((await recordRows(t, s.forumId)).map((r) => [r.act, r.actor_id, r.before, r.after])).toEqual([
        ['question.approve', cast.moderator.account.id, { state: 'proposed' }, { state: 'published' }],
      ]);
      // Approving twice is refused; the queue no longer holds it.
      expect((await act(cast.moderator, 'http', { act: 'question.approve', questionId: proposal.id })).body.code).toBe('not_proposed');
      const queue = (await cast.moderator.agent.get(`/api/forums/${s.forumId}/moderation/queue`).expect(200)).body.items;
      expect(queue.filter((i: any) => i.kind === 'question')).toEqual([]);
    } finally {
      anonymous.close();
    }
  });

  it('the moderation queue holds proposals; a rejection needs a reason, which its author sees', async () => {
    const s = await stage(t, cast);
    const { body: proposal } = await propose(s, 'Off topic, really').expect(201);
    const queue = (await cast.moderator.agent.get(`/api/forums/${s.forumId}/moderation/queue?kind=question`).expect(200)).body.items;
    expect(queue).toEqual([expect.objectContaining({ kind: 'question', question: expect.objectContaining({ id: proposal.id, state: 'proposed' }) })]);
    // Members can't decide.
    expect((await act(cast.reader, 'http', { act: 'question.approve', questionId: proposal.id })).body.code).toBe('not_moderator');
    const noReason = await act(cast.moderator, 'http', { act: 'question.reject', questionId: proposal.id });
    expect(noReason.status).toBe(400);
    expect(noReason.body.details.map((d: { field: string }) => d.field)).toContain('reason');

    const result = await actOk(cast.moderator, 'http', { act: 'question.reject', questionId: proposal.id, reason: 'Not about this session' });
    expect(result.question).toMatchObject({ state: 'rejected', stateReason: 'Not about this session' });
    const live = await eventOf(cast.author.socket, s.forumId, 'question.updated', (e) => (e.payload as any).question.id === proposal.id);
    expect((live.payload as any).question).toMatchObject({ state: 'rejected', stateReason: 'Not about this session' });
    expect((await cast.author.agent.get(`/api/questions/${proposal.id}`).expect(200)).body).toMatchObject({ state: 'rejected', stateReason: 'Not about this session' });
    await cast.reader.agent.get(`/api/questions/${proposal.id}`).expect(404);
    expect((await recordRows(t, s.forumId)).map((r) => [r.act, r.reason, r.after])).toEqual([['question.reject', 'Not about this session', { state: 'rejected' }]]);
    // The sentinel: the reader heard nothing of the proposal or its rejection.
    const mark = await sentinel(s, 'After the rejection');
    await eventOf(cast.reader.socket, s.forumId, 'question.created', (e) => (e.payload as any).question.id === mark);
    expect(JSON.stringify(cast.reader.socket.forumEvents(s.forumId))).not.toContain('Off topic');
  });

  it('the forum setting turns it off (403 member_questions_off), and moderators set it where the other rules are', async () => {
    const s = await stage(t, cast);
    expect((await cast.reader.agent.get(`/api/forums/${s.forumId}/moderation/settings`).expect(200)).body.memberQuestions).toBe(true);
    expect((await cast.author.agent.get(`/api/forums/${s.forumId}`).expect(200)).body.memberQuestions).toBe(true);
    const off = await actOk(cast.moderator, 'http', { act: 'forum.settings', forumId: s.forumId, memberQuestions: false });
    expect(off.settings.memberQuestions).toBe(false);
    expect(off.actions).toEqual([expect.objectContaining({ act: 'forum.settings', before: { memberQuestions: true }, after: { memberQuestions: false } })]);
    expect((await cast.author.agent.get(`/api/forums/${s.forumId}`).expect(200)).body.memberQuestions).toBe(false);
    const refused = await propose(s, 'Still allowed?').expect(403);
    expect(refused.body.code).toBe('member_questions_off');
    expect(await titles(cast.author.agent, s.forumId)).not.toContain('Still allowed?');
    // Moderators keep posting questions, and their own proposal is published at once.
    const own = await cast.moderator.agent.post(`/api/forums/${s.forumId}/question-proposals`).send({ title: 'From the moderator' }).expect(201);
    expect(own.body.state).toBe('published');
    // Members still can't post directly.
    expect((await cast.author.agent.post(`/api/forums/${s.forumId}/questions`).send({ title: 'Direct' }).expect(403)).body.code).toBe('not_moderator');
  });

  it('refuses anonymous callers, outsiders of an invite-only forum, silenced members and bad input', async () => {
    const s = await stage(t, cast, { visibility: 'invite_only' });
    // Anonymous: 404 where they can't read, 401 where they can.
    await t.agent().post(`/api/forums/${s.forumId}/question-proposals`).send({ title: 'Hi' }).expect(404);
    const open = await newForum(t, { visibility: 'public' });
    expect((await t.agent().post(`/api/forums/${open.id}/question-proposals`).send({ title: 'Hi' }).expect(401)).body.code).toBe('unauthenticated');
    const outsider = await signedIn(t, { displayName: 'Outsider' });
    // An outsider can't read an invite-only forum: it answers as if it didn't exist.
    expect((await outsider.agent.post(`/api/forums/${s.forumId}/question-proposals`).send({ title: 'Let me in' }).expect(404)).body.code).toBe('forum_not_found');
    const bad = await propose(s, '').expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toContain('title');
    const extra = await cast.author.agent.post(`/api/forums/${s.forumId}/question-proposals`).send({ title: 'Pin me', pinned: true }).expect(400);
    expect(extra.body.code).toBe('validation_failed');
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM question WHERE forum_id = $1`, [s.forumId]))[0].n).toBe(1);
    // A silenced member can't propose either.
    const until = new Date(Date.now() + 3600_000).toISOString();
    await actOk(cast.moderator, 'http', { act: 'member.silence', forumId: s.forumId, accountId: cast.author.account.id, until });
    expect((await propose(s, 'While silenced').expect(403)).body.code).toBe('silenced');
    await actOk(cast.moderator, 'http', { act: 'member.unsilence', forumId: s.forumId, accountId: cast.author.account.id });
    // A members-only forum's signed-in non-member may propose (they may reply there too).
    const members = await newForum(t, { visibility: 'members' });
    expect((await outsider.agent.post(`/api/forums/${members.id}/question-proposals`).send({ title: 'From a network member' }).expect(201)).body.state).toBe('proposed');
  });
});
