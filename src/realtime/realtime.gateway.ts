import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayConnection, type OnGatewayDisconnect, type OnGatewayInit } from '@nestjs/websockets';
import { DataSource } from 'typeorm';
import { isGuest, type MaybeActor } from '../auth/actor.js';
import { LoginSessionsService } from '../auth/login-sessions.service.js';
import { badRequest, conflict, forbidden, notFound, unauthenticated } from '../common/app-exception.js';
import { ReplyCommands } from '../discussions/reply-commands.js';
import { FlagReplyMessage } from '../moderation/dto/flag-input.dto.js';
import { ModerationCommands } from '../moderation/moderation-commands.js';
import { QaSocketHandlers } from '../live-qa/qa-socket.handlers.js';
import { ForumAccessService } from '../forums/forum-access.service.js';
import { ShutdownService } from '../health/shutdown.service.js';
import { addSource } from '../metrics/metrics.js';
import { withMessageId } from '../logging/request-id.js';
import { CreateReplyMessage, ForumMessage, SubscribeMessage as SubscribeDto, TypingMessage, VoteMessage } from './dto/socket-messages.dto.js';
import { ForumEventLog } from '../events/forum-event-log.js';
import { ForumFanout } from './forum-fanout.service.js';
import { PresenceService } from './presence.service.js';
import { RateLimiter, type RateRule } from './rate-limiter.js';
import { RealtimeService } from './realtime.service.js';
import { REDIS, type RealtimeRedis } from './redis.js';
import { rooms } from '../events/rooms.js';
import { authenticateHandshake, type SocketCredential } from './socket-auth.js';
import { parseMessage, RateLimited } from '../common/messages.js';
import { socketError } from './socket-messages.js';
import type { AgoraServer, AgoraSocket, ClientAck, ClientMessageName, ForumSubscription, SocketError } from '../events/socket-types.js';

/** What a handler answers through the ack: the protocol's answer to that message, or a refusal. */
type Answer<K extends ClientMessageName> = ClientAck<K> | SocketError;

/** Per person (writes) or per socket (reads): bursts allowed, then a steady rate. */
/** Per-socket limits on what only sockets do; writes are limited per person by their feature's commands, the same as over HTTP. */
const RULES = {
  subscribe: { burst: 30, everyMs: 200 },
  typing: { burst: 10, everyMs: 1_000 },
} satisfies Record<string, RateRule>;
const MAX_FORUMS_PER_SOCKET = 50;
/**
 * How often the sign-ins of this instance's sockets are checked: one that
 * expired (rather than being ended, which reaches its sockets at once) is
 * told `session.ended` and disconnected within this long.
 */
const SESSION_SWEEP_MS = 60_000;

const notSubscribed = () => badRequest('not_subscribed', 'Subscribe to this forum first (forum.subscribe).', [
  { field: 'forumId', message: 'this socket does not follow that forum' },
]);

/**
 * The socket side of Agora: one Socket.IO server on the app's HTTP server
 * (options in RealtimeIoAdapter). Sockets authenticate at the handshake,
 * follow forums they may read, receive each forum's events in order (replay
 * then live), see presence and typing, and may post replies and vote with
 * the same services and rules as HTTP. Every message is answered through its
 * ack: the result, or `{ error: { status, code, message, details? } }`.
 */
@WebSocketGateway({ path: '/socket.io' })
export class RealtimeGateway implements OnGatewayInit<AgoraServer>, OnGatewayConnection<AgoraSocket>, OnGatewayDisconnect<AgoraSocket>, OnModuleDestroy {
  private readonly logger = new Logger('Realtime');
  private readonly credentials = new WeakMap<AgoraSocket, SocketCredential>();
  private readonly limiter = new RateLimiter();
  /** Questions never change forum: their forum ids are cached. */
  private readonly questionForums = new Map<number, number>();
  private server: AgoraServer | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping = false;

  constructor(
    private readonly sessions: LoginSessionsService,
    private readonly access: ForumAccessService,
    private readonly log: ForumEventLog,
    private readonly fanout: ForumFanout,
    private readonly presence: PresenceService,
    private readonly realtime: RealtimeService,
    private readonly replyCommands: ReplyCommands,
    private readonly moderation: ModerationCommands,
    private readonly dataSource: DataSource,
    private readonly qa: QaSocketHandlers,
    @Inject(REDIS) private readonly redis: RealtimeRedis | null,
    private readonly shutdown: ShutdownService,
  ) {
    this.shutdown.onDrained(() => this.moveSockets());
  }

