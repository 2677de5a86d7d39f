/**
 * Thread reading benchmark: pages of 50 replies in tree order from threads of
 * 1k, 10k and 100k replies, as the keyset SQL the app runs, as OFFSET SQL and
 * a recursive CTE (the baselines), and through the HTTP API with its cursor.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:threads
 *   ... npm run bench:threads -- --smoke      (small threads, few repetitions, no report)
 *
 * Knobs: BENCH_SIZES (default 1000,10000,100000; the first is the ratio base),
 * BENCH_SQL_REPS and BENCH_HTTP_REPS (default 200), BENCH_WARMUP (default 20).
 */
import pg from 'pg';
import { startApp, type AppProcess } from './lib/app-process.js';
import { createBenchDatabase, requireServerUrl, type BenchDatabase } from './lib/database.js';
import { bench, newAccounts, newForum, newQuestions, pathSegment, replyBody } from '../test/support/fixtures.js';
import { encodeTreeCursor } from '../src/discussions/thread-cursor.js';
import { HttpError, nextCursorOf, pageItems } from './lib/http.js';
import { describeMachine, machineLines } from './lib/machine.js';
import { commandLine, envInt, envIntList, parseOptions } from './lib/options.js';
import { table, writeSection } from './lib/report.js';
import { ms, ratio, seededRandom, summarise, timed, type Summary } from './lib/stats.js';

const PAGE = 50;
const MAX_DEPTH = 25;
/** Stop repeating a slow case after this long (OFFSET and CTE at 100k), keeping at least MIN_REPS samples. */
const CASE_BUDGET_MS = 30_000;
const MIN_REPS = 10;

// The page query the app runs for an anonymous reader (ThreadsService.treePage):
// pick the page's rows by path in a subquery, then join only those to their authors.
const COLUMNS = `r.id, r.question_id, r.forum_id, r.parent_id, r.path, r.depth, r.author_id, a.display_name AS author_name,
  r.body_source, r.body_html, r.state, r.vote_count, r.child_count, r.created_at, r.edited_at`;
const SHOWN = `r.state IN ('visible', 'deleted')`;
const KEYSET_SQL = `SELECT ${COLUMNS}
  FROM (SELECT * FROM reply r WHERE r.question_id = $1 AND r.path > $2 AND ${SHOWN} ORDER BY r.path LIMIT $3) r
  JOIN account a ON a.id = r.author_id
  ORDER BY r.path`;
// The baseline: the same page by position.
const OFFSET_SQL = `SELECT ${COLUMNS}
  FROM (SELECT * FROM reply r WHERE r.question_id = $1 AND ${SHOWN} ORDER BY r.path OFFSET $2 LIMIT $3) r
  JOIN account a ON a.id = r.author_id
  ORDER BY r.path`;
// The adjacency-list way, without the path column: walk the tree from the
// first-level replies, sort by the chain of ids, take the first page.
const CTE_SQL = `WITH RECURSIVE t AS (
    SELECT r.id, ARRAY[r.id] AS sort_key FROM reply r WHERE r.question_id = $1 AND r.parent_id IS NULL AND ${SHOWN}
    UNION ALL
    SELECT c.id, t.sort_key || c.id FROM reply c JOIN t ON c.parent_id = t.id WHERE c.state IN ('visible', 'deleted')
  )
  SELECT ${COLUMNS} FROM t JOIN reply r ON r.id = t.id JOIN account a ON a.id = r.author_id
  ORDER BY t.sort_key LIMIT $2`;

interface Thread {
  size: number;
  questionId: number;
  meanDepth: number;
  maxDepth: number;
  firstLevel: number;
}

interface PageCase {
  thread: Thread;
  page: 'first' | 'middle' | 'last';
  offset: number;
  /** The path the keyset query starts after ('' for the first page). */
  after: string;
  expectedIds: string[];
  /** Path of the page's last reply: what the next page's cursor wraps. */
  lastPath: string;
}

interface Row {
  size: number;
  page: string;
  method: string;
  summary: Summary;
  base: 'sql' | 'http';
}

const label = (n: number) => (n % 1000 === 0 ? `${n / 1000}k` : String(n));

