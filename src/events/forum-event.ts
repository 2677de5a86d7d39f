/**
 * What the forum event log holds and what clients receive. Every change in
 * a forum becomes one event with the forum's next sequence number; clients
 * apply events in that order and tell the server the last one they saw.
 */

export type { ForumEventType } from '../protocol/forum-event-types.js';
import type { ForumEventType } from '../protocol/forum-event-types.js';

/**
 * Who may see an event: everyone who can read the forum, its moderators
 * only, or its moderators plus one account (e.g. the author of a reply
 * awaiting approval).
 */
export type EventAudience =
  | { kind: 'readers' }
  | { kind: 'moderators' }
  | { kind: 'moderators_and_account'; accountId: string };

export const READERS: EventAudience = { kind: 'readers' };
export const MODERATORS: EventAudience = { kind: 'moderators' };

/** Event types that change who may read or moderate the forum, so the delivering instance re-checks its sockets first. */
export const ACCESS_EVENT_TYPES: ReadonlySet<string> = new Set(['forum.updated', 'membership.changed', 'membership.removed']);

/** One recorded event of a stream (a forum, or a session's live Q&A), as stored and as sent to clients (the payload is plain JSON). */
export interface StreamEvent<T extends string = string> {
  /** The forum's id (forum events) or the session's id (live Q&A events). */
  streamId: number;
  seq: number;
  type: T;
  /** The thread the event belongs to, or null for forum-wide events; sockets narrowed to a question get that thread's events only. */
  questionId: number | null;
  payload: Record<string, unknown>;
  audience: EventAudience;
  /** ISO time of the write. */
  at: string;
}

export type ForumEvent = StreamEvent<ForumEventType>;

/** An event as a client receives it (the audience is the server's business). */
export interface StreamEventView<T extends string = string> {
  seq: number;
  type: T;
  questionId: number | null;
  payload: Record<string, unknown>;
  at: string;
}

export type ForumEventView = StreamEventView<ForumEventType>;

export const toEventView = <T extends string>(e: StreamEvent<T>): StreamEventView<T> => ({
  seq: e.seq,
  type: e.type,
  questionId: e.questionId,
  payload: e.payload,
  at: e.at,
});

/** An event a write wants recorded; it gets its sequence number when the transaction ends. */
export interface StreamEventDraft<T extends string = ForumEventType> {
  streamId: number;
  type: T;
  payload: object;
  questionId?: number | null;
  audience?: EventAudience;
}

/** True when a socket with this view of the forum may receive the event. */
export function audienceIncludes(audience: EventAudience, viewer: { moderator: boolean; accountId: string | null }): boolean {
  switch (audience.kind) {
    case 'readers':
      return true;
    case 'moderators':
      return viewer.moderator;
    case 'moderators_and_account':
      return viewer.moderator || audience.accountId === viewer.accountId;
  }
}