  /** Shutting down, with no message in flight: every socket is told, then its connection closed; clients reconnect (to another instance). */
  private moveSockets(): void {
    if (!this.server) return;
    for (const socket of this.server.of('/').sockets.values()) {
      socket.emit('server.shutdown', { reconnect: true });
      socket.conn.close();
    }
  }

  afterInit(server: AgoraServer): void {
    // Guards don't run on connection: the handshake is authenticated here, before any message.
    server.use((socket, next) => {
      authenticateHandshake(this.sessions, socket.handshake).then(
        ({ actor, credential }) => {
          socket.data.actor = actor;
          socket.data.subs = {};
          if (credential) this.credentials.set(socket, credential);
          next();
        },
        (error) => {
          const { error: body } = socketError(error, this.logger, 'socket handshake');
          next(Object.assign(new Error(body.message), { data: body }));
        },
      );
    });
    const clustered = this.redis !== null;
    this.fanout.attach(server, clustered);
    this.qa.attach(server, clustered);
    this.presence.attach(server, clustered);
    this.realtime.attach(server);
    this.server = server;
    this.sweepTimer = setInterval(() => void this.sweepEndedSessions(), SESSION_SWEEP_MS);
    this.sweepTimer.unref();
    this.removeMetricsSource = addSource('sockets', () => {
      const subscriptions = { forum: 0, qa: 0 };
      for (const socket of server.of('/').sockets.values()) {
        subscriptions.forum += Object.keys(socket.data.subs ?? {}).length;
        subscriptions.qa += Object.keys((socket.data as { qaSubs?: object }).qaSubs ?? {}).length;
      }
      return { sockets: server.of('/').sockets.size, subscriptions };
    });
  }

  private removeMetricsSource: (() => void) | null = null;

  onModuleDestroy(): void {
    this.removeMetricsSource?.();
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
  }

  /**
   * Drops this instance's sockets whose sign-in has expired (or ended
   * unnoticed), as sign-out does: `session.ended`, then disconnect. One
   * read-only query per sweep for all of them; unlike `resolve`, it doesn't
   * count as activity, so an idle open tab doesn't keep a sign-in alive.
   * Public for tests; runs every SESSION_SWEEP_MS. Returns how many sockets were dropped.
   */
  async sweepEndedSessions(): Promise<number> {
    if (!this.server || this.sweeping) return 0;
    this.sweeping = true;
    try {
      const bySession = new Map<string, AgoraSocket[]>();
      for (const socket of this.server.of('/').sockets.values()) {
        const sessionId = socket.data.actor?.sessionId;
        if (!sessionId || !this.credentials.has(socket)) continue;
        const list = bySession.get(sessionId);
        if (list) list.push(socket);
        else bySession.set(sessionId, [socket]);
      }
      if (bySession.size === 0) return 0;
      const rows: { id: string }[] = await this.dataSource.query(
        `SELECT id FROM login_session WHERE id = ANY($1::text[]) AND expires_at > now()`,
        [[...bySession.keys()]],
      );
      const alive = new Set(rows.map((r) => r.id));
      let dropped = 0;
      for (const [sessionId, sockets] of bySession) {
        if (alive.has(sessionId)) continue;
        for (const socket of sockets) {
          socket.emit('session.ended', {});
          socket.disconnect(true);
          dropped++;
        }
      }
      return dropped;
    } catch (error) {
      this.logger.error(`Checking the sockets' sign-ins failed: ${String(error)}`);
      return 0;
    } finally {
      this.sweeping = false;
    }
  }

  handleConnection(socket: AgoraSocket): void {
    const actor = socket.data.actor;
    // Per-account and per-sign-in rooms: sign-out and removal reach the socket on any instance.
    if (actor) void socket.join([rooms.account(actor.accountId), rooms.login(actor.sessionId)]);
    // One dispatcher per socket (see `handlers`).
    socket.onAny((event: string, ...args: unknown[]) => this.dispatch(socket, event, args));
  }

  handleDisconnect(socket: AgoraSocket): void {
    this.fanout.disconnected(socket);
    this.qa.disconnected(socket);
  }

