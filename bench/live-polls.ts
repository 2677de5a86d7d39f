/**
 * Live poll benchmark (issue #16), beside the Q&A one: N attendees (default
 * 1,000) follow one session's Q&A, each on its own socket, as guests; a
 * single-choice poll is launched and every attendee answers it once at a
 * random moment within W seconds (default 10). Measured: per answer and
 * screen, the time from sending it until that screen receives results
 * whose total reaches the answer's rank among the acknowledged answers
 * (answers only add: a result with that total includes as many answers as
 * had been acknowledged when this one was); per screen, the time from the
 * last acknowledgement until it holds the exact final result; and at the end
 * whether every screen and the database hold exactly the acknowledged
 * answers. Baseline in the same run: the bare Socket.IO server
 * (bench/fanout/bare-server.ts) with the same messages, the same coalescing
 * window and the same schedule.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:live-polls
 *   ... npm run bench:live-polls -- --quick      (200 attendees, no report)
 *
 * Knobs: BENCH_POLL_ATTENDEES (default 1000), BENCH_POLL_WINDOW_S (10),
 * QA_VOTE_BROADCAST_MS (the app's coalescing window, default 200; the bare
 * server gets the same). All sockets live in this process.
 */
import os from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Socket } from 'socket.io-client';
import { BenchRun } from './lib/bench-run.js';
import { requireServerUrl } from './lib/database.js';
import { bench, newAccounts, newApiTokens, newSession } from '../test/support/fixtures.js';
import { HttpError, joinAsGuests } from './lib/http.js';
import { describeMachine, machineLines } from './lib/machine.js';
import { commandLine, envInt, parseOptions } from './lib/options.js';
import { publishSection, table } from './lib/report.js';
import { connectAll, connected, openSocket, type Credential } from './lib/sockets.js';
import { ms, percentile, ratio, seededRandom } from './lib/stats.js';
import { now, sleep } from './lib/workers.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const BARE_JS = join(here, 'fanout', 'bare-server.js');
const OPTIONS = ['Bus', 'Bike', 'Walk', 'Car'];
const ACK_TIMEOUT_MS = 30_000;

interface Target {
  kind: 'bare' | 'agora';
  url: string;
  sessionId: number;
  pollId: number;
  attendees: Credential[];
}

interface Screen {
  socket: Socket;
  /** (arrival time, total, counts) of each results message for the poll, in arrival order; asOf to order them. */
  seen: { at: number; asOf: string; total: number; counts: number[] }[];
}

interface Sent {
  sentAt: number;
  ackAt: number;
  choice: number;
  error?: string;
}

interface CaseResult {
  kind: Target['kind'];
  notRun?: string;
  answersOk?: number;
  answerErrors?: number;
  firstError?: string;
  ackP50?: number;
  ackP99?: number;
  perScreenP50?: number;
  perScreenP99?: number;
  everyScreenP50?: number;
  everyScreenP99?: number;
  lastToExactP50?: number;
  lastToExactP99?: number;
  lastToExactMax?: number;
  screens?: number;
  screensExact?: number;
  dbExact?: boolean;
  messages?: number;
}

const sortedOf = (values: number[]) => values.filter(Number.isFinite).sort((a, b) => a - b);

