import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { insertAccount } from '../src/auth/accounts.js';
import type { ForumEventView } from '../src/events/forum-event.js';
import { startTwoInstances, type AppProcess } from './support/app-process.js';
import type { TestPerson } from './support/people.js';
import { addMember, newForum, newQuestion } from './support/fixtures.js';
import { connectSocket, eventually, pause, sessionCookie, type TestSocket } from './support/sockets.js';

/**
 * Two app processes (the built app, `node dist/src/main.js`) on one
 * PostgreSQL database and one Redis: rooms, presence, kicks and replay
 * across instances. Needs DATABASE_URL (the embedded database can't be
 * shared by two processes) and Redis (REDIS_URL, default 127.0.0.1:6379).
 */
const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const describeCluster = databaseUrl ? describe : describe.skip;

describeCluster('two app instances sharing Postgres and Redis', () => {
  let a: AppProcess;
  let b: AppProcess;
  let db: DataSource;
  const open: TestSocket[] = [];

  const person = async (displayName: string): Promise<TestPerson> => {
    const email = `cluster-${randomUUID()}@example.org`;
    const password = `pw-${randomUUID()}`;
    const account = await insertAccount(db.manager, { email, password, displayName });
    return { id: account.id, email, password, displayName, role: 'member' };
  };
  const connectTo = async (app: AppProcess, who?: TestPerson) => {
    const socket = await connectSocket(app.url, who ? { cookie: await sessionCookie(app.url, who) } : {});
    open.push(socket);
    return socket;
  };
  const postReply = async (app: AppProcess, cookie: string, questionId: number, body: string) => {
    const res = await fetch(`${app.url}/api/questions/${questionId}/replies`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ body }),
    });
    if (res.status !== 201) throw new Error(`posting a reply got ${res.status}: ${await res.text()}`);
    return (await res.json()) as { id: string };
  };
  const seqs = (events: ForumEventView[]) => events.map((e) => e.seq);
  /** Posts one more reply after the action under test; its event's seq, for TestSocket.eventsBefore. */
  const sentinel = async (app: AppProcess, cookie: string, questionId: number, forumId: number): Promise<number> => {
    await postReply(app, cookie, questionId, 'Sentinel');
    const [{ seq }] = await db.query('SELECT max(seq)::int AS seq FROM forum_event WHERE forum_id = $1', [forumId]);
    return seq;
  };

  beforeAll(async () => {
    // Twice the product's write limits (20 replies per person in 30 s): the test of the shared count floods past them.
    ({ a, b, db } = await startTwoInstances({ DATABASE_URL: databaseUrl!, REDIS_URL: redisUrl, RATE_LIMIT_SCALE: '2' }));
  }, 240_000);

  afterAll(async () => {
    for (const s of open) s.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.destroy();
  });

  it('delivers a reply posted on B to followers on A and B, in order; presence and typing span both', async () => {
    const { id: forumId } = await newForum(db, { visibility: 'members' });
    const { id: questionId } = await newQuestion(db, forumId);
    const [ana, bruno, carla] = [await person('Ana'), await person('Bruno'), await person('Carla')];
    const onA = await connectTo(a, ana);
    const onB = await connectTo(b, bruno);
    await expect(onA.request('forum.subscribe', { forumId })).resolves.toMatchObject({ forumId, seq: 0 });
    await expect(onB.request('forum.subscribe', { forumId })).resolves.toMatchObject({ forumId, seq: 0 });

    const carlaOnB = await sessionCookie(b.url, carla);
    const carlaOnA = await sessionCookie(a.url, carla);
    const first = await postReply(b, carlaOnB, questionId, 'Posted on **B**');
    const [event] = await onA.waitForEvents(forumId, 1);
    expect(event).toMatchObject({ seq: 1, type: 'reply.created', questionId, payload: { reply: { id: first.id, bodyHtml: expect.stringContaining('<strong>B</strong>') } } });
    // Writes on both instances at once still reach everyone in one order.
    await Promise.all([
      ...Array.from({ length: 5 }, (_, i) => postReply(a, carlaOnA, questionId, `A ${i}`)),
      ...Array.from({ length: 5 }, (_, i) => postReply(b, carlaOnB, questionId, `B ${i}`)),
    ]);
    expect(seqs(await onA.waitForEvents(forumId, 11))).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    expect(seqs(await onB.waitForEvents(forumId, 11))).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));

    const both = [{ id: ana.id, displayName: 'Ana' }, { id: bruno.id, displayName: 'Bruno' }];
    await expect(onA.waitFor('forum.presence', (p: { count: number }) => p.count === 2, 15_000)).resolves.toMatchObject({ count: 2, members: both });
    // Presence is eventually consistent across instances (announced within about a second, re-announced every 10 s).
    await eventually(() => expect(onB.request('forum.presence', { forumId })).resolves.toMatchObject({ count: 2, members: both }), 15_000);

    await expect(onB.request('thread.typing', { questionId })).resolves.toEqual({ questionId, typing: true });
    await expect(onA.waitFor('thread.typing')).resolves.toMatchObject({ forumId, questionId, account: { id: bruno.id, displayName: 'Bruno' }, typing: true });
  });

  it('removal and sign-out on one instance reach sockets on the other', async () => {
    const { id: forumId } = await newForum(db, { visibility: 'invite_only' });
    const { id: questionId } = await newQuestion(db, forumId);
    const [mod, member, writer] = [await person('Mod'), await person('Member'), await person('Writer')];
    await addMember(db, forumId, mod.id, 'moderator');
    await addMember(db, forumId, member.id);
    await addMember(db, forumId, writer.id);
    const memberOnA = await connectTo(a, member);
    await memberOnA.request('forum.subscribe', { forumId });
    // Follows the forum on A: its sentinel shows A has sent the forum's earlier events.
    const writerOnA = await connectTo(a, writer);
    await writerOnA.request('forum.subscribe', { forumId });

    const modCookie = await sessionCookie(b.url, mod);
    const removed = await fetch(`${b.url}/api/forums/${forumId}/members/${member.id}`, { method: 'DELETE', headers: { cookie: modCookie } });
    expect(removed.status).toBe(204);
    await expect(memberOnA.waitFor('forum.left')).resolves.toEqual({ forumId, reason: 'removed' });
    const writerOnB = await sessionCookie(b.url, writer);
    await postReply(b, writerOnB, questionId, 'After the removal');
    await writerOnA.eventsBefore(forumId, await sentinel(b, writerOnB, questionId, forumId));
    await memberOnA.roundTrip();
    expect(memberOnA.forumEvents(forumId)).toEqual([]);
    await expect(memberOnA.request('forum.presence', { forumId })).resolves.toMatchObject({ error: { code: 'not_subscribed' } });

    // Signing out on B ends that sign-in's socket on A.
    const cookie = await sessionCookie(a.url, writer);
    const signedInOnA = await connectSocket(a.url, { cookie });
    open.push(signedInOnA);
    expect((await fetch(`${b.url}/api/auth/sign-out`, { method: 'POST', headers: { cookie } })).status).toBe(204);
    await expect(signedInOnA.disconnected()).resolves.toBe('io server disconnect');
  });

  it('refuses a reply flood alike over HTTP on A and the socket on B: one count per person across instances', async () => {
    const { id: forumId } = await newForum(db);
    const { id: questionId } = await newQuestion(db, forumId);
    const flooder = await person('Flooder');
    const cookieOnA = await sessionCookie(a.url, flooder);
    const socketOnB = await connectTo(b, flooder);
    for (let i = 0; i < 10; i++) await postReply(a, cookieOnA, questionId, `over HTTP on A ${i}`);
    for (let i = 0; i < 10; i++) await expect(socketOnB.request('reply.create', { clientId: randomUUID(), questionId, body: `over the socket on B ${i}` })).resolves.toHaveProperty('reply');
    const refused = await fetch(`${a.url}/api/questions/${questionId}/replies`, {
      method: 'POST',
      headers: { cookie: cookieOnA, 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'one too many on A' }),
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await expect(socketOnB.request('reply.create', { clientId: randomUUID(), questionId, body: 'one too many on B' })).resolves.toMatchObject({
      error: { status: 429, code: 'rate_limited', retryAfterMs: expect.any(Number) },
    });
    const [{ count }] = await db.query('SELECT count(*)::int AS count FROM reply WHERE question_id = $1', [questionId]);
    expect(count).toBe(20);
    // Someone else, on either instance, is not held back.
    const other = await person('Other');
    await postReply(b, await sessionCookie(b.url, other), questionId, 'mine');
  });

  it('a follower moved from A to B after A dies catches up with nothing lost and nothing twice', async () => {
    const { id: forumId } = await newForum(db);
    const { id: questionId } = await newQuestion(db, forumId);
    const writer = await person('Writer');
    const writerOnB = await sessionCookie(b.url, writer);
    const onA = await connectTo(a);
    await onA.request('forum.subscribe', { forumId });
    for (let i = 0; i < 3; i++) await postReply(b, writerOnB, questionId, `before ${i}`);
    await onA.waitForEvents(forumId, 3);

    // Replies keep coming on B while A is killed mid-stream.
    const writing = (async () => {
      for (let i = 0; i < 12; i++) {
        await postReply(b, writerOnB, questionId, `during ${i}`);
        await pause(20);
      }
    })();
    await pause(100);
    await a.stop('SIGKILL');
    await expect(onA.disconnected()).resolves.toBe('transport close');
    await writing;

    const seen = onA.forumEvents(forumId);
    expect(seqs(seen)).toEqual(Array.from({ length: seen.length }, (_, i) => i + 1));
    const onB = await connectTo(b);
    const ack = await onB.request('forum.subscribe', { forumId, lastSeq: seen.at(-1)!.seq });
    expect(ack).toMatchObject({ forumId, seq: 15, replayed: 15 - seen.length });
    await postReply(b, writerOnB, questionId, 'after the move');
    await onB.waitForEvents(forumId, 16 - seen.length);
    const all = [...seen, ...(await onB.eventsBefore(forumId, await sentinel(b, writerOnB, questionId, forumId)))];
    expect(seqs(all)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(new Set(all.map((e) => (e.payload.reply as { id: string }).id)).size).toBe(16);
  });
});
