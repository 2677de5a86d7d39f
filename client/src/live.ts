import { io, type Socket } from 'socket.io-client';
import { caughtUp, connection, everConnected } from './connection-state.js';
import {
  isForumEventType,
  isQaEventType,
  type ClientAck,
  type ClientMessage,
  type ClientMessageName,
  type ForumEventView,
  type PollResultsView,
  type QaEventView,
  type ServerMessageName,
  type ServerMessages,
  type SocketError,
  type VoteCountsView,
  type Wire,
} from './protocol.js';

/**
 * The live connection: Socket.IO on the same origin, authenticated by the
 * session cookie at the handshake. Loaded only by pages that follow a forum,
 * so the first page stays small.
 *
 * Protocol (typed in src/protocol/socket-messages.ts, which the server compiles against too):
 * - emit `forum.subscribe` {forumId, questionId?, lastSeq?} → ack {seq, resync, replayed} | {error}
 *   Following afresh sends no lastSeq; after a reconnection it sends the last
 *   sequence applied, and the server replays what was missed, in order, then
 *   goes live; or answers resync (gap too large) and the page reloads.
 * - emit `forum.unsubscribe` {forumId}; `thread.typing` {questionId, typing}
 * - receive `forum.events` {forumId, events: [{seq, type, questionId, payload, at}]},
 *   `forum.left` {forumId, reason}, `forum.presence` {forumId, count, anonymous, members},
 *   `thread.typing` {forumId, questionId, account, typing, ttlMs}, `session.ended`.
 * Events are applied once each: anything at or below the last applied
 * sequence is dropped.
 *
 * The live Q&A of a session is a second stream of the same kind, with the
 * same replay rules: `qa.subscribe` {sessionId, lastSeq?} → ack {seq, resync,
 * counts, countsAsOf} | {error}; `qa.unsubscribe`; receive `qa.events`
 * {sessionId, events}, `qa.left` {sessionId, reason}, and `qa.votes`
 * {sessionId, asOf, counts} (vote counts, not in the log: newest asOf wins).
 */

export const EVENTS = {
  subscribe: 'forum.subscribe',
  unsubscribe: 'forum.unsubscribe',
  events: 'forum.events',
  left: 'forum.left',
  presence: 'forum.presence',
  typing: 'thread.typing',
  sessionEnded: 'session.ended',
  qaSubscribe: 'qa.subscribe',
  qaUnsubscribe: 'qa.unsubscribe',
  qaEvents: 'qa.events',
  qaLeft: 'qa.left',
  qaVotes: 'qa.votes',
  qaPollResults: 'qa.poll_results',
} as const satisfies Record<string, ClientMessageName | ServerMessageName>;

/** A change in a forum, as delivered live or replayed: its payload typed by its type (src/protocol). */
export type ForumEvent = ForumEventView & { forumId: number };

export interface Presence {
  count: number;
  members: { id: string; displayName: string }[];
}

export interface Follower {
  onEvent(event: ForumEvent): void;
  onPresence?(presence: Presence): void;
  onTyping?(who: { id: string; displayName: string }, typing: boolean, ttlMs: number): void;
  /** Events could not all be replayed: reload this forum's data over HTTP. */
  onResync?(): void;
  /** The server confirmed the subscription (`first`: on this page, not after a reconnection). */
  onSubscribed?(first: boolean): void;
  /** The server refused or ended the subscription (e.g. the forum is no longer visible to this person). */
  onRefused?(code: string, message: string): void;
}

/** A live Q&A change, as delivered live or replayed. */
export type QaEvent = QaEventView & { sessionId: number };

