import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { insertAccount } from '../src/auth/accounts.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { buildIfStale, startAppProcess, type AppProcess } from './support/app-process.js';
import { canRunPostgresCopy, startPostgresCopy, type ServiceCopy } from './support/services.js';
import { newForum, newQuestion } from './support/fixtures.js';
import { connectSocket, eventually, sessionCookie, type TestSocket } from './support/sockets.js';

/**
 * An instance on a PostgreSQL of the test's own, which the test stops (as
 * a crash would) and starts again: writes answer 503 `database_unavailable`
 * with Retry-After over HTTP and `retryAfterMs` over the socket, nothing is
 * written, readiness is 503 while liveness stays 200, and it all works again
 * once the database is back.
 */
const describeCopy = canRunPostgresCopy ? describe : describe.skip;

describeCopy('PostgreSQL stopped under an instance', () => {
  let pg: ServiceCopy;
  let app: AppProcess;
  let db: DataSource;
  const open: TestSocket[] = [];

  beforeAll(async () => {
    buildIfStale();
    pg = await startPostgresCopy();
    app = await startAppProcess({ DATABASE_URL: pg.url, REDIS_URL: '' });
    db = await new DataSource(dataSourceOptions(pg.url, 1)).initialize();
  }, 240_000);

  afterAll(async () => {
    for (const s of open) s.close();
    await app?.stop();
    await db?.destroy().catch(() => undefined);
    await pg?.remove();
  });

  it('answers 503 database_unavailable on both transports, writes nothing, and recovers', async () => {
    const { id: forumId } = await newForum(db);
    const { id: questionId } = await newQuestion(db, forumId);
    const email = `db-outage-${randomUUID()}@example.org`;
    const password = `pw-${randomUUID()}`;
    await insertAccount(db.manager, { email, password, displayName: 'Writer' });
    const cookie = await sessionCookie(app.url, { email, password });
    const socket = await connectSocket(app.url, { cookie });
    open.push(socket);
    await socket.request('forum.subscribe', { forumId });
    const post = (body: string) =>
      fetch(`${app.url}/api/questions/${questionId}/replies`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ body }) });

    await pg.stop('kill');
    const res = await post('during the outage');
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    // The request id is echoed (body and header) so a report can be matched to the logs.
    expect(await res.json()).toEqual({ statusCode: 503, code: 'database_unavailable', message: expect.any(String), requestId: res.headers.get('x-request-id') });
    await expect(socket.request('reply.create', { clientId: randomUUID(), questionId, body: 'socket, during the outage' })).resolves.toEqual({
      error: { status: 503, code: 'database_unavailable', message: expect.any(String), retryAfterMs: expect.any(Number), requestId: expect.any(String) },
    });
    expect((await fetch(`${app.url}/api/health/ready`)).status).toBe(503);
    expect((await fetch(`${app.url}/api/health/live`)).status).toBe(200);
    expect(app.exitCode()).toBeUndefined();

    await pg.start();
    await eventually(async () => expect((await fetch(`${app.url}/api/health/ready`)).status).toBe(200), 20_000);
    expect((await post('after the outage')).status).toBe(201);
    await expect(socket.request('reply.create', { clientId: randomUUID(), questionId, body: 'socket, after the outage' })).resolves.toMatchObject({ reply: { id: expect.any(String) } });
    await db.destroy();
    db = await new DataSource(dataSourceOptions(pg.url, 1)).initialize();
    const bodies = (await db.query(`SELECT body_source FROM reply WHERE question_id = $1 ORDER BY body_source`, [questionId])).map((r: { body_source: string }) => r.body_source);
    expect(bodies).toEqual(['after the outage', 'socket, after the outage']);
  }, 120_000);
});
