import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { insertAccount } from '../src/auth/accounts.js';
import { startTwoInstances, type AppProcess } from './support/app-process.js';
import { qaEvents } from './support/live-qa.js';
import { connectSocket, eventually, sessionCookie, type TestSocket } from './support/sockets.js';

/**
 * A session's live Q&A across two app processes on one PostgreSQL and one
 * Redis: the Q&A stream keeps one order for everyone (events written on
 * either instance), pending questions stay with moderators and the asker,
 * and vote counts written on both instances converge on every screen.
 */
const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const describeCluster = databaseUrl ? describe : describe.skip;

describeCluster('live Q&A on two app instances', () => {
  let a: AppProcess;
  let b: AppProcess;
  let db: DataSource;
  const open: TestSocket[] = [];

  const person = async (displayName: string) => {
    const email = `qa-cluster-${randomUUID()}@example.org`;
    const password = `pw-${randomUUID()}`;
    const account = await insertAccount(db.manager, { email, password, displayName });
    return { id: account.id, email, password };
  };
  const call = async (app: AppProcess, cookie: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${app.url}${path}`, { method, headers: { cookie, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<any>;
  };

  beforeAll(async () => {
    ({ a, b, db } = await startTwoInstances({ DATABASE_URL: databaseUrl!, REDIS_URL: redisUrl }));
  }, 240_000);

  afterAll(async () => {
    for (const s of open) s.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.destroy();
  });

  it('delivers one ordered stream to both instances, audiences kept, and converging vote counts', async () => {
    const [session] = await db.query(`INSERT INTO session (slug, kind, title, organiser) VALUES ($1, 'webinar', 'Cluster Q&A', 'Hub') RETURNING id`, [`qa-${randomUUID().slice(0, 8)}`]);
    const sessionId: number = session.id;
    const moderator = await person('Mod');
    await db.query(`INSERT INTO session_moderator (session_id, account_id) VALUES ($1, $2)`, [sessionId, moderator.id]);
    const modOnA = await sessionCookie(a.url, moderator);
    await call(a, modOnA, 'PATCH', `/api/sessions/${sessionId}/qa`, { state: 'open' });
    const people = await Promise.all(Array.from({ length: 6 }, (_, i) => person(`P${i}`)));
    const cookies = await Promise.all(people.map((p, i) => sessionCookie((i % 2 ? b : a).url, p)));
    const sockets = await Promise.all(
      people.map(async (_, i) => {
        const s = await connectSocket((i % 2 ? b : a).url, { cookie: cookies[i] });
        open.push(s);
        await s.request('qa.subscribe', { sessionId });
        return s;
      }),
    );
    const modSocket = await connectSocket(b.url, { cookie: await sessionCookie(b.url, moderator) });
    open.push(modSocket);
    await modSocket.request('qa.subscribe', { sessionId });

    // Questions asked on both instances at once.
    const asked = await Promise.all(people.map((_, i) => call(i % 2 ? b : a, cookies[i], 'POST', `/api/sessions/${sessionId}/qa/questions`, { body: `Question ${i}` })));
    await eventually(async () => {
      for (const s of [...sockets, modSocket]) expect(qaEvents(s, sessionId).filter((e) => e.type === 'question.asked')).toHaveLength(people.length);
    }, 10_000);
    const orders = [...sockets, modSocket].map((s) => qaEvents(s, sessionId).map((e) => e.seq));
    for (const order of orders) expect(order).toEqual(orders[0]);
    expect(orders[0]).toEqual([...orders[0]].sort((x, y) => x - y));

    // Pending: moderators and the asker only, across instances.
    await call(a, modOnA, 'PATCH', `/api/sessions/${sessionId}/qa`, { premoderation: true });
    const pending = await call(b, cookies[1], 'POST', `/api/sessions/${sessionId}/qa/questions`, { body: 'Wait for me' });
    await eventually(async () => {
      expect(qaEvents(modSocket, sessionId).some((e) => e.questionId === pending.id)).toBe(true);
      expect(qaEvents(sockets[1], sessionId).some((e) => e.questionId === pending.id)).toBe(true);
    });
    const highlighted = asked[0].id;
    await modSocket.request('qa.moderate', { questionId: highlighted, action: 'highlight' });
    await eventually(async () => {
      for (const s of sockets) expect(qaEvents(s, sessionId).some((e) => e.type === 'question.highlighted' && e.payload.questionId === highlighted)).toBe(true);
    });
    for (const [i, s] of sockets.entries()) if (i !== 1) expect(qaEvents(s, sessionId).some((e) => e.questionId === pending.id)).toBe(false);

    // Votes on both instances: everyone votes question 0, then odd ones take it back.
    await Promise.all(sockets.map((s) => s.request('qa.vote', { questionId: highlighted, value: 1 })));
    await Promise.all(sockets.filter((_, i) => i % 2).map((s) => s.request('qa.vote', { questionId: highlighted, value: 0 })));
    const newest = (s: TestSocket) => {
      let best: { asOf: string; voteCount: number } | null = null;
      for (const r of s.received) {
        if (r.event !== 'qa.votes') continue;
        const m = r.data as { asOf: string; counts: { questionId: number; voteCount: number }[] };
        const c = m.counts.find((x) => x.questionId === highlighted);
        if (c && (!best || best.asOf <= m.asOf)) best = { asOf: m.asOf, voteCount: c.voteCount };
      }
      return best?.voteCount;
    };
    await eventually(async () => {
      for (const s of [...sockets, modSocket]) expect(newest(s)).toBe(3);
    }, 10_000);
  }, 60_000);

  it('sends poll results answered on both instances to every screen, hidden ones to moderators only until revealed', async () => {
    const [session] = await db.query(`INSERT INTO session (slug, kind, title, organiser) VALUES ($1, 'webinar', 'Cluster polls', 'Hub') RETURNING id`, [`qa-${randomUUID().slice(0, 8)}`]);
    const sessionId: number = session.id;
    const moderator = await person('Mod');
    await db.query(`INSERT INTO session_moderator (session_id, account_id) VALUES ($1, $2)`, [sessionId, moderator.id]);
    const modOnA = await sessionCookie(a.url, moderator);
    await call(a, modOnA, 'PATCH', `/api/sessions/${sessionId}/qa`, { state: 'open' });
    const poll = await call(a, modOnA, 'POST', `/api/sessions/${sessionId}/qa/polls`, { kind: 'single', prompt: 'Which?', options: ['A', 'B'], resultsHidden: true });
    await call(a, modOnA, 'POST', `/api/qa/polls/${poll.id}/act`, { action: 'launch' });
    const people = await Promise.all(Array.from({ length: 6 }, (_, i) => person(`V${i}`)));
    const cookies = await Promise.all(people.map((p, i) => sessionCookie((i % 2 ? b : a).url, p)));
    const screens = await Promise.all(cookies.map(async (cookie, i) => {
      const s = await connectSocket((i % 2 ? b : a).url, { cookie });
      open.push(s);
      await s.request('qa.subscribe', { sessionId });
      return s;
    }));
    const modScreen = await connectSocket(b.url, { cookie: await sessionCookie(b.url, moderator) });
    open.push(modScreen);
    await modScreen.request('qa.subscribe', { sessionId });
    const latest = (s: TestSocket) => {
      let best: any;
      for (const r of s.received) {
        if (r.event !== 'qa.poll_results') continue;
        for (const x of (r.data as { results: any[] }).results) if (x.pollId === poll.id && (!best || best.asOf <= x.asOf)) best = x;
      }
      return best?.options.map((o: any) => o.count);
    };
    await Promise.all(screens.map((s, i) => s.request('qa.poll.answer', { pollId: poll.id, choices: [i % 3 === 0 ? 1 : 0] })));
    await eventually(async () => expect(latest(modScreen)).toEqual([4, 2]), 10_000);
    // Hidden: the attendees got nothing. Revealing sends them the result (on both instances).
    expect(screens.map(latest)).toEqual(screens.map(() => undefined));
    await call(b, await sessionCookie(b.url, moderator), 'POST', `/api/qa/polls/${poll.id}/act`, { action: 'reveal' });
    await eventually(async () => {
      for (const s of screens) expect(latest(s)).toEqual([4, 2]);
    }, 10_000);
  }, 60_000);
});