export interface QaFollower {
  onEvent(event: QaEvent): void;
  /** Absolute vote counts (`asOf`: the server's read time; keep the newest per question). */
  onVotes?(counts: VoteCountsView): void;
  /** Absolute poll results (`qa.poll_results`; each with its `asOf`: keep the newest per poll). */
  onPollResults?(results: PollResultsView[]): void;
  /** Events could not all be replayed: reload the Q&A over HTTP. */
  onResync?(): void;
  /** The server confirmed the subscription; `ack` carries the vote counts and poll results snapshot. */
  onSubscribed?(first: boolean, ack: ClientAck<'qa.subscribe'>): void;
  onRefused?(code: string, message: string): void;
}

/** An event of any stream, before it is addressed to a forum or a session. */
type StreamEvent = ForumEventView | QaEventView;
type SubscribeAck = ClientAck<'forum.subscribe'> | ClientAck<'qa.subscribe'>;

/**
 * A numbered stream the server replays from a sequence: a forum's events, or
 * a session's live Q&A. `key` routes events to subscriptions (`forum:<id>`
 * or `qa:<sessionId>`); `params` are the subscribe and unsubscribe
 * messages' own fields (lastSeq is added).
 */
type Channel = { key: string } & (
  | { kind: 'forum'; params: { forumId: number; questionId?: number } }
  | { kind: 'qa'; params: { sessionId: number } }
);

interface StreamFollower {
  onEvent(event: StreamEvent): void;
  onResync?(): void;
  onSubscribed?(first: boolean, ack: SubscribeAck): void;
  onRefused?(code: string, message: string): void;
  /** Q&A vote counts (`qa.votes`). */
  onVotes?(message: VoteCountsView): void;
  /** Q&A poll results (`qa.poll_results`). */
  onPollResults?(results: PollResultsView[]): void;
}

interface Subscription {
  channel: Channel;
  /** Forum subscriptions narrowed to one thread. */
  questionId: number | null;
  follower: StreamFollower;
  /** Presence and typing, for forum subscriptions. */
  forum?: { forumId: number; follower: Follower };
  /** Highest sequence applied; null until known. */
  lastSeq: number | null;
  /** Subscribed at least once (so a later subscribe is a reconnection). */
  followed: boolean;
}

/** The socket, typed by the protocol: what the server sends, and what we send with the ack's answer. */
type Listens = { [K in ServerMessageName]: (message: Wire<ServerMessages[K]>) => void };
type Sends = { [K in ClientMessageName]: (message: ClientMessage<K>, ack: (response: Wire<ClientAck<K>> | SocketError) => void) => void };
type AgoraSocket = Socket<Listens, Sends>;

const subscriptions = new Set<Subscription>();
let socket: AgoraSocket | null = null;
/** A reconnection we asked for (new sign-in): no banner, no "back online". */
let quiet = false;

