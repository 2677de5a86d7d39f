import type { Server, Socket } from 'socket.io';
import type { MaybeActor } from '../auth/actor.js';
import type { PollResultsView } from '../live-qa/polls/poll-results.js';
import type { ForumEvent, ForumEventView, StreamEvent, StreamEventView } from './forum-event.js';

/** The error an ack carries when a message is refused; same codes and messages as the HTTP API. */
export interface SocketError {
  error: { status: number; code: string; message: string; details?: { field: string; message: string }[]; retryAfterMs?: number; requestId?: string };
}

/** One forum a socket follows. */
export interface ForumSubscription {
  questionId: number | null;
  moderator: boolean;
  /** May take part (reply, vote, show as typing), by the forum's rule when last checked. */
  canPost: boolean;
}

/** Per-socket state; plain data, since the adapter serialises it for fetchSockets() on other instances. */
export interface SocketData {
  actor: MaybeActor;
  /** Followed forums by id. */
  subs: Record<number, ForumSubscription>;
  /** Followed live Q&As by session id (see src/live-qa). */
  qaSubs?: Record<number, { questionId: null; moderator: boolean }>;
}

export interface PresenceView {
  forumId: number;
  /** People following the forum now: signed-in accounts plus anonymous visitors. */
  count: number;
  anonymous: number;
  /** Signed-in people (at most 100), by name; empty for anonymous receivers. */
  members: { id: string; displayName: string }[];
}

export interface TypingView {
  forumId: number;
  questionId: number;
  account: { id: string; displayName: string };
  typing: boolean;
  /** Show the indicator this long unless refreshed. */
  ttlMs: number;
}

/** What the server sends to clients (besides acks). */
export interface ServerToClientEvents {
  /** Events of a followed forum, in sequence order: replayed ones first, then live ones, each exactly once. */
  'forum.events': (message: { forumId: number; events: ForumEventView[] }) => void;
  /**
   * The socket no longer follows the forum: removed from it, the forum became
   * unreadable to this person, or (`resync`) the server could not deliver
   * every event, so subscribe again (the answer will ask for a reload).
   */
  'forum.left': (message: { forumId: number; reason: 'removed' | 'access_lost' | 'resync' }) => void;
  'forum.presence': (presence: PresenceView) => void;
  'thread.typing': (typing: TypingView) => void;
  /** Events of a followed live Q&A (src/live-qa), like `forum.events`. */
  'qa.events': (message: { sessionId: number; events: StreamEventView[] }) => void;
  /** Absolute vote counts of a followed live Q&A's questions; keep, per question, the one with the newest `asOf`. */
  'qa.votes': (message: { sessionId: number; asOf: string; counts: { questionId: number; voteCount: number }[] }) => void;
  /** Results of a followed live Q&A's polls; keep, per poll, the one with the newest `asOf` (src/live-qa/polls). */
  'qa.poll_results': (message: { sessionId: number; results: PollResultsView[] }) => void;
  'qa.left': (message: { sessionId: number; reason: 'removed' | 'access_lost' | 'resync' }) => void;
  /**
   * To every socket of one account (src/notifications): a new notification
   * (absent when only the unread count changed, e.g. read on another device)
   * and the account's unread count after it.
   */
  'notifications.changed': (message: { notification?: Record<string, unknown>; unread: number }) => void;
  /** The sign-in this socket used has ended; the server disconnects it next. */
  'session.ended': (message: Record<string, never>) => void;
  /** This instance is shutting down: the server closes the connection next; reconnect (the load balancer sends you to another instance) and subscribe again with your last seqs. */
  'server.shutdown': (message: { reconnect: true }) => void;
}

export type Ack = (response: unknown) => void;

/** What clients send; every message takes an ack. */
export interface ClientToServerEvents {
  'forum.subscribe': (message: unknown, ack: Ack) => void;
  'forum.unsubscribe': (message: unknown, ack: Ack) => void;
  'forum.presence': (message: unknown, ack: Ack) => void;
  'thread.typing': (message: unknown, ack: Ack) => void;
  'reply.create': (message: unknown, ack: Ack) => void;
  'reply.vote': (message: unknown, ack: Ack) => void;
  'moderation.act': (message: unknown, ack: Ack) => void;
  'reply.flag': (message: unknown, ack: Ack) => void;
}

/** Between app instances (through the adapter). */
export interface InterServerEvents {
  'agora:events': (events: ForumEvent[]) => void;
  /** Committed live Q&A events (see src/live-qa). */
  'agora:qa-events': (events: StreamEvent[]) => void;
  'agora:kick': (message: { forumId: number; accountId: string }) => void;
  'agora:presence': (message: PresenceSnapshot) => void;
  'agora:presence-hello': (message: { from: string }) => void;
}

/** One instance's view of who follows which forums. */
export interface PresenceSnapshot {
  from: string;
  /** Full: replaces everything known from this instance; otherwise only these forums changed. */
  full: boolean;
  forums: { forumId: number; members: [string, string][]; memberCount: number; anonymous: number }[];
}

export type AgoraServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type AgoraSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
