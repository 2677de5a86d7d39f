import { discussions, toReply, type Reply } from '../api.js';
import type { ForumEvent } from '../live.js';
import type { ForumEventType } from '../protocol.js';
import type { ThreadModel } from '../thread-model.js';
import { formatDate } from '../i18n/index.js';
import { tm } from './i18n.js';

export interface ThreadView {
  model: ThreadModel;
  questionId: number;
  moderator: boolean;
  meId: string | null;
  rerender(): void;
  /** Read the thread again from its first page (replies arrived or left in bulk). */
  reloadThread(): void;
  reloadQuestion(): void;
  notify(text: string): void;
  /** A reply was added live (counts and "new" marks). */
  added(reply: Reply): void;
}

const MODERATION_EVENTS: ReadonlySet<string> = new Set<ForumEventType>([
  'reply.hidden',
  'reply.unhidden',
  'reply.approved',
  'reply.rejected',
  'reply.featured',
  'reply.moved',
  'question.merged',
  'flag.resolved',
  'member.silenced',
  'moderation.action',
  'moderation.queue',
  'questions.reordered',
]);

/**
 * Applies a moderation event to an open thread; answers false for events it
 * doesn't handle (the page's own handler takes those). Events carry the
 * reply as this reader may see it (a hidden reply as a placeholder), so
 * members get the placeholder and moderators fetch the text again.
 */
export function applyModerationEvent(e: ForumEvent, view: ThreadView): boolean {
  const { model } = view;
  const raw = (e.data.reply ?? null) as Record<string, unknown> | null;
  const reply = raw ? toReply(raw) : null;
  const here = !!reply && (reply.questionId === view.questionId || reply.questionId === 0);
  // Events carry a hidden reply without its text; moderators and its author keep seeing it, with the "hidden" badge.
  const hiddenTextGone = (e.type === 'reply.hidden' || e.type === 'reply.edited') && reply?.state === 'hidden' && !reply.bodyHtml;
  if (!MODERATION_EVENTS.has(e.type) && !hiddenTextGone) return false;

  switch (e.type) {
    case 'reply.hidden':
    case 'reply.edited':
      if (!reply || !here || !model.has(reply.id)) break;
      model.upsert(reply);
      // Moderators and the reply's own author still read a hidden reply's text: fetch it.
      if (view.moderator || (!!view.meId && reply.author?.id === view.meId))
        discussions.reply(reply.id).then(
          ({ reply: full }) => {
            if (model.has(full.id)) model.upsert(full);
            view.rerender();
          },
          () => undefined,
        );
      break;
    case 'reply.unhidden':
    case 'reply.rejected':
    case 'reply.featured':
      if (reply && here && model.has(reply.id)) model.upsert(reply);
      if (e.type === 'reply.featured') view.reloadQuestion();
      break;
    case 'reply.approved':
      // An insert for readers who could not see it while it waited.
      if (!reply || !here) break;
      if (model.has(reply.id)) model.upsert(reply);
      else if (model.addLive(reply, reply.author?.id === view.meId) !== 'known') view.added(reply);
      break;
    case 'reply.moved': {
      const d = e.data as { replyId?: unknown; fromQuestionId?: unknown; toQuestionId?: unknown };
      const id = String(d.replyId ?? '');
      if (Number(d.fromQuestionId) === view.questionId && model.has(id)) {
        model.removeSubtree(id);
        view.notify(tm('reply.goneMoved'));
      }
      if (Number(d.toQuestionId) === view.questionId) view.reloadThread();
      view.reloadQuestion();
      break;
    }
    case 'question.merged': {
      const d = e.data as { sourceId?: unknown; targetId?: unknown };
      if (Number(d.sourceId) === view.questionId || Number(d.targetId) === view.questionId) {
        view.reloadQuestion();
        view.reloadThread();
      }
      break;
    }
    case 'flag.resolved': {
      const flag = (e.data.flag ?? {}) as Record<string, unknown>;
      if (flag.state === 'upheld') view.notify(tm('flag.resolved.upheld'));
      else if (flag.state === 'dismissed') view.notify(tm('flag.resolved.dismissed'));
      break;
    }
    case 'member.silenced': {
      const silence = (e.data.silence ?? null) as { until?: unknown } | null;
      if (String(e.data.accountId ?? '') === view.meId && silence && typeof silence.until === 'string')
        view.notify(tm('limit.silenced', { until: formatDate(silence.until, 'datetime') }));
      break;
    }
    case 'questions.reordered': {
      const order = Array.isArray(e.data.questions) ? (e.data.questions as { id?: unknown }[]) : [];
      // The question's place (the moderators' "move up / down") changed.
      if (order.some((x) => Number(x.id) === view.questionId)) view.reloadQuestion();
      break;
    }
    default:
      // Queue and record events (moderators): nothing to change in an open thread.
      break;
  }
  view.rerender();
  return true;
}
