/**
 * Reply writes benchmark: replies/s through the HTTP API against a raw-SQL
 * loop doing the same database work in the same run, at concurrency 1 and 32;
 * spread over many questions, then all into one hot thread, where a single
 * per-thread counter row (instead of the 16 shards) shows why counts are sharded.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:writes
 *   ... npm run bench:writes -- --smoke      (2 s per case, no report)
 *
 * Knobs: BENCH_DURATION_S (default 10 s per case), BENCH_CONCURRENCY (default 1,32),
 * BENCH_QUESTIONS (spread over this many questions, default 64), BENCH_BREAKDOWN=1 (also where
 * the milliseconds of one reply go, from the HTTP case at c=1 spread: see lib/breakdown-preload.ts).
 */
import pg from 'pg';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { MarkdownService, sanitizeRenderedHtml } from '../src/discussions/markdown.service.js';
import { detectLanguage } from '../src/discussions/reply-language.js';
import MarkdownIt from 'markdown-it';
import { startApp, type AppProcess } from './lib/app-process.js';
import { createBenchDatabase, requireServerUrl, type BenchDatabase } from './lib/database.js';
import { bench, COUNTER_SHARDS, newAccounts, newForum, newQuestions, pathSegment, replyBody } from '../test/support/fixtures.js';
import { HttpError, signUp } from './lib/http.js';
import { describeMachine, machineLines } from './lib/machine.js';
import { commandLine, envInt, envIntList, parseOptions } from './lib/options.js';
import { table, writeSection } from './lib/report.js';
import { ms, seededRandom, summarise, type Summary } from './lib/stats.js';
import type { Totals as PreloadTotals } from './lib/breakdown-preload.js';

const ACCOUNTS = 32;
/** Share of replies that answer an earlier reply (the rest answer the question). */
const NESTED_SHARE = 0.3;
/** A worker stops after this many replies in one case, whatever the clock says (a bound on every loop). */
const MAX_OPS_PER_WORKER = 1_000_000;
const WARMUP_OPS_PER_WORKER = 3;

type Route = 'http' | 'raw';
type Target = 'spread' | 'hot';
/**
 * sharded: 16 counter shards per thread (the schema's design); single: one counter row per thread;
 * events: 16 shards plus the forum event log's per-forum sequence row, bumped last in every write.
 */
type Counter = 'sharded' | 'single' | 'events';

interface Case {
  route: Route;
  concurrency: number;
  target: Target;
  counter: Counter;
}

interface Result extends Case {
  replies: number;
  errors: number;
  seconds: number;
  perSecond: number;
  latency: Summary;
  firstError?: string;
  /** Mean client-side ms per reply (the breakdown adds up means). */
  meanMs: number;
  server?: ServerTotals;
}

/** Server-side totals from lib/breakdown-preload.ts over one case. */
type ServerTotals = PreloadTotals;

interface Author {
  accountId: string;
  cookie: string;
}

interface Fixture {
  forumByQuestion: Map<number, number>;
  spread: number[];
  hot: number;
  authors: Author[];
  /** Recent reply ids per question, shared by all workers, to pick parents from. */
  recent: Map<number, { id: string; path: string; depth: number }[]>;
}

