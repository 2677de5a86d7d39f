import { io, type Socket } from 'socket.io-client';
import { caughtUp, connection, everConnected } from './connection-state.js';
import { isForumEventType, type ForumEventType } from './protocol.js';

/**
 * The live connection: Socket.IO on the same origin, authenticated by the
 * session cookie at the handshake. Loaded only by pages that follow a forum,
 * so the first page stays small.
 *
 * Protocol (server: src/realtime/socket-types.ts):
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
} as const;

/** A change in a forum, as delivered live or replayed. */
export interface ForumEvent {
  type: ForumEventType;
  forumId: number;
  questionId: number | null;
  seq: number | null;
  data: Record<string, unknown>;
}

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
export interface QaEvent {
  type: string;
  sessionId: number;
  questionId: number | null;
  seq: number | null;
  data: Record<string, unknown>;
  /** When the server wrote it (ISO). */
  at: string | null;
}

export interface QaFollower {
  onEvent(event: QaEvent): void;
  /** Absolute vote counts (`asOf`: the server's read time; keep the newest per question). */
  onVotes?(message: Record<string, unknown>): void;
  /** Absolute poll results (`qa.poll_results`; each with its `asOf`: keep the newest per poll). */
  onPollResults?(message: Record<string, unknown>): void;
  /** Events could not all be replayed: reload the Q&A over HTTP. */
  onResync?(): void;
  /** The server confirmed the subscription; `ack` carries the vote counts snapshot. */
  onSubscribed?(first: boolean, ack: Record<string, unknown>): void;
  onRefused?(code: string, message: string): void;
}

/** An event of any stream, before it is addressed to a forum or a session. */
interface StreamEvent {
  type: string;
  questionId: number | null;
  seq: number | null;
  data: Json;
  at: string | null;
}

/** A numbered stream the server replays from a sequence: a forum's events, or a session's live Q&A. */
interface Channel {
  /** Routes events to subscriptions: `forum:<id>` or `qa:<sessionId>`. */
  key: string;
  subscribe: string;
  unsubscribe: string;
  /** The subscribe and unsubscribe messages' own fields (lastSeq is added). */
  params: Json;
}

