/**
 * The baseline of the fan-out and live Q&A benchmarks: a bare Socket.IO
 * server (its own process, forked by bench/fanout.ts or bench/live-qa.ts)
 * that does the least the live layer must do. No authentication, database
 * or ordering work.
 *
 * Forum fan-out: `forum.subscribe` joins the socket to one room and acks;
 * `POST /publish` broadcasts one `forum.events` message of the same shape
 * and byte size as Agora's reply event (BARE_MESSAGE_BYTES) to the room and
 * answers with its id.
 *
 * Live Q&A: the same socket messages as Agora's (`qa.subscribe`, `qa.ask`,
 * `qa.vote`, `qa.moderate` highlight, `qa.poll.answer` → `qa.poll_results`) with the same acks and broadcasts
 * (`qa.events` question.asked / question.highlighted; `qa.votes` absolute
 * counts of the changed questions, coalesced every BARE_VOTE_BROADCAST_MS
 * like Agora's QA_VOTE_BROADCAST_MS), kept in memory.
 */
import http from 'node:http';
import { Server } from 'socket.io';
import './memory-probe.js';

const targetBytes = Number(process.env.BARE_MESSAGE_BYTES || 500);
let seq = 0;

function message(id: string) {
  const build = (pad: string) => ({
    forumId: 1,
    events: [{ seq, type: 'reply.created', questionId: 1, payload: { reply: { id, bodyHtml: pad } }, at: new Date().toISOString() }],
  });
  const base = Buffer.byteLength(JSON.stringify(build('')));
  return build('x'.repeat(Math.max(0, targetBytes - base)));
}

const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/publish') {
    req.resume();
    req.on('end', () => {
      seq += 1;
      const id = String(seq);
      const m = message(id);
      published.push(m.events[0]);
      if (published.length > 1000) published.shift();
      io.to('forum').emit('forum.events', m);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id }));
    });
    return;
  }
  res.writeHead(404).end();
});

const io = new Server(server, { transports: ['websocket'], serveClient: false });

/**
 * Replay, as little as it can be: the events published since `lastSeq`,
 * from memory, to the sockets that asked in the same turn of the event loop
 * as one broadcast per 100 events (as Agora sends them), then the join and
 * the ack.
 */
const published: ReturnType<typeof message>['events'] = [];
let replayWaiting: { id: string; lastSeq: number; ack?: (r: unknown) => void }[] = [];
function replayTo(id: string, lastSeq: number, ack?: (r: unknown) => void) {
  if (!replayWaiting.length) setImmediate(sendReplays);
  replayWaiting.push({ id, lastSeq, ack });
}
function sendReplays() {
  const waiting = replayWaiting;
  replayWaiting = [];
  const byGap = new Map<number, typeof waiting>();
  for (const w of waiting) {
    const group = byGap.get(w.lastSeq);
    if (group) group.push(w);
    else byGap.set(w.lastSeq, [w]);
  }
  for (const [lastSeq, group] of byGap) {
    const events = published.filter((e) => e.seq > lastSeq);
    const ids = group.map((w) => w.id);
    for (let i = 0; i < events.length; i += 100) io.to(ids).emit('forum.events', { forumId: 1, events: events.slice(i, i + 100) });
    for (const w of group) {
      io.sockets.sockets.get(w.id)?.join('forum');
      w.ack?.({ forumId: 1, questionId: null, seq, replayed: events.length });
    }
  }
}
io.on('connection', (socket) => {
  socket.on('forum.subscribe', (body: { forumId?: number; lastSeq?: number }, ack?: (r: unknown) => void) => {
    if (typeof body?.lastSeq === 'number') return replayTo(socket.id, body.lastSeq, ack);
    void socket.join('forum');
    ack?.({ forumId: body?.forumId ?? 1, questionId: null, seq, replayed: 0 });
  });
  socket.on('qa.subscribe', (body: { sessionId?: number }, ack?: (r: unknown) => void) => {
    void socket.join('qa');
    ack?.({ sessionId: body?.sessionId ?? 1, seq: qaSeq, replayed: 0, moderator: false, counts: countsOf([...questions.keys()]), countsAsOf: new Date().toISOString() });
  });
  socket.on('qa.ask', (body: { sessionId?: number; body?: string; anonymous?: boolean }, ack?: (r: unknown) => void) => {
    const id = questions.size + 1;
    const question = questionView(id, body?.sessionId ?? 1, String(body?.body ?? ''), Boolean(body?.anonymous));
    questions.set(id, { view: question, voters: new Set() });
    emitQa('question.asked', id, { question });
    ack?.({ question });
  });
  socket.on('qa.vote', (body: { questionId?: number; value?: number }, ack?: (r: unknown) => void) => {
    const q = questions.get(Number(body?.questionId));
    if (!q) return ack?.({ error: { status: 404, code: 'live_question_not_found', message: 'No such question.' } });
    if (body.value === 1) q.voters.add(socket.id);
    else q.voters.delete(socket.id);
    voteChanged(q.view.id);
    ack?.({ vote: { questionId: q.view.id, voteCount: q.voters.size, viewerVoted: body.value === 1, asOf: new Date().toISOString() } });
  });
  socket.on('qa.poll.answer', (body: { pollId?: number; choices?: number[] }, ack?: (r: unknown) => void) => {
    const choice = Array.isArray(body?.choices) ? Number(body.choices[0]) : NaN;
    if (!(choice >= 0 && choice < POLL_OPTIONS.length)) return ack?.({ error: { status: 400, code: 'validation_failed', message: 'choices must name an option.' } });
    pollAnswers.set(socket.id, choice);
    pollChanged();
    ack?.({ answer: { pollId: body.pollId ?? 1, choices: [choice], rating: null, text: null, review: null, updatedAt: new Date().toISOString() } });
  });
  socket.on('qa.moderate', (body: { questionId?: number; action?: string }, ack?: (r: unknown) => void) => {
    const q = questions.get(Number(body?.questionId));
    if (!q || body.action !== 'highlight') return ack?.({ error: { status: 400, code: 'not_supported', message: 'The bare server only highlights.' } });
    const previousId = highlighted;
    if (previousId !== null) questions.get(previousId)!.view.highlighted = false;
    highlighted = q.view.id;
    q.view.highlighted = true;
    q.view.voteCount = q.voters.size;
    emitQa('question.highlighted', q.view.id, { questionId: q.view.id, question: q.view, previousId });
    ack?.({ question: q.view });
  });
});

