import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { DataSource } from 'typeorm';
import { insertAccount } from '../src/auth/accounts.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { buildIfStale, startAppProcess, type AppProcess } from './support/app-process.js';
import { newForum, newQuestion } from './support/fixtures.js';
import { connectSocket, sessionCookie, type TestSocket } from './support/sockets.js';

/**
 * SIGTERM while a keep-alive client keeps the connection busy and a write
 * is held in flight (the test holds a row lock it needs): readiness turns
 * 503 at once, new work is refused, the held write and a socket write
 * finish and are kept, sockets are told to reconnect, and the process
 * exits 0 within SHUTDOWN_TIMEOUT_MS.
 */
const databaseUrl = process.env.DATABASE_URL;
const describeProcess = databaseUrl ? describe : describe.skip;

interface Answer {
  status: number;
  body: string;
  connection: string | undefined;
}

describeProcess('SIGTERM with a busy keep-alive client', () => {
  let app: AppProcess;
  let db: DataSource;
  const open: TestSocket[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  // One keep-alive connection for every request of the "busy client".
  const send = (url: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = http.request(`${url}${path}`, { method, agent, headers }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, body: text, connection: res.headers.connection }));
      });
      req.on('error', reject);
      req.end(body);
    });

  beforeAll(async () => {
    buildIfStale();
    db = await new DataSource(dataSourceOptions(databaseUrl!, 3)).initialize();
  }, 240_000);

  afterAll(async () => {
    for (const s of open) s.close();
    agent.destroy();
    await app?.stop('SIGKILL');
    await db?.destroy();
  });

  it('refuses new work at once, finishes what is in flight, keeps every acked write and exits 0 within the deadline', async () => {
    app = await startAppProcess({ DATABASE_URL: databaseUrl!, SHUTDOWN_TIMEOUT_MS: '20000' });
    const { id: forumId } = await newForum(db);
    const { id: questionId } = await newQuestion(db, forumId);
    const email = `shutdown-${randomUUID()}@example.org`;
    const password = `pw-${randomUUID()}`;
    await insertAccount(db.manager, { email, password, displayName: 'Busy' });
    const cookie = await sessionCookie(app.url, { email, password });
    const headers = { cookie, 'content-type': 'application/json' };
    const post = (body: string) => send(app.url, 'POST', `/api/questions/${questionId}/replies`, headers, JSON.stringify({ body }));

    const follower = await connectSocket(app.url, { cookie, transports: ['websocket'] });
    open.push(follower);
    await follower.request('forum.subscribe', { forumId });
    // The busy client: request after request on one keep-alive connection.
    for (let i = 0; i < 5; i++) expect((await post(`warm-up ${i}`)).status).toBe(201);

    // Hold the next write in flight: a reply's insert needs a key-share lock on its question.
    const holder = db.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query('SELECT id FROM question WHERE id = $1 FOR UPDATE', [questionId]);
    const held = post('held in flight');
    const heldBySocket = follower.request('reply.create', { clientId: randomUUID(), questionId, body: 'held socket write' });
    await new Promise((r) => setTimeout(r, 300));

    const signalledAt = Date.now();
    const exited = app.exited();
    process.kill(app.pid, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 200));

    // Readiness is 503 while the held write is still in flight; liveness still answers.
    const ready = await fetch(`${app.url}/api/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'error', error: { shutdown: { status: 'down' } } });
    // New work is refused, over HTTP and over the socket.
    const refused = await fetch(`${app.url}/api/questions/${questionId}/replies`, { method: 'POST', headers, body: JSON.stringify({ body: 'too late' }) });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ code: 'shutting_down' });
    await expect(follower.request('forum.presence', { forumId })).resolves.toMatchObject({ error: { status: 503, code: 'shutting_down', retryAfterMs: expect.any(Number) } });

    await holder.commitTransaction();
    await holder.release();
    const heldAnswer = await held;
    expect(heldAnswer.status).toBe(201);
    const heldReply = JSON.parse(heldAnswer.body) as { id: string };
    const socketAnswer = (await heldBySocket) as { reply?: { id: string } };
    expect(socketAnswer.reply?.id).toEqual(expect.any(String));
    // The follower heard both writes, then was told to reconnect.
    await expect(follower.waitFor('server.shutdown', undefined, 5_000)).resolves.toEqual({ reconnect: true });
    const ids = follower.forumEvents(forumId).map((e) => (e.payload.reply as { id: string }).id);
    expect(ids).toEqual(expect.arrayContaining([heldReply.id, socketAnswer.reply!.id]));
    await expect(follower.disconnected(5_000)).resolves.toBe('transport close');

    await expect(exited).resolves.toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(20_000);
    // Every acked write is in the database, the refused one is not.
    const bodies = (await db.query(`SELECT body_source FROM reply WHERE question_id = $1`, [questionId])).map((r: { body_source: string }) => r.body_source);
    expect(bodies.sort()).toEqual(['held in flight', 'held socket write', 'warm-up 0', 'warm-up 1', 'warm-up 2', 'warm-up 3', 'warm-up 4']);
  }, 60_000);
});