async function main() {
  const opts = parseOptions();
  const sizes = opts.smoke ? envIntList('BENCH_SIZES', [1000, 5000]) : envIntList('BENCH_SIZES', [1000, 10_000, 100_000]);
  const sqlReps = envInt('BENCH_SQL_REPS', opts.smoke ? 30 : 200);
  const httpReps = envInt('BENCH_HTTP_REPS', opts.smoke ? 30 : 200);
  const warmup = envInt('BENCH_WARMUP', opts.smoke ? 5 : 20);
  if (sizes.some((n) => n % PAGE !== 0 || n < 2 * PAGE)) {
    console.error(`BENCH_SIZES: every thread size must be a multiple of ${PAGE} and at least ${2 * PAGE} (got ${sizes.join(',')}).`);
    process.exit(2);
  }
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
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    const client = await pool.connect();
    const machine = await describeMachine(client);
    client.release();

    // 1. Build the threads in SQL.
    const setup = await pool.connect();
    const { id: forumId } = await newForum(setup, bench.forum('threads'));
    const authors = await newAccounts(setup, 200, bench.accounts('threads'));
    const questionIds = await newQuestions(setup, forumId, sizes.map((n) => `A thread of ${n} replies`), { counterShards: true });
    const threads: Thread[] = [];
    for (const [i, size] of sizes.entries()) {
      const started = Date.now();
      threads.push(await buildThread(setup, forumId, questionIds[i], authors, size));
      const t = threads[threads.length - 1];
      console.log(
        `built thread of ${size} replies in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
          `(first level ${((t.firstLevel / size) * 100).toFixed(0)}%, mean depth ${t.meanDepth.toFixed(2)}, max depth ${t.maxDepth})`,
      );
    }
    await setup.query('VACUUM ANALYZE reply');
    await setup.query('VACUUM ANALYZE thread_counter');
    setup.release();

    // 2. The pages to read: first, middle and last page of 50, with their expected contents.
    const cases: PageCase[] = [];
    for (const thread of threads) {
      const middle = Math.floor(thread.size / 2 / PAGE) * PAGE;
      for (const [page, offset] of [['first', 0], ['middle', middle], ['last', thread.size - PAGE]] as const) {
        const after = offset === 0 ? '' : (await pool.query<{ path: string }>(
          'SELECT path FROM reply WHERE question_id = $1 ORDER BY path OFFSET $2 LIMIT 1', [thread.questionId, offset - 1],
        )).rows[0].path;
        const pageRows = (await pool.query<{ id: string; path: string }>(OFFSET_SQL, [thread.questionId, offset, PAGE])).rows;
        cases.push({ thread, page, offset, after, expectedIds: pageRows.map((r) => String(r.id)), lastPath: pageRows[pageRows.length - 1].path });
      }
    }

    // 3. SQL: keyset (the app's query), OFFSET (baseline), recursive CTE (baseline, first pages).
    const rows: Row[] = [];
    const sql = await pool.connect();
    try {
      for (const c of cases) {
        const keyset = await sql.query(KEYSET_SQL, [c.thread.questionId, c.after, PAGE + 1]);
        assertSameIds(`keyset ${label(c.thread.size)} ${c.page}`, keyset.rows.slice(0, PAGE).map((r) => String(r.id)), c.expectedIds);
      }
      // Keyset pages are cheap: measured in interleaved rounds, so drift in the machine hits every case alike.
      const keysetSummaries = await repeatInterleaved(
        cases.map((c) => `sql keyset   ${label(c.thread.size)} ${c.page}`), sqlReps, warmup,
        cases.map((c) => () => sql.query(KEYSET_SQL, [c.thread.questionId, c.after, PAGE + 1])),
      );
      cases.forEach((c, i) =>
        rows.push({ size: c.thread.size, page: c.page, method: 'SQL keyset (the app\'s query)', summary: keysetSummaries[i], base: 'sql' }),
      );
      for (const c of cases) {
        const s = await repeat(`sql offset   ${label(c.thread.size)} ${c.page}`, sqlReps, warmup, () =>
          sql.query(OFFSET_SQL, [c.thread.questionId, c.offset, PAGE]),
        );
        rows.push({ size: c.thread.size, page: c.page, method: 'SQL OFFSET (baseline)', summary: s, base: 'sql' });
      }
      for (const c of cases.filter((x) => x.page === 'first')) {
        const cte = await sql.query(CTE_SQL, [c.thread.questionId, PAGE]);
        assertSameIds(`recursive CTE ${label(c.thread.size)} first`, cte.rows.map((r) => String(r.id)), c.expectedIds);
        const s = await repeat(`sql cte      ${label(c.thread.size)} first`, sqlReps, Math.min(warmup, 3), () =>
          sql.query(CTE_SQL, [c.thread.questionId, PAGE]),
        );
        rows.push({ size: c.thread.size, page: 'first', method: 'SQL recursive CTE (baseline)', summary: s, base: 'sql' });
      }
    } finally {
      sql.release();
    }
    const largest = cases.filter((c) => c.thread.size === Math.max(...sizes) && c.page === 'last')[0];
    const plan = (await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${KEYSET_SQL}`, [largest.thread.questionId, largest.after, PAGE + 1]))
      .rows.map((r) => r['QUERY PLAN']);

    // 4. HTTP, through the API's cursor.
    app = await startApp(db.url);
    let httpNote = '';
    const probe = await fetch(`${app.url}/api/questions/${cases[0].thread.questionId}/replies?order=tree&limit=${PAGE}`);
    const probeText = await probe.text();
    if (probe.status !== 200) {
      httpNote = `HTTP not measured: GET /api/questions/:id/replies answered ${probe.status} ${probeText.slice(0, 200)}`;
      console.warn(`!! ${httpNote}`);
    } else {
      const cursors = await resolveCursors(app.url, cases);
      const urls = cases.map((c) => pageUrl(app!.url, c.thread.questionId, cursors.get(c)));
      for (const [i, c] of cases.entries()) {
        const body = JSON.parse(await getText(urls[i]));
        assertSameIds(`HTTP ${label(c.thread.size)} ${c.page}`, pageItems(body).map((r) => String(r.id)), c.expectedIds);
      }
      const httpSummaries = await repeatInterleaved(
        cases.map((c) => `http cursor  ${label(c.thread.size)} ${c.page}`), httpReps, warmup,
        urls.map((url) => () => getText(url)),
      );
      cases.forEach((c, i) =>
        rows.push({ size: c.thread.size, page: c.page, method: 'HTTP GET …/replies?order=tree&cursor=', summary: httpSummaries[i], base: 'http' }),
      );
    }
    await app.stop();
    app = undefined;

    // 5. Report.
    const markdown = report(rows, threads, sizes, sqlReps, httpReps, warmup, plan, httpNote, machineLines(machine));
    console.log(`\n${markdown}\n`);
    if (opts.report) console.log(`wrote ${writeSection('thread-read', markdown)}`);
    else console.log('(smoke/no-report run: BENCHMARKS.md left alone)');
  } finally {
    await cleanUp();
  }
}

