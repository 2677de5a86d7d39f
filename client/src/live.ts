import { io, type Socket } from 'socket.io-client';
import { caughtUp, connection, everConnected } from './connection-state.js';

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
 */

export const EVENTS = {
  subscribe: 'forum.subscribe',
  unsubscribe: 'forum.unsubscribe',
  events: 'forum.events',
  left: 'forum.left',
  presence: 'forum.presence',
  typing: 'thread.typing',
  sessionEnded: 'session.ended',
} as const;

/** A change in a forum, as delivered live or replayed. */
export interface ForumEvent {
  type: string;
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

interface Subscription {
  forumId: number;
  questionId: number | null;
  follower: Follower;
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
  s.on(EVENTS.events, (message: Json) => {
    const forumId = int(message?.forumId);
    if (forumId === null || !Array.isArray(message.events)) return;
    for (const e of message.events as Json[]) deliver(toForumEvent(forumId, e));
  });
  s.on(EVENTS.left, (message: Json) => {
    const forumId = int(message?.forumId);
    const reason = String(message?.reason ?? '');
    for (const sub of [...subscriptions]) {
      if (sub.forumId !== forumId) continue;
      // resync: follow again; the answer says to reload.
      if (reason === 'resync') void subscribe(sub);
      else sub.follower.onRefused?.(reason || 'access_lost', '');
    }
  });
  s.on(EVENTS.presence, (p: Json) => {
    const forumId = int(p?.forumId);
    const members = Array.isArray(p?.members) ? (p.members as Json[]).map(person) : [];
    const presence: Presence = { count: int(p?.count) ?? members.length, members };
    for (const sub of subscriptions) if (sub.forumId === forumId) sub.follower.onPresence?.(presence);
  });
  s.on(EVENTS.typing, (p: Json) => {
    const forumId = int(p?.forumId);
    const questionId = int(p?.questionId);
    const who = person(p?.account as Json);
    for (const sub of subscriptions) {
      if (sub.forumId !== forumId || (sub.questionId !== null && sub.questionId !== questionId)) continue;
      sub.follower.onTyping?.(who, p?.typing !== false, int(p?.ttlMs) ?? 5000);
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

export function toForumEvent(forumId: number, e: Json): ForumEvent {
  const data = (e.payload ?? {}) as Json;
  const reply = data.reply as Json | undefined;
  return {
    type: String(e.type ?? ''),
    forumId,
    questionId: int(e.questionId ?? data.questionId ?? reply?.questionId),
    seq: int(e.seq),
    data,
  };
}

function deliver(event: ForumEvent): void {
  for (const sub of subscriptions) {
    if (sub.forumId !== event.forumId) continue;
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
  const message: Json = { forumId: sub.forumId };
  if (sub.questionId !== null) message.questionId = sub.questionId;
  const replaying = sub.lastSeq !== null;
  if (replaying) message.lastSeq = sub.lastSeq;
  const reconnecting = sub.followed;
  return new Promise((done) => {
    s.timeout(15_000).emit(EVENTS.subscribe, message, (err: Error | null, ack: Json | undefined) => {
      done();
      if (!subscriptions.has(sub) || err) return; // no answer in time: the next connection tries again
      const error = (ack?.error ?? null) as Json | null;
      if (error) {
        sub.follower.onRefused?.(String(error.code ?? 'error'), String(error.message ?? ''));
        return;
      }
      sub.followed = true;
      sub.follower.onSubscribed?.(!reconnecting);
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

/** Follows a forum (optionally narrowed to one question's thread) until the returned function is called. */
export function follow(forumId: number, questionId: number | null, follower: Follower): () => void {
  const sub: Subscription = { forumId, questionId, follower, lastSeq: null, followed: false };
  subscriptions.add(sub);
  const s = getSocket();
  if (s.connected) void subscribe(sub);
  else if (connection.get() === 'idle') connection.set('connecting');
  return () => {
    subscriptions.delete(sub);
    if (s.connected && ![...subscriptions].some((x) => x.forumId === forumId)) s.emit(EVENTS.unsubscribe, { forumId }, () => undefined);
  };
}

let lastTyping = 0;
/** Tells others in the thread that this person is typing (at most every 2.5 s). */
export function typing(questionId: number): void {
  const now = Date.now();
  if (now - lastTyping < 2500 || !socket?.connected) return;
  lastTyping = now;
  socket.emit(EVENTS.typing, { questionId, typing: true }, () => undefined);
}

/** After sign-in or sign-out: a new handshake carries the new cookie. */
export function reauthenticate(): void {
  if (!socket) return;
  quiet = true;
  socket.disconnect();
  socket.connect();
}
