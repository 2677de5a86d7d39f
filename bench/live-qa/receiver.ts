/**
 * A receiver process of the live Q&A benchmark (forked by bench/live-qa.ts):
 * holds many attendee sockets (one socket.io-client connection each),
 * subscribes each to the session's Q&A, sends the votes the parent plans
 * from those sockets at their planned times, and records when each screen
 * saw each `qa.votes` broadcast and each highlight and question
 * (`qa.events`). Latencies are computed here at the end, against the send
 * times (same machine clock in every process), so only summaries cross IPC.
 */
import type { Socket } from 'socket.io-client';
import { connectAll, connected, openSocket, type Credential } from '../lib/sockets.js';
import { now, serveCommands } from '../lib/workers.js';
import type { ConnectResult, Deliveries, PlannedVote, QaReceiverCommand, QaReceiverResults, ScreensResult, SentVote, TimedAct, TimedVote } from './protocol.js';

interface VoteCounts {
  sessionId: number;
  asOf: string;
  counts: { questionId: number; voteCount: number }[];
}

interface QaEvents {
  sessionId: number;
  events: { seq: number; type: string; questionId: number | null; payload: { questionId?: number | null; question?: { id?: number } | null } }[];
}

/** One simulated screen. */
interface Screen {
  socket: Socket;
  lastSeq: number;
  /** Arrival time of each distinct `qa.votes` broadcast (index into `broadcasts`). */
  arrivals: number[];
  /** What the screen shows: per question the count with the newest asOf (the contract's rule). */
  shown: Map<number, { count: number; asOf: string }>;
  highlightedAt: Map<number, number>;
  askedAt: Map<number, number>;
}

let screens: Screen[] = [];
/** Distinct `qa.votes` broadcasts in the order this process first saw them (all its sockets get them in the server's order). */
let broadcasts: { asOf: string; counts: Map<number, number> }[] = [];
let broadcastIndex = new Map<string, number>();
let voteMessageBytes = 0;
let sent: SentVote[] = [];
let duplicates = 0;
let disconnects = 0;

function show(screen: Screen, asOf: string, counts: { questionId: number; voteCount: number }[]) {
  for (const c of counts) {
    const current = screen.shown.get(c.questionId);
    if (!current || current.asOf <= asOf) screen.shown.set(c.questionId, { count: c.voteCount, asOf });
  }
}

function onVotes(screen: Screen, message: VoteCounts) {
  const at = now();
  const key = `${message.asOf}|${message.counts.map((c) => `${c.questionId}:${c.voteCount}`).join(',')}`;
  let index = broadcastIndex.get(key);
  if (index === undefined) {
    index = broadcasts.length;
    broadcasts.push({ asOf: message.asOf, counts: new Map(message.counts.map((c) => [c.questionId, c.voteCount])) });
    broadcastIndex.set(key, index);
    voteMessageBytes = Math.max(voteMessageBytes, Buffer.byteLength(JSON.stringify(message)));
  }
  if (screen.arrivals[index] === undefined) screen.arrivals[index] = at;
  else duplicates++;
  show(screen, message.asOf, message.counts);
}

function onEvents(screen: Screen, message: QaEvents) {
  const at = now();
  for (const e of message.events) {
    if (e.seq <= screen.lastSeq) {
      duplicates++;
      continue;
    }
    screen.lastSeq = e.seq;
    if (e.type === 'question.highlighted' && typeof e.payload?.questionId === 'number' && !screen.highlightedAt.has(e.payload.questionId)) {
      screen.highlightedAt.set(e.payload.questionId, at);
    } else if (e.type === 'question.asked' && typeof e.payload?.question?.id === 'number' && !screen.askedAt.has(e.payload.question.id)) {
      screen.askedAt.set(e.payload.question.id, at);
    }
  }
}

async function connectOne(url: string, credential: Credential, sessionId: number, deadline: number): Promise<void> {
  const socket = openSocket(url, credential);
  try {
    await connected(socket, deadline);
    const screen: Screen = { socket, lastSeq: 0, arrivals: [], shown: new Map(), highlightedAt: new Map(), askedAt: new Map() };
    socket.on('qa.votes', (m: VoteCounts) => onVotes(screen, m));
    socket.on('qa.events', (m: QaEvents) => onEvents(screen, m));
    socket.on('disconnect', () => disconnects++);
    const ack = await socket.timeout(Math.max(1, deadline - Date.now())).emitWithAck('qa.subscribe', { sessionId });
    if (ack?.error) throw new Error(`qa.subscribe refused: ${JSON.stringify(ack.error)}`);
    screen.lastSeq = Math.max(screen.lastSeq, Number(ack.seq) || 0);
    if (Array.isArray(ack.counts)) show(screen, String(ack.countsAsOf), ack.counts);
    screens.push(screen);
  } catch (error) {
    socket.disconnect();
    throw error;
  }
}

function connect(c: Extract<QaReceiverCommand, { cmd: 'connect' }>): Promise<ConnectResult> {
  return connectAll(c.credentials, c.concurrency, c.timeoutMs, (credential, deadline) => connectOne(c.url, credential, c.sessionId, deadline),
    () => screens.filter((s) => s.socket.connected).length);
}

