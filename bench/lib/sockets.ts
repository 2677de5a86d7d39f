/**
 * Socket.IO clients for the load generators: one real connection per
 * simulated screen (websocket transport, no automatic reconnection), with
 * the credential the app takes at the handshake.
 */
import { io, type Socket } from 'socket.io-client';

/** An API token (`auth.token`), a session cookie (`Cookie` header), or nothing (anonymous). */
export type Credential = { token: string } | { cookie: string } | null;

export interface ConnectResult {
  connected: number;
  failed: number;
  firstError?: string;
  ms: number;
}

export function openSocket(url: string, credential: Credential): Socket {
  return io(url, {
    transports: ['websocket'],
    forceNew: true, // one connection per socket (the default would multiplex them all over one)
    reconnection: false,
    timeout: 30_000,
    ...(credential && 'token' in credential ? { auth: { token: credential.token } } : {}),
    ...(credential && 'cookie' in credential ? { extraHeaders: { cookie: credential.cookie } } : {}),
  });
}

/** Resolves when the socket is connected; rejects on connect_error or at the deadline (epoch ms). */
export function connected(socket: Socket, deadline: number): Promise<void> {
  return new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('connect timed out')), Math.max(1, deadline - Date.now()));
    socket.once('connect', () => (clearTimeout(timer), ok()));
    socket.once('connect_error', (e: Error & { data?: unknown }) =>
      (clearTimeout(timer), fail(new Error(`connect_error: ${e.message} ${JSON.stringify(e.data ?? '')}`))));
  });
}

/**
 * Runs `connectOne` over every item, `concurrency` at a time, until the
 * deadline; stops early after 20 failures (something is wrong: don't hammer).
 * `isConnected` counts the sockets that are still up at the end.
 */
export async function connectAll<T>(
  items: T[], concurrency: number, timeoutMs: number, connectOne: (item: T, deadline: number) => Promise<void>, isConnected: () => number,
): Promise<ConnectResult> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  let next = 0;
  let failed = 0;
  let firstError: string | undefined;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length && Date.now() < deadline) {
      const item = items[next++];
      try {
        await connectOne(item, deadline);
      } catch (error) {
        failed++;
        firstError ??= (error as Error).message.slice(0, 300);
        if (failed > 20) return;
      }
    }
  }));
  return { connected: isConnected(), failed: failed + (items.length - next), firstError, ms: Date.now() - started };
}