async function runCase(target: Target, windowS: number, check: (expected: number[]) => Promise<boolean>): Promise<CaseResult> {
  const n = target.attendees.length;
  const screens: Screen[] = [];
  const connect = await connectAll(target.attendees, 50, 60_000 + n * 20, async (credential, deadline) => {
    const socket = openSocket(target.url, credential);
    const screen: Screen = { socket, seen: [] };
    socket.on('qa.poll_results', (m: { results: { pollId: number; asOf: string; total: number; options?: { count: number }[] }[] }) => {
      const at = now();
      for (const r of m.results) if (r.pollId === target.pollId) screen.seen.push({ at, asOf: r.asOf, total: r.total, counts: (r.options ?? []).map((o) => o.count) });
    });
    await connected(socket, deadline);
    const ack = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('qa.subscribe', { sessionId: target.sessionId });
    if (ack?.error) throw new Error(`qa.subscribe: ${JSON.stringify(ack.error)}`);
    screens.push(screen);
  }, () => screens.filter((s) => s.socket.connected).length);
  console.log(`${target.kind}: ${connect.connected}/${n} attendees connected and subscribed in ${(connect.ms / 1000).toFixed(1)} s`);
  try {
    if (connect.connected < n) return { kind: target.kind, notRun: `only ${connect.connected} of ${n} connected (${connect.firstError ?? 'timed out'})` };

    // Everyone answers once, at a random moment of the window.
    const rand = seededRandom(16);
    const start = now() + 1000;
    const sent: Sent[] = [];
    await Promise.all(screens.map(async (screen, i) => {
      const wait = start + rand() * windowS * 1000 - now();
      if (wait > 0) await sleep(wait);
      const choice = i % OPTIONS.length;
      const entry: Sent = { sentAt: now(), ackAt: NaN, choice };
      sent.push(entry);
      try {
        const ack = await screen.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('qa.poll.answer', { pollId: target.pollId, choices: [choice] });
        entry.ackAt = now();
        if (ack?.error) entry.error = JSON.stringify(ack.error).slice(0, 300);
      } catch (error) {
        entry.error = (error as Error).message;
      }
    }));
    const ok = sent.filter((s) => !s.error && Number.isFinite(s.ackAt)).sort((a, b) => a.ackAt - b.ackAt);
    const expected = OPTIONS.map((_, c) => ok.filter((s) => s.choice === c).length);
    const lastAck = ok.at(-1)?.ackAt ?? now();

    // Wait until every screen holds the exact result (the newest asOf wins), or 30 s.
    const latest = (s: Screen) => s.seen.reduce<Screen['seen'][number] | undefined>((best, x) => (!best || x.asOf >= best.asOf ? x : best), undefined);
    const exact = (s: Screen) => {
      const l = latest(s);
      return !!l && l.total === ok.length && l.counts.every((c, i) => c === expected[i]);
    };
    for (const deadline = Date.now() + 30_000; screens.some((s) => !exact(s)) && Date.now() < deadline; ) await sleep(100);

    // Per answer (rank r among the acks) and screen: sent → first results with total ≥ r.
    const perScreen: number[] = [];
    const everyScreen: number[] = [];
    const firstReaching = screens.map((s) => {
      // arrival time of the first message reaching each total (monotone fill)
      const byTotal = new Float64Array(ok.length + 1).fill(Infinity);
      for (const x of s.seen) for (let t = Math.min(x.total, ok.length); t >= 0 && byTotal[t] > x.at; t--) byTotal[t] = x.at;
      return byTotal;
    });
    ok.forEach((a, k) => {
      let worst = 0;
      for (const byTotal of firstReaching) {
        const d = byTotal[k + 1] - a.sentAt;
        perScreen.push(d);
        worst = Math.max(worst, d);
      }
      everyScreen.push(worst);
    });
    const lastToExact = screens.map((s) => {
      const final = s.seen.filter((x) => x.total === ok.length && x.counts.every((c, i) => c === expected[i]));
      return final.length ? final[0].at - lastAck : Infinity;
    });
    const acks = sortedOf(ok.map((a) => a.ackAt - a.sentAt));
    const ps = sortedOf(perScreen);
    const es = sortedOf(everyScreen);
    const le = sortedOf(lastToExact);
    return {
      kind: target.kind,
      answersOk: ok.length,
      answerErrors: sent.length - ok.length,
      firstError: sent.find((s) => s.error)?.error,
      ackP50: percentile(acks, 50),
      ackP99: percentile(acks, 99),
      perScreenP50: percentile(ps, 50),
      perScreenP99: percentile(ps, 99),
      everyScreenP50: percentile(es, 50),
      everyScreenP99: percentile(es, 99),
      lastToExactP50: percentile(le, 50),
      lastToExactP99: percentile(le, 99),
      lastToExactMax: le.at(-1),
      screens: screens.length,
      screensExact: screens.filter(exact).length,
      dbExact: await check(expected),
      messages: Math.max(...screens.map((s) => s.seen.length)),
    };
  } finally {
    for (const s of screens) s.socket.disconnect();
    await sleep(2000);
  }
}