async function main() {
  const opts = parseOptions();
  const durationMs = envInt('BENCH_DURATION_S', opts.smoke ? 2 : 10) * 1000;
  const concurrencies = envIntList('BENCH_CONCURRENCY', [1, 32]);
  const questionCount = envInt('BENCH_QUESTIONS', 64);
  const serverUrl = requireServerUrl();

  let db: BenchDatabase | undefined;
  let pool: pg.Pool | undefined;
  let app: AppProcess | undefined;
  const cleanUp = async () => {
    await app?.stop().catch((e) => console.error('stopping the app:', e));
    await pool?.end().catch(() => undefined);
    await db?.drop().catch((e) => console.error(`dropping ${db?.name}:`, e));
    if (db) console.log(`database ${db.name} dropped`);
  };
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));

  try {
    db = await createBenchDatabase(serverUrl);
    pool = new pg.Pool({ connectionString: db.url, max: Math.max(...concurrencies) + 2 });
    const setup = await pool.connect();
    const machine = await describeMachine(setup);

    // Fixtures: public, open forums; questions spread over them; one hot question.
    const forumByQuestion = new Map<number, number>();
    const spread: number[] = [];
    const forums = 16;
    for (let f = 0; f < forums; f++) {
      const { id: forumId } = await newForum(setup, bench.forum(`writes-${f}`));
      const titles = Array.from({ length: Math.ceil(questionCount / forums) }, (_, i) => `Question ${f * 1000 + i}`);
      for (const q of await newQuestions(setup, forumId, titles, { counterShards: true })) {
        forumByQuestion.set(q, forumId);
        spread.push(q);
      }
    }
    const { id: hotForum } = await newForum(setup, bench.forum('writes-hot'));
    const [hot] = await newQuestions(setup, hotForum, ['The hot thread: everyone replies here at once'], { counterShards: true });
    forumByQuestion.set(hot, hotForum);
    spread.length = Math.min(spread.length, questionCount);

    const breakdown = process.env.BENCH_BREAKDOWN === '1';
    const preload = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), 'lib/breakdown-preload.js')).href;
    app = await startApp(db.url, breakdown ? { NODE_OPTIONS: `--import=${preload}` } : {});
    const poolSize = process.env.DB_POOL_SIZE || '10 (default)';

    // 32 people, each signed up through the API with their own cookie.
    let httpNote = '';
    const authors: Author[] = [];
    const stamp = Date.now().toString(36);
    try {
      for (let i = 0; i < ACCOUNTS; i++) {
        const email = `bench-${stamp}-${i}@example.org`;
        const cookie = await signUp(app.url, email, `bench-password-${i}-${stamp}`, `Bench writer ${i}`);
        const { rows } = await setup.query<{ id: string }>('SELECT id FROM account WHERE lower(email) = lower($1)', [email]);
        authors.push({ accountId: rows[0].id, cookie });
      }
      console.log(`signed up ${authors.length} accounts through the API`);
    } catch (error) {
      httpNote = `HTTP not measured: sign-up failed: ${(error as Error).message.slice(0, 200)}`;
      console.warn(`!! ${httpNote}`);
      authors.length = 0;
      for (const accountId of await newAccounts(setup, ACCOUNTS, bench.accounts(`writes-${stamp}`))) authors.push({ accountId, cookie: '' });
    }
    setup.release();

    const fixture: Fixture = { forumByQuestion, spread, hot, authors, recent: new Map() };

    // Probe the write route once before measuring anything.
    if (!httpNote) {
      try {
        await httpReply(app.url, fixture, authors[0], spread[0], seededRandom(1));
      } catch (error) {
        httpNote = `HTTP not measured: POST /api/questions/:id/replies failed: ${(error as Error).message.slice(0, 200)}`;
        console.warn(`!! ${httpNote}`);
      }
    }

    // The forum event log (live updates and replay), if the schema has it: a raw variant shows what its
    // per-forum sequence row costs a hot thread's writers.
    const eventLog = (await pool.query(`SELECT to_regclass('forum_event_seq') IS NOT NULL AS present`)).rows[0].present as boolean;

    const cases: Case[] = [];
    for (const target of ['spread', 'hot'] as const) {
      for (const concurrency of concurrencies) {
        cases.push({ route: 'raw', concurrency, target, counter: 'sharded' });
        if (!httpNote) cases.push({ route: 'http', concurrency, target, counter: 'sharded' });
        if (target === 'hot') cases.push({ route: 'raw', concurrency, target, counter: 'single' });
        if (target === 'hot' && eventLog) cases.push({ route: 'raw', concurrency, target, counter: 'events' });
      }
    }

    const results: Result[] = [];
    for (const c of cases) {
      await pool.query('CHECKPOINT').catch(() => undefined); // start each case without a pending checkpoint
      const r = await runCase(c, durationMs, fixture, pool, app.url, breakdown && c.route === 'http' && c.concurrency === 1 && c.target === 'spread');
      results.push(r);
      console.log(
        `${describe(c).padEnd(44)} ${String(r.replies).padStart(6)} replies in ${r.seconds.toFixed(1)} s = ` +
          `${r.perSecond.toFixed(0).padStart(5)}/s  p50 ${ms(r.latency.median)} ms  p99 ${ms(r.latency.p99)} ms` +
          (r.errors ? `  ERRORS ${r.errors}: ${r.firstError}` : ''),
      );
    }

    // Every thread's shards must add up to its replies, after all that concurrency.
    const check = await pool.query<{ question_id: number; replies: number; counted: number }>(
      `SELECT q.id AS question_id,
              (SELECT count(*) FROM reply r WHERE r.question_id = q.id)::int AS replies,
              (SELECT coalesce(sum(reply_count), 0) FROM thread_counter t WHERE t.question_id = q.id)::int AS counted
       FROM question q`,
    );
    const mismatched = check.rows.filter((r) => r.replies !== r.counted);
    const total = check.rows.reduce((n, r) => n + r.replies, 0);
    const counterNote = mismatched.length
      ? `Counter check FAILED: ${mismatched.length} thread(s) whose shards don't add up to their replies, e.g. question ${mismatched[0].question_id}: ${mismatched[0].counted} counted, ${mismatched[0].replies} rows.`
      : `Counter check: in all ${check.rows.length} threads the counter shards add up exactly to the reply rows (${total} replies written in this run).`;
    console.log(counterNote);

    await app.stop();
    app = undefined;

    const breakdownLines = breakdown ? replyBreakdown(results) : [];
    const markdown = report(results, durationMs, spread.length, forums, poolSize, counterNote, httpNote, machineLines(machine), breakdownLines);
    console.log(`\n${markdown}\n`);
    if (opts.report) console.log(`wrote ${writeSection('reply-writes', markdown)}`);
    else console.log('(smoke/no-report run: BENCHMARKS.md left alone)');
  } finally {
    await cleanUp();
  }
}

