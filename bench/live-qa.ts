/**
 * Live Q&A benchmark (issue #6): N attendees (default 1,000) follow one
 * session's Q&A, each on its own socket; for D seconds (default 60) the
 * attendees send 50 votes per second, askers send one question per second
 * and a moderator highlights a question every second. Measured, per change
 * and screen: vote → a `qa.votes` count that includes it, highlight → the
 * `question.highlighted` event, question → the `question.asked` event; and
 * at the end whether every screen and the database hold the exact counts.
 * Baseline in the same run: a bare Socket.IO server (bench/fanout/bare-server.ts)
 * with the same messages, the same coalescing window and the same load.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:live-qa
 *   ... npm run bench:live-qa -- --quick      (200 attendees, 10 s, no report)
 *
 * The attendees' sockets live in BENCH_RECEIVER_PROCS receiver processes
 * (bench/live-qa/receiver.ts), which also send the votes at the times this
 * process plans; the askers' and the moderator's sockets are here. Every
 * time is taken on the same machine clock (performance.timeOrigin +
 * performance.now()) in every process.
 *
 * Knobs: BENCH_QA_ATTENDEES (default 1000), BENCH_DURATION_S (60),
 * BENCH_QA_VOTES_PER_S (50), BENCH_RECEIVER_PROCS (2), QA_VOTE_BROADCAST_MS
 * (the app's coalescing window, default 200; the bare server gets the same).
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Socket } from 'socket.io-client';
import { BenchRun } from './lib/bench-run.js';
import { requireServerUrl } from './lib/database.js';
import { bench, newAccounts, newApiTokens, newSession } from '../test/support/fixtures.js';
import { HttpError, joinAsGuests } from './lib/http.js';
import { describeMachine, machineLines } from './lib/machine.js';
import { commandLine, envInt, parseOptions } from './lib/options.js';
import { publishSection, table } from './lib/report.js';
import { ms, percentile, ratio, seededRandom } from './lib/stats.js';
import { connected, openSocket, type Credential } from './lib/sockets.js';
import { cpuSeconds, now, openFileLimit, sleep, split, WorkerProcess } from './lib/workers.js';
import { memoryOf } from './lib/probe.js';
import type {
  ConnectResult, Deliveries, PlannedVote, QaReceiverCommand, QaReceiverResults, ScreensResult, SentVote, TimedAct, TimedVote,
} from './live-qa/protocol.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const RECEIVER_JS = join(here, 'live-qa', 'receiver.js');
const BARE_JS = join(here, 'fanout', 'bare-server.js');
const PROBE_JS = join(here, 'fanout', 'memory-probe.js');

/** Questions asked before the schedule starts, so the first votes and highlights have somewhere to go. */
const SEED_QUESTIONS = 5;
/** Seconds the full schedule runs before the measured window (JIT, pools, caches). */
const WARMUP_S = 3;
/** A signed-in attendee may ask QA_ASKS_PER_WINDOW (10) questions per 10 minutes: each asker asks at most this many. */
const ASKS_PER_ASKER = 8;
/** Votes go to one of the newest questions the voter has not voted for yet (recent questions draw the votes). */
const HOT_QUESTIONS = 10;
const CONNECT_CONCURRENCY = 50;
const ACK_TIMEOUT_MS = 30_000;

const QUESTION_TEXTS = [
  'How did you convince the smaller municipalities to share one data platform instead of buying their own?',
  'What would you do differently if you started the open data portal again today?',
  'How do you measure whether older residents actually use the new digital services?',
  'Which procurement clauses protected you when the first vendor went out of business?',
  'Is the algorithm register legally binding, or a voluntary commitment of the council?',
  'How much of the budget goes to maintenance after the pilot ends?',
  'Could the concept note be translated into Spanish and Portuguese for our teams?',
  'How do you handle privacy impact assessments for sensors in public spaces?',
];

type ServerKind = 'bare' | 'agora';

interface Target {
  kind: ServerKind;
  pid: number;
  /** The memory probe's file in the server process (event-loop delay). */
  probeFile: string;
  url: string;
  sessionId: number;
  attendees: Credential[];
  askers: Credential[];
  moderator: Credential;
}

interface Load {
  attendees: number;
  votesPerSecond: number;
  durationS: number;
}

