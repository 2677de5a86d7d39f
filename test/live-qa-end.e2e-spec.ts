import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/app.js';
import { joinAsGuest, newOpenQa, waitForQaEvent } from './support/live-qa.js';
import { signedIn } from './support/people.js';
import { connectSocket, type TestSocket } from './support/sockets.js';

describe('the end of a live session', () => {
  let t: TestApp;
  const open: TestSocket[] = [];

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await t.close();
  });

  it('previews what the hand-over carries (questions, poll results) and what it leaves, and the hand-over then does exactly that', async () => {
    const { session, mod } = await newOpenQa(t, { allowGuests: true });
    const [ana, ben] = await Promise.all([signedIn(t, { displayName: 'Ana' }), signedIn(t, { displayName: 'Ben' })]);
    const ask = async (who: typeof ana, body: string) => (await who.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body }).expect(201)).body;
    const popular = await ask(ana, 'Which data stays public?');
    const quiet = await ask(ben, 'Who maintains the sensors?');
    const answered = await ask(ben, 'When does it start?');
    await ben.agent.put(`/api/qa/questions/${popular.id}/vote`).expect(200);
    await mod.post(`/api/qa/questions/${answered.id}/moderate`).send({ action: 'answer' }).expect(200);
    await mod.patch(`/api/sessions/${session.id}/qa`).send({ premoderation: true }).expect(200);
    const waiting = [await ask(ana, 'Still waiting one'), await ask(ben, 'Still waiting two')];

    const makePoll = async (body: object) => {
      const poll = (await mod.post(`/api/sessions/${session.id}/qa/polls`).send(body).expect(201)).body;
      await mod.post(`/api/qa/polls/${poll.id}/act`).send({ action: 'launch' }).expect(200);
      return poll;
    };
    const tied = await makePoll({ kind: 'single', prompt: 'Should the data be open?', options: ['Yes', 'No'], liveQuestionId: popular.id });
    const loose = await makePoll({ kind: 'rating', prompt: 'Rate the session' });
    const hidden = await makePoll({ kind: 'word_cloud', prompt: 'One word', resultsHidden: true });
    const guests = await Promise.all([0, 1, 2].map((i) => joinAsGuest(t, session.id, `Guest ${i}`)));
    for (const [i, g] of guests.entries()) {
      await g.agent.put(`/api/qa/polls/${tied.id}/answer`).send({ choices: [i === 2 ? 1 : 0] }).expect(200);
      await g.agent.put(`/api/qa/polls/${loose.id}/answer`).send({ rating: 4 + (i % 2) }).expect(200);
      await g.agent.put(`/api/qa/polls/${hidden.id}/answer`).send({ text: 'Datos' }).expect(200);
    }

    // Bad input names the field.
    expect((await mod.get(`/api/sessions/${session.id}/qa/hand-over?pending=later`).expect(400)).body.details[0].field).toBe('pending');
    await ana.agent.get(`/api/sessions/${session.id}/qa/hand-over`).expect(403);

    const kept = (await mod.get(`/api/sessions/${session.id}/qa/hand-over`).expect(200)).body;
    expect(kept).toEqual({
      forum: null,
      forumWillBeCreated: true,
      questions: [
        { liveQuestionId: popular.id, body: popular.body, votes: 1 },
        { liveQuestionId: quiet.id, body: quiet.body, votes: 0 },
      ],
      pending: waiting.map((q) => ({ liveQuestionId: q.id, body: q.body })),
      pendingChoice: 'keep',
      polls: [
        { pollId: tied.id, prompt: tied.prompt, kind: 'single', total: 3, ontoLiveQuestionId: popular.id },
        { pollId: loose.id, prompt: loose.prompt, kind: 'rating', total: 3, ontoLiveQuestionId: null },
      ],
      pollSummaryQuestion: true,
      pollsNotCarried: [{ pollId: hidden.id, prompt: hidden.prompt }],
    });
    const preview = (await mod.get(`/api/sessions/${session.id}/qa/hand-over?pending=approve`).expect(200)).body;
    expect(preview.pending).toEqual([]);
    expect(preview.questions.map((q: any) => q.liveQuestionId)).toEqual([popular.id, quiet.id, ...waiting.map((q) => q.id)]);
    // A preview changes nothing.
    await expect(t.dataSource.query(`SELECT count(*)::int AS n FROM live_question WHERE session_id = $1 AND state = 'pending'`, [session.id])).resolves.toEqual([{ n: 2 }]);

    const watcher = await connectSocket(t.url, { cookie: guests[0].cookie });
    open.push(watcher);
    await watcher.request('qa.subscribe', { sessionId: session.id });
    await mod.patch(`/api/sessions/${session.id}/qa`).send({ sessionState: 'ended', pending: 'approve' }).expect(200);

    const [record] = (await mod.get(`/api/sessions/${session.id}/qa/actions`).expect(200)).body.items.filter((a: any) => a.action === 'hand_over');
    const result = record.after;
    expect(result.created.map((c: any) => c.liveQuestionId)).toEqual(preview.questions.map((q: any) => q.liveQuestionId));
    expect(result.pending).toEqual({ approved: 2, dismissed: 0, kept: 0 });
    expect(result.forumCreated).toBe(preview.forumWillBeCreated);
    const forumQuestionOf = new Map(result.created.map((c: any) => [c.liveQuestionId, c.forumQuestionId]));
    const moved = new Map(result.polls.map((p: any) => [p.pollId, p.forumQuestionId]));
    expect([...moved.keys()]).toEqual(preview.polls.map((p: any) => p.pollId));
    expect(moved.get(tied.id)).toBe(forumQuestionOf.get(popular.id));

    const forumQuestions: { id: number; title: string; body_source: string; live_question_id: number | null }[] = await t.dataSource.query(
      `SELECT id, title, body_source, live_question_id FROM question WHERE forum_id = $1 ORDER BY position`,
      [result.forum.id],
    );
    expect(forumQuestions).toHaveLength(preview.questions.length + 1);
    const tiedQuestion = forumQuestions.find((q) => q.id === moved.get(tied.id))!;
    expect(tiedQuestion.body_source).toContain('**Poll: Should the data be open?** (3 answers)\n\n- Yes: 2\n- No: 1');
    const summary = forumQuestions.find((q) => q.id === moved.get(loose.id))!;
    expect(summary).toMatchObject({ title: 'Poll results from the live Q&A', live_question_id: null });
    expect(summary.body_source).toContain('- 4 of 5: 2\n- 5 of 5: 1');
    expect(summary.body_source).not.toContain('One word');
    const polls = await t.dataSource.query(`SELECT id, state, handed_over_question_id FROM live_poll WHERE session_id = $1 ORDER BY id`, [session.id]);
    expect(polls).toEqual([
      { id: tied.id, state: 'closed', handed_over_question_id: moved.get(tied.id) },
      { id: loose.id, state: 'closed', handed_over_question_id: moved.get(loose.id) },
      { id: hidden.id, state: 'closed', handed_over_question_id: null },
    ]);

    // Published after the commit, with what happened.
    const told = await waitForQaEvent(watcher, session.id, (e) => e.type === 'qa.handed_over');
    expect(told.payload).toEqual({ forum: result.forum, created: result.created, polls: result.polls, pending: result.pending });
    // A second hand-over carries nothing again.
    const again = (await mod.post(`/api/sessions/${session.id}/qa/hand-over`).send({}).expect(200)).body;
    expect(again).toEqual({ forum: result.forum, created: [], forumCreated: false });
  }, 60_000);

  it('dismisses the questions still awaiting approval when the moderator says so', async () => {
    const { session, mod } = await newOpenQa(t, { premoderation: true });
    const ana = await signedIn(t, { displayName: 'Ana' });
    const waiting = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Awaiting' }).expect(201)).body;
    expect((await mod.get(`/api/sessions/${session.id}/qa/hand-over?pending=dismiss`).expect(200)).body).toMatchObject({
      questions: [], pending: [{ liveQuestionId: waiting.id }], pendingChoice: 'dismiss', forum: null, forumWillBeCreated: false,
    });
    const handed = (await mod.post(`/api/sessions/${session.id}/qa/hand-over`).send({ pending: 'dismiss' }).expect(200)).body;
    expect(handed).toEqual({ forum: null, created: [], forumCreated: false, pending: { approved: 0, dismissed: 1, kept: 0 } });
    expect((await ana.agent.get(`/api/qa/questions/${waiting.id}`).expect(200)).body.state).toBe('dismissed');
    expect((await mod.post(`/api/sessions/${session.id}/qa/hand-over`).send({ pending: 'soon' }).expect(400)).body.details[0].field).toBe('pending');
  }, 60_000);

  it('gives the presenter screen one short join code that opens the session, for moderators to make', async () => {
    const { session, mod } = await newOpenQa(t);
    const ana = await signedIn(t);
    expect((await ana.agent.post(`/api/sessions/${session.id}/qa/join-code`).expect(403)).body.code).toBe('not_qa_moderator');
    const made = (await mod.post(`/api/sessions/${session.id}/qa/join-code`).expect(200)).body;
    expect(made).toEqual({ code: expect.stringMatching(/^[A-HJKMNP-Z2-9]{6}$/), path: `/j/${made.code}` });
    expect((await mod.post(`/api/sessions/${session.id}/qa/join-code`).expect(200)).body).toEqual(made);
    expect((await t.agent().get(`/api/qa/join/${made.code.toLowerCase()}`).expect(200)).body).toEqual({ sessionId: session.id, sessionSlug: session.slug });
    expect((await t.agent().get(`/api/sessions/${session.id}/qa`).expect(200)).body.joinCode).toBe(made.code);
    expect((await t.agent().get('/api/qa/join/NOPE00').expect(404)).body.code).toBe('join_code_not_found');
  });
});