function describe(c: Case): string {
  return `${c.route === 'http' ? 'HTTP' : 'raw SQL'} c=${c.concurrency} ${c.target === 'hot' ? 'one hot thread' : 'spread'}` +
    (c.route === 'raw' ? `, ${COUNTER_LABEL[c.counter]}` : '');
}

const COUNTER_LABEL: Record<Counter, string> = {
  sharded: '16 counter shards',
  single: 'ONE counter row',
  events: '16 shards + forum event seq row',
};

/** The question and parent for the next reply: ~30% answer a recent reply in that thread. */
function pick(f: Fixture, c: Case, rand: () => number): { questionId: number; parent: { id: string; path: string; depth: number } | null } {
  const questionId = c.target === 'hot' ? f.hot : f.spread[Math.floor(rand() * f.spread.length)];
  const recent = f.recent.get(questionId);
  if (!recent?.length || rand() >= NESTED_SHARE) return { questionId, parent: null };
  return { questionId, parent: recent[recent.length - 1 - Math.floor(rand() ** 2 * recent.length)] };
}

function remember(f: Fixture, questionId: number, reply: { id: string; path: string; depth: number }) {
  if (reply.depth >= 25) return; // keep threads at a realistic depth
  let list = f.recent.get(questionId);
  if (!list) f.recent.set(questionId, (list = []));
  list.push(reply);
  if (list.length > 40) list.shift();
}

/** One reply through the API, as the signed-in author. */
async function httpReply(base: string, f: Fixture, author: Author, questionId: number, rand: () => number, parentId?: string): Promise<string> {
  const res = await fetch(`${base}/api/questions/${questionId}/replies`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: author.cookie },
    body: JSON.stringify(parentId ? { body: replyBody(rand).source, parentId } : { body: replyBody(rand).source }),
  });
  const text = await res.text();
  if (res.status !== 201 && res.status !== 200) throw new HttpError(res.status, text, `POST /api/questions/${questionId}/replies`);
  const body = JSON.parse(text) as { id?: string; reply?: { id?: string } };
  const id = body.id ?? body.reply?.id;
  if (!id) throw new Error(`reply created but no id in ${text.slice(0, 200)}`);
  return String(id);
}

/**
 * One reply in raw SQL: the database work of RepliesService.createReply in
 * one transaction: the parent (nested replies), the next id, then one
 * statement that inserts the row with its path, upserts one counter shard
 * (random, as the app does; or always shard 0 = the single counter row the
 * shards replace) and bumps the parent's child count. What the app does
 * besides (question state, forum access and implicit membership, markdown
 * rendering, JSON, HTTP) is what the HTTP/raw ratio shows.
 */
