import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { ForumEventView } from '../../src/events/forum-event.js';
import type { TestPerson } from './people.js';

/**
 * Socket.IO clients for e2e tests: every message sent with an ack is
 * awaited with a timeout (a missing ack fails the test instead of passing
 * silently), and everything the server pushes is recorded so a test can
 * wait for it or assert that nothing arrived.
 */
export interface TestSocket {
  raw: Socket;
  /** Every server push so far, in arrival order. */
  received: { event: string; data: unknown }[];
  /** Sends a message and resolves with the server's ack; rejects if none comes within `timeoutMs`. */
  request<T = any>(event: string, ...args: unknown[]): Promise<T>;
  /** Resolves with the first push (past or future) of `event` that matches. */
  waitFor<T = any>(event: string, match?: (data: T) => boolean, timeoutMs?: number): Promise<T>;
  /** The forum events received for a forum, flattened, in arrival order. */
  forumEvents(forumId: number): ForumEventView[];
  /** Resolves once `count` events of the forum have arrived (rejects after the timeout with what did). */
  waitForEvents(forumId: number, count: number, timeoutMs?: number): Promise<ForumEventView[]>;
  /**
   * Waits for the forum's event `seq` (a sentinel recorded after the action
   * under test) and resolves with the forum's events that arrived before it.
   * A stream is delivered in order, so whatever the action sent this socket
   * has arrived by then: "nothing arrived" needs no sleep.
   */
  eventsBefore(forumId: number, seq: number, timeoutMs?: number): Promise<ForumEventView[]>;
  /**
   * Resolves once the server has answered a message (an unknown one, which
   * changes nothing). One connection delivers in order, so whatever the
   * server sent this socket before has arrived by then: with a follower
   * having received a sentinel, it shows nothing reached a socket that
   * does not follow the stream.
   */
  roundTrip(): Promise<void>;
  /** Resolves when the socket is disconnected, with the reason. */
  disconnected(timeoutMs?: number): Promise<string>;
  close(): void;
}

export interface ConnectOptions {
  /** A Cookie header, e.g. from sessionCookie(). */
  cookie?: string;
  /** An API token, sent as `auth: { token }`. */
  token?: string;
  origin?: string;
  transports?: ('polling' | 'websocket')[];
  reconnection?: boolean;
  /** How long the handshake may take (default 5 s; bulk connects on a busy machine take longer). */
  connectTimeoutMs?: number;
}

const ACK_TIMEOUT_MS = 5_000;

/** Connects and resolves once connected; rejects with the connect_error (message and data) if refused. */
export function connectSocket(url: string, options: ConnectOptions = {}): Promise<TestSocket> {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  if (options.origin) headers.origin = options.origin;
  const opts: Partial<ManagerOptions & SocketOptions> = {
    path: '/socket.io',
    transports: options.transports ?? ['websocket'],
    extraHeaders: headers,
    auth: options.token ? { token: options.token } : {},
    reconnection: options.reconnection ?? false,
    forceNew: true,
    timeout: options.connectTimeoutMs ?? 5_000,
  };
  const raw = io(url, opts);
  const received: TestSocket['received'] = [];
  const listeners = new Set<() => void>();
  raw.onAny((event: string, data: unknown) => {
    received.push({ event, data });
    for (const l of [...listeners]) l();
  });
  let disconnectReason: string | null = null;
  raw.on('disconnect', (reason) => {
    disconnectReason = reason;
    for (const l of [...listeners]) l();
  });

  const until = <T>(check: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> =>
    new Promise((resolve, reject) => {
      const done = check();
      if (done !== undefined) return resolve(done);
      const listener = () => {
        const value = check();
        if (value === undefined) return;
        clearTimeout(timer);
        listeners.delete(listener);
        resolve(value);
      };
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what()}`));
      }, timeoutMs);
      listeners.add(listener);
    });

  const socket: TestSocket = {
    raw,
    received,
    async request(event, ...args) {
      return raw.timeout(ACK_TIMEOUT_MS).emitWithAck(event, ...args);
    },
    waitFor(event, match = () => true, timeoutMs = ACK_TIMEOUT_MS) {
      return until(
        () => received.find((r) => r.event === event && match(r.data as never))?.data as never,
        timeoutMs,
        () => `"${event}" (received: ${JSON.stringify(received.map((r) => r.event))})`,
      );
    },
    forumEvents(forumId) {
      return received
        .filter((r) => r.event === 'forum.events' && (r.data as { forumId: number }).forumId === forumId)
        .flatMap((r) => (r.data as { events: ForumEventView[] }).events);
    },
    waitForEvents(forumId, count, timeoutMs = ACK_TIMEOUT_MS) {
      return until(
        () => {
          const events = socket.forumEvents(forumId);
          return events.length >= count ? events : undefined;
        },
        timeoutMs,
        () => `${count} events of forum ${forumId} (got seqs ${JSON.stringify(socket.forumEvents(forumId).map((e) => e.seq))})`,
      );
    },
    async eventsBefore(forumId, seq, timeoutMs = ACK_TIMEOUT_MS) {
      const index = () => socket.forumEvents(forumId).findIndex((e) => e.seq === seq);
      await until(
        () => (index() >= 0 ? true : undefined),
        timeoutMs,
        () => `sentinel event ${seq} of forum ${forumId} (got seqs ${JSON.stringify(socket.forumEvents(forumId).map((e) => e.seq))})`,
      );
      return socket.forumEvents(forumId).slice(0, index());
    },
    async roundTrip() {
      const ack = await raw.timeout(ACK_TIMEOUT_MS).emitWithAck('test.round-trip');
      if (ack?.error?.code !== 'unknown_message') throw new Error(`round trip got ${JSON.stringify(ack)}`);
    },
    disconnected(timeoutMs = ACK_TIMEOUT_MS) {
      return until(() => disconnectReason ?? undefined, timeoutMs, () => 'a disconnect');
    },
    close() {
      raw.close();
    },
  };

  return new Promise((resolve, reject) => {
    raw.once('connect', () => resolve(socket));
    raw.once('connect_error', (error: Error & { data?: unknown }) => {
      raw.close();
      reject(Object.assign(new Error(`connect_error: ${error.message}`), { data: error.data, original: error }));
    });
  });
}

/** Signs in over HTTP and returns the Cookie header carrying the new session (each call is a new sign-in). */
export async function sessionCookie(url: string, person: Pick<TestPerson, 'email' | 'password'>): Promise<string> {
  const res = await fetch(`${url}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: person.email, password: person.password }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${person.email} got ${res.status}: ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('agora_session='));
  if (!cookie) throw new Error('sign-in set no agora_session cookie');
  return cookie.split(';')[0];
}

/** Resolves after `ms` (pacing, e.g. writes while an instance is killed; to prove that nothing arrived, use a sentinel: eventsBefore). */
export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries `check` (which throws while its expectation fails) until it passes, or rethrows its last failure after `timeoutMs`. */
export async function eventually(check: () => Promise<void>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await pause(50);
    }
  }
}