function getSocket(): AgoraSocket {
  if (socket) return socket;
  const s: AgoraSocket = io({ path: '/socket.io', withCredentials: true, reconnectionDelay: 500, reconnectionDelayMax: 3000 });
  socket = s;
  s.on('connect', () => {
    connection.set('connected');
    const again = everConnected.get() && !quiet;
    quiet = false;
    everConnected.set(true);
    Promise.all([...subscriptions].map(subscribe)).then(() => {
      if (!again) return;
      caughtUp.set(true);
      setTimeout(() => caughtUp.set(false), 4000);
    });
  });
  s.on('disconnect', (reason) => {
    connection.set(quiet ? 'connecting' : 'disconnected');
    // The server closed us (sign-out elsewhere, or our sign-in ended): come back with the cookie we have now.
    if (reason === 'io server disconnect') setTimeout(() => s.connect(), 300);
  });
  s.on('connect_error', () => {
    if (!s.active) setTimeout(() => s.connect(), 1000);
    connection.set('disconnected');
  });
  const onLeft = (key: string, reason: ServerMessages['forum.left']['reason']) => {
    for (const sub of [...subscriptions]) {
      if (sub.channel.key !== key) continue;
      // resync: follow again; the answer says to reload.
      if (reason === 'resync') void subscribe(sub);
      else sub.follower.onRefused?.(reason || 'access_lost', '');
    }
  };
  s.on(EVENTS.events, ({ forumId, events }) => {
    for (const e of events) deliver(`forum:${forumId}`, e);
  });
  s.on(EVENTS.left, ({ forumId, reason }) => onLeft(`forum:${forumId}`, reason));
  s.on(EVENTS.qaEvents, ({ sessionId, events }) => {
    for (const e of events) deliver(`qa:${sessionId}`, e);
  });
  s.on(EVENTS.qaLeft, ({ sessionId, reason }) => onLeft(`qa:${sessionId}`, reason));
  s.on(EVENTS.qaVotes, ({ sessionId, asOf, counts }) => {
    for (const sub of subscriptions) if (sub.channel.key === `qa:${sessionId}`) sub.follower.onVotes?.({ asOf, counts });
  });
  s.on(EVENTS.qaPollResults, ({ sessionId, results }) => {
    for (const sub of subscriptions) if (sub.channel.key === `qa:${sessionId}`) sub.follower.onPollResults?.(results);
  });
  s.on(EVENTS.presence, ({ forumId, count, members }) => {
    const presence: Presence = { count, members };
    for (const sub of subscriptions) if (sub.forum?.forumId === forumId) sub.forum.follower.onPresence?.(presence);
  });
  s.on(EVENTS.typing, ({ forumId, questionId, account, typing, ttlMs }) => {
    for (const sub of subscriptions) {
      if (sub.forum?.forumId !== forumId || (sub.questionId !== null && sub.questionId !== questionId)) continue;
      sub.forum.follower.onTyping?.(account, typing, ttlMs);
    }
  });
  s.on(EVENTS.sessionEnded, () => {
    window.dispatchEvent(new CustomEvent('agora:session-ended'));
  });
  return s;
}

/** The thread an event concerns: the event's own, or (forum-wide events) the one its payload names. */
function threadOf(e: StreamEvent): number | null {
  const payload = e.payload as { questionId?: number | null; reply?: { questionId?: number } };
  return e.questionId ?? payload.questionId ?? payload.reply?.questionId ?? null;
}

function deliver(key: string, event: StreamEvent): void {
  const questionId = threadOf(event);
  for (const sub of subscriptions) {
    if (sub.channel.key !== key) continue;
    if (sub.questionId !== null && questionId !== null && sub.questionId !== questionId) continue;
    if (sub.lastSeq !== null && event.seq <= sub.lastSeq) continue; // already applied
    sub.lastSeq = event.seq;
    sub.follower.onEvent({ ...event, questionId });
  }
}

function resync(sub: Subscription): void {
  sub.follower.onResync?.();
}

function subscribe(sub: Subscription): Promise<void> {
  const s = getSocket();
  if (!s.connected) return Promise.resolve();
  const replaying = sub.lastSeq !== null;
  const from = sub.lastSeq !== null ? { lastSeq: sub.lastSeq } : {};
  const reconnecting = sub.followed;
  return new Promise((done) => {
    const answered = (err: Error | null, ack: SubscribeAck | SocketError) => {
      done();
      if (!subscriptions.has(sub) || err) return; // no answer in time: the next connection tries again
      if ('error' in ack) {
        sub.follower.onRefused?.(ack.error.code, ack.error.message);
        return;
      }
      sub.followed = true;
      sub.follower.onSubscribed?.(!reconnecting, ack);
      if (ack.resync === true) {
        sub.lastSeq = ack.seq;
        resync(sub);
        return;
      }
      // The replayed events (emitted before this answer) are applied; from here on we are at `seq`.
      if (sub.lastSeq === null || ack.seq > sub.lastSeq) sub.lastSeq = ack.seq;
      // Back after a drop without knowing where we were: nothing could be replayed, so reload.
      if (reconnecting && !replaying) resync(sub);
    };
    const { channel } = sub;
    if (channel.kind === 'forum') s.timeout(15_000).emit(EVENTS.subscribe, { ...channel.params, ...from }, answered);
    else s.timeout(15_000).emit(EVENTS.qaSubscribe, { ...channel.params, ...from }, answered);
  });
}