/** Builds one thread of `size` replies with a realistic mix of depths, in multi-row inserts. */
async function buildThread(db: pg.ClientBase, forumId: number, questionId: number, authors: string[], size: number): Promise<Thread> {
  const rand = seededRandom(size * 7919 + questionId);
  const { rows } = await db.query<{ id: string }>(
    `SELECT nextval(pg_get_serial_sequence('reply', 'id'))::text AS id FROM generate_series(1, $1::int)`, [size],
  );
  const ids = rows.map((r) => BigInt(r.id));
  const parent = new Int32Array(size);
  const depth = new Int16Array(size);
  const children = new Int32Array(size);
  const paths: string[] = new Array(size);
  for (let i = 0; i < size; i++) {
    // ~30% answer the question itself; the rest reply to an earlier reply, mostly a recent one.
    if (i === 0 || rand() < 0.3) {
      parent[i] = -1;
      depth[i] = 1;
      paths[i] = pathSegment(ids[i]);
      continue;
    }
    let p = rand() < 0.75 ? i - 1 - Math.floor(rand() ** 2 * Math.min(i, 40)) : Math.floor(rand() * i);
    while (depth[p] >= MAX_DEPTH) p = parent[p];
    parent[i] = p;
    depth[i] = depth[p] + 1;
    children[p]++;
    paths[i] = paths[p] + pathSegment(ids[i]);
  }

  const start = Date.now() - size * 20_000;
  const CHUNK = 5000;
  await db.query('BEGIN');
  for (let from = 0; from < size; from += CHUNK) {
    const to = Math.min(size, from + CHUNK);
    const col = {
      id: [] as string[], parent: [] as (string | null)[], path: [] as string[], depth: [] as number[], author: [] as string[],
      source: [] as string[], html: [] as string[], state: [] as string[], votes: [] as number[], children: [] as number[],
      created: [] as string[], deleted: [] as (string | null)[],
    };
    for (let i = from; i < to; i++) {
      const body = replyBody(rand);
      const deleted = rand() < 0.01;
      const created = new Date(start + i * 20_000);
      col.id.push(ids[i].toString());
      col.parent.push(parent[i] < 0 ? null : ids[parent[i]].toString());
      col.path.push(paths[i]);
      col.depth.push(depth[i]);
      col.author.push(authors[Math.floor(rand() * authors.length)]);
      col.source.push(body.source);
      col.html.push(body.html);
      col.state.push(deleted ? 'deleted' : 'visible');
      col.votes.push(Math.floor(-Math.log(1 - rand()) * 1.5));
      col.children.push(children[i]);
      col.created.push(created.toISOString());
      col.deleted.push(deleted ? new Date(created.getTime() + 3_600_000).toISOString() : null);
    }
    await db.query(
      `INSERT INTO reply (id, question_id, forum_id, parent_id, path, depth, author_id, body_source, body_html,
                          state, vote_count, child_count, created_at, deleted_at)
       SELECT u.id, $1, $2, u.parent_id, u.path, u.depth, u.author_id, u.src, u.html, u.state, u.votes, u.children, u.created_at, u.deleted_at
       FROM unnest($3::bigint[], $4::bigint[], $5::text[], $6::smallint[], $7::uuid[], $8::text[], $9::text[], $10::text[],
                   $11::int[], $12::int[], $13::timestamptz[], $14::timestamptz[])
         AS u(id, parent_id, path, depth, author_id, src, html, state, votes, children, created_at, deleted_at)`,
      [questionId, forumId, col.id, col.parent, col.path, col.depth, col.author, col.source, col.html, col.state,
        col.votes, col.children, col.created, col.deleted],
    );
  }
  // The sharded reply count, as the write path keeps it: the shards sum to the thread's size.
  await db.query(
    `UPDATE thread_counter t SET reply_count = c.n
     FROM (SELECT s AS shard, count(r.id)::int AS n
           FROM generate_series(0, 15) AS s LEFT JOIN reply r ON r.question_id = $1 AND r.id % 16 = s GROUP BY s) c
     WHERE t.question_id = $1 AND t.shard = c.shard`,
    [questionId],
  );
  await db.query('COMMIT');
  const total = (await db.query<{ n: number }>('SELECT sum(reply_count)::int AS n FROM thread_counter WHERE question_id = $1', [questionId])).rows[0].n;
  if (total !== size) throw new Error(`thread ${questionId}: counters sum to ${total}, expected ${size}`);

  let depthSum = 0;
  let maxDepth = 0;
  let firstLevel = 0;
  for (const d of depth) {
    depthSum += d;
    maxDepth = Math.max(maxDepth, d);
    if (d === 1) firstLevel++;
  }
  return { size, questionId, meanDepth: depthSum / size, maxDepth, firstLevel };
}

