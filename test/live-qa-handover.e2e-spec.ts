import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/app.js';
import { newForum } from './support/fixtures.js';
import { newOpenQa, qaEventsBeforeSentinel, waitForQaEvent } from './support/live-qa.js';
import { signedIn } from './support/people.js';
import { connectSocket, eventually, sessionCookie, type TestSocket } from './support/sockets.js';

describe('live Q&A hand-over to the forum', () => {
  let t: TestApp;
  const open: TestSocket[] = [];
  const connect = async (cookie?: string) => {
    const socket = await connectSocket(t.url, cookie ? { cookie } : {});
    open.push(socket);
    return socket;
  };

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await t.close();
  });

  it('carries every approved, unanswered question over once, even when the session is ended twice at once', async () => {
    const { session, mod, moderator } = await newOpenQa(t);
    const [ana, ben, cat, dan] = await Promise.all([
      signedIn(t, { displayName: 'Ana' }), signedIn(t, { displayName: 'Ben' }), signedIn(t, { displayName: 'Cat' }), signedIn(t, { displayName: 'Dan' }),
    ]);
    const ask = async (who: typeof ana, body: string, anonymous = false) =>
      (await who.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body, anonymous }).expect(201)).body;
    const anonymousOne = await ask(ana, 'What does it cost per resident?', true);
    const popular = await ask(ben, 'Which data stays public?');
    const answered = await ask(cat, 'Who runs the platform?');
    const dismissed = await ask(dan, 'Off topic');
    await mod.patch(`/api/sessions/${session.id}/qa`).send({ premoderation: true }).expect(200);
    const pending = await ask(dan, 'Still waiting');
    await Promise.all([ana, cat, dan].map((p) => p.agent.put(`/api/qa/questions/${popular.id}/vote`).expect(200)));
    await cat.agent.put(`/api/qa/questions/${anonymousOne.id}/vote`).expect(200);
    await mod.post(`/api/qa/questions/${answered.id}/moderate`).send({ action: 'answer' }).expect(200);
    await mod.post(`/api/qa/questions/${dismissed.id}/moderate`).send({ action: 'dismiss' }).expect(200);
    await mod.post(`/api/qa/questions/${popular.id}/moderate`).send({ action: 'highlight' }).expect(200);

    const sAna = await connect(await sessionCookie(t.url, ana.account));
    const sCat = await connect(await sessionCookie(t.url, cat.account));
    for (const s of [sAna, sCat]) await s.request('qa.subscribe', { sessionId: session.id });

    // Ended twice and handed over, all at once.
    const results = await Promise.all([
      mod.patch(`/api/sessions/${session.id}/qa`).send({ sessionState: 'ended' }),
      mod.post(`/api/sessions/${session.id}/qa/hand-over`),
      mod.patch(`/api/sessions/${session.id}/qa`).send({ sessionState: 'ended' }),
      mod.post(`/api/sessions/${session.id}/qa/hand-over`),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);

    const forums: { id: number; title: string; visibility: string }[] = await t.dataSource.query(`SELECT id, title, visibility FROM forum WHERE session_id = $1`, [session.id]);
    expect(forums).toEqual([{ id: expect.any(Number), title: 'Questions from the live Q&A', visibility: 'public' }]);
    const forumId = forums[0].id;
    const carried: { live_question_id: number; live_score: number; author_id: string | null; title: string; body_source: string }[] = await t.dataSource.query(
      `SELECT live_question_id, live_score, author_id, title, body_source FROM question WHERE forum_id = $1 ORDER BY position`,
      [forumId],
    );
    expect(carried.map((q) => [q.live_question_id, q.live_score, q.author_id, q.title])).toEqual([
      [popular.id, 3, ben.account.id, 'Which data stays public?'],
      [anonymousOne.id, 1, null, 'What does it cost per resident?'],
    ]);
    expect(carried[1].body_source).toContain(`/sessions/${session.slug}/qa#question-${anonymousOne.id}`);
    expect(carried[1].body_source).toContain('anonymously');
    expect(carried[1].body_source).not.toContain('Ana');
    // The session's moderators moderate the new forum.
    const [membership] = await t.dataSource.query(`SELECT role FROM forum_membership WHERE forum_id = $1 AND account_id = $2`, [forumId, moderator.id]);
    expect(membership).toEqual({ role: 'moderator' });

    // Live questions show where they went; answered ones stay answered.
    const list = (await mod.get(`/api/sessions/${session.id}/qa/questions?sort=recent`).expect(200)).body.items;
    const byId = new Map(list.map((q: any) => [q.id, q]));
    expect(byId.get(popular.id)).toMatchObject({ state: 'archived', carriedOver: { forumId, questionId: expect.any(Number) }, highlighted: false });
    expect(byId.get(anonymousOne.id)).toMatchObject({ state: 'archived', carriedOver: { forumId } });
    expect(byId.get(answered.id)).toMatchObject({ state: 'answered', carriedOver: null, answeredOffset: expect.stringMatching(/^\d\d:\d\d$/) });
    expect(byId.get(dismissed.id)).toMatchObject({ state: 'dismissed', carriedOver: null });
    expect(byId.get(pending.id)).toMatchObject({ state: 'pending', carriedOver: null });
    const qa = (await t.agent().get(`/api/sessions/${session.id}/qa`).expect(200)).body;
    expect(qa).toMatchObject({ sessionState: 'ended', state: 'closed', handOverForum: { id: forumId }, handedOverAt: expect.any(String), highlighted: null });

    // The asker is told, live; other attendees hear of the hand-over, not of her question's asker.
    const told = await waitForQaEvent(sAna, session.id, (e) => e.type === 'question.carried_over');
    expect(told.payload).toEqual({ questionId: anonymousOne.id, forumId, forumQuestionId: expect.any(Number) });
    await waitForQaEvent(sCat, session.id, (e) => e.type === 'qa.handed_over');
    // Who asked or voted now follows the forum the hand-over fed (normal); the others don't.
    const followingOf = async (p: typeof ana) => (await p.agent.get(`/api/me/following/forums/${forumId}`).expect(200)).body.source;
    await eventually(async () => {
      expect(await Promise.all([ana, ben, cat, dan].map(followingOf))).toEqual(['forum', 'forum', 'forum', 'forum']);
    }, 10_000);
    expect(await followingOf(await signedIn(t, { displayName: 'Eve' }))).toBe('default');
    const [catBefore] = await qaEventsBeforeSentinel(t, mod, session.id, [sCat]);
    expect(catBefore.filter((e) => e.type === 'question.carried_over')).toEqual([]);

    // Again: nothing more.
    expect((await mod.post(`/api/sessions/${session.id}/qa/hand-over`).expect(200)).body).toMatchObject({ forum: { id: forumId }, created: [] });
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM question WHERE forum_id = $1`, [forumId]);
    expect(n).toBe(2);
    // The database refuses a second copy outright.
    await expect(
      t.dataSource.query(`INSERT INTO question (forum_id, position, title, live_question_id) VALUES ($1, 99, 'copy', $2)`, [forumId, popular.id]),
    ).rejects.toMatchObject({ code: '23505' });

    // Closed: no more questions from attendees.
    expect((await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Late' }).expect(409)).body.code).toBe('qa_not_open');
    const handOvers = (await mod.get(`/api/sessions/${session.id}/qa/actions`).expect(200)).body.items.filter((a: any) => a.action === 'hand_over');
    expect(handOvers[handOvers.length - 1]).toMatchObject({ actor: { id: moderator.id }, after: { forum: { id: forumId }, created: [{}, {}] } });
  });

  it("picks the session's oldest open forum, publishes the new questions to its followers, and keeps that forum for later hand-overs", async () => {
    const { session, mod } = await newOpenQa(t);
    const archived = await newForum(t, { sessionId: session.id, state: 'archived' });
    const first = await newForum(t, { sessionId: session.id, state: 'open' });
    await newForum(t, { sessionId: session.id, state: 'open' });
    expect(archived.id).toBeLessThan(first.id);
    const ana = await signedIn(t, { displayName: 'Ana' });
    const follower = await connect();
    await follower.request('forum.subscribe', { forumId: first.id });

    const q = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Carried?' }).expect(201)).body;
    const handed = (await mod.post(`/api/sessions/${session.id}/qa/hand-over`).expect(200)).body;
    expect(handed).toMatchObject({ forum: { id: first.id }, forumCreated: false, created: [{ liveQuestionId: q.id, forumQuestionId: expect.any(Number) }] });
    const [event] = await follower.waitForEvents(first.id, 1);
    expect(event).toMatchObject({ type: 'question.created', payload: { question: { title: 'Carried?', liveScore: 0, author: { id: ana.account.id }, liveQuestion: { id: q.id, sessionId: session.id } } } });
    // The forum question is a normal one: readable over the forum API.
    const questions = (await t.agent().get(`/api/forums/${first.id}/questions`).expect(200)).body.items;
    expect(questions.map((x: any) => [x.title, x.liveScore, x.liveQuestion])).toEqual([['Carried?', 0, { id: q.id, sessionId: session.id }]]);

    // The same forum next time, even when it is no longer the oldest open one.
    await t.dataSource.query(`UPDATE forum SET state = 'open' WHERE id = $1`, [archived.id]);
    const q2 = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'And this?' }).expect(201)).body;
    const again = (await mod.patch(`/api/sessions/${session.id}/qa`).send({ sessionState: 'ended' }).expect(200)).body;
    expect(again.handOverForum).toMatchObject({ id: first.id });
    const [row] = await t.dataSource.query(`SELECT forum_id FROM question WHERE live_question_id = $1`, [q2.id]);
    expect(row.forum_id).toBe(first.id);
  });

  it('creates no forum when nothing is left to carry over, and creates it at a later hand-over that carries questions', async () => {
    const { session, mod } = await newOpenQa(t);
    const ana = await signedIn(t);
    const answered = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Answered live' }).expect(201)).body;
    await mod.post(`/api/qa/questions/${answered.id}/moderate`).send({ action: 'answer' }).expect(200);
    const watcher = await connect();
    await watcher.request('qa.subscribe', { sessionId: session.id });

    // Every question was answered: ending the session hands over nothing, and no empty forum appears.
    const ended = (await mod.patch(`/api/sessions/${session.id}/qa`).send({ sessionState: 'ended' }).expect(200)).body;
    expect(ended).toMatchObject({ sessionState: 'ended', state: 'closed', handOverForum: null, handedOverAt: expect.any(String) });
    const told = await waitForQaEvent(watcher, session.id, (e) => e.type === 'qa.handed_over');
    expect(told.payload).toEqual({ forum: null, created: [] });
    expect((await mod.post(`/api/sessions/${session.id}/qa/hand-over`).expect(200)).body).toEqual({ forum: null, created: [], forumCreated: false });
    await expect(t.dataSource.query(`SELECT id FROM forum WHERE session_id = $1`, [session.id])).resolves.toEqual([]);
    const handOvers = (await mod.get(`/api/sessions/${session.id}/qa/actions`).expect(200)).body.items.filter((a: any) => a.action === 'hand_over');
    expect(handOvers.map((a: any) => a.after)).toEqual([
      { forum: null, created: [], forumCreated: false },
      { forum: null, created: [], forumCreated: false },
    ]);

    // Reopened, a question is left unanswered: the next hand-over creates the forum then.
    await mod.patch(`/api/sessions/${session.id}/qa`).send({ state: 'open' }).expect(200);
    const late = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Left unanswered' }).expect(201)).body;
    const handed = (await mod.post(`/api/sessions/${session.id}/qa/hand-over`).expect(200)).body;
    expect(handed).toEqual({
      forum: { id: expect.any(Number), slug: 'live-qa', title: 'Questions from the live Q&A' },
      created: [{ liveQuestionId: late.id, forumQuestionId: expect.any(Number) }],
      forumCreated: true,
    });
    expect((await t.agent().get(`/api/sessions/${session.id}/qa`).expect(200)).body.handOverForum).toEqual(handed.forum);
    // Once there is a forum, an empty hand-over names it and creates nothing.
    expect((await mod.post(`/api/sessions/${session.id}/qa/hand-over`).expect(200)).body).toEqual({ forum: handed.forum, created: [], forumCreated: false });
    await expect(t.dataSource.query(`SELECT count(*)::int AS n FROM forum WHERE session_id = $1`, [session.id])).resolves.toEqual([{ n: 1 }]);
  });

  it("hands over when an admin ends the session in the catalogue, in the same write", async () => {
    const { session } = await newOpenQa(t);
    const admin = await signedIn(t, { role: 'admin' });
    const ana = await signedIn(t);
    const q = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Ended by the catalogue' }).expect(201)).body;
    const watcher = await connect();
    await watcher.request('qa.subscribe', { sessionId: session.id });
    await admin.agent.patch(`/api/sessions/${session.id}`).send({ state: 'ended' }).expect(200);
    const [row] = await t.dataSource.query(`SELECT f.title FROM question fq JOIN forum f ON f.id = fq.forum_id WHERE fq.live_question_id = $1`, [q.id]);
    expect(row).toEqual({ title: 'Questions from the live Q&A' });
    expect((await t.agent().get(`/api/sessions/${session.id}/qa`).expect(200)).body).toMatchObject({ state: 'closed', sessionState: 'ended' });
    await waitForQaEvent(watcher, session.id, (e) => e.type === 'qa.handed_over');
    // Ending it again changes nothing.
    await admin.agent.patch(`/api/sessions/${session.id}`).send({ state: 'ended' }).expect(200);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM question WHERE live_question_id = $1`, [q.id]);
    expect(n).toBe(1);
  });
});
