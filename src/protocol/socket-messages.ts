/**
 * The socket messages both ways (server: src/realtime/realtime.gateway.ts,
 * src/live-qa/qa-socket.handlers.ts; client: client/src/live.ts). Every
 * client message takes an ack: its answer, or a SocketError. The server
 * still validates what arrives (class-validator DTOs that implement these
 * message types); the client can trust what the server sends.
 */
import type { ErrorCode } from './error-codes.js';
import type { ForumEventView } from './forum-event-types.js';
import type { QaEventView } from './qa-event-types.js';
import type {
  ActResultView,
  FlagView,
  LiveQuestionView,
  PollAnswerView,
  PollKind,
  PollReadView,
  PollResultsView,
  PollView,
  QaVoteView,
  ReplyView,
} from './views.js';

/** The error an ack carries when a message is refused; same codes and messages as the HTTP API. */
export interface SocketError {
  error: { status: number; code: ErrorCode; message: string; details?: { field: string; message: string }[]; retryAfterMs?: number; requestId?: string };
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

export interface VoteCountsView {
  asOf: string;
  counts: { questionId: number; voteCount: number }[];
}

type LeftReason = 'removed' | 'access_lost' | 'resync';

/** What the server sends to clients (besides acks): message name → message. */
export interface ServerMessages {
  /** Events of a followed forum, in sequence order: replayed ones first, then live ones, each exactly once. */
  'forum.events': { forumId: number; events: ForumEventView[] };
  /**
   * The socket no longer follows the forum: removed from it, the forum became
   * unreadable to this person, or (`resync`) the server could not deliver
   * every event, so subscribe again (the answer will ask for a reload).
   */
  'forum.left': { forumId: number; reason: LeftReason };
  'forum.presence': PresenceView;
  'thread.typing': TypingView;
  /** Events of a followed live Q&A (src/live-qa), like `forum.events`. */
  'qa.events': { sessionId: number; events: QaEventView[] };
  /** Absolute vote counts of a followed live Q&A's questions; keep, per question, the one with the newest `asOf`. */
  'qa.votes': { sessionId: number } & VoteCountsView;
  /** Results of a followed live Q&A's polls; keep, per poll, the one with the newest `asOf` (src/live-qa/polls). */
  'qa.poll_results': { sessionId: number; results: PollResultsView[] };
  'qa.left': { sessionId: number; reason: LeftReason };
  /**
   * To every socket of one account (src/notifications): a new notification
   * (absent when only the unread count changed, e.g. read on another device)
   * and the account's unread count after it.
   */
  'notifications.changed': { notification?: Record<string, unknown>; unread: number };
  /** The sign-in this socket used has ended; the server disconnects it next. */
  'session.ended': Record<string, never>;
  /** This instance is shutting down: the server closes the connection next; reconnect and subscribe again with your last seqs. */
  'server.shutdown': { reconnect: true };
}
export type ServerMessageName = keyof ServerMessages;

/** What clients send: message name → its message and the ack's answer (besides a SocketError). */
export interface ClientMessages {
  /** Missed events after `lastSeq` arrive as `forum.events` before the ack; `resync`: they can't be, reload over HTTP. */
  'forum.subscribe': {
    message: { forumId: number; questionId?: number; lastSeq?: number };
    ack: { forumId: number; questionId: number | null; seq: number; replayed: number; resync?: true };
  };
  'forum.unsubscribe': { message: { forumId: number }; ack: { forumId: number; subscribed: false } };
  'forum.presence': { message: { forumId: number }; ack: PresenceView };
  'thread.typing': { message: { questionId: number; typing?: boolean }; ack: { questionId: number; typing: boolean } };
  /** Same rules as POST /api/questions/:id/replies; a retry with the same clientId stores nothing new. */
  'reply.create': { message: { clientId: string; questionId: number; parentId?: string; body: string }; ack: { reply: ReplyView } };
  'reply.vote': { message: { replyId: string; value: 0 | 1 }; ack: { vote: { replyId: string; voteCount: number; viewerVoted: boolean } } };
  /** Same acts as POST /api/moderation/acts (`act` plus that act's fields). */
  'moderation.act': { message: { act: string; [field: string]: unknown }; ack: { result: ActResultView } };
  'reply.flag': { message: { replyId: string; reason: FlagView['reason']; note?: string }; ack: { flag: FlagView } };
  // Live Q&A (src/live-qa): the same services as its HTTP API.
  'qa.subscribe': {
    message: { sessionId: number; lastSeq?: number };
    ack: { sessionId: number; seq: number; replayed: number; resync?: true; moderator: boolean; counts: VoteCountsView['counts']; countsAsOf: string; pollResults: PollResultsView[] };
  };
  'qa.unsubscribe': { message: { sessionId: number }; ack: { sessionId: number; subscribed: false } };
  'qa.ask': { message: { sessionId: number; body: string; anonymous?: boolean; clientId?: string }; ack: { question: LiveQuestionView } };
  'qa.edit': { message: { questionId: number; body: string }; ack: { question: LiveQuestionView } };
  'qa.withdraw': { message: { questionId: number }; ack: { question: LiveQuestionView } };
  'qa.vote': { message: { questionId: number; value: 0 | 1 }; ack: { vote: QaVoteView } };
  'qa.moderate': {
    message: { questionId: number; action: 'approve' | 'dismiss' | 'highlight' | 'unhighlight' | 'answer' | 'archive' | 'merge' | 'edit'; reason?: string; intoId?: number; body?: string };
    ack: { question: LiveQuestionView; into?: LiveQuestionView };
  };
  'qa.poll.create': {
    message: { sessionId: number; kind: PollKind; prompt: string; options?: string[]; resultsHidden?: boolean; liveQuestionId?: number };
    ack: { poll: PollView };
  };
  'qa.poll.answer': { message: { pollId: number; choices?: number[]; rating?: number; text?: string }; ack: { answer: PollAnswerView } };
  'qa.poll.act': {
    message: { pollId: number; action: 'launch' | 'close' | 'reveal' | 'hide' | 'show' | 'unshow' | 'remove_word' | 'approve_text' | 'reject_text'; word?: string; answerId?: number };
    ack: { poll: PollReadView };
  };
}
export type ClientMessageName = keyof ClientMessages;
export type ClientMessage<K extends ClientMessageName> = ClientMessages[K]['message'];
export type ClientAck<K extends ClientMessageName> = ClientMessages[K]['ack'];