  /**
   * The messages clients may send. They are dispatched from one listener per
   * socket rather than with @SubscribeMessage, which binds an rxjs pipeline
   * per socket and message: measured at about 27 KB of heap per socket for
   * these six (Socket.IO's own socket is ~11 KB), which adds up for a forum
   * with thousands of followers. This way a follower costs ~14 KB in all.
   */
  private readonly handlers: { [K in ClientMessageName]: (socket: AgoraSocket, body: unknown) => Promise<Answer<K>> } = {
    'forum.subscribe': (socket, body) => this.subscribe(socket, body),
    'forum.unsubscribe': (socket, body) => this.unsubscribe(socket, body),
    'forum.presence': (socket, body) => this.presenceOf(socket, body),
    'thread.typing': (socket, body) => this.typing(socket, body),
    'reply.create': (socket, body) => this.createReply(socket, body),
    'reply.vote': (socket, body) => this.vote(socket, body),
    // Moderation (src/moderation): same services as its HTTP API.
    'moderation.act': (socket, body) => this.moderate(socket, body),
    'reply.flag': (socket, body) => this.flag(socket, body),
    // Live Q&A (src/live-qa): same services as its HTTP API.
    'qa.subscribe': (socket, body) =>
      this.handle(socket, 'qa.subscribe', async () => {
        // One budget with forum.subscribe: each costs a replay and a count of every question's votes.
        this.limit(`subscribe:${socket.id}`, RULES.subscribe, 'subscribing');
        return this.qa.subscribe(socket, body, await this.stillSignedIn(socket));
      }),
    'qa.unsubscribe': (socket, body) => this.handle(socket, 'qa.unsubscribe', () => this.qa.unsubscribe(socket, body)),
    'qa.ask': (socket, body) => this.qaWrite(socket, 'qa.ask', body, (actor) => this.qa.ask(body, actor)),
    'qa.edit': (socket, body) => this.qaWrite(socket, 'qa.edit', body, (actor) => this.qa.edit(body, actor)),
    'qa.withdraw': (socket, body) => this.qaWrite(socket, 'qa.withdraw', body, (actor) => this.qa.withdraw(body, actor)),
    'qa.vote': (socket, body) => this.qaWrite(socket, 'qa.vote', body, (actor) => this.qa.vote(body, actor)),
    'qa.moderate': (socket, body) => this.qaWrite(socket, 'qa.moderate', body, (actor) => this.qa.moderate(body, actor)),
    'qa.poll.create': (socket, body) => this.qaWrite(socket, 'qa.poll.create', body, (actor) => this.qa.pollCreate(body, actor)),
    'qa.poll.answer': (socket, body) => this.qaWrite(socket, 'qa.poll.answer', body, (actor) => this.qa.pollAnswer(body, actor)),
    'qa.poll.act': (socket, body) => this.qaWrite(socket, 'qa.poll.act', body, (actor) => this.qa.pollAct(body, actor)),
  };

  /** Runs a message's handler and answers through its ack (an unknown message gets an error, not silence). */
  private dispatch(socket: AgoraSocket, event: string, args: unknown[]): void {
    const ack = typeof args.at(-1) === 'function' ? (args.pop() as (response: unknown) => void) : null;
    const handler = Object.hasOwn(this.handlers, event) ? this.handlers[event as ClientMessageName] : undefined;
    if (!handler) {
      const message = `Unknown message "${String(event).slice(0, 60)}". Known messages: ${Object.keys(this.handlers).join(', ')}.`;
      ack?.({ error: { status: 400, code: 'unknown_message', message, details: [{ field: '(event)', message }] } } satisfies SocketError);
      return;
    }
    if (this.shutdown.shuttingDown) {
      ack?.({ error: { status: 503, code: 'shutting_down', message: 'This server is restarting. Try again in a moment.', retryAfterMs: 1_000 } } satisfies SocketError);
      return;
    }
    // One payload is the message; none or several can't be, and the DTO check says so.
    const body = args.length === 1 ? args[0] : args.length === 0 ? undefined : args;
    const done = this.shutdown.enter();
    void withMessageId(() => handler(socket, body))
      .then((response) => ack?.(response))
      .finally(done);
  }