/** Warm up, then repeat `reps` times (fewer if the case runs past its time budget). */
async function repeat(name: string, reps: number, warmup: number, fn: () => Promise<unknown>): Promise<Summary> {
  const started = Date.now();
  for (let i = 0; i < warmup && (i < 1 || Date.now() - started < CASE_BUDGET_MS / 4); i++) await fn();
  const samples: number[] = [];
  const measuring = Date.now();
  for (let i = 0; i < reps; i++) {
    samples.push(await timed(fn));
    if (samples.length >= MIN_REPS && Date.now() - measuring > CASE_BUDGET_MS) break;
  }
  const s = summarise(samples);
  console.log(`${name.padEnd(28)} n=${String(s.n).padStart(3)}  median ${ms(s.median).padStart(7)} ms  p99 ${ms(s.p99).padStart(7)} ms`);
  return s;
}

/** Warm up every case, then run rounds of one call per case, `reps` rounds. */
async function repeatInterleaved(names: string[], reps: number, warmup: number, fns: (() => Promise<unknown>)[]): Promise<Summary[]> {
  for (let i = 0; i < warmup; i++) for (const fn of fns) await fn();
  const samples: number[][] = fns.map(() => []);
  for (let i = 0; i < reps; i++) {
    for (const [k, fn] of fns.entries()) samples[k].push(await timed(fn));
  }
  return samples.map((x, k) => {
    const s = summarise(x);
    console.log(`${names[k].padEnd(28)} n=${String(s.n).padStart(3)}  median ${ms(s.median).padStart(7)} ms  p99 ${ms(s.p99).padStart(7)} ms`);
    return s;
  });
}

