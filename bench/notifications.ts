/**
 * Notifications benchmark: a forum with N watchers (default 10,000) and one
 * reply at a time. Measures, per reply: the reply's own write latency (HTTP)
 * in that forum and, in the same run, in a forum nobody watches; the time
 * until every watcher's notification is stored; for the connected watchers
 * (BENCH_SOCKETS of them), when `notifications.changed` reached them, beside
 * the plain `forum.events` fan-out of the same reply to the same sockets.
 * Then a daily digest run for the N members (each has the replies' notifications
 * waiting): time and mails per second into a local SMTP server (smtp-server).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:notifications
 *   ... BENCH_WATCHERS=1000 BENCH_SOCKETS=200 BENCH_REPLIES=5 npm run bench:notifications   (reduced scale)
 *   ... npm run bench:notifications -- --smoke   (tiny, no report)
 */
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { SMTPServer } from 'smtp-server';
import type { Socket } from 'socket.io-client';
import { startApp, type AppProcess } from './lib/app-process.js';
import { createBenchDatabase, requireServerUrl, type BenchDatabase } from './lib/database.js';
import { bench, newAccounts, newApiTokens, newForum, newQuestions } from '../test/support/fixtures.js';
import { describeMachine, machineLines } from './lib/machine.js';
import { commandLine, envInt, parseOptions } from './lib/options.js';
import { publishSection, table } from './lib/report.js';
import { connectAll, connected, openSocket } from './lib/sockets.js';
import { ms, summarise } from './lib/stats.js';

async function startSmtp(): Promise<{ port: number; count: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => (received++, callback()));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.server.address() as AddressInfo).port, count: () => received, close: () => new Promise((r) => server.close(() => r())) };
}

