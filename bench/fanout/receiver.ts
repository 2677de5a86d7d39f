/**
 * A receiver process of the fan-out benchmark (forked by bench/fanout.ts):
 * holds many socket.io-client connections (websocket transport, one
 * connection each, no automatic reconnection), subscribes each to the forum,
 * and records when every `forum.events` message arrives, per reply id. The
 * publisher runs in the parent process; the latencies are computed against
 * its POST start times, on the same machine clock.
 */
import type { Socket } from 'socket.io-client';
import { connectAll, connected, openSocket, type Credential } from '../lib/sockets.js';
import { serveCommands } from '../lib/workers.js';
import { now, type ConnectResult, type CountResult, type ReceiverCommand, type ReceiverResults, type ReplayResults } from './protocol.js';

interface EventsMessage {
  forumId: number;
  events: { seq: number; type: string; payload: { reply?: { id?: string } } }[];
}

let sockets: Socket[] = [];
let lastSeq: number[] = [];
/** Receive times per reply id, since the last `record`. */
let received = new Map<string, number[]>();
let recording = false;
let duplicates = 0;
let disconnects = 0;
let messageBytes = 0;

function onEvents(index: number, message: EventsMessage) {
  const at = now();
  if (!messageBytes) messageBytes = Buffer.byteLength(JSON.stringify(message));
  for (const e of message.events) {
    if (e.seq <= lastSeq[index]) {
      duplicates++; // already seen (or out of order): never counted as a delivery
      continue;
    }
    lastSeq[index] = e.seq;
    const id = e.payload?.reply?.id;
    if (!recording || e.type !== 'reply.created' || id === undefined) continue;
    let list = received.get(id);
    if (!list) received.set(id, (list = []));
    list.push(at);
  }
}

const credential = (token: string | null): Credential => (token ? { token } : null);

async function connectOne(url: string, token: string | null, forumId: number, deadline: number): Promise<Socket> {
  const socket = openSocket(url, credential(token));
  try {
    await connected(socket, deadline);
    const index = sockets.length;
    sockets.push(socket);
    lastSeq.push(0);
    socket.on('forum.events', (m: EventsMessage) => onEvents(index, m));
    socket.on('disconnect', () => disconnects++);
    const ack = await socket.timeout(Math.max(1, deadline - Date.now())).emitWithAck('forum.subscribe', { forumId });
    if (ack?.error) throw new Error(`subscribe refused: ${JSON.stringify(ack.error)}`);
    lastSeq[index] = Math.max(lastSeq[index], Number(ack.seq) || 0);
    return socket;
  } catch (error) {
    socket.disconnect();
    throw error;
  }
}

function connect(c: Extract<ReceiverCommand, { cmd: 'connect' }>): Promise<ConnectResult> {
  return connectAll(c.tokens, c.concurrency, c.timeoutMs, async (token, deadline) => void (await connectOne(c.url, token, c.forumId, deadline)),
    () => sockets.filter((s) => s.connected).length);
}

/** Deliveries recorded (of the replies in `sent`, if given). */
function counts(sent?: Map<string, number>): CountResult {
  let n = 0;
  for (const [id, list] of received) if (!sent || sent.has(id)) n += list.length;
  return { received: n, duplicates, disconnects, messageBytes };
}

function results(sent: Map<string, number>): ReceiverResults {
  const c = counts(sent);
  const n = c.received;
  const latencies = new Float64Array(n);
  let i = 0;
  for (const [id, list] of received) {
    const t0 = sent.get(id);
    if (t0 === undefined) continue;
    for (const t of list) latencies[i++] = t - t0;
  }
  return { ...c, latencies };
}

async function close(): Promise<void> {
  for (const s of sockets) s.disconnect();
  sockets = [];
  lastSeq = [];
  received = new Map();
  recording = false;
  duplicates = 0;
  disconnects = 0;
  messageBytes = 0;
}

/** Every client connects at `startAt` and subscribes with `lastSeq`: how long until each has its whole replay. */
async function replay(c: Extract<ReceiverCommand, { cmd: 'replay' }>): Promise<ReplayResults> {
  const times: number[] = [];
  const connectTimes: number[] = [];
  const firstEventTimes: number[] = [];
  let complete = 0;
  let incomplete = 0;
  let failed = 0;
  let firstError: string | undefined;
  const opened: Socket[] = [];
  await new Promise((r) => setTimeout(r, Math.max(0, c.startAt - now())));
  const deadline = Date.now() + c.timeoutMs;
  await Promise.all(c.tokens.map(async (token) => {
    const socket = openSocket(c.url, credential(token));
    opened.push(socket);
    let seen = c.lastSeq;
    let inOrder = true;
    let firstEventAt = 0;
    socket.on('forum.events', (m: EventsMessage) => {
      firstEventAt ||= now();
      for (const e of m.events) {
        if (e.seq !== seen + 1) inOrder = false;
        seen = Math.max(seen, e.seq);
      }
    });
    try {
      await connected(socket, deadline);
      const connectedAt = now();
      const ack = await socket.timeout(Math.max(1, deadline - Date.now())).emitWithAck('forum.subscribe', { forumId: c.forumId, lastSeq: c.lastSeq });
      const at = now();
      if (ack?.error) throw new Error(`subscribe refused: ${JSON.stringify(ack.error)}`);
      if (inOrder && seen - c.lastSeq === c.expected && ack.replayed === c.expected && !ack.resync) {
        complete++;
        times.push(at - c.startAt);
        connectTimes.push(connectedAt - c.startAt);
        firstEventTimes.push(firstEventAt - c.startAt);
      } else {
        incomplete++;
        firstError ??= `got ${seen - c.lastSeq} events (in order: ${inOrder}), ack ${JSON.stringify(ack)}`;
      }
    } catch (error) {
      failed++;
      firstError ??= (error as Error).message.slice(0, 300);
    }
  }));
  for (const s of opened) s.disconnect();
  return { times: Float64Array.from(times), connectTimes: Float64Array.from(connectTimes), firstEventTimes: Float64Array.from(firstEventTimes), complete, incomplete, failed, firstError };
}

serveCommands<ReceiverCommand>((command) => {
  switch (command.cmd) {
    case 'connect': return connect(command);
    case 'record':
      received = new Map();
      duplicates = 0;
      disconnects = 0;
      messageBytes = 0;
      recording = true;
      return counts();
    case 'count': return counts(command.sent);
    case 'results': return results(command.sent);
    case 'close': return close();
    case 'replay': return replay(command);
    case 'exit': return close().then(() => process.exit(0));
  }
});