async function rawReply(
  db: pg.PoolClient, f: Fixture, author: Author, questionId: number, parent: { id: string } | null, counter: Counter, rand: () => number,
): Promise<{ id: string; path: string; depth: number }> {
  const body = replyBody(rand);
  const forumId = f.forumByQuestion.get(questionId);
  await db.query('BEGIN');
  try {
    let parentPath = '';
    let depth = 1;
    if (parent) {
      const p = await db.query<{ path: string; depth: number }>(
        `SELECT r.path, r.depth, r.question_id, r.state, a.display_name FROM reply r JOIN account a ON a.id = r.author_id WHERE r.id = $1`,
        [parent.id],
      );
      parentPath = p.rows[0].path;
      depth = p.rows[0].depth + 1;
    }
    const { rows } = await db.query<{ id: string }>(`SELECT nextval(pg_get_serial_sequence('reply', 'id'))::text AS id`);
    const id = rows[0].id;
    const path = parentPath + pathSegment(BigInt(id));
    const shard = counter === 'single' ? 0 : Math.floor(rand() * COUNTER_SHARDS);
    await db.query(
      `WITH inserted AS (
         INSERT INTO reply (id, question_id, forum_id, parent_id, path, depth, author_id, body_source, body_html)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         RETURNING *
       ), counted AS (
         INSERT INTO thread_counter (question_id, shard, forum_id, reply_count) VALUES ($2, $10, $3, 1)
         ON CONFLICT (question_id, shard) DO UPDATE SET reply_count = thread_counter.reply_count + 1
         RETURNING 1
       ), parent AS (
         UPDATE reply SET child_count = child_count + 1 WHERE id = $4 AND state <> 'deleted' RETURNING id
       )
       SELECT i.*, ($4::bigint IS NULL OR EXISTS (SELECT 1 FROM parent)) AS parent_ok FROM inserted i`,
      [id, questionId, forumId, parent?.id ?? null, path, depth, author.accountId, body.source, body.html, shard],
    );
    if (counter === 'events') {
      // As the ForumEvents migration describes: the forum's sequence row is bumped by the last statement
      // before commit, and the event (a reply-sized JSON payload) takes that number.
      const payload = JSON.stringify({ reply: { id, questionId, forumId, parentId: parent?.id ?? null, depth, bodyHtml: body.html } });
      await db.query(
        `WITH s AS (
           INSERT INTO forum_event_seq (forum_id, last_seq) VALUES ($1, 1)
           ON CONFLICT (forum_id) DO UPDATE SET last_seq = forum_event_seq.last_seq + 1 RETURNING last_seq
         )
         INSERT INTO forum_event (forum_id, seq, type, question_id, payload)
         SELECT $1, s.last_seq, 'reply.created', $2, $3::jsonb FROM s`,
        [forumId, questionId, payload],
      );
    }
    await db.query('COMMIT');
    return { id, path, depth };
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Runs `c.concurrency` workers for a fixed time (each also bounded by a count). */
async function runCase(c: Case, durationMs: number, f: Fixture, pool: pg.Pool, base: string, withServerTimes = false): Promise<Result> {
  const clients = c.route === 'raw' ? await Promise.all(Array.from({ length: c.concurrency }, () => pool.connect())) : [];
  const latencies: number[] = [];
  let replies = 0;
  let errors = 0;
  let firstError: string | undefined;
  try {
    const op = async (w: number, rand: () => number) => {
      const author = f.authors[w % f.authors.length];
      const { questionId, parent } = pick(f, c, rand);
      if (c.route === 'http') {
        const id = await httpReply(base, f, author, questionId, rand, parent?.id);
        remember(f, questionId, { id, path: '', depth: (parent?.depth ?? 0) + 1 });
      } else {
        remember(f, questionId, await rawReply(clients[w], f, author, questionId, parent, c.counter, rand));
      }
    };
    // Warm-up: open connections, fill caches; not counted.
    await Promise.all(Array.from({ length: c.concurrency }, async (_, w) => {
      const rand = seededRandom(w + 1000);
      for (let i = 0; i < WARMUP_OPS_PER_WORKER; i++) await op(w, rand);
    }));
    if (withServerTimes) await serverTotals(base); // from here on
    const started = process.hrtime.bigint();
    const end = Date.now() + durationMs;
    await Promise.all(Array.from({ length: c.concurrency }, async (_, w) => {
      const rand = seededRandom(w + 1);
      for (let i = 0; i < MAX_OPS_PER_WORKER && Date.now() < end; i++) {
        const t0 = process.hrtime.bigint();
        try {
          await op(w, rand);
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          replies++;
        } catch (error) {
          errors++;
          firstError ??= (error as Error).message.slice(0, 200);
          if (errors > 100 && errors > replies) throw new Error(`${describe(c)}: too many errors, first: ${firstError}`);
        }
      }
    }));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const server = withServerTimes ? await serverTotals(base) : undefined;
    const meanMs = latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length);
    return { ...c, replies, errors, seconds, perSecond: replies / seconds, latency: summarise(latencies), firstError, meanMs, server };
  } finally {
    for (const client of clients) client.release();
  }
}

/** The app's totals since the last call (and a reset), from the preload's endpoint. */
async function serverTotals(base: string): Promise<ServerTotals> {
  const res = await fetch(`${base}/__bench/breakdown`);
  if (res.status !== 200) throw new Error(`GET /__bench/breakdown answered ${res.status}: is the preload loaded?`);
  return (await res.json()) as ServerTotals;
}

/** Mean ms per call of `fn` over the bench's reply bodies (the same seeded texts the writers send). */
function timePerBody(fn: (source: string) => unknown): number {
  const rand = seededRandom(7);
  const bodies = Array.from({ length: 500 }, () => replyBody(rand).source);
  for (const b of bodies) fn(b); // warm-up
  const start = performance.now();
  for (let round = 0; round < 4; round++) for (const b of bodies) fn(b);
  return (performance.now() - start) / (bodies.length * 4);
}

/**
 * Where one reply's milliseconds go (HTTP, c=1, spread), as means so the parts add up:
 * SQL and JSON timed in the app (lib/breakdown-preload.ts); markdown, sanitising and
 * language detection timed here on the same bodies (pure functions); the rest is Nest,
 * Express, validation, auth and TypeORM's own JavaScript.
 */
function replyBreakdown(results: Result[]): string[] {
  const r = results.find((x) => x.route === 'http' && x.concurrency === 1 && x.target === 'spread' && x.server);
  if (!r?.server?.replies) return [];
  const s = r.server;
  const per = (v: number) => v / s.replies;
  const markdownIt = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });
  const md = timePerBody((b) => markdownIt.render(b));
  const rendered = new MarkdownService();
  const both = timePerBody((b) => rendered.render(b));
  const sanitise = timePerBody((b) => sanitizeRenderedHtml(markdownIt.render(b))) - md;
  const language = timePerBody((b) => detectLanguage(b));
  const server = per(s.serverMs);
  const rest = server - per(s.sqlMs) - both - language - per(s.jsonMs);
  const statements = Object.entries(s.statements).sort((a, b) => b[1] - a[1])
    .map(([sql, n]) => `  - ${(n / s.replies).toFixed(2)} × \`${sql.replace(/`/g, "'")}…\``);
  return [
    `### Where one reply's milliseconds go (HTTP, c=1, spread; means over ${s.replies} replies)`,
    '',
    table(['Part', 'ms per reply'], [
      ['client-side latency (fetch, mean)', ms(r.meanMs)],
      ['server: request in → response sent', ms(server)],
      [`  SQL: ${per(s.sqlCount).toFixed(1)} round trips awaited (pg, BEGIN/COMMIT included)`, ms(per(s.sqlMs))],
      [`  markdown-it + sanitize-html (${ms(md)} + ${ms(sanitise)})`, ms(both)],
      ['  language detection (tinyld, for the search index)', ms(language)],
      ['  JSON.stringify/parse (event payload round trip, response)', ms(per(s.jsonMs))],
      ['  the rest: Nest, Express, validation, auth, TypeORM JS, event loop', ms(rest)],
      ['HTTP client and loopback (client latency − server time)', ms(r.meanMs - server)],
      [`after the response: ${per(s.afterSqlCount).toFixed(1)} round trips (notifier, off the request)`, ms(per(s.afterSqlMs))],
    ], ['l', 'r']),
    '',
    'Round trips per reply, by statement:',
    '',
    ...statements,
  ];
}

