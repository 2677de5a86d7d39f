import { toReply, type Reply } from '../api.js';
import type { ForumEvent } from '../live.js';
import type { ThreadModel } from './thread-model.js';

/** Who is reading the thread: events apply differently to its moderators and to a reply's author. */
export interface ThreadReader {
  questionId: number;
  meId: string | null;
  moderator: boolean;
}

/** What a moderation event has the page tell the reader (texts: moderation/thread-events.ts). */
export type ThreadNotice =
  | { kind: 'moved' }
  | { kind: 'flagResolved'; state: 'upheld' | 'dismissed' }
  | { kind: 'silenced'; until: string };

/** What the page does after an event changed the model: the reducer does no I/O itself. */
export type ThreadEffect =
  /** A reply arrived that counts in the thread's total (the page adds it to the question's count). */
  | { kind: 'counted' }
  /** Someone else's reply arrived: say so to screen readers. */
  | { kind: 'announce'; name: string }
  /** Its author posted, so they are no longer typing. */
  | { kind: 'stoppedTyping'; accountId: string }
  /** Moderators and the author still read a hidden reply's text: fetch it (events carry none). */
  | { kind: 'fetchReply'; replyId: string }
  | { kind: 'notice'; notice: ThreadNotice }
  | { kind: 'reloadQuestion' }
  /** Replies moved in or out in bulk: read the thread again from its first page. */
  | { kind: 'reloadThread' }
  | { kind: 'reloadForum' };

/** What the forum's agenda and this thread count as a reply (the server's rule, discussions/reply-visibility.ts). */
export function countsAsReply(reply: Reply): boolean {
  return reply.state === 'visible';
}

/**
 * Applies one forum event to an open thread's model and answers what the
 * page must do next. Deterministic and without I/O (unit-tested in
 * thread-events.spec.ts); it changes the model in place, as the QaModel
 * does, since a thread may hold thousands of replies. Every event type of the
 * protocol has its case: one added to src/protocol without a case here fails
 * the type check.
 *
 * Events carry a reply as this reader may see it (a hidden reply as a
 * placeholder without its text).
 */
export function applyThreadEvent(model: ThreadModel, e: ForumEvent, reader: ThreadReader): ThreadEffect[] {
  const mine = (reply: Reply) => !!reader.meId && reply.author?.id === reader.meId;
  switch (e.type) {
    case 'reply.created': {
      const reply = toReply(e.payload.reply);
      if (reply.questionId && reply.questionId !== reader.questionId) return [];
      const outcome = model.addLive(reply, mine(reply));
      if (outcome === 'known') return [];
      const effects: ThreadEffect[] = countsAsReply(reply) ? [{ kind: 'counted' }] : [];
      if (!mine(reply)) {
        // A reply beyond the loaded pages is shown (and marked new) when its page comes.
        (outcome === 'added' ? model.unseen : model.deferred).add(reply.id);
        effects.push({ kind: 'announce', name: reply.author?.displayName ?? '' });
      }
      if (outcome === 'added' && reply.author) effects.push({ kind: 'stoppedTyping', accountId: reply.author.id });
      return effects;
    }
    case 'reply.edited':
    case 'reply.hidden': {
      const reply = toReply(e.payload.reply);
      // An edit of a visible reply (or one this reader sees the text of) simply refreshes it.
      if (e.type === 'reply.edited' && (reply.state !== 'hidden' || reply.bodyHtml)) {
        if (model.has(reply.id)) model.upsert(reply);
        return [];
      }
      // A hidden reply reaches readers as a placeholder, without its text.
      if (!inThread(reply, reader) || !model.has(reply.id)) return [];
      model.upsert(reply);
      return reader.moderator || mine(reply) ? [{ kind: 'fetchReply', replyId: reply.id }] : [];
    }
    case 'reply.deleted': {
      const reply = toReply(e.payload.reply);
      if (model.has(reply.id)) model.upsert(reply);
      return [];
    }
    case 'reply.unhidden':
    case 'reply.rejected':
    case 'reply.featured': {
      const reply = toReply(e.payload.reply);
      if (inThread(reply, reader) && model.has(reply.id)) model.upsert(reply);
      return e.type === 'reply.featured' ? [{ kind: 'reloadQuestion' }] : [];
    }
    case 'reply.approved': {
      // An insert for readers who could not see it while it waited.
      const reply = toReply(e.payload.reply);
      if (!inThread(reply, reader)) return [];
      if (model.has(reply.id)) {
        model.upsert(reply);
        return [];
      }
      if (model.addLive(reply, mine(reply)) === 'known') return [];
      if (!mine(reply)) model.unseen.add(reply.id);
      return countsAsReply(reply) ? [{ kind: 'counted' }] : [];
    }
    case 'reply.voted':
      if (model.has(e.payload.replyId)) model.patch(e.payload.replyId, { voteCount: e.payload.voteCount });
      return [];
    case 'reply.moved': {
      const { replyId, fromQuestionId, toQuestionId } = e.payload;
      const effects: ThreadEffect[] = [];
      if (fromQuestionId === reader.questionId && model.has(replyId)) {
        model.removeSubtree(replyId);
        effects.push({ kind: 'notice', notice: { kind: 'moved' } });
      }
      if (toQuestionId === reader.questionId) effects.push({ kind: 'reloadThread' });
      effects.push({ kind: 'reloadQuestion' });
      return effects;
    }
    case 'question.merged': {
      const { sourceId, targetId } = e.payload;
      return sourceId === reader.questionId || targetId === reader.questionId ? [{ kind: 'reloadQuestion' }, { kind: 'reloadThread' }] : [];
    }
    case 'question.created':
    case 'question.updated':
      return [{ kind: 'reloadQuestion' }];
    case 'questions.reordered':
      // The question's place (the moderators' "move up / down") changed.
      return e.payload.questions.some((x) => x.id === reader.questionId) ? [{ kind: 'reloadQuestion' }] : [];
    case 'forum.updated':
    case 'forum.moderation':
      return [{ kind: 'reloadForum' }];
    case 'flag.resolved': {
      const { state } = e.payload.flag;
      return state === 'open' ? [] : [{ kind: 'notice', notice: { kind: 'flagResolved', state } }];
    }
    case 'member.silenced': {
      const { accountId, silence } = e.payload;
      return accountId === reader.meId && silence ? [{ kind: 'notice', notice: { kind: 'silenced', until: silence.until } }] : [];
    }
    // Queue and record events (moderators): nothing to change in an open thread.
    case 'moderation.action':
    case 'moderation.queue':
    // Membership changes reach this page as access (a refused or ended subscription), not as events to show.
    case 'membership.changed':
    case 'membership.removed':
      return [];
    default: {
      // A type added to src/protocol without a case here fails the type check.
      const unhandled: never = e;
      return unhandled;
    }
  }
}

/** A reply of this thread (0: the event didn't say which). */
const inThread = (reply: Reply, reader: ThreadReader) => reply.questionId === reader.questionId || reply.questionId === 0;
