/** Messages between bench/live-qa.ts and its receiver processes (IPC, advanced serialization). */
import type { ConnectResult, Credential } from '../lib/sockets.js';

export type { ConnectResult };

export type QaReceiverCommand =
  | { cmd: 'connect'; url: string; credentials: Credential[]; sessionId: number; concurrency: number; timeoutMs: number }
  /** Votes to send from this process's sockets (index into its own sockets), each at its time (machine clock). */
  | { cmd: 'vote'; votes: PlannedVote[] }
  /** Every vote sent so far, with its ack. */
  | { cmd: 'sent' }
  /** How many screens show exactly these final counts (question id → votes). */
  | { cmd: 'screens'; expected: Map<number, number> }
  /** Latencies of these changes; `from`: start of the measured window (epoch ms). */
  | { cmd: 'results'; votes: TimedVote[]; highlights: TimedAct[]; asks: TimedAct[]; from: number }
  | { cmd: 'close' }
  | { cmd: 'exit' };

export interface PlannedVote {
  id: number;
  socket: number;
  questionId: number;
  at: number;
}

export interface SentVote {
  id: number;
  questionId: number;
  sentAt: number;
  /** When the ack arrived (NaN: none yet). */
  ackAt: number;
  /** The ack's `asOf` (database time of a read made after the vote committed); null on error. */
  asOf: string | null;
  error?: string;
}

/**
 * A vote whose delivery is measured. A `qa.votes` message certainly
 * includes it when its count for the question reaches `certainCount` or its
 * `asOf` is later than `ackAsOf`; `rank` is the vote's place among the
 * question's votes in sending order (the plain "count reaches my number" rule).
 */
export interface TimedVote {
  questionId: number;
  sentAt: number;
  ackAsOf: string;
  certainCount: number;
  rank: number;
}

/** A highlight or a question: measured to the `qa.events` event about that question. */
export interface TimedAct {
  questionId: number;
  sentAt: number;
}

/** Deliveries of one kind of change to this process's sockets. */
export interface Deliveries {
  /** Per (change, socket): ms from sending to that socket seeing it. */
  latencies: Float64Array;
  /** Per change: ms until the last of this process's sockets saw it (NaN if one never did). */
  last: Float64Array;
  missing: number;
}

export interface ScreensResult {
  screens: number;
  exact: number;
  firstMismatch?: string;
}

export interface QaReceiverResults {
  votes: Deliveries;
  /** The same votes by the rank rule (see TimedVote). */
  votesByRank: Deliveries;
  highlights: Deliveries;
  asks: Deliveries;
  /** Per (`qa.votes` broadcast, screen): ms from the read of its counts (`asOf`) to its arrival: the fan-out part alone. */
  fromRead: Float64Array;
  /** Distinct `qa.votes` broadcasts seen, and the byte size of the largest (JSON). */
  voteMessages: number;
  voteMessageBytes: number;
  /** `qa.events` seq seen twice or going back, on any socket (seq may skip: events for moderators only). */
  duplicates: number;
  disconnects: number;
}
