/**
 * The wire protocol shared with the server (src/protocol): the event types
 * and what each carries, and the socket messages both ways. Both builds
 * compile against that one folder (build-if-changed.mjs watches it too).
 */
export { FORUM_EVENT_TYPES, type ForumEventPayloads, type ForumEventType, type ForumEventView } from '../../src/protocol/forum-event-types.js';
export { QA_EVENT_TYPES, type QaEventPayloads, type QaEventType, type QaEventView } from '../../src/protocol/qa-event-types.js';
export type {
  ClientAck,
  ClientMessage,
  ClientMessageName,
  ClientMessages,
  PresenceView,
  ServerMessageName,
  ServerMessages,
  SocketError,
  TypingView,
  VoteCountsView,
} from '../../src/protocol/socket-messages.js';
export type * from '../../src/protocol/views.js';
import { FORUM_EVENT_TYPES, type ForumEventType } from '../../src/protocol/forum-event-types.js';
import { QA_EVENT_TYPES, type QaEventType } from '../../src/protocol/qa-event-types.js';

const known: ReadonlySet<string> = new Set(FORUM_EVENT_TYPES);
/** An event type this client knows (a newer server may send types it doesn't; those are skipped). */
export const isForumEventType = (type: string): type is ForumEventType => known.has(type);

const knownQa: ReadonlySet<string> = new Set(QA_EVENT_TYPES);
export const isQaEventType = (type: string): type is QaEventType => knownQa.has(type);
