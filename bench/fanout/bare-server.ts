/**
 * The baseline of the fan-out benchmark: a bare Socket.IO server (its own
 * process, forked by bench/fanout.ts) that does the least a forum fan-out
 * must do. `forum.subscribe` joins the socket to one room and acks;
 * `POST /publish` broadcasts one `forum.events` message of the same shape
 * and byte size as Agora's reply event (BARE_MESSAGE_BYTES) to the room and
 * answers with its id. No authentication, database or ordering work.
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
      io.to('forum').emit('forum.events', message(id));
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id }));
    });
    return;
  }
  res.writeHead(404).end();
});

const io = new Server(server, { transports: ['websocket'], serveClient: false });
io.on('connection', (socket) => {
  socket.on('forum.subscribe', (body: { forumId?: number }, ack?: (r: unknown) => void) => {
    void socket.join('forum');
    ack?.({ forumId: body?.forumId ?? 1, questionId: null, seq, replayed: 0 });
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('disconnect', () => process.exit(0));