interface Summary {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

interface CaseResult {
  kind: ServerKind;
  notRun?: string;
  connected?: number;
  connectMs?: number;
  votesPlanned?: number;
  votesOk?: number;
  voteErrors?: number;
  firstVoteError?: string;
  voteAck?: Summary;
  /** Per (vote, screen), the certain rule; per vote, the last screen. */
  votes?: Summary;
  votesEvery?: Summary;
  votesByRank?: Summary;
  voteMissing?: number;
  highlights?: Summary;
  highlightsEvery?: Summary;
  highlightMissing?: number;
  highlightCount?: number;
  asks?: Summary;
  asksEvery?: Summary;
  askMissing?: number;
  askCount?: number;
  actErrors?: number;
  firstActError?: string;
  voteMessages?: number;
  voteMessageBytes?: number;
  /** Count read (`asOf`) → screen, per (broadcast, screen). */
  fromRead?: Summary;
  duplicates?: number;
  disconnects?: number;
  screens?: ScreensResult;
  /** Questions whose votes agree everywhere (bench's own ledger, and for Agora the vote rows and the counter shards). */
  questions?: number;
  questionsExact?: number;
  /** Acked votes per question: what every screen and the database should show at the end. */
  expected?: Map<number, number>;
  sqlMismatch?: string;
  serverCpu?: number;
  receiversCpu?: number;
  driverCpu?: number;
  /** The server process's event-loop delay over the last warm-up second and the measured window. */
  loopDelay?: { p50: number; p99: number; max: number };
}

/** A receiver process (bench/live-qa/receiver.ts). */
class Receiver extends WorkerProcess<QaReceiverCommand> {
  constructor() {
    super(RECEIVER_JS);
  }
}

function summary(values: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(values).sort();
  const finite = Array.from(sorted.filter((v) => Number.isFinite(v)));
  return { n: sorted.length, p50: percentile(finite, 50), p99: percentile(finite, 99), max: finite[finite.length - 1] ?? Number.NaN };
}

/** Every process's deliveries of one kind, merged: per delivery, and per change the last screen of all (NaN: some screen never saw it). */
function merge(parts: Deliveries[]): { all: Summary; every: Summary; missing: number } {
  const total = parts.reduce((n, p) => n + p.latencies.length, 0);
  const all = new Float64Array(total);
  let o = 0;
  for (const p of parts) {
    all.set(p.latencies, o);
    o += p.latencies.length;
  }
  const changes = parts[0]?.last.length ?? 0;
  const every = new Float64Array(changes);
  for (let i = 0; i < changes; i++) every[i] = Math.max(...parts.map((p) => p.last[i])); // NaN wins: not on every screen
  return { all: summary(all), every: summary(every), missing: parts.reduce((n, p) => n + p.missing, 0) };
}

function emitWithAck(socket: Socket, event: string, body: object): Promise<Record<string, unknown>> {
  return socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, body).then((ack: Record<string, unknown>) => {
    if (ack?.error) throw new Error(`${event}: ${JSON.stringify(ack.error).slice(0, 300)}`);
    return ack;
  });
}

async function openSockets(url: string, credentials: Credential[]): Promise<Socket[]> {
  return Promise.all(credentials.map(async (credential) => {
    const socket = openSocket(url, credential);
    await connected(socket, Date.now() + 30_000);
    return socket;
  }));
}

// ---- one case: the whole schedule against one server -----------------------------

async function runCase(target: Target, receivers: Receiver[], load: Load): Promise<CaseResult> {
  const base: CaseResult = { kind: target.kind };
  const label = `${target.kind.padEnd(5)} ${load.attendees} attendees`;
  const fdLimit = openFileLimit();
  if (Math.ceil(load.attendees / receivers.length) + 256 > fdLimit) {
    return { ...base, notRun: `the open-file limit is ${fdLimit} (\`ulimit -n\`): too low for ${load.attendees} sockets` };
  }
  const lists = split(target.attendees.map((credential, i) => ({ credential, i })), receivers.length);
  const where = new Map<number, { p: number; local: number }>();
  lists.forEach((list, p) => list.forEach(({ i }, local) => where.set(i, { p, local })));
  const connectTimeout = 60_000 + load.attendees * 20;
  const connects = await Promise.all(receivers.map((r, p) =>
    r.request<ConnectResult>({
      cmd: 'connect', url: target.url, credentials: lists[p].map((x) => x.credential), sessionId: target.sessionId,
      concurrency: CONNECT_CONCURRENCY, timeoutMs: connectTimeout,
    }, connectTimeout + 30_000),
  ));
  const connectedCount = connects.reduce((n, c) => n + c.connected, 0);
  const connectMs = Math.max(...connects.map((c) => c.ms));
  console.log(`${label}: ${connectedCount}/${load.attendees} connected and subscribed in ${(connectMs / 1000).toFixed(1)} s`);
  if (connectedCount < load.attendees) {
    const why = connects.find((c) => c.firstError)?.firstError ?? 'timed out';
    await Promise.all(receivers.map((r) => r.request({ cmd: 'close' }, 60_000)));
    return { ...base, connected: connectedCount, connectMs, notRun: `only ${connectedCount} of ${load.attendees} attendees connected and subscribed (${why})` };
  }
  const moderator = (await openSockets(target.url, [target.moderator]))[0];
  const askers = await openSockets(target.url, target.askers);
  const mainSockets = [moderator, ...askers];
  try {
    return await schedule(target, receivers, load, where, moderator, askers, { ...base, connected: connectedCount, connectMs });
  } finally {
    for (const s of mainSockets) s.disconnect();
    await Promise.all(receivers.map((r) => r.request({ cmd: 'close' }, 60_000)));
    await sleep(2000); // the server lets the closed sockets go
  }
}