function report(
  results: Result[], durationMs: number, questions: number, forums: number, poolSize: string, counterNote: string, httpNote: string, machine: string[],
  breakdown: string[] = [],
): string {
  const raw = (r: Result) => results.find((x) => x.route === 'raw' && x.counter === 'sharded' && x.target === r.target && x.concurrency === r.concurrency);
  const rows = results.map((r) => {
    let vs = '';
    if (r.route === 'http') vs = `${(r.perSecond / raw(r)!.perSecond).toFixed(2)} of raw`;
    else if (r.counter !== 'sharded') vs = `${(r.perSecond / raw(r)!.perSecond).toFixed(2)} of sharded`;
    return [
      r.target === 'hot' ? 'one hot thread' : `spread (${questions} threads in ${forums} forums)`,
      r.route === 'http' ? 'HTTP POST …/replies' : 'raw SQL',
      r.route === 'raw' ? ({ sharded: '16 shards', single: '1 row per thread', events: '16 shards + event seq row per forum' } as const)[r.counter] : '(the app\'s)',
      String(r.concurrency), String(r.replies), r.perSecond.toFixed(0), ms(r.latency.median), ms(r.latency.p99), String(r.errors), vs,
    ];
  });
  const hot32 = (route: Route, counter: Counter) =>
    results.find((r) => r.target === 'hot' && r.route === route && r.counter === counter && r.concurrency === Math.max(...results.map((x) => x.concurrency)));
  const sharded = hot32('raw', 'sharded');
  const single = hot32('raw', 'single');
  const httpHot = hot32('http', 'sharded');
  const withEvents = hot32('raw', 'events');
  const maxC = Math.max(...results.map((x) => x.concurrency));
  return [
    '## Reply writes (`bench/reply-writes.ts`)',
    '',
    `Command: \`${commandLine('bench:writes', ['BENCH_DURATION_S', 'BENCH_CONCURRENCY', 'BENCH_QUESTIONS', 'BENCH_BREAKDOWN'])}\``,
    '',
    ...machine,
    `- Each case runs for ${durationMs / 1000} s after a warm-up of ${WARMUP_OPS_PER_WORKER} replies per worker; "c" workers each write ` +
      `one reply after another (closed loop). ${Math.round(NESTED_SHARE * 100)}% of replies answer a recent reply in the thread, the rest the question.`,
    `- HTTP: ${ACCOUNTS} accounts signed up through \`POST /api/auth/sign-up\`, each worker posting with its own \`agora_session\` ` +
      `cookie, through Node fetch with kept-alive loopback connections; the app is \`node dist/src/main.js\` with DB_POOL_SIZE ${poolSize}. ` +
      'The benchmark client, the app and PostgreSQL share the same cores.',
    '- Raw SQL: one `pg` connection per worker, one transaction per reply with the database work of the app\'s reply write: ' +
      'the parent row (nested replies), `nextval`, then one statement that inserts the reply with its path, upserts one ' +
      'counter shard (`INSERT … ON CONFLICT (question_id, shard) DO UPDATE SET reply_count = reply_count + 1`, shard chosen at random ' +
      'as the app does) and bumps the parent\'s `child_count`. "1 row per thread" puts every reply of a thread on shard 0, i.e. the ' +
      'single counter row the shards replace. "+ event seq row per forum" also appends the reply to the forum event log the way ' +
      'the ForumEvents migration describes (bump the forum\'s `forum_event_seq` row as the last statement, insert the event): ' +
      'that row is held until commit, so it shows what a per-forum sequence costs a hot forum\'s writers. The app does more per reply (question state, forum access and implicit membership, ' +
      'markdown rendering and sanitising, JSON, HTTP): that is what the HTTP/raw ratio shows.',
    '- Latency columns are per reply (ms), medians and p99 over every reply of the case.',
    '',
    table(
      ['Threads', 'Route', 'Counter', 'c', 'replies', 'replies/s', 'p50 ms', 'p99 ms', 'errors', 'ratio'],
      rows, ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    ),
    '',
    counterNote,
    '',
    sharded && single
      ? `Hot thread at c=${maxC}, raw SQL: ${sharded.perSecond.toFixed(0)} replies/s with 16 counter shards against ${single.perSecond.toFixed(0)}/s ` +
        `when every writer updates one counter row (${(sharded.perSecond / single.perSecond).toFixed(1)}x).` +
        (withEvents ? ` Adding the per-forum event sequence row: ${withEvents.perSecond.toFixed(0)}/s.` : '') +
        (httpHot ? ` Through the API the hot thread takes ${httpHot.perSecond.toFixed(0)} replies/s.` : '')
      : '',
    httpNote ? `\n${httpNote}` : '',
    ...(breakdown.length ? ['', ...breakdown] : []),
  ].join('\n');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
