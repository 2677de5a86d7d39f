/** Messages between bench/fanout.ts and its receiver processes (IPC, advanced serialization). */
import type { ConnectResult } from '../lib/sockets.js';

export type { ConnectResult };
export { now } from '../lib/workers.js';

export type ReceiverCommand =
  | { cmd: 'connect'; url: string; tokens: (string | null)[]; forumId: number; concurrency: number; timeoutMs: number }
  | { cmd: 'record' }
  | { cmd: 'count'; sent?: Map<string, number> }
  | { cmd: 'results'; sent: Map<string, number> }
  | { cmd: 'close' }
  | { cmd: 'replay'; url: string; tokens: (string | null)[]; forumId: number; lastSeq: number; expected: number; startAt: number; timeoutMs: number }
  | { cmd: 'exit' };

export interface CountResult {
  received: number;
  duplicates: number;
  disconnects: number;
  /** Byte length of the first `forum.events` message seen since the last `record` (JSON). */
  messageBytes: number;
}

export interface ReceiverResults extends CountResult {
  /** Publish-to-receive latencies (ms) of every recorded delivery of a reply in `sent`. */
  latencies: Float64Array;
}

export interface ReplayResults {
  /** Per client that got its whole replay: ms from the common start to the subscribe ack. */
  times: Float64Array;
  /** Per such client: ms from the common start to its handshake done (connected), and to its first replayed event. */
  connectTimes: Float64Array;
  firstEventTimes: Float64Array;
  complete: number;
  incomplete: number;
  failed: number;
  firstError?: string;
}