async function schedule(
  target: Target, receivers: Receiver[], load: Load, where: Map<number, { p: number; local: number }>,
  moderator: Socket, askers: Socket[], base: CaseResult,
): Promise<CaseResult> {
  const label = `${target.kind.padEnd(5)} ${load.attendees} attendees`;
  const rand = seededRandom(6);
  let asked = 0;
  const questionIds: number[] = [];
  const ask = async (): Promise<{ questionId: number; sentAt: number }> => {
    const k = asked++;
    const body = `${QUESTION_TEXTS[k % QUESTION_TEXTS.length]} (#${k + 1})`;
    const sentAt = now();
    const ack = await emitWithAck(askers[Math.floor(k / ASKS_PER_ASKER)], 'qa.ask', { sessionId: target.sessionId, body, anonymous: k % 3 === 0 });
    const questionId = Number((ack.question as { id: number }).id);
    questionIds.push(questionId);
    return { questionId, sentAt };
  };
  for (let i = 0; i < SEED_QUESTIONS; i++) await ask();
  await sleep(500);

  // Voters take turns in a shuffled order; nobody votes twice for a question, so every vote counts.
  const order = Array.from({ length: load.attendees }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const votedFor = new Set<string>();
  let cursor = 0;
  let voteId = 0;
  const planned = new Map<number, { timed: boolean }>();
  const pickQuestion = (voter: number): number | null => {
    const open = (ids: number[]) => ids.filter((q) => !votedFor.has(`${voter}:${q}`));
    const hot = open(questionIds.slice(-HOT_QUESTIONS));
    const candidates = hot.length ? hot : open(questionIds);
    return candidates.length ? candidates[Math.floor(rand() * candidates.length)] : null;
  };

  const highlighted = new Set<number>();
  const acts: Promise<void>[] = [];
  const highlights: (TimedAct & { timed: boolean })[] = [];
  const asks: (TimedAct & { timed: boolean })[] = [];
  let actErrors = 0;
  let firstActError: string | undefined;
  const failed = (error: unknown) => {
    actErrors++;
    firstActError ??= (error as Error).message.slice(0, 300);
  };

  const seconds = WARMUP_S + load.durationS;
  const start = now() + 1500;
  const at = async (t: number) => {
    const wait = t - now();
    if (wait > 0) await sleep(wait);
  };
  let cpu0 = { server: 0, receivers: 0, driver: 0, at: 0, wall: 0 };
  const receiversCpu = () => receivers.reduce((n, r) => n + cpuSeconds(r.child.pid), 0);
  const driverCpu = () => (process.cpuUsage().user + process.cpuUsage().system) / 1e6;
  let probeStarted: Promise<unknown> = Promise.resolve();
  for (let s = 0; s < seconds; s++) {
    const second = start + s * 1000;
    const timed = s >= WARMUP_S;
    // This second's votes, handed to the receivers ~0.8 s ahead; each leaves at its own time.
    await at(second - 800);
    const batches: PlannedVote[][] = receivers.map(() => []);
    for (let j = 0; j < load.votesPerSecond; j++) {
      for (let tries = 0; tries < load.attendees; tries++) {
        const voter = order[cursor++ % order.length];
        const questionId = pickQuestion(voter);
        if (questionId === null) continue;
        votedFor.add(`${voter}:${questionId}`);
        const { p, local } = where.get(voter)!;
        const id = voteId++;
        planned.set(id, { timed });
        batches[p].push({ id, socket: local, questionId, at: second + ((j + 0.5) * 1000) / load.votesPerSecond });
        break;
      }
    }
    await Promise.all(receivers.map((r, p) => r.request<number>({ cmd: 'vote', votes: batches[p] }, 10_000)));
    await at(second);
    // Starts the server's event-loop delay histogram afresh (the probe's GC for this report lands in warm-up).
    if (s === WARMUP_S - 1) probeStarted = memoryOf(target.pid, target.probeFile);
    if (s === WARMUP_S) cpu0 = { server: cpuSeconds(target.pid), receivers: receiversCpu(), driver: driverCpu(), at: now(), wall: Date.now() };
    acts.push(ask().then((a) => void asks.push({ ...a, timed }), failed));
    await at(second + 500);
    const choices = questionIds.filter((q) => !highlighted.has(q));
    if (choices.length) {
      const questionId = choices[Math.floor(rand() * choices.length)];
      highlighted.add(questionId);
      const sentAt = now();
      acts.push(emitWithAck(moderator, 'qa.moderate', { questionId, action: 'highlight' }).then(() => void highlights.push({ questionId, sentAt, timed }), failed));
    }
  }
  await at(start + seconds * 1000);
  const cpuWindow = (now() - cpu0.at) / 1000;
  const cpu = {
    serverCpu: ((cpuSeconds(target.pid) - cpu0.server) / cpuWindow) * 100,
    receiversCpu: ((receiversCpu() - cpu0.receivers) / cpuWindow) * 100,
    driverCpu: ((driverCpu() - cpu0.driver) / cpuWindow) * 100,
  };
  await probeStarted;
  const { eventLoopDelay: loopDelay } = await memoryOf(target.pid, target.probeFile);
  await Promise.all(acts);

  // Every vote's ack, then what each vote must be matched against.
  let sent: SentVote[] = [];
  for (const deadline = Date.now() + ACK_TIMEOUT_MS + 5000; ;) {
    sent = (await Promise.all(receivers.map((r) => r.request<SentVote[]>({ cmd: 'sent' }, 30_000)))).flat();
    if ((sent.length === planned.size && sent.every((v) => !Number.isNaN(v.ackAt))) || Date.now() > deadline) break;
    await sleep(250);
  }
  const ok = sent.filter((v) => !v.error && v.asOf !== null && !Number.isNaN(v.ackAt));
  const errors = sent.filter((v) => v.error);
  const expected = new Map<number, number>(questionIds.map((q) => [q, 0]));
  const byQuestion = new Map<number, SentVote[]>();
  for (const v of ok) {
    expected.set(v.questionId, (expected.get(v.questionId) ?? 0) + 1);
    let list = byQuestion.get(v.questionId);
    if (!list) byQuestion.set(v.questionId, (list = []));
    list.push(v);
  }
  const timedVotes: TimedVote[] = [];
  for (const list of byQuestion.values()) {
    list.sort((a, b) => a.sentAt - b.sentAt);
    list.forEach((v, k) => {
      if (!planned.get(v.id)?.timed) return;
      // Votes sent before this one's ack: any count that reaches their number was read after this vote committed.
      const certainCount = list.filter((o) => o.sentAt < v.ackAt).length;
      timedVotes.push({ questionId: v.questionId, sentAt: v.sentAt, ackAsOf: v.asOf!, certainCount, rank: k + 1 });
    });
  }

  // Let the last broadcasts land: every screen should show exactly the counts the acks add up to.
  let screens: ScreensResult = { screens: 0, exact: 0 };
  for (const deadline = Date.now() + 15_000; ;) {
    const parts = await Promise.all(receivers.map((r) => r.request<ScreensResult>({ cmd: 'screens', expected }, 30_000)));
    screens = { screens: parts.reduce((n, p) => n + p.screens, 0), exact: parts.reduce((n, p) => n + p.exact, 0), firstMismatch: parts.find((p) => p.firstMismatch)?.firstMismatch };
    if (screens.exact === screens.screens || Date.now() > deadline) break;
    await sleep(250);
  }

  const results = await Promise.all(receivers.map((r) => r.request<QaReceiverResults>({
    cmd: 'results', votes: timedVotes, highlights: highlights.filter((h) => h.timed), asks: asks.filter((a) => a.timed), from: cpu0.wall,
  }, 120_000)));
  const votes = merge(results.map((r) => r.votes));
  const votesByRank = merge(results.map((r) => r.votesByRank));
  const hl = merge(results.map((r) => r.highlights));
  const ak = merge(results.map((r) => r.asks));
  const result: CaseResult = {
    ...base,
    votesPlanned: planned.size,
    votesOk: ok.length,
    voteErrors: errors.length + (planned.size - sent.length),
    firstVoteError: errors[0]?.error,
    voteAck: summary(ok.map((v) => v.ackAt - v.sentAt)),
    votes: votes.all,
    votesEvery: votes.every,
    votesByRank: votesByRank.all,
    voteMissing: votes.missing,
    highlights: hl.all,
    highlightsEvery: hl.every,
    highlightMissing: hl.missing,
    highlightCount: highlights.filter((h) => h.timed).length,
    asks: ak.all,
    asksEvery: ak.every,
    askMissing: ak.missing,
    askCount: asks.filter((a) => a.timed).length,
    actErrors,
    firstActError,
    voteMessages: Math.max(...results.map((r) => r.voteMessages)),
    voteMessageBytes: Math.max(...results.map((r) => r.voteMessageBytes)),
    fromRead: summary(Float64Array.from(results.flatMap((r) => Array.from(r.fromRead)))),
    duplicates: results.reduce((n, r) => n + r.duplicates, 0),
    disconnects: results.reduce((n, r) => n + r.disconnects, 0),
    screens,
    expected,
    ...cpu,
    loopDelay,
  };
  console.log(
    `${label}: ${result.votesOk}/${result.votesPlanned} votes ok (ack p50 ${ms(result.voteAck!.p50)} ms), ` +
      `vote → screen p50 ${ms(votes.all.p50)} p99 ${ms(votes.all.p99)} max ${ms(votes.all.max)} ms (every screen p99 ${ms(votes.every.p99)}; by rank p99 ${ms(votesByRank.all.p99)}), missing ${votes.missing}; ` +
      `highlight p50 ${ms(hl.all.p50)} p99 ${ms(hl.all.p99)} ms (${result.highlightCount}), missing ${hl.missing}; ` +
      `question p50 ${ms(ak.all.p50)} p99 ${ms(ak.all.p99)} ms, missing ${ak.missing}; ` +
      `screens exact ${screens.exact}/${screens.screens}; CPU server ${pct(cpu.serverCpu)}, receivers ${pct(cpu.receiversCpu)}, driver ${pct(cpu.driverCpu)}; ` +
      `server event-loop delay p99 ${ms(loopDelay?.p99 ?? Number.NaN)} max ${ms(loopDelay?.max ?? Number.NaN)} ms` +
      (result.voteErrors ? `; ${result.voteErrors} vote errors, first: ${result.firstVoteError}` : '') +
      (actErrors ? `; ${actErrors} ask/highlight errors, first: ${firstActError}` : '') +
      (screens.firstMismatch ? `; first mismatch: ${screens.firstMismatch}` : '') +
      `; count read → screen p50 ${ms(result.fromRead!.p50)} p99 ${ms(result.fromRead!.p99)} ms` +
      (result.duplicates ? `; ${result.duplicates} duplicate or out-of-order seq` : ''),
  );
  return result;
}

const pct = (value: number) => (Number.isFinite(value) ? `${value.toFixed(0)}%` : '–');

// ---- Agora's fixture and its exactness check ----------------------------------------

/** Per question: the bench's ledger of acked votes, the vote rows, and the sum of the counter shards. */
async function checkDatabase(pool: pg.Pool, sessionId: number, expected: Map<number, number>): Promise<{ exact: number; total: number; firstMismatch?: string }> {
  const { rows } = await pool.query<{ id: number; voters: string; counted: string }>(
    `SELECT q.id,
            (SELECT count(*) FROM live_question_vote v WHERE v.question_id = q.id) AS voters,
            COALESCE((SELECT sum(c.votes) FROM live_question_counter c WHERE c.question_id = q.id), 0) AS counted
       FROM live_question q WHERE q.session_id = $1 ORDER BY q.id`,
    [sessionId],
  );
  let exact = 0;
  let firstMismatch: string | undefined;
  for (const r of rows) {
    const want = expected.get(r.id) ?? 0;
    if (Number(r.voters) === want && Number(r.counted) === want) exact++;
    else firstMismatch ??= `question ${r.id}: ${want} acked votes, ${r.voters} vote rows, counters sum to ${r.counted}`;
  }
  if (rows.length !== expected.size) firstMismatch ??= `${rows.length} questions in the database, ${expected.size} asked`;
  return { exact, total: Math.max(rows.length, expected.size), firstMismatch };
}

// ---- main -------------------------------------------------------------------------

async function main() {
  const opts = parseOptions();
  const load: Load = {
    attendees: opts.smoke ? 200 : envInt('BENCH_QA_ATTENDEES', 1000),
    votesPerSecond: envInt('BENCH_QA_VOTES_PER_S', 50),
    durationS: envInt('BENCH_DURATION_S', opts.smoke ? 10 : 60),
  };
  const procs = envInt('BENCH_RECEIVER_PROCS', 2);
  const voteWindowMs = envInt('QA_VOTE_BROADCAST_MS', 200);
  const askerCount = Math.ceil((SEED_QUESTIONS + WARMUP_S + load.durationS) / ASKS_PER_ASKER);
  const serverUrl = requireServerUrl();
  for (const file of [RECEIVER_JS, BARE_JS, PROBE_JS]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run bench:build\` (npm run bench:live-qa does).`);
  }
  // One instance with Socket.IO's in-memory adapter: the single-server path.
  delete process.env.REDIS_URL;

  const run = new BenchRun('live-qa');
  const probeFiles = { app: run.probeFile('app'), bare: run.probeFile('bare') };
  let receivers: Receiver[] = [];
  const newReceivers = () => Array.from({ length: procs }, () => run.own(new Receiver()));

  try {
    const { pool } = await run.createDatabase(serverUrl);
    const setup = await pool.connect();
    const machine = await describeMachine(setup);
    const loadAtStart = os.loadavg().map((l) => l.toFixed(2)).join(', ');

    // A live session; its moderator and the askers are accounts with API tokens (SQL); the attendees join as guests over HTTP.
    const { id: sessionId, slug } = await newSession(setup, bench.session('live-qa', 'live'));
    const accountIds = await newAccounts(setup, 1 + askerCount, bench.accounts(`live-qa-${Date.now().toString(36)}`));
    const tokens = await newApiTokens(setup, accountIds, 'live Q&A benchmark');
    await setup.query(`INSERT INTO session_moderator (session_id, account_id) VALUES ($1, $2)`, [sessionId, accountIds[0]]);
    setup.release();

    const app = await run.startApp({
      QA_VOTE_BROADCAST_MS: String(voteWindowMs), NODE_OPTIONS: `--import=${new URL(`file://${PROBE_JS}`).href}`, BENCH_MEMORY_FILE: probeFiles.app,
    });
    const opened = await fetch(`${app.url}/api/sessions/${slug}/qa`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[0]}` },
      body: JSON.stringify({ state: 'open', allowGuests: true }),
    });
    if (opened.status !== 200) throw new HttpError(opened.status, await opened.text(), 'PATCH …/qa');
    const joinStarted = now();
    const guests = await joinAsGuests(app.url, slug, load.attendees);
    console.log(`fixture: session ${sessionId} (${slug}), Q&A open to guests; ${load.attendees} guests joined in ${((now() - joinStarted) / 1000).toFixed(1)} s; ${askerCount} askers`);
    const agora: Target = {
      kind: 'agora', pid: app.pid, probeFile: probeFiles.app, url: app.url, sessionId, attendees: guests,
      askers: tokens.slice(1).map((token) => ({ token })), moderator: { token: tokens[0] },
    };

    const { child: bare, port: barePort } = await run.forkServer(BARE_JS, { BARE_VOTE_BROADCAST_MS: String(voteWindowMs), BENCH_MEMORY_FILE: probeFiles.bare });
    const bareTarget: Target = {
      kind: 'bare', pid: bare.pid!, probeFile: probeFiles.bare, url: `http://127.0.0.1:${barePort}`, sessionId: 1,
      attendees: guests.map(() => null), askers: agora.askers.map(() => null), moderator: null,
    };

    receivers = newReceivers();
    const results: CaseResult[] = [];
    for (const target of [bareTarget, agora]) {
      try {
        const result = await runCase(target, receivers, load);
        if (target.kind === 'agora' && !result.notRun) {
          const check = await checkDatabase(pool, sessionId, result.expected!);
          result.questions = check.total;
          result.questionsExact = check.exact;
          result.sqlMismatch = check.firstMismatch;
          console.log(`agora database: ${check.exact}/${check.total} questions with vote rows = counter sum = acked votes${check.firstMismatch ? `; first mismatch: ${check.firstMismatch}` : ''}`);
        }
        results.push(result);
      } catch (error) {
        const why = (error as Error).message.slice(0, 300);
        console.warn(`!! ${target.kind}: ${why}`);
        results.push({ kind: target.kind, notRun: `failed: ${why}` });
        for (const r of receivers) r.kill();
        receivers = newReceivers();
        await sleep(3000);
      }
    }

    const markdown = report(results, { load, procs, voteWindowMs, askerCount, loadAtStart, machine: machineLines(machine) });
    publishSection('live-qa', markdown, opts.report);
  } finally {
    await run.release();
  }
}