async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function main() {
  const opts = parseOptions();
  const watchers = envInt('BENCH_WATCHERS', opts.smoke ? 200 : 10_000);
  const socketCount = Math.min(watchers, envInt('BENCH_SOCKETS', opts.smoke ? 50 : 1_000));
  const replies = envInt('BENCH_REPLIES', opts.smoke ? 2 : 10);
  const serverUrl = requireServerUrl();

  let db: BenchDatabase | undefined;
  let pool: pg.Pool | undefined;
  let app: AppProcess | undefined;
  let boss: PgBoss | undefined;
  const smtp = await startSmtp();
  const sockets: Socket[] = [];
  try {
    db = await createBenchDatabase(serverUrl);
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
    const machine = await describeMachine(pool as unknown as pg.ClientBase);
    const client = await pool.connect();
    let watched: { forumId: number; questionId: number };
    let quiet: { forumId: number; questionId: number };
    let authorToken: string;
    let watcherTokens: string[];
    try {
      const a = await newForum(client, bench.forum('watched'));
      const b = await newForum(client, bench.forum('quiet'));
      watched = { forumId: a.id, questionId: (await newQuestions(client, a.id, ['A question 10,000 people watch'], { counterShards: true }))[0] };
      quiet = { forumId: b.id, questionId: (await newQuestions(client, b.id, ['A question nobody watches'], { counterShards: true }))[0] };
      const [author] = await newAccounts(client, 1, bench.accounts('author'));
      [authorToken] = await newApiTokens(client, [author], 'bench');
      const ids = await newAccounts(client, watchers, bench.accounts('watcher'));
      await client.query(`INSERT INTO following (account_id, forum_id, level) SELECT unnest($1::uuid[]), $2, 'watching'`, [ids, watched.forumId]);
      // Daily digest, so replies queue no per-reply mails: the digest run below is the mail part.
      await client.query(
        `INSERT INTO mail_preference (account_id, frequency, unsubscribe_token) SELECT id, 'daily', md5(id::text || random()::text) FROM unnest($1::uuid[]) AS id`,
        [ids],
      );
      watcherTokens = await newApiTokens(client, ids.slice(0, socketCount), 'bench');
    } finally {
      client.release();
    }
    app = await startApp(db.url, { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, LOG_LEVEL: 'warn' });
    const url = app.url;

    // The connected watchers: each subscribes to both forums' live events (the plain fan-out to compare with).
    const arrivals = { notification: new Map<string, number[]>(), event: new Map<string, number[]>() };
    const connect = await connectAll(watcherTokens, 50, 120_000, async (token, deadline) => {
      const s = openSocket(url, { token });
      sockets.push(s);
      await connected(s, deadline);
      s.on('notifications.changed', (m: { notification?: { replyId?: string } }) => {
        const id = m.notification?.replyId;
        if (id) arrivals.notification.set(id, [...(arrivals.notification.get(id) ?? []), performance.now()]);
      });
      s.on('forum.events', (m: { events: { type: string; payload: { reply?: { id: string } } }[] }) => {
        for (const e of m.events) {
          const id = e.type === 'reply.created' ? e.payload.reply?.id : undefined;
          if (id) arrivals.event.set(id, [...(arrivals.event.get(id) ?? []), performance.now()]);
        }
      });
      // Both forums, so the baseline reply has the same live fan-out: the only difference is the watchers.
      for (const forumId of [watched.forumId, quiet.forumId]) {
        const ack = await s.timeout(30_000).emitWithAck('forum.subscribe', { forumId });
        if (ack?.error) throw new Error(JSON.stringify(ack.error));
      }
    }, () => sockets.filter((s) => s.connected).length);
    console.log(`sockets: ${connect.connected} connected, ${connect.failed} failed in ${connect.ms} ms`);

    const post = async (questionId: number, i: number): Promise<{ id: string; ms: number; at: number }> => {
      const at = performance.now();
      const res = await fetch(`${url}/api/questions/${questionId}/replies`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${authorToken}` },
        body: JSON.stringify({ body: `Reply ${i}: in our city the open data portal started with transport timetables.` }),
      });
      if (res.status !== 201) throw new Error(`reply got ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as { id: string };
      return { id: body.id, ms: performance.now() - at, at };
    };

    const writeWith: number[] = [];
    const writeWithout: number[] = [];
    const stored: number[] = [];
    const notifyP99: number[] = [];
    const eventP99: number[] = [];
    const notifyMedian: number[] = [];
    const eventMedian: number[] = [];
    for (let i = 0; i < replies; i++) {
      const q = await post(quiet.questionId, i);
      writeWithout.push(q.ms);
      // The baseline reply's fan-out is over before the measured one starts.
      await waitUntil(() => (arrivals.event.get(q.id)?.length ?? 0) >= connect.connected, 60_000, 'the baseline reply at every socket');
      const r = await post(watched.questionId, i);
      writeWith.push(r.ms);
      await waitUntil(async () => Number((await pool!.query(`SELECT count(*) FROM notification WHERE reply_id = $1`, [r.id])).rows[0].count) >= watchers, 300_000, 'every notification stored');
      stored.push(performance.now() - r.at);
      await waitUntil(() => (arrivals.notification.get(r.id)?.length ?? 0) >= connect.connected && (arrivals.event.get(r.id)?.length ?? 0) >= connect.connected, 60_000, 'every connected watcher told');
      const n = summarise(arrivals.notification.get(r.id)!.map((t) => t - r.at));
      const e = summarise(arrivals.event.get(r.id)!.map((t) => t - r.at));
      notifyP99.push(n.p99);
      eventP99.push(e.p99);
      notifyMedian.push(n.median);
      eventMedian.push(e.median);
      console.log(`reply ${i + 1}/${replies}: write ${ms(r.ms)} ms, all ${watchers} stored at ${ms(stored.at(-1)!)} ms, sockets p99 ${ms(n.p99)} (fan-out ${ms(e.p99)})`);
    }
    for (const s of sockets) s.close();

    // Digest for every watcher: one mail each with the replies' notifications.
    boss = new PgBoss({ connectionString: db.url, schema: 'pgboss', migrate: false, supervise: false, schedule: false, max: 1 });
    await boss.start();
    const before = smtp.count();
    const digestAt = performance.now();
    await boss.send('mail-digest-daily', {});
    await waitUntil(() => smtp.count() - before >= watchers, 1_800_000, 'every digest mail');
    const digestMs = performance.now() - digestAt;

    const w = summarise(writeWith);
    const wo = summarise(writeWithout);
    const st = summarise(stored);
    const rows = [
      ['reply write (HTTP), forum with watchers', ms(w.median), ms(w.p99)],
      ['reply write (HTTP), forum without watchers (baseline)', ms(wo.median), ms(wo.p99)],
      [`every one of ${watchers.toLocaleString('en')} notifications stored (from the POST)`, ms(st.median), ms(st.p99)],
      [`notifications.changed at ${connect.connected} sockets: p99 per reply`, ms(summarise(notifyP99).median), ms(summarise(notifyP99).p99)],
      [`plain forum.events fan-out to the same sockets: p99 per reply`, ms(summarise(eventP99).median), ms(summarise(eventP99).p99)],
      [`notifications.changed: median per reply`, ms(summarise(notifyMedian).median), ms(summarise(notifyMedian).p99)],
      [`forum.events: median per reply`, ms(summarise(eventMedian).median), ms(summarise(eventMedian).p99)],
    ];
    const markdown = [
      '## Notifications: a forum with many watchers, and a digest run',
      '',
      `Command: \`${commandLine('bench:notifications', ['BENCH_WATCHERS', 'BENCH_SOCKETS', 'BENCH_REPLIES'])}\``,
      '',
      ...machineLines(machine),
      '- Run on a shared machine, loaded by other engineers\' builds and tests at the same time: absolute times are pessimistic; the ratios within one run are the point.',
      '',
      `${watchers.toLocaleString('en')} watchers, ${connect.connected} of them connected (subscribed to both forums' live events); ${replies} replies into the watched thread, each after one into a thread nobody watches (the baseline, same run, same live fan-out). Medians and p99 over the ${replies} replies, in ms.`,
      '',
      table(['measure', 'median', 'p99'], rows, ['l', 'r', 'r']),
      '',
      `Write latency with watchers / without: ${(w.median / wo.median).toFixed(2)}× (goal: within 10%; notifications are made after commit, outside the reply's transaction).`,
      '',
      `Daily digest for ${watchers.toLocaleString('en')} members (${replies} notifications each) into a local SMTP server: ${(digestMs / 1000).toFixed(1)} s, ${(watchers / (digestMs / 1000)).toFixed(0)} mails/s.`,
    ].join('\n');
    publishSection('notifications', markdown, opts.report);
  } finally {
    for (const s of sockets) s.close();
    await boss?.stop({ graceful: false }).catch(() => undefined);
    await app?.stop().catch((e) => console.error('stopping the app:', e));
    await pool?.end().catch(() => undefined);
    await db?.drop().catch((e) => console.error('dropping the bench database:', e));
    await smtp.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