  /**
   * `forum.subscribe { forumId, questionId?, lastSeq? }` → `{ forumId, questionId, seq, replayed, resync? }`.
   * Same access rule as HTTP (404 if the forum isn't readable). Events after
   * `lastSeq` arrive as `forum.events` before the ack; `resync: true` means
   * they can't be replayed (reload the forum over HTTP; live events follow).
   */
  private subscribe(socket: AgoraSocket, body: unknown): Promise<Answer<'forum.subscribe'>> {
    return this.handle(socket, 'forum.subscribe', async () => {
      const message = await parseMessage(SubscribeDto, body, '{ "forumId": 1, "lastSeq": 42 }');
      this.limit(`subscribe:${socket.id}`, RULES.subscribe, 'subscribing');
      const { forumId } = message;
      if (!socket.data.subs[forumId] && Object.keys(socket.data.subs).length >= MAX_FORUMS_PER_SOCKET) {
        throw conflict('too_many_subscriptions', `A connection can follow at most ${MAX_FORUMS_PER_SOCKET} forums; unsubscribe from one first.`);
      }
      const decide = async (): Promise<ForumSubscription> => {
        const actor = await this.stillSignedIn(socket);
        const access = await this.access.readable(actor, forumId);
        if (message.questionId !== undefined && (await this.forumOfQuestion(message.questionId)) !== forumId) {
          throw notFound('The question', 'question_not_found');
        }
        return { questionId: message.questionId ?? null, moderator: access.canModerate, canPost: access.participationRefusal === null };
      };
      // The position before the access check: an access change after it makes the fanout check again before joining.
      const checkedAt = await this.log.position(forumId);
      const sub = await decide();
      const result = await this.fanout.subscribe(socket, forumId, sub, message.lastSeq ?? null, { checkedAt, recheck: decide });
      return { forumId, questionId: sub.questionId, seq: result.seq, replayed: result.replayed, ...(result.resync ? { resync: true } : {}) };
    });
  }

  /** `forum.unsubscribe { forumId }` → `{ forumId, subscribed: false }`. */
  private unsubscribe(socket: AgoraSocket, body: unknown): Promise<Answer<'forum.unsubscribe'>> {
    return this.handle(socket, 'forum.unsubscribe', async () => {
      const { forumId } = await parseMessage(ForumMessage, body, '{ "forumId": 1 }');
      this.fanout.unsubscribe(socket, forumId);
      return { forumId, subscribed: false };
    });
  }

  /** `forum.presence { forumId }` → who follows a forum this socket follows (names for signed-in askers). */
  private presenceOf(socket: AgoraSocket, body: unknown): Promise<Answer<'forum.presence'>> {
    return this.handle(socket, 'forum.presence', async () => {
      const { forumId } = await parseMessage(ForumMessage, body, '{ "forumId": 1 }');
      if (!socket.data.subs[forumId]) throw notSubscribed();
      return this.presence.view(forumId, !socket.data.actor || isGuest(socket.data.actor));
    });
  }

  /** `thread.typing { questionId, typing? }` → `{ questionId, typing }`; others following the thread get `thread.typing`. */
  private typing(socket: AgoraSocket, body: unknown): Promise<Answer<'thread.typing'>> {
    return this.handle(socket, 'thread.typing', async () => {
      const message = await parseMessage(TypingMessage, body, '{ "questionId": 7 }');
      if (!socket.data.actor) throw unauthenticated('Sign in to take part in a thread.');
      this.limit(`typing:${socket.id}`, RULES.typing, 'sending typing notices');
      const forumId = await this.forumOfQuestion(message.questionId);
      const sub = forumId === null ? undefined : socket.data.subs[forumId];
      if (forumId === null || !sub) throw notSubscribed();
      if (!sub.canPost) throw forbidden('cannot_post', 'You can read this forum but not take part in it, so others are not shown that you are typing.');
      const typing = message.typing ?? true;
      this.presence.setTyping(socket, forumId, message.questionId, typing);
      return { questionId: message.questionId, typing };
    });
  }

  /**
   * `reply.create { clientId, questionId, parentId?, body }` → `{ reply }`,
   * acknowledged after the transaction commits. Same rules as
   * `POST /api/questions/:id/replies`. Retrying with the same clientId
   * returns the reply stored the first time and stores nothing.
   */
  private createReply(socket: AgoraSocket, body: unknown): Promise<Answer<'reply.create'>> {
    return this.handle(socket, 'reply.create', async () => {
      const message = await parseMessage(CreateReplyMessage, body, '{ "clientId": "<uuid>", "questionId": 7, "body": "…" }');
      const actor = await this.stillSignedIn(socket);
      if (!actor) throw unauthenticated('Sign in to take part in this forum.');
      return { reply: await this.replyCommands.create(actor, message.questionId, message) };
    });
  }

