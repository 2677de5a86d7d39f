import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/app.js';
import { addMember, newForum, newQuestion } from './support/fixtures.js';
import { createAccount, signIn } from './support/people.js';
import { connectSocket, sessionCookie, type TestSocket } from './support/sockets.js';
import { postReply } from './support/threads.js';

/** GET /metrics: off without METRICS_TOKEN, behind it otherwise, with the metrics the README lists. */
describe('metrics', () => {
  const token = 'metrics-token-for-tests-0123456789';
  let t: TestApp;
  const open: TestSocket[] = [];

  beforeAll(async () => {
    process.env.METRICS_TOKEN = token;
    try {
      t = await startTestApp();
    } finally {
      delete process.env.METRICS_TOKEN;
    }
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await t.close();
  });

  const scrape = async () => {
    const res = await t.agent().get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    return res.text;
  };
  const value = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  it('refuses a scrape without the token', async () => {
    expect((await t.agent().get('/metrics')).status).toBe(401);
    expect((await t.agent().get('/metrics').set('Authorization', 'Bearer wrong-token-wrong-token-00')).status).toBe(401);
  });

  it('reports HTTP latency by route pattern, sockets, subscriptions, fan-out lag and the pool', async () => {
    const forum = await newForum(t);
    const { id: questionId } = await newQuestion(t, forum.id);
    const person = await createAccount(t);
    await addMember(t, forum.id, person.id);
    const agent = await signIn(t, person.email, person.password);
    const socket = await connectSocket(t.url, { cookie: await sessionCookie(t.url, person) });
    open.push(socket);
    await socket.request('forum.subscribe', { forumId: forum.id });
    await postReply(agent, questionId, 'Counted');
    await socket.waitForEvents(forum.id, 1);

    const text = await scrape();
    expect(text).toContain('agora_http_request_duration_seconds_count{method="POST",route="/api/questions/:id/replies",status="201"} 1');
    expect(text).not.toMatch(new RegExp(`route="[^"]*/${questionId}/`));
    expect(value(text, 'agora_sockets')).toBe(1);
    expect(value(text, 'agora_subscriptions{kind="forum"}')).toBe(1);
    expect(value(text, 'agora_fanout_lag_seconds_count{kind="forum"}')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'agora_db_pool_connections{state="in_use"}')).toBeGreaterThanOrEqual(0);
    expect(value(text, 'agora_db_pool_connections{state="waiting"}')).toBe(0);
    // The mail queue is declared at start; its depth is a number (0 or more), not absent.
    expect(value(text, 'agora_job_queue_depth{queue="mail-notify"}')).toBeGreaterThanOrEqual(0);
    for (const name of ['agora_events_filled_from_postgres_total', 'agora_deadlock_retries_total', 'agora_rate_limited_total', 'agora_process_cpu_seconds_total']) {
      expect(text).toContain(`# TYPE ${name}`);
    }
  });

  it('counts rate-limit refusals', async () => {
    const socket = await connectSocket(t.url);
    open.push(socket);
    const before = value(await scrape(), 'agora_rate_limited_total{transport="socket"}') ?? 0;
    // Subscribing is limited per socket (a burst of 30).
    const answers = await Promise.all(Array.from({ length: 40 }, () => socket.request('forum.subscribe', { forumId: 2_000_000_000 })));
    const refused = answers.filter((a: { error?: { code: string } }) => a.error?.code === 'rate_limited').length;
    expect(refused).toBeGreaterThan(0);
    expect(value(await scrape(), 'agora_rate_limited_total{transport="socket"}')).toBe(before + refused);
  });
});
