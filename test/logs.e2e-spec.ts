import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { insertAccount } from '../src/auth/accounts.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { buildIfStale, startAppProcess, type AppProcess } from './support/app-process.js';
import { newForum, newQuestion } from './support/fixtures.js';
import { sessionCookie } from './support/sockets.js';

/** The built app's logs at the default level: JSON lines, a request id per request, no secrets or bodies, no line per route. */
const databaseUrl = process.env.DATABASE_URL;
const describeProcess = databaseUrl ? describe : describe.skip;

describeProcess('logs', () => {
  let app: AppProcess;
  let db: DataSource;

  beforeAll(async () => {
    buildIfStale();
    app = await startAppProcess({ DATABASE_URL: databaseUrl!, REDIS_URL: '', LOG_LEVEL: 'log' });
    db = await new DataSource(dataSourceOptions(databaseUrl!, 1)).initialize();
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    await db?.destroy();
  });

  it('are JSON with a request id per request, and carry no cookie, password or body', async () => {
    const { id: forumId } = await newForum(db);
    const { id: questionId } = await newQuestion(db, forumId);
    const email = `logs-${randomUUID()}@example.org`;
    const password = `pw-${randomUUID()}`;
    await insertAccount(db.manager, { email, password, displayName: 'Logged' });
    const cookie = await sessionCookie(app.url, { email, password });
    const body = `secret body ${randomUUID()}`;
    const res = await fetch(`${app.url}/api/questions/${questionId}/replies?token=query-secret`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', 'x-request-id': 'trace-42' },
      body: JSON.stringify({ body }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe('trace-42');
    const generated = await fetch(`${app.url}/api/sessions`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    // The access line is written when the response finishes: wait for it.
    const deadline = Date.now() + 5_000;
    while (!app.output().includes('trace-42') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const lines = app.output().split('\n').filter(Boolean);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const access = parsed.find((l) => l.requestId === 'trace-42');
    expect(access).toMatchObject({ level: 30, req: { method: 'POST', path: `/api/questions/${questionId}/replies` }, res: { statusCode: 201 } });
    const all = lines.join('\n');
    for (const secret of [cookie.split('=')[1], password, body, 'query-secret']) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/Mapped \{|dependencies initialized/);
  });
});
