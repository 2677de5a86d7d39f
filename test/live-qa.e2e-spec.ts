import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from './support/app.js';
import { newForum } from './support/fixtures.js';
import { joinAsGuest, newOpenQa, qaEvents, qaEventsBeforeSentinel, waitForQaEvent } from './support/live-qa.js';
import { createAccount, signedIn } from './support/people.js';
import { connectSocket, eventually, sessionCookie, type TestSocket } from './support/sockets.js';

describe('live Q&A', () => {
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

  describe('asking and reading', () => {
    it('opens, takes questions, lists them popular or recent, and marks the viewer\'s own', async () => {
      const { session, mod } = await newOpenQa(t);
      const ana = await signedIn(t, { displayName: 'Ana' });
      const ben = await signedIn(t, { displayName: 'Ben' });
      const view = (await ana.agent.get(`/api/sessions/${session.slug}/qa`).expect(200)).body;
      expect(view).toMatchObject({ sessionId: session.id, state: 'open', premoderation: false, highlighted: null, viewer: { accountId: ana.account.id, canAsk: true, canModerate: false, guest: false } });
      expect(view.startedAt).toEqual(expect.any(String));

      const q1 = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: '  How do we fund it?  ' }).expect(201)).body;
      expect(q1).toMatchObject({ body: 'How do we fund it?', state: 'approved', anonymous: false, asker: { id: ana.account.id, displayName: 'Ana', guest: false }, voteCount: 0, viewerAsked: true, viewerVoted: false });
      const q2 = (await ben.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Which cities went first?' }).expect(201)).body;
      await ben.agent.put(`/api/qa/questions/${q2.id}/vote`).expect(200);

      const popular = (await ana.agent.get(`/api/sessions/${session.id}/qa/questions`).expect(200)).body;
      expect(popular.items.map((q: any) => [q.id, q.voteCount, q.viewerAsked])).toEqual([[q2.id, 1, false], [q1.id, 0, true]]);
      expect(popular.seq).toEqual(expect.any(Number));
      const recent = (await ana.agent.get(`/api/sessions/${session.id}/qa/questions?sort=recent`).expect(200)).body;
      expect(recent.items.map((q: any) => q.id)).toEqual([q2.id, q1.id]);
      // Anyone may read, without signing in.
      const anonymous = (await t.agent().get(`/api/sessions/${session.id}/qa/questions`).expect(200)).body;
      expect(anonymous.items).toHaveLength(2);
      expect((await t.agent().get(`/api/sessions/${session.id}/qa`).expect(200)).body.viewer).toMatchObject({ canAsk: false, askRefusal: { code: 'unauthenticated' } });
      // Moderators too can ask.
      await mod.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'From the chair' }).expect(201);
    });

    it('keeps an anonymous asker hidden from attendees (HTTP and sockets) and visible to moderators', async () => {
      const { session, mod, moderator } = await newOpenQa(t);
      const ana = await signedIn(t, { displayName: 'Ana Anonymous' });
      const ben = await signedIn(t);
      const sBen = await connect(await sessionCookie(t.url, ben.account));
      const sMod = await connect(await sessionCookie(t.url, moderator));
      const sAna = await connect(await sessionCookie(t.url, ana.account));
      for (const s of [sBen, sMod, sAna]) await s.request('qa.subscribe', { sessionId: session.id });

      const ack = await sAna.request('qa.ask', { sessionId: session.id, body: 'Is the budget public?', anonymous: true });
      expect(ack.question).toMatchObject({ anonymous: true, asker: { id: ana.account.id }, viewerAsked: true });
      const id = ack.question.id;

      const seenByBen = await waitForQaEvent(sBen, session.id, (e) => e.type === 'question.asked');
      expect(seenByBen.payload.question).toMatchObject({ id, anonymous: true, asker: null });
      const asker = await waitForQaEvent(sMod, session.id, (e) => e.type === 'question.asker');
      expect(asker.payload).toEqual({ questionId: id, asker: { id: ana.account.id, displayName: 'Ana Anonymous', guest: false } });

      expect((await ben.agent.get(`/api/qa/questions/${id}`).expect(200)).body.asker).toBeNull();
      expect((await t.agent().get(`/api/sessions/${session.id}/qa/questions`).expect(200)).body.items[0].asker).toBeNull();
      expect((await mod.get(`/api/qa/questions/${id}`).expect(200)).body.asker).toMatchObject({ id: ana.account.id });
      expect((await ana.agent.get(`/api/qa/questions/${id}`).expect(200)).body.asker).toMatchObject({ id: ana.account.id });

      await qaEventsBeforeSentinel(t, mod, session.id, [sBen]);
      // Nothing an attendee's socket received names her.
      expect(JSON.stringify(sBen.received)).not.toContain(ana.account.id);
      expect(JSON.stringify(sBen.received)).not.toContain('Ana Anonymous');
      // Nor on replay.
      const late = await connect(await sessionCookie(t.url, ben.account));
      const replay = await late.request('qa.subscribe', { sessionId: session.id, lastSeq: 0 });
      expect(replay.replayed).toBeGreaterThan(0);
      expect(JSON.stringify(late.received)).not.toContain(ana.account.id);
    });

    it('lets the asker edit or withdraw until answered, and nobody else', async () => {
      const { session, mod } = await newOpenQa(t);
      const ana = await signedIn(t);
      const ben = await signedIn(t);
      const q = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Frist draft' }).expect(201)).body;
      const edited = (await ana.agent.patch(`/api/qa/questions/${q.id}`).send({ body: 'First draft' }).expect(200)).body;
      expect(edited).toMatchObject({ body: 'First draft', editedAt: expect.any(String), editedByModerator: false });
      expect((await ben.agent.patch(`/api/qa/questions/${q.id}`).send({ body: 'Hijack' }).expect(403)).body.code).toBe('not_asker');
      expect((await ben.agent.delete(`/api/qa/questions/${q.id}`).expect(403)).body.code).toBe('not_asker');
      const [revision] = await t.dataSource.query(`SELECT body, by_moderator FROM live_question_revision WHERE question_id = $1`, [q.id]);
      expect(revision).toEqual({ body: 'Frist draft', by_moderator: false });

      await mod.post(`/api/qa/questions/${q.id}/moderate`).send({ action: 'answer' }).expect(200);
      expect((await ana.agent.patch(`/api/qa/questions/${q.id}`).send({ body: 'Later' }).expect(409)).body.code).toBe('not_editable');
      expect((await ana.agent.delete(`/api/qa/questions/${q.id}`).expect(409)).body.code).toBe('not_editable');

      const q2 = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Never mind' }).expect(201)).body;
      expect((await ana.agent.delete(`/api/qa/questions/${q2.id}`).expect(200)).body.state).toBe('withdrawn');
      const listed = (await ben.agent.get(`/api/sessions/${session.id}/qa/questions`).expect(200)).body.items.map((i: any) => i.id);
      expect(listed).toEqual([q.id]);
    });

    it('returns the stored question when an ask is retried with the same clientId', async () => {
      const { session } = await newOpenQa(t);
      const ana = await signedIn(t);
      const clientId = randomUUID();
      const [a, b] = await Promise.all([
        ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Once', clientId }),
        ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Once', clientId }),
      ]);
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(a.body.id).toBe(b.body.id);
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM live_question WHERE session_id = $1`, [session.id]);
      expect(n).toBe(1);
    });
  });

  describe('pre-moderation and audiences', () => {
    it('shows a pending question only to moderators and its asker, live and on replay, until approved', async () => {
      const { session, mod, moderator } = await newOpenQa(t, { premoderation: true });
      const ana = await signedIn(t);
      const ben = await signedIn(t);
      const sMod = await connect(await sessionCookie(t.url, moderator));
      const sAna = await connect(await sessionCookie(t.url, ana.account));
      const sBen = await connect(await sessionCookie(t.url, ben.account));
      const sAnon = await connect();
      for (const s of [sMod, sAna, sBen, sAnon]) await s.request('qa.subscribe', { sessionId: session.id });

      const asked = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Pending one' }).expect(201)).body;
      expect(asked.state).toBe('pending');
      await waitForQaEvent(sMod, session.id, (e) => e.type === 'question.asked' && e.questionId === asked.id);
      await waitForQaEvent(sAna, session.id, (e) => e.type === 'question.asked' && e.questionId === asked.id);
      const [benBefore, anonBefore] = await qaEventsBeforeSentinel(t, mod, session.id, [sBen, sAnon]);
      expect(benBefore).toEqual([]);
      expect(anonBefore).toEqual([]);
      // Over HTTP too.
      expect((await ben.agent.get(`/api/sessions/${session.id}/qa/questions`).expect(200)).body.items).toEqual([]);
      await ben.agent.get(`/api/qa/questions/${asked.id}`).expect(404);
      expect((await mod.get(`/api/sessions/${session.id}/qa/questions?state=pending`).expect(200)).body.items.map((q: any) => q.id)).toEqual([asked.id]);
      expect((await ana.agent.get(`/api/sessions/${session.id}/qa/questions`).expect(200)).body.items.map((q: any) => q.state)).toEqual(['pending']);
      // Attendees can't vote on it.
      await ben.agent.put(`/api/qa/questions/${asked.id}/vote`).expect(404);

      // Replay: a reconnecting attendee gets nothing of it; the asker and moderators do.
      const replays = await Promise.all(
        [ben.account, ana.account, moderator].map(async (p) => {
          const s = await connect(await sessionCookie(t.url, p));
          const ack = await s.request('qa.subscribe', { sessionId: session.id, lastSeq: 0 });
          return { s, ack };
        }),
      );
      expect(qaEvents(replays[0].s, session.id).filter((e) => e.questionId === asked.id)).toEqual([]);
      expect(qaEvents(replays[1].s, session.id).map((e) => e.type)).toContain('question.asked');
      expect(qaEvents(replays[2].s, session.id).map((e) => e.type)).toContain('question.asked');
      expect(replays[2].ack.moderator).toBe(true);

      // Approved: now everyone.
      await mod.post(`/api/qa/questions/${asked.id}/moderate`).send({ action: 'approve' }).expect(200);
      const approved = await waitForQaEvent(sBen, session.id, (e) => e.type === 'question.updated' && e.questionId === asked.id);
      expect(approved.payload.question).toMatchObject({ id: asked.id, state: 'approved', body: 'Pending one' });
      await waitForQaEvent(sAnon, session.id, (e) => e.type === 'question.updated' && e.questionId === asked.id);
    });

    it('stops sending pending questions to a moderator the admins removed, while their socket stays open', async () => {
      const { session, moderator } = await newOpenQa(t, { premoderation: true });
      const admin = await signedIn(t, { role: 'admin' });
      const other = await createAccount(t);
      await admin.agent.put(`/api/sessions/${session.id}/moderators/${other.id}`).expect(200);
      const sRemoved = await connect(await sessionCookie(t.url, moderator));
      const sStaying = await connect(await sessionCookie(t.url, other));
      for (const s of [sRemoved, sStaying]) expect((await s.request('qa.subscribe', { sessionId: session.id })).moderator).toBe(true);
      await admin.agent.delete(`/api/sessions/${session.id}/moderators/${moderator.id}`).expect(204);

      const ana = await signedIn(t);
      const pending = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'For moderators only' }).expect(201)).body;
      await waitForQaEvent(sStaying, session.id, (e) => e.questionId === pending.id);
      const [removedBefore] = await qaEventsBeforeSentinel(t, admin.agent, session.id, [sRemoved]);
      expect(removedBefore.filter((e) => e.questionId === pending.id)).toEqual([]);
      expect((await sRemoved.request('qa.subscribe', { sessionId: session.id })).moderator).toBe(false);
    });

    it('tells the asker why their question was dismissed, and other attendees only that it is gone', async () => {
      const { session, mod } = await newOpenQa(t);
      const ana = await signedIn(t);
      const ben = await signedIn(t);
      const sAna = await connect(await sessionCookie(t.url, ana.account));
      const sBen = await connect(await sessionCookie(t.url, ben.account));
      for (const s of [sAna, sBen]) await s.request('qa.subscribe', { sessionId: session.id });
      const q = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Off topic' }).expect(201)).body;
      await mod.post(`/api/qa/questions/${q.id}/moderate`).send({ action: 'dismiss', reason: 'Covered in the next session' }).expect(200);
      await waitForQaEvent(sAna, session.id, (e) => e.type === 'question.updated' && e.payload.question.dismissReason === 'Covered in the next session');
      const benSaw = await waitForQaEvent(sBen, session.id, (e) => e.type === 'question.updated' && e.questionId === q.id);
      expect(benSaw.payload.question).toMatchObject({ state: 'dismissed', dismissReason: null });
      await qaEventsBeforeSentinel(t, mod, session.id, [sBen]);
      expect(JSON.stringify(sBen.received)).not.toContain('Covered in the next session');
      expect((await ana.agent.get(`/api/qa/questions/${q.id}`).expect(200)).body.dismissReason).toBe('Covered in the next session');
      await ben.agent.get(`/api/qa/questions/${q.id}`).expect(404);
    });
  });

  describe('moderation', () => {
    it('highlights one question at a time, reaching every attendee; answering records the time within the session', async () => {
      const { session, mod, moderator } = await newOpenQa(t);
      const ana = await signedIn(t);
      const q1 = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'First' }).expect(201)).body;
      const q2 = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Second' }).expect(201)).body;
      const people = await Promise.all(Array.from({ length: 8 }, () => createAccount(t)));
      const sockets = [
        ...(await Promise.all(people.map(async (p) => connect(await sessionCookie(t.url, p))))),
        await connect(), // not signed in: a presenter screen
        await connect(),
      ];
      await Promise.all(sockets.map((s) => s.request('qa.subscribe', { sessionId: session.id })));

      const sMod = await connect(await sessionCookie(t.url, moderator));
      const ack = await sMod.request('qa.moderate', { questionId: q1.id, action: 'highlight' });
      expect(ack.question).toMatchObject({ id: q1.id, highlighted: true });
      for (const s of sockets) {
        const e = await waitForQaEvent(s, session.id, (x) => x.type === 'question.highlighted' && x.payload.questionId === q1.id);
        expect(e.payload).toMatchObject({ questionId: q1.id, previousId: null, question: { id: q1.id, body: 'First', highlighted: true } });
      }
      await mod.post(`/api/qa/questions/${q2.id}/moderate`).send({ action: 'highlight' }).expect(200);
      for (const s of sockets) await waitForQaEvent(s, session.id, (x) => x.type === 'question.highlighted' && x.payload.questionId === q2.id && x.payload.previousId === q1.id);
      const view = (await t.agent().get(`/api/sessions/${session.id}/qa`).expect(200)).body;
      expect(view).toMatchObject({ highlightedQuestionId: q2.id, highlighted: { id: q2.id, body: 'Second' } });
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM live_qa WHERE session_id = $1 AND highlighted_question_id IS NOT NULL`, [session.id]);
      expect(n).toBe(1);

      // Answered 75 s after the start: "01:15", and off the screen.
      await t.dataSource.query(`UPDATE live_qa SET started_at = now() - interval '75 seconds' WHERE session_id = $1`, [session.id]);
      const answered = (await mod.post(`/api/qa/questions/${q2.id}/moderate`).send({ action: 'answer' }).expect(200)).body.question;
      expect(answered).toMatchObject({ state: 'answered', highlighted: false, answeredOffset: expect.stringMatching(/^01:1[5-9]$/) });
      for (const s of sockets) await waitForQaEvent(s, session.id, (x) => x.type === 'question.highlighted' && x.payload.questionId === null && x.payload.previousId === q2.id);
      expect((await t.agent().get(`/api/sessions/${session.id}/qa`).expect(200)).body.highlighted).toBeNull();
    });

    it('refuses moderator acts to attendees and guests, and impossible transitions', async () => {
      const { session, mod } = await newOpenQa(t, { allowGuests: true });
      const ana = await signedIn(t);
      const guest = await joinAsGuest(t, session.id, 'Gina');
      const q = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Q' }).expect(201)).body;
      expect((await ana.agent.post(`/api/qa/questions/${q.id}/moderate`).send({ action: 'highlight' }).expect(403)).body.code).toBe('not_qa_moderator');
      expect((await guest.agent.post(`/api/qa/questions/${q.id}/moderate`).send({ action: 'highlight' }).expect(403)).body.code).toBe('not_qa_moderator');
      expect((await t.agent().post(`/api/qa/questions/${q.id}/moderate`).send({ action: 'highlight' }).expect(401)).body.code).toBe('unauthenticated');
      expect((await ana.agent.patch(`/api/sessions/${session.id}/qa`).send({ state: 'closed' }).expect(403)).body.code).toBe('not_qa_moderator');
      expect((await mod.post(`/api/qa/questions/${q.id}/moderate`).send({ action: 'approve' }).expect(409)).body.code).toBe('invalid_transition');
    });

    it('merges duplicates: votes combined once per person, askers kept, the source gone from the list', async () => {
      const { session, mod } = await newOpenQa(t);
      const [ana, ben, cat, dan] = await Promise.all([signedIn(t), signedIn(t), signedIn(t), signedIn(t)]);
      const target = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Funding?' }).expect(201)).body;
      const dup = (await ben.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'How is it funded?' }).expect(201)).body;
      // cat votes both, dan only the duplicate, ana only the target.
      await cat.agent.put(`/api/qa/questions/${target.id}/vote`).expect(200);
      await cat.agent.put(`/api/qa/questions/${dup.id}/vote`).expect(200);
      await dan.agent.put(`/api/qa/questions/${dup.id}/vote`).expect(200);
      await ana.agent.put(`/api/qa/questions/${target.id}/vote`).expect(200);

      const merged = (await mod.post(`/api/qa/questions/${dup.id}/moderate`).send({ action: 'merge', intoId: target.id }).expect(200)).body;
      expect(merged.question).toMatchObject({ id: dup.id, state: 'merged', mergedIntoId: target.id });
      expect(merged.into).toMatchObject({ id: target.id, voteCount: 3, mergedCount: 1 });
      // ben asked the duplicate: the target is now "his" too.
      expect((await ben.agent.get(`/api/qa/questions/${target.id}`).expect(200)).body).toMatchObject({ viewerAsked: true, voteCount: 3 });
      expect((await dan.agent.get(`/api/qa/questions/${target.id}`).expect(200)).body.viewerVoted).toBe(true);
      expect((await ben.agent.get(`/api/sessions/${session.id}/qa/questions`).expect(200)).body.items.map((q: any) => q.id)).toEqual([target.id]);
      // Votes on the merged one are refused (attendees don't see it any more; its asker is told why); a merge into itself or a merged one is not possible.
      await dan.agent.put(`/api/qa/questions/${dup.id}/vote`).expect(404);
      expect((await ben.agent.put(`/api/qa/questions/${dup.id}/vote`).expect(409)).body.code).toBe('not_votable');
      const other = (await dan.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Other' }).expect(201)).body;
      expect((await mod.post(`/api/qa/questions/${other.id}/moderate`).send({ action: 'merge', intoId: other.id }).expect(409)).body.code).toBe('merge_target_invalid');
      expect((await mod.post(`/api/qa/questions/${other.id}/moderate`).send({ action: 'merge', intoId: dup.id }).expect(409)).body.code).toBe('merge_target_invalid');
    });

    it('records every act with who, what, when, before and after; edits for clarity keep the old text', async () => {
      const { session, mod, moderator } = await newOpenQa(t);
      const ana = await signedIn(t);
      const q = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'wat about mobilty' }).expect(201)).body;
      const edited = (await mod.post(`/api/qa/questions/${q.id}/moderate`).send({ action: 'edit', body: 'What about mobility?' }).expect(200)).body.question;
      expect(edited).toMatchObject({ body: 'What about mobility?', editedByModerator: true });
      await mod.post(`/api/qa/questions/${q.id}/moderate`).send({ action: 'highlight' }).expect(200);
      await mod.post(`/api/qa/questions/${q.id}/moderate`).send({ action: 'archive' }).expect(200);
      await mod.patch(`/api/sessions/${session.id}/qa`).send({ slowModeSeconds: 30 }).expect(200);
      const actions = (await mod.get(`/api/sessions/${session.id}/qa/actions`).expect(200)).body.items;
      expect(actions.map((a: any) => a.action)).toEqual(['settings', 'archive', 'highlight', 'edit', 'open']);
      expect(actions[3]).toMatchObject({
        questionId: q.id,
        actor: { id: moderator.id, displayName: 'Moderator Marta' },
        before: { body: 'wat about mobilty', state: 'approved' },
        after: { body: 'What about mobility?' },
        at: expect.any(String),
      });
      expect(actions[1]).toMatchObject({ before: { state: 'approved', highlighted: true }, after: { state: 'archived', highlighted: false } });
      expect(actions[0]).toMatchObject({ before: { slowModeSeconds: 0 }, after: { slowModeSeconds: 30 } });
      const [revision] = await t.dataSource.query(`SELECT body, by_moderator, edited_by FROM live_question_revision WHERE question_id = $1`, [q.id]);
      expect(revision).toEqual({ body: 'wat about mobilty', by_moderator: true, edited_by: moderator.id });
      await ana.agent.get(`/api/sessions/${session.id}/qa/actions`).expect(403);
    });
  });

  describe('votes', () => {
    it('counts one vote per person, undoable, and broadcasts absolute counts', async () => {
      const { session } = await newOpenQa(t);
      const ana = await signedIn(t);
      const ben = await signedIn(t);
      const q = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Vote me' }).expect(201)).body;
      const watcher = await connect();
      await watcher.request('qa.subscribe', { sessionId: session.id });
      const sBen = await connect(await sessionCookie(t.url, ben.account));
      expect((await sBen.request('qa.vote', { questionId: q.id, value: 1 })).vote).toMatchObject({ questionId: q.id, voteCount: 1, viewerVoted: true, asOf: expect.any(String) });
      expect((await sBen.request('qa.vote', { questionId: q.id, value: 1 })).vote).toMatchObject({ voteCount: 1 });
      expect((await ana.agent.put(`/api/qa/questions/${q.id}/vote`).expect(200)).body).toMatchObject({ voteCount: 2 });
      const counts = await watcher.waitFor('qa.votes', (m: any) => m.counts.some((c: any) => c.questionId === q.id && c.voteCount === 2));
      expect(counts).toMatchObject({ sessionId: session.id, asOf: expect.any(String) });
      expect((await sBen.request('qa.vote', { questionId: q.id, value: 0 })).vote).toMatchObject({ voteCount: 1, viewerVoted: false });
      expect((await ben.agent.delete(`/api/qa/questions/${q.id}/vote`).expect(200)).body).toMatchObject({ voteCount: 1, viewerVoted: false });
      await watcher.waitFor('qa.votes', (m: any) => m.counts.some((c: any) => c.questionId === q.id && c.voteCount === 1));
      // A fresh subscriber gets the counts in the ack.
      const late = await connect();
      expect((await late.request('qa.subscribe', { sessionId: session.id })).counts).toEqual([{ questionId: q.id, voteCount: 1 }]);
      // Not signed in: refused.
      expect((await late.request('qa.vote', { questionId: q.id, value: 1 })).error).toMatchObject({ status: 401, code: 'unauthenticated' });
    });
  });

  describe('guests', () => {
    it('joins by name when allowed, asks and votes there only, and gets no forum access from it', async () => {
      const { session, mod } = await newOpenQa(t);
      expect((await t.agent().post(`/api/sessions/${session.id}/qa/guests`).send({ displayName: 'Gina' }).expect(403)).body.code).toBe('guests_not_allowed');
      await mod.patch(`/api/sessions/${session.id}/qa`).send({ allowGuests: true }).expect(200);
      const guest = await joinAsGuest(t, session.id, 'Gina');
      const me = (await guest.agent.get(`/api/sessions/${session.id}/qa`).expect(200)).body.viewer;
      expect(me).toMatchObject({ accountId: guest.id, displayName: 'Gina', guest: true, canAsk: true });
      const q = (await guest.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Guest question' }).expect(201)).body;
      expect(q.asker).toEqual({ id: guest.id, displayName: 'Gina', guest: true });

      // Over a socket too.
      const s = await connect(guest.cookie);
      await s.request('qa.subscribe', { sessionId: session.id });
      expect((await s.request('qa.vote', { questionId: q.id, value: 1 })).vote.voteCount).toBe(1);

      // Another session's Q&A: read-only.
      const other = await newOpenQa(t, { allowGuests: true });
      expect((await guest.agent.post(`/api/sessions/${other.session.id}/qa/questions`).send({ body: 'Elsewhere' }).expect(403)).body.code).toBe('guest_not_allowed');
      expect((await s.request('qa.ask', { sessionId: other.session.id, body: 'Elsewhere' })).error).toMatchObject({ status: 403, code: 'guest_not_allowed' });

      // Forums: like an anonymous visitor (members-only unreadable, no posting anywhere).
      const membersOnly = await newForum(t, { visibility: 'members', sessionId: session.id });
      const publicForum = await newForum(t, { visibility: 'public', sessionId: session.id });
      await guest.agent.get(`/api/forums/${membersOnly.id}`).expect(404);
      expect((await guest.agent.get(`/api/forums/${publicForum.id}`).expect(200)).body.viewer).toMatchObject({ canPost: false });
      const forumQuestion = await t.dataSource.query(`INSERT INTO question (forum_id, position, title) VALUES ($1, 0, 'Q') RETURNING id`, [publicForum.id]);
      await guest.agent.post(`/api/questions/${forumQuestion[0].id}/replies`).send({ body: 'Hi' }).expect(401);
      expect((await s.request('forum.subscribe', { forumId: membersOnly.id })).error).toMatchObject({ status: 404 });
      const listed = (await guest.agent.get(`/api/sessions/${session.id}/forums`).expect(200)).body.map((f: any) => f.id);
      expect(listed).toEqual([publicForum.id]);

      await guest.agent.post(`/api/forums/${publicForum.id}/join`).expect(401);
      const inviteOnly = await newForum(t, { visibility: 'invite_only', sessionId: session.id });
      const admin = await signedIn(t, { role: 'admin' });
      const invitation = (await admin.agent.post(`/api/forums/${inviteOnly.id}/invitations`).send({}).expect(201)).body;
      await guest.agent.post('/api/invitations/accept').send({ token: invitation.token }).expect(401);
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM forum_membership WHERE account_id = $1`, [guest.id]);
      expect(n).toBe(0);
      // No lasting credentials for a guest.
      expect((await guest.agent.post('/api/auth/tokens').send({ label: 'mine' }).expect(403)).body.code).toBe('guest_not_allowed');
      // Joining again while signed in is refused.
      expect((await guest.agent.post(`/api/sessions/${session.id}/qa/guests`).send({ displayName: 'Again' }).expect(409)).body.code).toBe('already_signed_in');
    });

    it('limits guests harder than members, and slow mode applies to everyone but moderators (HTTP 429 with Retry-After, socket retryAfterMs)', async () => {
      const { session, mod } = await newOpenQa(t, { allowGuests: true });
      const guest = await joinAsGuest(t, session.id, 'Quick Gina');
      await guest.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'One' }).expect(201);
      const limited = await guest.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Two' }).expect(429);
      expect(limited.body.code).toBe('rate_limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(25);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(30);

      const ana = await signedIn(t);
      await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'A1' }).expect(201);
      await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'A2' }).expect(201);
      await mod.patch(`/api/sessions/${session.id}/qa`).send({ slowModeSeconds: 120 }).expect(200);
      const slowed = await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'A3' }).expect(429);
      expect(Number(slowed.headers['retry-after'])).toBeGreaterThan(100);
      const s = await connect(await sessionCookie(t.url, ana.account));
      const ack = await s.request('qa.ask', { sessionId: session.id, body: 'A3 again' });
      expect(ack.error).toMatchObject({ status: 429, code: 'rate_limited', retryAfterMs: expect.any(Number) });
      expect(ack.error.retryAfterMs).toBeGreaterThan(100_000);
      await mod.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'M1' }).expect(201);
      await mod.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'M2' }).expect(201);
    });

    it('caps a member at QA_ASKS_PER_WINDOW questions per window, even sent at once', async () => {
      const { session } = await newOpenQa(t);
      const ana = await signedIn(t);
      const results = await Promise.all(Array.from({ length: 14 }, (_, i) => ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: `Q${i}` })));
      expect(results.filter((r) => r.status === 201)).toHaveLength(10);
      expect(results.filter((r) => r.status === 429)).toHaveLength(4);
    });
  });

  describe('bad input', () => {
    it('answers 4xx naming the field, over HTTP and sockets', async () => {
      const { session, mod } = await newOpenQa(t);
      const ana = await signedIn(t);
      const tooLong = await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'x'.repeat(501) }).expect(400);
      expect(tooLong.body).toMatchObject({ code: 'validation_failed', details: [{ field: 'body', message: expect.stringContaining('500') }] });
      expect((await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: '   ' }).expect(400)).body.details[0].field).toBe('body');
      expect((await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'ok', anonymous: 'yes' }).expect(400)).body.details[0].field).toBe('anonymous');
      expect((await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'ok', extra: 1 }).expect(400)).body.details[0].field).toBe('extra');
      const q = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'ok' }).expect(201)).body;
      expect((await mod.post(`/api/qa/questions/${q.id}/moderate`).send({ action: 'merge' }).expect(400)).body.details[0].field).toBe('intoId');
      expect((await mod.post(`/api/qa/questions/${q.id}/moderate`).send({ action: 'explode' }).expect(400)).body.details[0].field).toBe('action');
      expect((await mod.post(`/api/qa/questions/${q.id}/moderate`).send({ action: 'dismiss', reason: 'r'.repeat(301) }).expect(400)).body.details[0].field).toBe('reason');
      expect((await mod.patch(`/api/sessions/${session.id}/qa`).send({ slowModeSeconds: -1 }).expect(400)).body.details[0].field).toBe('slowModeSeconds');
      expect((await mod.patch(`/api/sessions/${session.id}/qa`).send({ sessionState: 'paused' }).expect(400)).body.details[0].field).toBe('sessionState');
      expect((await ana.agent.get(`/api/qa/questions/abc`).expect(400)).body.details[0].field).toBe('id');
      expect((await ana.agent.get(`/api/sessions/${session.id}/qa/questions?sort=best`).expect(400)).body.details[0].field).toBe('sort');
      await ana.agent.get(`/api/sessions/no-such-session/qa`).expect(404);
      await ana.agent.get(`/api/qa/questions/999999`).expect(404);

      const s = await connect(await sessionCookie(t.url, ana.account));
      expect((await s.request('qa.ask', { sessionId: session.id, body: '' })).error).toMatchObject({ status: 400, details: [{ field: 'body' }] });
      expect((await s.request('qa.vote', { questionId: q.id, value: 2 })).error).toMatchObject({ status: 400, details: [{ field: 'value' }] });
      const badSubscribe = (await s.request('qa.subscribe', { sessionId: 'x' })).error;
      expect(badSubscribe.status).toBe(400);
      expect(badSubscribe.details.map((d: { field: string }) => d.field)).toContain('sessionId');
    });
  });

  describe('export', () => {
    it('exports questions, votes, states and times as CSV and Markdown, for moderators only', async () => {
      const { session, mod } = await newOpenQa(t);
      const ana = await signedIn(t, { displayName: 'Ana Exporter' });
      const ben = await signedIn(t, { displayName: 'Ben Hidden' });
      const q1 = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: '=SUM(A1) "quoted", with comma' }).expect(201)).body;
      const q2 = (await ben.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Secret asker', anonymous: true }).expect(201)).body;
      await ben.agent.put(`/api/qa/questions/${q1.id}/vote`).expect(200);
      await mod.post(`/api/qa/questions/${q2.id}/moderate`).send({ action: 'answer' }).expect(200);

      const csv = await mod.get(`/api/sessions/${session.id}/qa/export?format=csv`).expect(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.headers['content-disposition']).toContain(`qa-${session.slug}.csv`);
      const lines = csv.text.trim().split('\r\n');
      expect(lines[0]).toBe('"id","state","votes","question","asker","anonymous","asked_at","answered_at","answered_live_at","merged_into","dismiss_reason","forum_question_id","edited_by_moderator"');
      expect(lines[1]).toMatch(new RegExp(`^"${q1.id}","approved","1","'=SUM\\(A1\\) ""quoted"", with comma","Ana Exporter","false","`));
      expect(lines[2]).toMatch(new RegExp(`^"${q2.id}","answered","0","Secret asker","anonymous","true",".+",".+","\\d\\d:\\d\\d"`));
      expect(csv.text).not.toContain('Ben Hidden');

      const mdFile = await mod.get(`/api/sessions/${session.id}/qa/export?format=md`).expect(200);
      expect(mdFile.headers['content-type']).toMatch(/^text\/markdown/);
      expect(mdFile.text).toContain('## Answered live');
      expect(mdFile.text).toMatch(/Secret asker {2}\n {2}_0 votes · asked by anonymous at .+ · answered live at \d\d:\d\d_/);
      expect(mdFile.text).toContain('1 vote ·');
      expect(mdFile.text).not.toContain('Ben Hidden');

      await ana.agent.get(`/api/sessions/${session.id}/qa/export`).expect(403);
      await t.agent().get(`/api/sessions/${session.id}/qa/export`).expect(401);
    });
  });

  describe('writes that meet a moderator act or a hand-over', () => {
    // Two connections at once: only against a real PostgreSQL server (the embedded database has one).
    const race = process.env.DATABASE_URL ? it : it.skip;

    /** Runs `work` in an open transaction, sends the requests one by one (each queued on a lock before the next), commits, and returns the answers. */
    async function during(work: (query: (sql: string, params: unknown[]) => Promise<unknown>) => Promise<void>, ...sends: (() => Promise<{ status: number; body: any }>)[]) {
      const runner = t.dataSource.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        await work((sql, params) => runner.query(sql, params));
        const answers: Promise<{ status: number; body: any }>[] = [];
        for (const send of sends) {
          // Promise.resolve takes the supertest request's then(), which sends it.
          answers.push(Promise.resolve(send()));
          const waiting = answers.length;
          await eventually(async () => {
            const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
            expect(n).toBeGreaterThanOrEqual(waiting);
          });
        }
        await runner.commitTransaction();
        return await Promise.all(answers);
      } finally {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        await runner.release();
      }
    }

    race('refuses a question sent while the Q&A is being closed, so none is left behind by the hand-over', async () => {
      const { session } = await newOpenQa(t);
      const ana = await signedIn(t);
      const [res] = await during(
        async (query) => {
          // What closing (or ending the session) does first: hold the Q&A row, then close it.
          await query(`SELECT 1 FROM live_qa WHERE session_id = $1 FOR UPDATE`, [session.id]);
          await query(`UPDATE live_qa SET state = 'closed' WHERE session_id = $1`, [session.id]);
        },
        () => ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Last-second question' }),
      );
      expect([res.status, res.body.code]).toEqual([409, 'qa_not_open']);
      expect(await t.dataSource.query(`SELECT id FROM live_question WHERE session_id = $1`, [session.id])).toEqual([]);
    });

    race('takes a question and a moderator act of the same session at once, without a deadlock', async () => {
      const { session, mod } = await newOpenQa(t);
      const [ana, ben] = await Promise.all([signedIn(t), signedIn(t)]);
      const q = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Shown next' }).expect(201)).body;
      const [asked, highlighted] = await during(
        // Another write of the session finishing its events: the question waits there, its row written, for the log's sequence.
        (query) => query(`SELECT 1 FROM qa_event_seq WHERE session_id = $1 FOR UPDATE`, [session.id]).then(() => undefined),
        () => ben.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Asked meanwhile' }),
        () => mod.post(`/api/qa/questions/${q.id}/moderate`).send({ action: 'highlight' }),
      );
      expect([asked.status, highlighted.status]).toEqual([201, 200]);
    });

    race('carries over the votes that committed while the hand-over waited for them (live score exact)', async () => {
      const { session, mod } = await newOpenQa(t);
      const [ana, ben] = await Promise.all([signedIn(t), signedIn(t)]);
      const q = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Counted?' }).expect(201)).body;
      const [res] = await during(
        async (query) => {
          // A vote in flight, as LiveQuestionsService.vote writes it.
          await query(`SELECT 1 FROM live_question WHERE id = $1 FOR KEY SHARE`, [q.id]);
          await query(`INSERT INTO live_question_vote (question_id, voter_id) VALUES ($1, $2)`, [q.id, ben.account.id]);
          await query(`INSERT INTO live_question_counter (question_id, shard, votes) VALUES ($1, 3, 1)`, [q.id]);
        },
        () => mod.post(`/api/sessions/${session.id}/qa/hand-over`),
      );
      expect(res.status).toBe(200);
      const [carried] = await t.dataSource.query(`SELECT live_score, body_source FROM question WHERE live_question_id = $1`, [q.id]);
      expect(carried.live_score).toBe(1);
      expect(carried.body_source).toContain('· 1 vote*');
    });

    race('lets the asker withdraw the highlighted question while a moderator answers it, without a deadlock', async () => {
      const { session, mod } = await newOpenQa(t);
      const ana = await signedIn(t);
      const q = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'On screen' }).expect(201)).body;
      await mod.post(`/api/qa/questions/${q.id}/moderate`).send({ action: 'highlight' }).expect(200);
      const [answered, withdrawn] = await during(
        async (query) => {
          // Someone reading the Q&A row for a moment: the moderator's act queues first, the withdrawal second.
          await query(`SELECT 1 FROM live_qa WHERE session_id = $1 FOR SHARE`, [session.id]);
        },
        () => mod.post(`/api/qa/questions/${q.id}/moderate`).send({ action: 'answer' }),
        () => ana.agent.delete(`/api/qa/questions/${q.id}`),
      );
      expect([answered.status, withdrawn.status, withdrawn.body.code]).toEqual([200, 409, 'not_editable']);
      const view = (await t.agent().get(`/api/sessions/${session.id}/qa`).expect(200)).body;
      expect(view.highlighted).toBeNull();
    });
  });

  describe('what the review found', () => {
    it('tells the asker of a pending question why it was dismissed, live', async () => {
      const { session, mod } = await newOpenQa(t, { premoderation: true });
      const ana = await signedIn(t);
      const sAna = await connect(await sessionCookie(t.url, ana.account));
      await sAna.request('qa.subscribe', { sessionId: session.id });
      const q = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Waiting' }).expect(201)).body;
      expect(q.state).toBe('pending');
      await mod.post(`/api/qa/questions/${q.id}/moderate`).send({ action: 'dismiss', reason: 'Please ask in English' }).expect(200);
      const e = await waitForQaEvent(sAna, session.id, (x) => x.type === 'question.updated' && x.questionId === q.id);
      expect(e.payload.question).toMatchObject({ state: 'dismissed', dismissReason: 'Please ask in English' });
    });

    it('keeps a pending or dismissed question hidden from attendees when a moderator archives it (HTTP and sockets)', async () => {
      const { session, mod } = await newOpenQa(t, { premoderation: true });
      const [ana, ben] = await Promise.all([signedIn(t), signedIn(t)]);
      const sBen = await connect(await sessionCookie(t.url, ben.account));
      await sBen.request('qa.subscribe', { sessionId: session.id });
      const pending = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Never approved: rude words' }).expect(201)).body;
      const dismissed = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Dismissed: rude words' }).expect(201)).body;
      await mod.post(`/api/qa/questions/${dismissed.id}/moderate`).send({ action: 'dismiss' }).expect(200);
      for (const q of [pending, dismissed]) {
        expect((await mod.post(`/api/qa/questions/${q.id}/moderate`).send({ action: 'archive' }).expect(200)).body.question.state).toBe('archived');
      }
      // A later public event: everything before it has reached Ben by then (events arrive in order).
      const later = (await mod.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'From the chair' }).expect(201)).body;
      await waitForQaEvent(sBen, session.id, (e) => e.questionId === later.id);
      expect(JSON.stringify(sBen.received)).not.toContain('rude words');
      const list = (await ben.agent.get(`/api/sessions/${session.id}/qa/questions`).expect(200)).body.items.map((q: any) => q.id);
      expect(list).toEqual([later.id]);
      expect((await t.agent().get(`/api/sessions/${session.id}/qa/questions?state=archived`).expect(200)).body.items).toEqual([]);
      await ben.agent.get(`/api/qa/questions/${pending.id}`).expect(404);
      // The asker and the moderators still see them.
      expect((await ana.agent.get(`/api/qa/questions/${pending.id}`).expect(200)).body.state).toBe('archived');
      expect((await mod.get(`/api/sessions/${session.id}/qa/questions?state=archived`).expect(200)).body.items).toHaveLength(2);
    });

    it('refuses a NUL character in a guest name or a dismiss reason with a 400 naming the field', async () => {
      const { session, mod } = await newOpenQa(t, { allowGuests: true });
      const join = await t.agent().post(`/api/sessions/${session.id}/qa/guests`).send({ displayName: 'Gi\u0000na' });
      expect([join.status, join.body.code, join.body.details?.[0]?.field]).toEqual([400, 'validation_failed', 'displayName']);
      const ana = await signedIn(t);
      const q = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Q' }).expect(201)).body;
      const dismiss = await mod.post(`/api/qa/questions/${q.id}/moderate`).send({ action: 'dismiss', reason: 'no\u0000pe' });
      expect([dismiss.status, dismiss.body.code, dismiss.body.details?.[0]?.field]).toEqual([400, 'validation_failed', 'reason']);
    });

    it('limits qa.subscribe like forum.subscribe (each one replays and counts every vote)', async () => {
      const { session } = await newOpenQa(t);
      const s = await connect();
      const acks = await Promise.all(Array.from({ length: 40 }, () => s.request('qa.subscribe', { sessionId: session.id })));
      expect(acks.filter((a) => a.error).map((a) => a.error.status)).toContain(429);
      expect(acks.filter((a) => !a.error).length).toBeGreaterThan(0);
    });

    it("keeps a guest's sign-in to 12 hours: using it does not stretch it like a member's", async () => {
      const { session } = await newOpenQa(t, { allowGuests: true });
      const guest = await joinAsGuest(t, session.id, 'Gina');
      // Last used a while ago: the next request would slide a member's browser session.
      await t.dataSource.query(`UPDATE login_session SET last_seen_at = now() - interval '10 minutes' WHERE account_id = $1`, [guest.id]);
      const res = await guest.agent.get(`/api/sessions/${session.id}/qa`).expect(200);
      expect(res.body.viewer.guest).toBe(true);
      const [{ hours }] = await t.dataSource.query(
        `SELECT extract(epoch FROM expires_at - created_at) / 3600 AS hours FROM login_session WHERE account_id = $1`,
        [guest.id],
      );
      expect(Number(hours)).toBeLessThanOrEqual(12);
      const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
      expect(setCookie.filter((c) => c.startsWith('agora_session='))).toEqual([]);
    });

    it('treats a guest in a forum like an anonymous visitor in presence: not named to others, and shown no names', async () => {
      const { session } = await newOpenQa(t, { allowGuests: true });
      const forum = await newForum(t, { visibility: 'public', sessionId: session.id });
      const member = await createAccount(t, { displayName: 'Mia Member' });
      const guest = await joinAsGuest(t, session.id, 'Gina Guest');
      const sMember = await connect(await sessionCookie(t.url, member));
      const sGuest = await connect(guest.cookie);
      await sMember.request('forum.subscribe', { forumId: forum.id });
      await sGuest.request('forum.subscribe', { forumId: forum.id });
      await eventually(async () => expect((await sMember.request('forum.presence', { forumId: forum.id })).count).toBe(2));
      const seenByMember = await sMember.request('forum.presence', { forumId: forum.id });
      expect(seenByMember).toMatchObject({ count: 2, anonymous: 1, members: [{ id: member.id, displayName: 'Mia Member' }] });
      expect((await sGuest.request('forum.presence', { forumId: forum.id })).members).toEqual([]);
    });
  });

  describe('text that left the Q&A leaves its event log', () => {
    /** A fresh socket's replay of the whole stream (lastSeq 0): what a reconnecting client is handed. */
    const replayAll = async (sessionId: number, cookie?: string) => {
      const socket = await connect(cookie);
      const ack = await socket.request('qa.subscribe', { sessionId, lastSeq: 0 });
      expect(ack.resync).toBeUndefined();
      return qaEvents(socket, sessionId);
    };

    it('drops a withdrawn question\'s text from every earlier event (asked, edited, highlighted, merged into) for everyone', async () => {
      const { session, mod, moderator } = await newOpenQa(t);
      const [ana, ben] = await Promise.all([signedIn(t), signedIn(t)]);
      const q = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'My number is 555-0100' }).expect(201)).body;
      await ana.agent.patch(`/api/qa/questions/${q.id}`).send({ body: 'My number is 555-0199' }).expect(200);
      const dup = (await ben.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Same as hers' }).expect(201)).body;
      await mod.post(`/api/qa/questions/${dup.id}/moderate`).send({ action: 'merge', intoId: q.id }).expect(200);
      await mod.post(`/api/qa/questions/${q.id}/moderate`).send({ action: 'highlight' }).expect(200);
      await mod.patch(`/api/sessions/${session.id}/qa`).send({ slowModeSeconds: 5 }).expect(200);
      const before = await replayAll(session.id, await sessionCookie(t.url, ben.account));
      expect(JSON.stringify(before)).toContain('555-0199');

      await ana.agent.delete(`/api/qa/questions/${q.id}`).expect(200);
      for (const cookie of [undefined, await sessionCookie(t.url, ben.account), await sessionCookie(t.url, ana.account), await sessionCookie(t.url, moderator)]) {
        const events = await replayAll(session.id, cookie);
        expect(JSON.stringify(events)).not.toContain('555-01');
        // Still events a client can apply: the question, withdrawn, under its id.
        const last = events.filter((e) => e.type === 'question.updated' && e.questionId === q.id).pop()!;
        expect(last.payload.question).toMatchObject({ id: q.id, state: 'withdrawn' });
      }
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM qa_event WHERE session_id = $1 AND payload::text LIKE '%555-01%'`, [session.id]);
      expect(n).toBe(0);
      // The asker still reads it over HTTP.
      expect((await ana.agent.get(`/api/qa/questions/${q.id}`).expect(200)).body).toMatchObject({ body: 'My number is 555-0199', state: 'withdrawn' });
    });

    it("drops a dismissed question's text from attendees' replay; moderators and the asker still get it", async () => {
      const { session, mod, moderator } = await newOpenQa(t);
      const [ana, ben] = await Promise.all([signedIn(t), signedIn(t)]);
      const q = (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Rude words here' }).expect(201)).body;
      await mod.post(`/api/qa/questions/${q.id}/moderate`).send({ action: 'dismiss' }).expect(200);

      for (const cookie of [undefined, await sessionCookie(t.url, ben.account)]) {
        const events = await replayAll(session.id, cookie);
        expect(JSON.stringify(events)).not.toContain('Rude words');
        expect(events.filter((e) => e.questionId === q.id).pop()!.payload.question).toMatchObject({ id: q.id, state: 'dismissed' });
      }
      // Who may read it over HTTP ends their replay with its text, as dismissed.
      for (const cookie of [await sessionCookie(t.url, moderator), await sessionCookie(t.url, ana.account)]) {
        const events = await replayAll(session.id, cookie);
        expect(events.filter((e) => e.questionId === q.id).pop()!.payload.question).toMatchObject({ id: q.id, state: 'dismissed', body: 'Rude words here' });
      }
      // Approved again, it is public again, text and all.
      await mod.post(`/api/qa/questions/${q.id}/moderate`).send({ action: 'approve' }).expect(200);
      const events = await replayAll(session.id);
      expect(events.filter((e) => e.questionId === q.id).pop()!.payload.question).toMatchObject({ state: 'approved', body: 'Rude words here' });
    });
  });
});