  /** `reply.vote { replyId, value: 1 | 0 }` → `{ vote: { replyId, voteCount, viewerVoted } }`, after commit. */
  private vote(socket: AgoraSocket, body: unknown): Promise<Answer<'reply.vote'>> {
    return this.handle(socket, 'reply.vote', async () => {
      const message = await parseMessage(VoteMessage, body, '{ "replyId": "42", "value": 1 }');
      const actor = await this.stillSignedIn(socket);
      if (!actor) throw unauthenticated('Sign in to vote.');
      return { vote: await this.replyCommands.vote(actor, message.replyId, message.value === 1) };
    });
  }

  /** A live Q&A write: the sender's sign-in checked; its commands apply the per-person limits, as over HTTP. */
  private qaWrite<K extends ClientMessageName>(socket: AgoraSocket, event: K, _body: unknown, work: (actor: MaybeActor) => Promise<ClientAck<K>>): Promise<Answer<K>> {
    return this.handle(socket, event, async () => {
      const actor = await this.stillSignedIn(socket);
      return work(actor);
    });
  }

  /**
   * `moderation.act { act, ...fields }` → `{ result }`: the same acts and
   * rules as `POST /api/moderation/acts` (ModerationService checks the caller
   * moderates the forum), acknowledged after commit.
   */
  private moderate(socket: AgoraSocket, body: unknown): Promise<Answer<'moderation.act'>> {
    return this.handle(socket, 'moderation.act', async () => {
      // Anonymous senders go through too: the service answers them as HTTP does (404 for a forum they can't read, else 401).
      const actor = await this.stillSignedIn(socket);
      return { result: await this.moderation.act(actor, body, `socket:${socket.id}`) };
    });
  }

  /** `reply.flag { replyId, reason, note? }` → `{ flag }`: as `POST /api/replies/:id/flags`. */
  private flag(socket: AgoraSocket, body: unknown): Promise<Answer<'reply.flag'>> {
    return this.handle(socket, 'reply.flag', async () => {
      const { replyId, ...dto } = await parseMessage(FlagReplyMessage, body, '{ "replyId": "42", "reason": "spam" }');
      const actor = await this.stillSignedIn(socket);
      return { flag: await this.moderation.flag(actor, replyId, dto, `socket:${socket.id}`) };
    });
  }

  /** Runs a handler; any failure becomes an error ack (unexpected ones are logged and reported as internal errors, without detail). */
  private async handle<K extends ClientMessageName>(socket: AgoraSocket, event: K, work: () => Promise<ClientAck<K>>): Promise<Answer<K>> {
    try {
      return await work();
    } catch (error) {
      return socketError(error, this.logger, `${event} from socket ${socket.id}`);
    }
  }

  private limit(key: string, rule: RateRule, what: string): void {
    const waitMs = this.limiter.take(key, rule);
    if (waitMs > 0) throw new RateLimited(waitMs, what);
  }

  /**
   * The socket's actor, after checking its sign-in still exists (a sign-out
   * elsewhere that this socket missed ends it here: it is told and dropped).
   */
  private async stillSignedIn(socket: AgoraSocket): Promise<MaybeActor> {
    const credential = this.credentials.get(socket);
    if (!socket.data.actor || !credential) return null;
    const found = await this.sessions.resolve(credential.secret, credential.kind);
    if (!found) {
      socket.emit('session.ended', {});
      setTimeout(() => socket.disconnect(true), 100).unref();
      throw unauthenticated('Your sign-in has ended. Sign in again.');
    }
    socket.data.actor = found.actor;
    return found.actor;
  }

  private async forumOfQuestion(questionId: number): Promise<number | null> {
    const cached = this.questionForums.get(questionId);
    if (cached !== undefined) return cached;
    const [row] = await this.dataSource.query(`SELECT forum_id FROM question WHERE id = $1`, [questionId]);
    if (!row) return null;
    if (this.questionForums.size > 10_000) this.questionForums.clear();
    this.questionForums.set(questionId, row.forum_id);
    return row.forum_id;
  }
}
