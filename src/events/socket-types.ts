import type { Server, Socket } from 'socket.io';
import type { MaybeActor } from '../common/actor.js';
import type { ClientAck, ClientMessageName, ServerMessageName, ServerMessages, SocketError } from '../protocol/socket-messages.js';
import type { ForumEvent, StreamEvent } from './forum-event.js';

export type { ClientAck, ClientMessageName, PresenceView, SocketError, TypingView } from '../protocol/socket-messages.js';

/** One forum a socket follows. */
export interface ForumSubscription {
  questionId: number | null;
  moderator: boolean;
  /** May take part (reply, vote, show as typing), by the forum's rule when last checked. */
  canPost: boolean;
}

/** Per-socket state; plain data, since the adapter serialises it for fetchSockets() on other instances. */
interface SocketData {
  actor: MaybeActor;
  /** Followed forums by id. */
  subs: Record<number, ForumSubscription>;
  /** Followed live Q&As by session id (see src/live-qa). */
  qaSubs?: Record<number, { questionId: null; moderator: boolean }>;
}

/**
 * What the server sends and what clients send, from the protocol both sides
 * compile against (src/protocol/socket-messages.ts). Client messages arrive
 * untyped (`unknown`: validated by each handler's DTO); the ack answers the
 * protocol's type or a SocketError.
 */
export type ServerToClientEvents = { [K in ServerMessageName]: (message: ServerMessages[K]) => void };
type ClientToServerEvents = { [K in ClientMessageName]: (message: unknown, ack: (response: ClientAck<K> | SocketError) => void) => void };

/** Between app instances (through the adapter). */
interface InterServerEvents {
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
