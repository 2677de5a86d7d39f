import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { insertAccount } from '../src/auth/accounts.js';
import { startTwoInstances, type AppProcess } from './support/app-process.js';
import { startRedisCopy, type ServiceCopy } from './support/services.js';
import { newForum, newQuestion } from './support/fixtures.js';
import { connectSocket, eventually, pause, sessionCookie, type TestSocket } from './support/sockets.js';

/**
 * Two instances on one PostgreSQL database and a Redis of their own, which
 * the test kills for longer than Redis commands' 5 s timeout and starts
 * again: the instances stay up, followers keep getting every reply (from
 * Postgres while Redis is away) and the cross-instance path recovers.
 */
const databaseUrl = process.env.DATABASE_URL;
const describeCluster = databaseUrl ? describe : describe.skip;

describeCluster('Redis stopped under two instances', () => {
  let redis: ServiceCopy;
  let a: AppProcess;
  let b: AppProcess;
  let db: DataSource;
  const open: TestSocket[] = [];

  beforeAll(async () => {
    redis = await startRedisCopy();
    ({ a, b, db } = await startTwoInstances({ DATABASE_URL: databaseUrl!, REDIS_URL: redis.url }));
  }, 240_000);

  afterAll(async () => {
    for (const s of open) s.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.destroy();
    await redis?.remove();
  });

  it('keeps both instances up, delivers every reply once and in order, and recovers when Redis returns', async () => {
    const { id: forumId } = await newForum(db);
    const { id: questionId } = await newQuestion(db, forumId);
    const email = `redis-outage-${randomUUID()}@example.org`;
    const password = `pw-${randomUUID()}`;
    await insertAccount(db.manager, { email, password, displayName: 'Writer' });
    const cookieB = await sessionCookie(b.url, { email, password });
    const post = async (body: string) => {
      const res = await fetch(`${b.url}/api/questions/${questionId}/replies`, {
        method: 'POST',
        headers: { cookie: cookieB, 'content-type': 'application/json' },
        body: JSON.stringify({ body }),
      });
      if (res.status !== 201) throw new Error(`posting got ${res.status}: ${await res.text()}`);
    };
    const onA = await connectSocket(a.url);
    const onB = await connectSocket(b.url);
    open.push(onA, onB);
    await onA.request('forum.subscribe', { forumId });
    await onB.request('forum.subscribe', { forumId });
    await post('before the outage');
    await onA.waitForEvents(forumId, 1);

    await redis.stop('kill');
    // Past Redis commands' 5 s timeout and the adapter's heartbeats: the failed PUBLISHes used to end both processes.
    for (let i = 0; i < 8; i++) {
      await post(`during the outage ${i}`);
      await pause(1_000);
    }
    expect({ a: a.exitCode(), b: b.exitCode() }).toEqual({ a: undefined, b: undefined });
    // The writer's own instance delivers at once; the other fills the gap from Postgres.
    await onB.waitForEvents(forumId, 9, 5_000);
    await onA.waitForEvents(forumId, 9, 10_000);
    expect(onA.raw.connected && onB.raw.connected).toBe(true);

    await redis.start();
    await post('after the outage');
    const seqs = (s: TestSocket) => s.forumEvents(forumId).map((e) => e.seq);
    await onA.waitForEvents(forumId, 10, 15_000);
    await onB.waitForEvents(forumId, 10, 5_000);
    // A sentinel through the same ordered stream: nothing else is still on its way.
    await post('sentinel');
    await onA.waitForEvents(forumId, 11, 15_000);
    await onB.waitForEvents(forumId, 11, 5_000);
    expect(seqs(onA)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    expect(seqs(onB)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));

    // Both report Redis back (readiness covers it), and the cross-instance path works again:
    // typing on B reaches a follower on A, which only Redis carries (re-sent until it does, as a client would).
    await eventually(async () => expect([(await fetch(`${a.url}/api/health/ready`)).status, (await fetch(`${b.url}/api/health/ready`)).status]).toEqual([200, 200]), 20_000);
    const typist = await connectSocket(b.url, { cookie: cookieB });
    open.push(typist);
    await typist.request('forum.subscribe', { forumId });
    const heard = onA.waitFor('thread.typing', undefined, 30_000);
    const retyping = setInterval(() => void typist.request('thread.typing', { questionId, typing: true }).catch(() => undefined), 2_500);
    try {
      await expect(typist.request('thread.typing', { questionId })).resolves.toEqual({ questionId, typing: true });
      await expect(heard).resolves.toMatchObject({ forumId, questionId, typing: true });
    } finally {
      clearInterval(retyping);
    }
    expect({ a: a.exitCode(), b: b.exitCode() }).toEqual({ a: undefined, b: undefined });
    const liveness = await fetch(`${a.url}/api/health`);
    expect(liveness.status).toBe(200);
  }, 120_000);
});