function assertSameIds(what: string, actual: string[], expected: string[]) {
  if (actual.length !== expected.length || actual.some((id, i) => id !== expected[i])) {
    throw new Error(`${what}: page differs from the tree order (got ${actual.slice(0, 5).join(',')}…, expected ${expected.slice(0, 5).join(',')}…)`);
  }
}

function pageUrl(base: string, questionId: number, cursor: string | undefined): string {
  const next = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
  return `${base}/api/questions/${questionId}/replies?order=tree&limit=${PAGE}${next}`;
}

async function getText(url: string): Promise<string> {
  const res = await fetch(url);
  const text = await res.text();
  if (res.status !== 200) throw new HttpError(res.status, text, `GET ${url}`);
  return text;
}

/**
 * The API's cursor for each page. The cursor is opaque to clients; we build
 * cursors with the server's own encoder only after checking that the API
 * hands out exactly that as nextCursor for the first page; otherwise we walk
 * each thread with the API's own cursors to reach the page (slower, same result).
 */
async function resolveCursors(base: string, cases: PageCase[]): Promise<Map<PageCase, string | undefined>> {
  const result = new Map<PageCase, string | undefined>();
  const first = cases.find((c) => c.page === 'first')!;
  const firstBody = JSON.parse(await getText(pageUrl(base, first.thread.questionId, undefined)));
  const apiCursor = nextCursorOf(firstBody);
  if (apiCursor === encodeTreeCursor(first.lastPath)) {
    for (const c of cases) result.set(c, c.after ? encodeTreeCursor(c.after) : undefined);
    console.log(`cursor check: nextCursor ${apiCursor} matches the server's encoding of the path; building page cursors directly`);
    return result;
  }
  console.warn(`cursor check: API nextCursor ${apiCursor} is not the server's encoding of the path; walking the threads with the API's cursors`);
  for (const c of cases) {
    if (c.offset % PAGE !== 0) throw new Error(`cannot walk to offset ${c.offset}: thread sizes must be multiples of ${PAGE}`);
    let cursor: string | undefined;
    for (let seen = 0; seen < c.offset; seen += PAGE) {
      const body = JSON.parse(await getText(pageUrl(base, c.thread.questionId, cursor)));
      cursor = nextCursorOf(body) ?? undefined;
      if (!cursor) throw new Error(`ran out of pages in thread ${c.thread.questionId} at ${seen}`);
    }
    result.set(c, cursor);
  }
  return result;
}

