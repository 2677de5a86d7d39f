import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppConfig } from '../src/config/app-config.js';
import { startTestApp, type TestApp } from './support/app.js';
import { inBatches, joinAsGuest, newOpenQa, waitForQaEvent, type TestGuest } from './support/live-qa.js';
import { connectSocket, eventually, sessionCookie, type TestSocket } from './support/sockets.js';

const ATTENDEES = 500;

/** Per poll, the results with the newest asOf among the `qa.poll_results` a socket received. */
function latestResults(s: TestSocket): Map<number, any> {
  const best = new Map<number, any>();
  for (const r of s.received) {
    if (r.event !== 'qa.poll_results') continue;
    for (const res of (r.data as { results: any[] }).results) if (!best.has(res.pollId) || best.get(res.pollId).asOf <= res.asOf) best.set(res.pollId, res);
  }
  return best;
}

const sawResultsOf = (s: TestSocket, pollId: number) =>
  s.received.some((r) => r.event === 'qa.poll_results' && (r.data as { results: { pollId: number }[] }).results.some((x) => x.pollId === pollId));

describe('live polls', () => {
  let t: TestApp;
  const open: TestSocket[] = [];

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await t.close();
  });

  const follow = async (sessionId: number, cookie?: string) => {
    const s = await connectSocket(t.url, cookie ? { cookie } : {});
    open.push(s);
    await s.request('qa.subscribe', { sessionId });
    return s;
  };

  it(`${ATTENDEES} attendees answering one poll at once: each counted once, answers changeable, the exact result on every screen`, async () => {
    const { session, mod, moderator } = await newOpenQa(t, { allowGuests: true });
    const created = await mod.post(`/api/sessions/${session.id}/qa/polls`).send({ kind: 'single', prompt: 'Which mode do you use most?', options: ['Bus', 'Bike', 'Walk', 'Car'] }).expect(201);
    const pollId = created.body.id as number;
    expect(created.body).toMatchObject({ state: 'draft', kind: 'single', options: ['Bus', 'Bike', 'Walk', 'Car'], results: { total: 0 } });

    const guests: TestGuest[] = await inBatches(Array.from({ length: ATTENDEES }), 50, (_, i) => joinAsGuest(t, session.id, `Attendee ${i}`));
    const sockets = await inBatches(guests, 50, (g) => follow(session.id, g.cookie));
    const watcher = await follow(session.id, await sessionCookie(t.url, moderator));
    const anonymous = await follow(session.id);

    // A draft is the moderators' alone: attendees can neither see nor answer it.
    await guests[0].agent.get(`/api/qa/polls/${pollId}`).expect(404);
    expect((await guests[0].agent.put(`/api/qa/polls/${pollId}/answer`).send({ choices: [0] }).expect(404)).body.code).toBe('poll_not_found');

    await mod.post(`/api/qa/polls/${pollId}/act`).send({ action: 'launch' }).expect(200);
    await Promise.all(sockets.map((s) => waitForQaEvent(s, session.id, (e) => e.type === 'poll.updated' && e.payload.poll.id === pollId && e.payload.poll.state === 'open', 30_000)));

    // All at once: everyone answers choice i % 4 (a double send for some), then every third changes to Walk over HTTP.
    const answer = (s: TestSocket, choices: number[]) => s.raw.timeout(60_000).emitWithAck('qa.poll.answer', { pollId, choices });
    const acks = await Promise.all(
      sockets.map(async (s, i) => {
        const first = await Promise.all(i % 5 === 0 ? [answer(s, [i % 4]), answer(s, [i % 4])] : [answer(s, [i % 4])]);
        const second = i % 3 === 0 ? (await guests[i].agent.put(`/api/qa/polls/${pollId}/answer`).send({ choices: [2] })).body : null;
        return [...first, ...(second ? [second] : [])];
      }),
    );
    expect(acks.flat().filter((a) => a.error)).toEqual([]);

    const expected = [0, 0, 0, 0];
    for (let i = 0; i < ATTENDEES; i++) expected[i % 3 === 0 ? 2 : i % 4]++;
    const [stored] = await t.dataSource.query(
      `SELECT count(*)::int AS answers, count(DISTINCT voter_id)::int AS voters FROM live_poll_answer WHERE poll_id = $1`,
      [pollId],
    );
    expect(stored).toEqual({ answers: ATTENDEES, voters: ATTENDEES });
    const want = { pollId, total: ATTENDEES, options: ['Bus', 'Bike', 'Walk', 'Car'].map((label, index) => ({ index, label, count: expected[index] })) };
    expect((await t.agent().get(`/api/qa/polls/${pollId}`).expect(200)).body.results).toMatchObject(want);

    await eventually(async () => {
      for (const s of [watcher, anonymous, ...sockets]) expect(latestResults(s).get(pollId)).toMatchObject(want);
    }, 30_000);

    // Closing fixes the result; a late answer is refused, not lost silently.
    await mod.post(`/api/qa/polls/${pollId}/act`).send({ action: 'close' }).expect(200);
    expect((await guests[1].agent.put(`/api/qa/polls/${pollId}/answer`).send({ choices: [3] }).expect(409)).body.code).toBe('poll_not_open');
    const actions = (await mod.get(`/api/sessions/${session.id}/qa/actions`).expect(200)).body.items.map((a: any) => a.action);
    expect(actions.slice(0, 3)).toEqual(['poll_close', 'poll_launch', 'poll_create']);
  }, 240_000);

  it('counts word-cloud answers case- and accent-insensitively, and a moderator can remove an entry', async () => {
    const { session, mod } = await newOpenQa(t, { allowGuests: true });
    const poll = (await mod.post(`/api/sessions/${session.id}/qa/polls`).send({ kind: 'word_cloud', prompt: 'One word for your city' }).expect(201)).body;
    await mod.post(`/api/qa/polls/${poll.id}/act`).send({ action: 'launch' }).expect(200);
    const words = ['Énergie', 'energie', '  ENERGÍE ', 'Movilidad  urbana', 'movilidad urbana', 'Bad word'];
    const guests = await Promise.all(words.map((_, i) => joinAsGuest(t, session.id, `Guest ${i}`)));
    for (const [i, text] of words.entries()) await guests[i].agent.put(`/api/qa/polls/${poll.id}/answer`).send({ text }).expect(200);
    // Wrong kind of answer: 400 naming the field.
    const wrong = await guests[0].agent.put(`/api/qa/polls/${poll.id}/answer`).send({ choices: [0] }).expect(400);
    expect(wrong.body.details).toEqual([{ field: 'text', message: 'a word cloud poll takes text only' }]);

    let results = (await guests[0].agent.get(`/api/qa/polls/${poll.id}`).expect(200)).body.results;
    expect(results.total).toBe(6);
    expect(results.words.map((w: any) => [w.key, w.count])).toEqual([['energie', 3], ['movilidad urbana', 2], ['bad word', 1]]);

    const watcher = await follow(session.id, guests[0].cookie);
    await mod.post(`/api/qa/polls/${poll.id}/act`).send({ action: 'remove_word', word: 'BAD word' }).expect(200);
    results = (await t.agent().get(`/api/qa/polls/${poll.id}`).expect(200)).body.results;
    expect(results.words.map((w: any) => w.key)).toEqual(['energie', 'movilidad urbana']);
    await eventually(async () => expect(latestResults(watcher).get(poll.id)?.words.map((w: any) => w.key)).toEqual(['energie', 'movilidad urbana']));
    // Answering the removed word again does not bring it back.
    await guests[5].agent.put(`/api/qa/polls/${poll.id}/answer`).send({ text: 'bad WORD' }).expect(200);
    expect((await t.agent().get(`/api/qa/polls/${poll.id}`).expect(200)).body.results.words.map((w: any) => w.key)).toEqual(['energie', 'movilidad urbana']);
  }, 60_000);

  it('takes one answer per guest, changeable while open, and only from guests of this session', async () => {
    const { session, mod } = await newOpenQa(t, { allowGuests: true });
    const other = await newOpenQa(t, { allowGuests: true });
    const poll = (await mod.post(`/api/sessions/${session.id}/qa/polls`).send({ kind: 'rating', prompt: 'Rate the session' }).expect(201)).body;
    await mod.post(`/api/qa/polls/${poll.id}/act`).send({ action: 'launch' }).expect(200);
    const guest = await joinAsGuest(t, session.id, 'Ana');
    const stranger = await joinAsGuest(t, other.session.id, 'Bea');

    await guest.agent.put(`/api/qa/polls/${poll.id}/answer`).send({ rating: 2 }).expect(200);
    const changed = await guest.agent.put(`/api/qa/polls/${poll.id}/answer`).send({ rating: 5 }).expect(200);
    expect(changed.body.answer).toMatchObject({ pollId: poll.id, rating: 5 });
    expect((await stranger.agent.put(`/api/qa/polls/${poll.id}/answer`).send({ rating: 1 }).expect(403)).body.code).toBe('guest_not_allowed');
    await t.agent().put(`/api/qa/polls/${poll.id}/answer`).send({ rating: 1 }).expect(401);
    const bad = await guest.agent.put(`/api/qa/polls/${poll.id}/answer`).send({ rating: 6 }).expect(400);
    expect(bad.body.details[0].field).toBe('rating');

    const rows = await t.dataSource.query(`SELECT rating FROM live_poll_answer WHERE poll_id = $1`, [poll.id]);
    expect(rows).toEqual([{ rating: 5 }]);
    const seen = (await guest.agent.get(`/api/sessions/${session.id}/qa/polls`).expect(200)).body.items[0];
    expect(seen.viewerAnswer).toMatchObject({ rating: 5 });
    expect(seen.results).toMatchObject({ total: 1, average: 5 });
  }, 60_000);

  it('keeps hidden results among moderators until revealed, and open text until approved', async () => {
    const { session, mod, moderator } = await newOpenQa(t, { allowGuests: true });
    const hidden = (await mod.post(`/api/sessions/${session.id}/qa/polls`).send({ kind: 'multiple', prompt: 'Which topics?', options: ['Data', 'Mobility', 'Energy'], resultsHidden: true }).expect(201)).body;
    const text = (await mod.post(`/api/sessions/${session.id}/qa/polls`).send({ kind: 'open_text', prompt: 'What should we do next?' }).expect(201)).body;
    for (const p of [hidden, text]) await mod.post(`/api/qa/polls/${p.id}/act`).send({ action: 'launch' }).expect(200);
    const guest = await joinAsGuest(t, session.id, 'Carla');
    const attendee = await follow(session.id, guest.cookie);
    const moderatorScreen = await follow(session.id, await sessionCookie(t.url, moderator));

    await guest.agent.put(`/api/qa/polls/${hidden.id}/answer`).send({ choices: [2, 0] }).expect(200);
    const answered = await guest.agent.put(`/api/qa/polls/${text.id}/answer`).send({ text: 'Open the data' }).expect(200);
    expect(answered.body.answer.review).toBe('pending');
    // The open-text results arriving (empty: nothing approved) are the sentinel: the hidden poll's never came to the attendee.
    await eventually(async () => expect(latestResults(attendee).get(text.id)).toMatchObject({ total: 1, texts: [] }));
    expect(sawResultsOf(attendee, hidden.id)).toBe(false);
    await eventually(async () => expect(latestResults(moderatorScreen).get(hidden.id)?.options.map((o: any) => o.count)).toEqual([1, 0, 1]));
    expect((await guest.agent.get(`/api/qa/polls/${hidden.id}`).expect(200)).body.results).toBeNull();

    const answerId = latestResults(moderatorScreen).get(text.id)?.texts[0]?.answerId ?? (await mod.get(`/api/qa/polls/${text.id}`)).body.results.texts[0].answerId;
    await mod.post(`/api/qa/polls/${text.id}/act`).send({ action: 'approve_text', answerId }).expect(200);
    await mod.post(`/api/qa/polls/${hidden.id}/act`).send({ action: 'reveal' }).expect(200);
    await eventually(async () => {
      expect(latestResults(attendee).get(text.id)?.texts).toEqual([{ answerId, text: 'Open the data' }]);
      expect(latestResults(attendee).get(hidden.id)?.options.map((o: any) => o.count)).toEqual([1, 0, 1]);
    });

    // The poll on the presenter screen: screens hear it, and the Q&A says which.
    await mod.post(`/api/qa/polls/${hidden.id}/act`).send({ action: 'show' }).expect(200);
    await waitForQaEvent(attendee, session.id, (e) => e.type === 'poll.updated' && e.payload.poll.id === hidden.id && e.payload.poll.onScreen);
    expect((await t.agent().get(`/api/sessions/${session.id}/qa`).expect(200)).body.onScreenPollId).toBe(hidden.id);

    // Socket moderators' acts are the same command: an attendee is refused.
    expect((await attendee.request('qa.poll.act', { pollId: text.id, action: 'close' })).error.code).toBe('not_qa_moderator');

    // Part of the Q&A export.
    const md = await mod.get(`/api/sessions/${session.id}/qa/export?format=md`).expect(200);
    expect(md.text).toContain('## Polls');
    expect(md.text).toContain('Which topics?');
    const csv = await mod.get(`/api/sessions/${session.id}/qa/export?format=csv&part=polls`).expect(200);
    expect(csv.text.split('\r\n')[0]).toBe('"poll_id","kind","prompt","state","answers","entry","count"');
    expect(csv.text).toContain('"Energy","1"');
  }, 60_000);

  it('counts poll answers and question votes over HTTP and the socket against one vote limit per person', async () => {
    const { session, mod } = await newOpenQa(t, { allowGuests: true });
    const pollId = (await mod.post(`/api/sessions/${session.id}/qa/polls`).send({ kind: 'single', prompt: 'Bus or bike?', options: ['Bus', 'Bike'] }).expect(201)).body.id;
    await mod.post(`/api/qa/polls/${pollId}/act`).send({ action: 'launch' }).expect(200);
    const asker = await joinAsGuest(t, session.id, 'Asking Ada');
    const questionId = (await asker.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Which lanes first?' }).expect(201)).body.id;
    const guest = await joinAsGuest(t, session.id, 'Busy Bea');
    const socket = await follow(session.id, guest.cookie);
    // The product's own limits (the suite raises them so fixtures are quick): 30 votes in 15 seconds.
    const config = t.app.get(AppConfig);
    const scale = config.RATE_LIMIT_SCALE;
    config.RATE_LIMIT_SCALE = 1;
    try {
      for (let i = 0; i < 30; i++) {
        if (i % 3 === 0) expect((await socket.request('qa.poll.answer', { pollId, choices: [i % 2] })).answer).toBeDefined();
        else if (i % 3 === 1) await guest.agent.put(`/api/qa/polls/${pollId}/answer`).send({ choices: [i % 2] }).expect(200);
        else await guest.agent[i % 2 ? 'delete' : 'put'](`/api/qa/questions/${questionId}/vote`).expect(200);
      }
      const refused = await guest.agent.put(`/api/qa/polls/${pollId}/answer`).send({ choices: [0] }).expect(429);
      expect(refused.body.code).toBe('rate_limited');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect((await socket.request('qa.poll.answer', { pollId, choices: [0] })).error).toMatchObject({ status: 429, code: 'rate_limited', retryAfterMs: expect.any(Number) });
      expect((await socket.request('qa.vote', { questionId, value: 1 })).error).toMatchObject({ status: 429, code: 'rate_limited' });
      // Someone else is not held back.
      const other = await joinAsGuest(t, session.id, 'Calm Cai');
      await other.agent.put(`/api/qa/polls/${pollId}/answer`).send({ choices: [1] }).expect(200);
    } finally {
      config.RATE_LIMIT_SCALE = scale;
    }
  }, 60_000);
});