function report(
  results: CaseResult[],
  o: { load: Load; procs: number; voteWindowMs: number; askerCount: number; loadAtStart: string; machine: string[] },
): string {
  const bare = results.find((r) => r.kind === 'bare' && !r.notRun);
  const agora = results.find((r) => r.kind === 'agora' && !r.notRun);
  const server = (r: CaseResult) => (r.kind === 'bare' ? 'bare Socket.IO' : 'Agora');
  const vs = (r: CaseResult, pick: (x: CaseResult) => number | undefined) => (r.kind === 'agora' && bare ? ratio(pick(r)!, pick(bare)!) : '');
  const latencyRows = results.flatMap((r): string[][] => {
    if (r.notRun) return [[server(r), `not run: ${r.notRun}`, '', '', '', '', '', '', '']];
    const row = (what: string, all: Summary, every: Summary, count: string, missing: number, p99vs: string) =>
      [server(r), what, count, ms(all.p50), ms(all.p99), ms(all.max), ms(every.p99), p99vs, missing.toLocaleString('en')];
    return [
      row('vote → count on screen', r.votes!, r.votesEvery!, `${r.votesEvery!.n.toLocaleString('en')} votes`, r.voteMissing!, vs(r, (x) => x.votes?.p99)),
      row('highlight → screen', r.highlights!, r.highlightsEvery!, `${r.highlightCount} highlights`, r.highlightMissing!, vs(r, (x) => x.highlights?.p99)),
      row('question → screen', r.asks!, r.asksEvery!, `${r.askCount} questions`, r.askMissing!, vs(r, (x) => x.asks?.p99)),
    ];
  });
  const loadRows = results.filter((r) => !r.notRun).map((r) => [
    server(r), (r.connectMs! / 1000).toFixed(1), `${r.votesOk!.toLocaleString('en')} / ${r.votesPlanned!.toLocaleString('en')}`, ms(r.voteAck!.p50), ms(r.voteAck!.p99),
    ms(r.votesByRank!.p99), `${ms(r.fromRead!.p50)} / ${ms(r.fromRead!.p99)}`, String(r.voteMessages), `${r.voteMessageBytes} B`,
    `${r.screens!.exact.toLocaleString('en')} / ${r.screens!.screens.toLocaleString('en')}`,
    r.kind === 'agora' ? `${r.questionsExact} / ${r.questions}` : '–',
    `${r.duplicates} / ${r.disconnects}`,
    pct(r.serverCpu!), pct(r.receiversCpu!), pct(r.driverCpu!),
    r.loopDelay ? `${ms(r.loopDelay.p99)} / ${ms(r.loopDelay.max)}` : '–',
  ]);
  const problems = results.flatMap((r) => [
    r.firstVoteError ? `- ${server(r)}: ${r.voteErrors} votes failed; first: ${r.firstVoteError}` : '',
    r.firstActError ? `- ${server(r)}: ${r.actErrors} questions or highlights failed; first: ${r.firstActError}` : '',
    r.screens?.firstMismatch ? `- ${server(r)}: first screen off: ${r.screens.firstMismatch}` : '',
    r.sqlMismatch ? `- ${server(r)}: database: ${r.sqlMismatch}` : '',
  ]).filter(Boolean);
  const against = (pick: (x: CaseResult) => Summary | undefined) =>
    bare ? `bare ${ms(pick(bare)!.p99)} ms, ${ratio(pick(agora!)!.p99, pick(bare)!.p99)}` : 'no baseline';
  const goal = agora
    ? `Agora, ${agora.connected!.toLocaleString('en')} attendees, ${o.load.votesPerSecond} votes/s: vote → count on a screen p99 ` +
      `${ms(agora.votes!.p99)} ms (${against((x) => x.votes)}); on every screen (per vote, the last screen) p99 ${ms(agora.votesEvery!.p99)} ms ` +
      `(${against((x) => x.votesEvery)}). Highlight → a screen p99 ${ms(agora.highlights!.p99)} ms (${against((x) => x.highlights)}); ` +
      `on every screen p99 ${ms(agora.highlightsEvery!.p99)} ms (${against((x) => x.highlightsEvery)}). ` +
      `Final counts exact on ${agora.screens!.exact.toLocaleString('en')} of ${agora.screens!.screens.toLocaleString('en')} screens and for ` +
      `${agora.questionsExact} of ${agora.questions} questions in the database; ${agora.voteMissing! + agora.highlightMissing! + agora.askMissing!} deliveries missing.`
    : 'Agora was not measured (see the table).';
  return [
    '## Live Q&A (`bench/live-qa.ts`)',
    '',
    `Command: \`${commandLine('bench:live-qa', ['BENCH_QA_ATTENDEES', 'BENCH_DURATION_S', 'BENCH_QA_VOTES_PER_S', 'BENCH_RECEIVER_PROCS', 'QA_VOTE_BROADCAST_MS'])}\``,
    '',
    ...o.machine,
    '- Beside **Live fan-out** above: the questions and highlights travel the same event machinery (event log, `EventFanout`, room ' +
      'broadcast) as forum replies; this section adds the Q&A\'s own writes and the coalesced vote counts, which are not logged.',
    `- Load average when the run started: ${o.loadAtStart}. **Everything shares these ${os.cpus().length} cores**: the app, PostgreSQL, ` +
      `the ${o.procs} receiver processes holding the attendees' sockets (which also send the votes) and the driver process (askers, moderator); ` +
      'the load generator\'s own CPU is in the latencies.',
    `- Load (issue #6): ${o.load.attendees.toLocaleString('en')} attendees follow one session's Q&A, each on its own socket.io-client connection ` +
      `(websocket transport); for ${o.load.durationS} s after ${WARMUP_S} s of the same load as warm-up (and ${SEED_QUESTIONS} questions asked ` +
      `beforehand), open loop: ${o.load.votesPerSecond} votes per second (\`qa.vote {questionId, value: 1}\`, evenly spaced, each from an attendee ` +
      `in turn, to one of the ${HOT_QUESTIONS} newest questions that attendee has not voted for), one question per second (\`qa.ask\`, from ` +
      `${o.askerCount} signed-in askers, at most ${ASKS_PER_ASKER} each because of the asking limit) and one highlight per second half-way between ` +
      '(`qa.moderate {action: \'highlight\'}` by a session moderator, each time a question not highlighted before).',
    '- Agora: the built app, one instance, **no Redis** (`REDIS_URL` unset: Socket.IO\'s in-memory adapter), on a fresh database; Q&A opened ' +
      'to guests by the moderator (`PATCH …/qa`); every attendee is a guest (`POST /api/sessions/S/qa/guests`, its `agora_session` cookie ' +
      'sent at the socket handshake), then `qa.subscribe`. The moderator and askers use API tokens (accounts made in SQL). ' +
      `Vote counts are coalesced by the app every \`QA_VOTE_BROADCAST_MS\` = ${o.voteWindowMs} ms (absolute counts of the questions that changed, \`qa.votes\`), ` +
      'so a vote\'s time to the screens is its write transaction, then the wait for the window to close (up to the window), the read of ' +
      'the counts, and the broadcast.',
    `- Bare: a plain Socket.IO server in its own process (no auth, no database, state in memory) answering the same messages with the same ` +
      `acks and broadcasts: \`qa.events\` for questions and highlights, \`qa.votes\` coalesced every ${o.voteWindowMs} ms like Agora's. ` +
      'Same receivers, same schedule, same measurement. The ratios are Agora\'s p99 over the bare server\'s.',
    '- **Vote → count on screen**, per (vote, screen): from the moment the attendee\'s socket sent `qa.vote` to the arrival, at that screen, ' +
      'of the first `qa.votes` message whose count for the question certainly includes the vote. Counts are absolute and coalesced, so a ' +
      'message carries no vote ids; "certainly includes" is: its count reaches the number of votes for that question sent before this ' +
      'vote\'s ack came back (a count read before the vote committed can only include votes sent before its ack, minus this one), or its ' +
      '`asOf` (database time of the read) is later than the `asOf` of the vote\'s ack (read after its commit). This rule never credits a ' +
      'message too early and may credit one a window late when votes commit out of order; "p99 by rank" uses the plain rule (the count ' +
      'reaches the vote\'s rank among that question\'s votes in sending order), which may credit one too early. Each screen uses the first ' +
      'such message it received (counts only grow in this run). "Every screen p99": per change, the time until the last of all screens ' +
      'had it, p99 over changes. Missing: (change, screen) pairs never seen within the drain.',
    '- **Highlight → screen**: from sending `qa.moderate` to the `question.highlighted` event for that question at each screen; ' +
      '**question → screen**: from sending `qa.ask` to the `question.asked` event. Both are logged events (ordered `seq`; an ' +
      'out-of-order or duplicate `seq` would be counted). "Count read → screen": from a `qa.votes` message\'s `asOf` (when its counts ' +
      'were read; ms resolution) to its arrival at each screen: the fan-out part alone, without the coalescing wait.',
    '- **Exactness**: after the run, every screen\'s counts (newest `asOf` per question, as the contract says) must equal the acked votes ' +
      'per question (each attendee votes at most once per question, so that is the number of distinct voters); for Agora also the ' +
      '`live_question_vote` rows and the sum of the counter shards per question, in SQL.',
    '- CPU: user + system time (`/proc/<pid>/stat`) during the measured window, in % of one core: the server process (PostgreSQL not ' +
      'counted), the receivers together, the driver. Server loop delay: the server process\'s event-loop delay ' +
      '(`monitorEventLoopDelay`, through the probe bench/fanout/memory-probe.ts preloaded into it) over the last warm-up second and the measured window.',
    '',
    table(
      ['Server', 'change', 'measured', 'p50 ms', 'p99 ms', 'max ms', 'every screen p99 ms', 'p99 vs bare', 'missing'],
      latencyRows, ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
    table(
      ['Server', 'connect + subscribe s', 'votes ok / sent (with warm-up)', 'vote ack p50 ms', 'vote ack p99 ms', 'vote → screen p99 by rank ms', 'count read → screen p50 / p99 ms', '`qa.votes` broadcasts', 'largest',
        'screens exact at the end', 'questions exact in SQL', 'seq dup / disconnects', 'server CPU', 'receivers CPU', 'driver CPU', 'server loop delay p99 / max ms'],
      loadRows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
    `**Result.** ${goal}`,
    ...(problems.length ? ['', ...problems] : []),
  ].join('\n');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