function start(sub: Subscription): () => void {
  subscriptions.add(sub);
  const s = getSocket();
  if (s.connected) void subscribe(sub);
  else if (connection.get() === 'idle') connection.set('connecting');
  return () => {
    subscriptions.delete(sub);
    const { channel } = sub;
    if (!s.connected || [...subscriptions].some((x) => x.channel.key === channel.key)) return;
    if (channel.kind === 'forum') s.emit(EVENTS.unsubscribe, channel.params, () => undefined);
    else s.emit(EVENTS.qaUnsubscribe, channel.params, () => undefined);
  };
}

/**
 * Follows a forum (optionally narrowed to one question's thread) until the
 * returned function is called. `fromSeq`: the position a page was read at
 * (what changed since is replayed); null follows from now.
 */
export function follow(forumId: number, questionId: number | null, follower: Follower, fromSeq: number | null = null): () => void {
  const params = questionId !== null ? { forumId, questionId } : { forumId };
  return start({
    channel: { key: `forum:${forumId}`, kind: 'forum', params },
    questionId,
    follower: {
      // A type this client doesn't know (a newer server) is skipped; its seq still counts as applied.
      onEvent: (e) => {
        if (isForumEventType(e.type)) follower.onEvent({ ...(e as ForumEventView), forumId });
      },
      onResync: () => follower.onResync?.(),
      onSubscribed: (first) => follower.onSubscribed?.(first),
      onRefused: (code, message) => follower.onRefused?.(code, message),
    },
    forum: { forumId, follower },
    lastSeq: fromSeq,
    followed: false,
  });
}

/**
 * Follows a session's live Q&A from `fromSeq` (the position its HTTP list was
 * read at, so what happened since is replayed) until the returned function is called.
 */
export function followQa(sessionId: number, fromSeq: number | null, follower: QaFollower): () => void {
  return start({
    channel: { key: `qa:${sessionId}`, kind: 'qa', params: { sessionId } },
    questionId: null,
    follower: {
      // As for forums: a type this client doesn't know is skipped.
      onEvent: (e) => {
        if (isQaEventType(e.type)) follower.onEvent({ ...(e as QaEventView), sessionId });
      },
      onVotes: (m) => follower.onVotes?.(m),
      onPollResults: (m) => follower.onPollResults?.(m),
      onResync: () => follower.onResync?.(),
      onSubscribed: (first, ack) => follower.onSubscribed?.(first, ack as ClientAck<'qa.subscribe'>),
      onRefused: (code, message) => follower.onRefused?.(code, message),
    },
    lastSeq: fromSeq,
    followed: false,
  });
}

let lastTyping = 0;
/** Tells others in the thread that this person is typing (at most every 2.5 s). */
export function typing(questionId: number): void {
  const now = Date.now();
  if (now - lastTyping < 2500 || !socket?.connected) return;
  lastTyping = now;
  socket.emit(EVENTS.typing, { questionId, typing: true }, () => undefined);
}

/**
 * Listens to the account's notifications (`notifications.changed` on the same
 * socket: a new one with the unread count, or just the count) until the
 * returned function is called. `onConnect` runs on every (re)connection, so
 * the caller can read the count again after a drop.
 */
export function watchNotifications(onChange: (message: ServerMessages['notifications.changed']) => void, onConnect: () => void): () => void {
  const s = getSocket();
  const listener = (m: ServerMessages['notifications.changed']) => onChange(m);
  s.on('notifications.changed', listener);
  s.on('connect', onConnect);
  if (connection.get() === 'idle') connection.set('connecting');
  return () => {
    s.off('notifications.changed', listener);
    s.off('connect', onConnect);
  };
}

/** After sign-in or sign-out: a new handshake carries the new cookie. */
export function reauthenticate(): void {
  if (!socket) return;
  quiet = true;
  socket.disconnect();
  socket.connect();
}