// ---- live Q&A state ----------------------------------------------------------

const voteWindowMs = Number(process.env.BARE_VOTE_BROADCAST_MS || 200);
const questions = new Map<number, { view: ReturnType<typeof questionView>; voters: Set<string> }>();
const changedVotes = new Set<number>();
let qaSeq = 0;
let highlighted: number | null = null;
let voteTimer: NodeJS.Timeout | null = null;

/** The fields of Agora's LiveQuestionView, so the events have its size. */
function questionView(id: number, sessionId: number, body: string, anonymous: boolean) {
  const at = new Date().toISOString();
  return {
    id, sessionId, body, state: 'approved', anonymous,
    asker: anonymous ? null : { id: '00000000-0000-4000-8000-000000000000', displayName: 'Bench asker', guest: false },
    voteCount: 0, highlighted: false, mergedIntoId: null, mergedCount: 0, dismissReason: null, answeredAt: null,
    answeredOffset: null, editedAt: null, editedByModerator: false, carriedOver: null, createdAt: at, updatedAt: at,
  };
}

function emitQa(type: string, questionId: number, payload: object) {
  qaSeq += 1;
  io.to('qa').emit('qa.events', { sessionId: 1, events: [{ seq: qaSeq, type, questionId, payload, at: new Date().toISOString() }] });
}

function countsOf(ids: number[]) {
  return ids.map((id) => ({ questionId: id, voteCount: questions.get(id)!.voters.size }));
}

function voteChanged(questionId: number) {
  changedVotes.add(questionId);
  voteTimer ??= setTimeout(() => {
    voteTimer = null;
    const ids = [...changedVotes].sort((a, b) => a - b);
    changedVotes.clear();
    io.to('qa').emit('qa.votes', { sessionId: 1, asOf: new Date().toISOString(), counts: countsOf(ids) });
  }, voteWindowMs);
}

// ---- a live poll (bench/live-polls.ts): one single-choice poll, one answer per socket, results coalesced like votes ----

const POLL_OPTIONS = ['Bus', 'Bike', 'Walk', 'Car'];
const pollAnswers = new Map<string, number>();
let pollTimer: NodeJS.Timeout | null = null;

function pollChanged() {
  pollTimer ??= setTimeout(() => {
    pollTimer = null;
    const counts = POLL_OPTIONS.map(() => 0);
    for (const choice of pollAnswers.values()) counts[choice]++;
    const options = POLL_OPTIONS.map((label, index) => ({ index, label, count: counts[index] }));
    io.to('qa').emit('qa.poll_results', { sessionId: 1, results: [{ pollId: 1, asOf: new Date().toISOString(), kind: 'single', total: pollAnswers.size, options }] });
  }, voteWindowMs);
}

// BARE_HOST: 0.0.0.0 when the receivers are in their own network namespace (BENCH_NETNS).
server.listen(0, process.env.BARE_HOST || '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('disconnect', () => process.exit(0));