function report(
  rows: Row[], threads: Thread[], sizes: number[], sqlReps: number, httpReps: number, warmup: number,
  plan: string[], httpNote: string, machine: string[],
): string {
  const baseSize = sizes[0];
  const baseOf = (kind: 'sql' | 'http') =>
    rows.find((r) => r.size === baseSize && r.page === 'first' && (kind === 'sql' ? r.method.startsWith('SQL keyset') : r.base === 'http'))?.summary.median ?? Number.NaN;
  const sqlBase = baseOf('sql');
  const httpBase = baseOf('http');
  const body = rows.map((r) => [
    label(r.size), r.page, r.method, String(r.summary.n), ms(r.summary.median), ms(r.summary.p99),
    ratio(r.summary.median, r.base === 'sql' ? sqlBase : httpBase),
  ]);

  const largest = Math.max(...sizes);
  const keysetLargest = rows.filter((r) => r.size === largest && r.method.startsWith('SQL keyset'));
  const worstKeyset = Math.max(...keysetLargest.map((r) => r.summary.median));
  const httpRows = rows.filter((r) => r.base === 'http');
  const httpLargest = httpRows.filter((r) => r.size === largest);
  const worstHttpLargest = httpLargest.length ? Math.max(...httpLargest.map((r) => r.summary.median)) : Number.NaN;
  const worstHttp = httpRows.length ? Math.max(...httpRows.map((r) => r.summary.median)) : Number.NaN;
  const verdict = (ok: boolean) => (ok ? '**met**' : '**not met**');

  return [
    '## Thread reading (`bench/thread-read.ts`)',
    '',
    `Command: \`${commandLine('bench:threads', ['BENCH_SIZES', 'BENCH_SQL_REPS', 'BENCH_HTTP_REPS', 'BENCH_WARMUP'])}\``,
    '',
    ...machine,
    `- Threads built in SQL (${threads.map((t) => `${label(t.size)}: ${Math.round((t.firstLevel / t.size) * 100)}% first level, mean depth ${t.meanDepth.toFixed(1)}, max ${t.maxDepth}`).join('; ')}), ` +
      'replies to earlier replies biased towards recent ones, depth capped at 25, 1% deleted; all threads in one `reply` table, then `VACUUM ANALYZE`.',
    `- Each case: ${warmup} warm-up runs, then ${sqlReps} (SQL) / ${httpReps} (HTTP) timed runs, one at a time on one connection. ` +
      'Keyset and HTTP cases are measured in interleaved rounds (one run of each case per round), so drift in the machine hits them alike; ' +
      `OFFSET and CTE cases run one after another, and a slow one stops after ${CASE_BUDGET_MS / 1000} s with at least ${MIN_REPS} runs (n says how many). Pages of ${PAGE}; ` +
      '"middle" starts at reply size/2, "last" holds the final 50. Every variant was checked to return the same replies in the same order.',
    '- SQL keyset: the page query the app runs for an anonymous reader (`ThreadsService.treePage`: the page\'s rows by ' +
      '`question_id = $1 AND path > $2 … ORDER BY path LIMIT 51` in a subquery, then joined to their authors), run directly ' +
      'over `pg`; SQL OFFSET: the same with `OFFSET n LIMIT 50` instead of the cursor; recursive CTE: the tree walked from ' +
      'the first-level replies by `parent_id`, sorted by the chain of ids (first pages only). All three are shown below.',
    `- Ratio: median over the median of the first page of the ${label(baseSize)} thread in this run, by the same route ` +
      '(SQL rows against the keyset SQL, HTTP rows against HTTP).',
    '- HTTP: anonymous `GET /api/questions/:id/replies?order=tree&limit=50&cursor=<cursor>` on a public forum, over a kept-alive ' +
      'loopback connection (Node fetch), time to the full body; the app runs as `node dist/src/main.js` with its default pool.',
    '',
    table(['Thread', 'Page', 'Route', 'n', 'median ms', 'p99 ms', 'ratio'], body, ['l', 'l', 'l', 'r', 'r', 'r', 'r']),
    '',
    '**Goals**',
    '',
    `- Any page of the ${label(largest)} thread within 2x of the first page of the ${label(baseSize)} thread (keyset SQL): ` +
      `slowest ${label(largest)} page median ${ms(worstKeyset)} ms = ${ratio(worstKeyset, sqlBase)} → ${verdict(worstKeyset <= 2 * sqlBase)}.`,
    httpRows.length
      ? `- Same through HTTP: slowest ${label(largest)} page median ${ms(worstHttpLargest)} ms = ${ratio(worstHttpLargest, httpBase)} of the ${label(baseSize)} first page → ${verdict(worstHttpLargest <= 2 * httpBase)}.\n` +
        `- HTTP p50 under 5 ms on every page: slowest median ${ms(worstHttp)} ms → ${verdict(worstHttp < 5)}.`
      : `- ${httpNote}`,
    '',
    `<details><summary>The queries, and the plan of the keyset query for the last page of the ${label(largest)} thread</summary>`,
    '',
    '```sql',
    `-- keyset (the app's page query)\n${KEYSET_SQL};\n\n-- OFFSET baseline\n${OFFSET_SQL};\n\n-- recursive CTE baseline\n${CTE_SQL};`,
    '```',
    '',
    '```',
    ...plan,
    '```',
    '',
    '</details>',
  ].join('\n');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});

