/** The wire protocol shared with the server (src/protocol): one list of event types both sides compile against. */
export { FORUM_EVENT_TYPES, type ForumEventType } from '../../src/protocol/forum-event-types.js';
import { FORUM_EVENT_TYPES, type ForumEventType } from '../../src/protocol/forum-event-types.js';

const known: ReadonlySet<string> = new Set(FORUM_EVENT_TYPES);
/** An event type this client knows (a newer server may send types it doesn't; those are skipped). */
export const isForumEventType = (type: string): type is ForumEventType => known.has(type);