async function main() {
  const opts = parseOptions();
  const attendees = opts.smoke ? 200 : envInt('BENCH_POLL_ATTENDEES', 1000);
  const windowS = envInt('BENCH_POLL_WINDOW_S', 10);
  const windowMs = envInt('QA_VOTE_BROADCAST_MS', 200);
  if (!existsSync(BARE_JS)) throw new Error(`${BARE_JS} is missing: run \`npm run bench:build\` (npm run bench:live-polls does).`);
  const serverUrl = requireServerUrl();
  delete process.env.REDIS_URL; // one instance, Socket.IO's in-memory adapter: the single-server path
  const run = new BenchRun('live-polls');
  try {
    const { pool } = await run.createDatabase(serverUrl);
    const setup = await pool.connect();
    const machine = await describeMachine(setup);
    const loadAtStart = os.loadavg().map((l) => l.toFixed(2)).join(', ');
    const { id: sessionId, slug } = await newSession(setup, bench.session('live-polls', 'live'));
    const [moderatorId] = await newAccounts(setup, 1, bench.accounts(`live-polls-${Date.now().toString(36)}`));
    const [token] = await newApiTokens(setup, [moderatorId], 'live polls benchmark');
    await setup.query(`INSERT INTO session_moderator (session_id, account_id) VALUES ($1, $2)`, [sessionId, moderatorId]);
    setup.release();

    const app = await run.startApp({ QA_VOTE_BROADCAST_MS: String(windowMs) });
    const api = async (method: string, path: string, body: object) => {
      const res = await fetch(`${app.url}/api${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      const text = await res.text();
      if (res.status >= 300) throw new HttpError(res.status, text, `${method} ${path}`);
      return JSON.parse(text) as { id: number };
    };
    await api('PATCH', `/sessions/${slug}/qa`, { state: 'open', allowGuests: true });
    const poll = await api('POST', `/sessions/${slug}/qa/polls`, { kind: 'single', prompt: 'How do you get to work?', options: OPTIONS });
    await api('POST', `/qa/polls/${poll.id}/act`, { action: 'launch' });
    const guests = await joinAsGuests(app.url, slug, attendees);
    console.log(`fixture: session ${sessionId}, poll ${poll.id} open; ${attendees} guests joined`);

    const { port: barePort } = await run.forkServer(BARE_JS, { BARE_VOTE_BROADCAST_MS: String(windowMs) });
    const results: CaseResult[] = [];
    const targets: Target[] = [
      { kind: 'bare', url: `http://127.0.0.1:${barePort}`, sessionId: 1, pollId: 1, attendees: guests.map(() => null) },
      { kind: 'agora', url: app.url, sessionId, pollId: poll.id, attendees: guests },
    ];
    for (const target of targets) {
      const check = async (expected: number[]) => {
        if (target.kind === 'bare') return true;
        const { rows } = await pool.query<{ c: number; n: number }>(
          `SELECT c, count(*)::int AS n FROM live_poll_answer a, unnest(a.choices) c WHERE a.poll_id = $1 GROUP BY c ORDER BY c`,
          [poll.id],
        );
        const stored = OPTIONS.map((_, i) => rows.find((r) => Number(r.c) === i)?.n ?? 0);
        return stored.every((n, i) => n === expected[i]);
      };
      try {
        results.push(await runCase(target, windowS, check));
      } catch (error) {
        results.push({ kind: target.kind, notRun: `failed: ${(error as Error).message.slice(0, 300)}` });
      }
      console.log(JSON.stringify(results.at(-1)));
    }
    publishSection('live-polls', report(results, { attendees, windowS, windowMs, loadAtStart, machine: machineLines(machine) }), opts.report);
  } finally {
    await run.release();
  }
}

function report(results: CaseResult[], o: { attendees: number; windowS: number; windowMs: number; loadAtStart: string; machine: string[] }): string {
  const bare = results.find((r) => r.kind === 'bare' && !r.notRun);
  const vs = (r: CaseResult, pick: (x: CaseResult) => number | undefined) => (r.kind === 'agora' && bare ? ratio(pick(r)!, pick(bare)!) : '');
  const rows = results.map((r) =>
    r.notRun
      ? [r.kind, `not run: ${r.notRun}`, '', '', '', '', '', '', '', '']
      : [
          r.kind === 'bare' ? 'bare Socket.IO' : 'Agora',
          `${r.answersOk}/${o.attendees}${r.answerErrors ? ` (${r.answerErrors} errors: ${r.firstError})` : ''}`,
          `${ms(r.ackP50!)} / ${ms(r.ackP99!)}`,
          `${ms(r.perScreenP50!)} / ${ms(r.perScreenP99!)}`,
          `${ms(r.everyScreenP50!)} / ${ms(r.everyScreenP99!)}`,
          vs(r, (x) => x.everyScreenP99),
          `${ms(r.lastToExactP50!)} / ${ms(r.lastToExactP99!)} / ${ms(r.lastToExactMax!)}`,
          `${r.screensExact}/${r.screens}`,
          r.kind === 'agora' ? (r.dbExact ? 'exact' : 'MISMATCH') : '–',
          String(r.messages),
        ],
  );
  return [
    '## Live polls: 1,000 attendees answering a poll within 10 s (`bench/live-polls.ts`)',
    '',
    `Command: \`${commandLine('bench:live-polls', ['BENCH_POLL_ATTENDEES', 'BENCH_POLL_WINDOW_S', 'QA_VOTE_BROADCAST_MS'])}\``,
    '',
    ...o.machine,
    `- Load average at start: ${o.loadAtStart}. **Shared, loaded machine**: four other engineers were building and testing on the same 2 cores, so absolute times are pessimistic; the ratio to the bare server in the same run is the figure to read.`,
    `- ${o.attendees} guests, each on its own socket (all in the driver process), answer one single-choice poll (4 options) once, at a seeded random moment within ${o.windowS} s. Results coalesced every ${o.windowMs} ms on both servers (\`QA_VOTE_BROADCAST_MS\`).`,
    '- Agora: the built app, one instance, no Redis, fresh database; answers over `qa.poll.answer`, results as `qa.poll_results`. Bare: bench/fanout/bare-server.ts, answers in memory, the same messages.',
    '- "answer → screen": per (answer, screen), sent until that screen got results whose total reaches the answer\'s rank among the acks; "every screen": per answer, the slowest screen. "last ack → exact": per screen, from the last acknowledged answer until it holds the exact final result.',
    '',
    table(
      ['Server', 'answers acked', 'ack p50 / p99 ms', 'answer → screen p50 / p99 ms', 'every screen p50 / p99 ms', 'p99 vs bare', 'last ack → exact p50 / p99 / max ms', 'screens exact', 'database', 'result messages per screen'],
      rows,
    ),
  ].join('\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