/** Open loop: each vote leaves at its planned time, whatever the earlier ones are doing. */
function vote(planned: PlannedVote[]): number {
  for (const v of planned) {
    setTimeout(() => {
      const record: SentVote = { id: v.id, questionId: v.questionId, sentAt: now(), ackAt: Number.NaN, asOf: null };
      sent.push(record);
      screens[v.socket].socket.timeout(30_000).emitWithAck('qa.vote', { questionId: v.questionId, value: 1 }).then(
        (ack: { vote?: { asOf: string }; error?: { code?: string; message?: string } }) => {
          record.ackAt = now();
          if (ack?.error || !ack?.vote) record.error = ack?.error?.code ?? JSON.stringify(ack).slice(0, 200);
          else record.asOf = ack.vote.asOf;
        },
        (error: Error) => {
          record.ackAt = now();
          record.error = error.message;
        },
      );
    }, Math.max(0, v.at - now()));
  }
  return planned.length;
}

/** Per change and screen: the first arrival that satisfies `seen(screen, change)` (a time, or undefined). */
function deliveries<T extends { sentAt: number }>(changes: T[], seen: (screen: Screen, change: T, i: number) => number | undefined): Deliveries {
  const latencies = new Float64Array(changes.length * screens.length);
  const last = new Float64Array(changes.length);
  let n = 0;
  let missing = 0;
  changes.forEach((change, i) => {
    let worst = 0;
    for (const screen of screens) {
      const at = seen(screen, change, i);
      if (at === undefined) {
        missing++;
        worst = Number.NaN;
      } else {
        latencies[n++] = at - change.sentAt;
        worst = Math.max(worst, at - change.sentAt);
      }
    }
    last[i] = worst;
  });
  return { latencies: latencies.slice(0, n), last, missing };
}

/**
 * Vote deliveries: for each vote, the broadcasts carrying its question, in
 * the server's order, from the first one that satisfies `includes`; each
 * screen's time is its arrival of the first of those it received (counts
 * only grow here, so a later broadcast includes the vote too).
 */
function voteDeliveries(votes: TimedVote[], includes: (count: number, asOf: string, vote: TimedVote) => boolean): Deliveries {
  const carrying = new Map<number, number[]>();
  broadcasts.forEach((b, index) => {
    for (const questionId of b.counts.keys()) {
      let list = carrying.get(questionId);
      if (!list) carrying.set(questionId, (list = []));
      list.push(index);
    }
  });
  const from = votes.map((v) => {
    const list = carrying.get(v.questionId) ?? [];
    const first = list.findIndex((index) => includes(broadcasts[index].counts.get(v.questionId)!, broadcasts[index].asOf, v));
    return first < 0 ? [] : list.slice(first);
  });
  return deliveries(votes, (screen, _vote, i) => {
    for (const index of from[i]) if (screen.arrivals[index] !== undefined) return screen.arrivals[index];
    return undefined;
  });
}

/** Per (broadcast read at or after `from`, screen): ms from the count's read (`asOf`, ms resolution) to its arrival. */
function fromRead(from: number): Float64Array {
  const out: number[] = [];
  broadcasts.forEach((b, index) => {
    const readAt = Date.parse(b.asOf);
    if (readAt < from) return;
    for (const screen of screens) if (screen.arrivals[index] !== undefined) out.push(screen.arrivals[index] - readAt);
  });
  return Float64Array.from(out);
}

function results(c: Extract<QaReceiverCommand, { cmd: 'results' }>): QaReceiverResults {
  return {
    votes: voteDeliveries(c.votes, (count, asOf, v) => count >= v.certainCount || asOf > v.ackAsOf),
    votesByRank: voteDeliveries(c.votes, (count, _asOf, v) => count >= v.rank),
    highlights: deliveries(c.highlights, (screen, h: TimedAct) => screen.highlightedAt.get(h.questionId)),
    asks: deliveries(c.asks, (screen, a: TimedAct) => screen.askedAt.get(a.questionId)),
    fromRead: fromRead(c.from),
    voteMessages: broadcasts.length,
    voteMessageBytes,
    duplicates,
    disconnects,
  };
}

/** Screens whose every count equals the expected one (a question never broadcast shows 0). */
function checkScreens(expected: Map<number, number>): ScreensResult {
  let exact = 0;
  let firstMismatch: string | undefined;
  for (const [i, screen] of screens.entries()) {
    const wrong = [...new Set([...expected.keys(), ...screen.shown.keys()])]
      .filter((q) => (screen.shown.get(q)?.count ?? 0) !== (expected.get(q) ?? 0));
    if (!wrong.length) exact++;
    else firstMismatch ??= `screen ${i} (pid ${process.pid}): ` +
      wrong.slice(0, 3).map((q) => `question ${q} shows ${screen.shown.get(q)?.count ?? 0}, expected ${expected.get(q) ?? 0}`).join('; ');
  }
  return { screens: screens.length, exact, firstMismatch };
}

function close(): void {
  for (const s of screens) s.socket.disconnect();
  screens = [];
  broadcasts = [];
  broadcastIndex = new Map();
  voteMessageBytes = 0;
  sent = [];
  duplicates = 0;
  disconnects = 0;
}

serveCommands<QaReceiverCommand>((command) => {
  switch (command.cmd) {
    case 'connect': return connect(command);
    case 'vote': return vote(command.votes);
    case 'sent': return sent;
    case 'screens': return checkScreens(command.expected);
    case 'results': return results(command);
    case 'close': return close();
    case 'exit':
      close();
      return process.exit(0);
  }
});