interface StreamFollower {
  onEvent(event: StreamEvent): void;
  onResync?(): void;
  onSubscribed?(first: boolean, ack: Json): void;
  onRefused?(code: string, message: string): void;
  /** Q&A vote counts (`qa.votes`). */
  onVotes?(message: Json): void;
  /** Q&A poll results (`qa.poll_results`). */
  onPollResults?(message: Json): void;
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

type Json = Record<string, unknown>;

const subscriptions = new Set<Subscription>();
let socket: Socket | null = null;
/** A reconnection we asked for (new sign-in): no banner, no "back online". */
let quiet = false;

const int = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null;

function getSocket(): Socket {
  if (socket) return socket;
  const s = io({ path: '/socket.io', withCredentials: true, reconnectionDelay: 500, reconnectionDelayMax: 3000 });
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
  const onEvents = (prefix: string, idField: string) => (message: Json) => {
    const id = int(message?.[idField]);
    if (id === null || !Array.isArray(message.events)) return;
    for (const e of message.events as Json[]) deliver(`${prefix}:${id}`, toStreamEvent(e));
  };
  const onLeft = (prefix: string, idField: string) => (message: Json) => {
    const key = `${prefix}:${int(message?.[idField])}`;
    const reason = String(message?.reason ?? '');
    for (const sub of [...subscriptions]) {
      if (sub.channel.key !== key) continue;
      // resync: follow again; the answer says to reload.
      if (reason === 'resync') void subscribe(sub);
      else sub.follower.onRefused?.(reason || 'access_lost', '');
    }
  };
  s.on(EVENTS.events, onEvents('forum', 'forumId'));
  s.on(EVENTS.left, onLeft('forum', 'forumId'));
  s.on(EVENTS.qaEvents, onEvents('qa', 'sessionId'));
  s.on(EVENTS.qaLeft, onLeft('qa', 'sessionId'));
  s.on(EVENTS.qaVotes, (message: Json) => {
    const key = `qa:${int(message?.sessionId)}`;
    for (const sub of subscriptions) if (sub.channel.key === key) sub.follower.onVotes?.(message);
  });
  s.on(EVENTS.qaPollResults, (message: Json) => {
    const key = `qa:${int(message?.sessionId)}`;
    for (const sub of subscriptions) if (sub.channel.key === key) sub.follower.onPollResults?.(message);
  });
  s.on(EVENTS.presence, (p: Json) => {
    const forumId = int(p?.forumId);
    const members = Array.isArray(p?.members) ? (p.members as Json[]).map(person) : [];
    const presence: Presence = { count: int(p?.count) ?? members.length, members };
    for (const sub of subscriptions) if (sub.forum?.forumId === forumId) sub.forum.follower.onPresence?.(presence);
  });
  s.on(EVENTS.typing, (p: Json) => {
    const forumId = int(p?.forumId);
    const questionId = int(p?.questionId);
    const who = person(p?.account as Json);
    for (const sub of subscriptions) {
      if (sub.forum?.forumId !== forumId || (sub.questionId !== null && sub.questionId !== questionId)) continue;
      sub.forum.follower.onTyping?.(who, p?.typing !== false, int(p?.ttlMs) ?? 5000);
    }
  });
  s.on(EVENTS.sessionEnded, () => {
    window.dispatchEvent(new CustomEvent('agora:session-ended'));
  });
  return s;
}

function person(p: Json | null | undefined): { id: string; displayName: string } {
  return { id: String(p?.id ?? ''), displayName: String(p?.displayName ?? '') };
}

function toStreamEvent(e: Json): StreamEvent {
  const data = (e.payload ?? {}) as Json;
  const reply = data.reply as Json | undefined;
  return {
    type: String(e.type ?? ''),
    questionId: int(e.questionId ?? data.questionId ?? reply?.questionId),
    seq: int(e.seq),
    data,
    at: typeof e.at === 'string' ? e.at : null,
  };
}

function deliver(key: string, event: StreamEvent): void {
  for (const sub of subscriptions) {
    if (sub.channel.key !== key) continue;
    if (sub.questionId !== null && event.questionId !== null && sub.questionId !== event.questionId) continue;
    if (event.seq !== null) {
      if (sub.lastSeq !== null && event.seq <= sub.lastSeq) continue; // already applied
      sub.lastSeq = event.seq;
    }
    sub.follower.onEvent(event);
  }
}

function resync(sub: Subscription): void {
  sub.follower.onResync?.();
}

function subscribe(sub: Subscription): Promise<void> {
  const s = getSocket();
  if (!s.connected) return Promise.resolve();
  const message: Json = { ...sub.channel.params };
  const replaying = sub.lastSeq !== null;
  if (replaying) message.lastSeq = sub.lastSeq;
  const reconnecting = sub.followed;
  return new Promise((done) => {
    s.timeout(15_000).emit(sub.channel.subscribe, message, (err: Error | null, ack: Json | undefined) => {
      done();
      if (!subscriptions.has(sub) || err) return; // no answer in time: the next connection tries again
      const error = (ack?.error ?? null) as Json | null;
      if (error) {
        sub.follower.onRefused?.(String(error.code ?? 'error'), String(error.message ?? ''));
        return;
      }
      sub.followed = true;
      sub.follower.onSubscribed?.(!reconnecting, ack ?? {});
      const seq = int(ack?.seq);
      if (ack?.resync === true) {
        if (seq !== null) sub.lastSeq = seq;
        resync(sub);
        return;
      }
      // The replayed events (emitted before this answer) are applied; from here on we are at `seq`.
      if (seq !== null && (sub.lastSeq === null || seq > sub.lastSeq)) sub.lastSeq = seq;
      // Back after a drop without knowing where we were: nothing could be replayed, so reload.
      if (reconnecting && !replaying) resync(sub);
    });
  });
}

function start(sub: Subscription): () => void {
  subscriptions.add(sub);
  const s = getSocket();
  if (s.connected) void subscribe(sub);
  else if (connection.get() === 'idle') connection.set('connecting');
  return () => {
    subscriptions.delete(sub);
    const { key, unsubscribe, params } = sub.channel;
    if (s.connected && ![...subscriptions].some((x) => x.channel.key === key)) s.emit(unsubscribe, params, () => undefined);
  };
}

/**
 * Follows a forum (optionally narrowed to one question's thread) until the
 * returned function is called. `fromSeq`: the position a page was read at
 * (what changed since is replayed); null follows from now.
 */
export function follow(forumId: number, questionId: number | null, follower: Follower, fromSeq: number | null = null): () => void {
  const params: Json = { forumId };
  if (questionId !== null) params.questionId = questionId;
  return start({
    channel: { key: `forum:${forumId}`, subscribe: EVENTS.subscribe, unsubscribe: EVENTS.unsubscribe, params },
    questionId,
    follower: {
      // A type this client doesn't know (a newer server) is skipped; its seq still counts as applied.
      onEvent: (e) => {
        if (isForumEventType(e.type)) follower.onEvent({ ...e, type: e.type, forumId });
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
    channel: { key: `qa:${sessionId}`, subscribe: EVENTS.qaSubscribe, unsubscribe: EVENTS.qaUnsubscribe, params: { sessionId } },
    questionId: null,
    follower: {
      onEvent: (e) => follower.onEvent({ ...e, sessionId }),
      onVotes: (m) => follower.onVotes?.(m),
      onPollResults: (m) => follower.onPollResults?.(m),
      onResync: () => follower.onResync?.(),
      onSubscribed: (first, ack) => follower.onSubscribed?.(first, ack),
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
export function watchNotifications(onChange: (message: { notification?: Json; unread: number }) => void, onConnect: () => void): () => void {
  const s = getSocket();
  const listener = (m: Json) => onChange({ notification: (m?.notification ?? undefined) as Json | undefined, unread: int(m?.unread) ?? 0 });
  s.on('notifications.changed' as never, listener as never);
  s.on('connect', onConnect);
  if (connection.get() === 'idle') connection.set('connecting');
  return () => {
    s.off('notifications.changed' as never, listener as never);
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
