import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import { discussions, type Account } from '../api.js';
import { t } from '../i18n/index.js';
import { notificationsApi } from '../notifications/notifications-api.js';
import { navigate } from '../router.js';
import type { Thread } from './use-thread.js';

/** Where the reader is in a thread: a permalinked reply, the first unread one, and the live replies seen on screen. */

/**
 * Permalinks (#reply-<id>): loads further pages until the reply is here (or
 * fetches it with its ancestors), opens its collapsed ancestors and brings it
 * into view.
 */
export function usePermalink(thread: Thread, questionId: number, hash: string, expand: (ancestors: ReadonlySet<string>) => void): void {
  const { model, loadMore, rerender, setNotice } = thread;
  const target = /^reply-(\d+)$/.exec(hash)?.[1] ?? null;
  useEffect(() => {
    if (!target || !model.loaded) return;
    let cancelled = false;
    (async () => {
      // A few pages in tree order first; failing that, fetch the reply and its ancestors directly.
      for (let i = 0; i < 5 && !model.has(target) && model.nextCursor && !cancelled; i++) {
        if (!(await loadMore())) break;
      }
      if (!model.has(target) && !cancelled) {
        try {
          const { reply, ancestorIds } = await discussions.reply(target);
          for (const id of ancestorIds) if (!model.has(id)) model.upsert((await discussions.reply(id)).reply);
          if (reply.questionId === questionId) model.upsert(reply);
          rerender();
        } catch {
          /* reported below */
        }
      }
      if (cancelled) return;
      if (!model.has(target)) {
        setNotice(t('thread.notFoundReply'));
        return;
      }
      const ancestors = new Set<string>();
      for (let r = model.replies.get(target); r?.parentId; r = model.replies.get(r.parentId)) ancestors.add(r.parentId);
      expand(ancestors);
      requestAnimationFrame(() => {
        const el = document.getElementById(`reply-${target}`);
        el?.scrollIntoView({ block: 'center' });
        (el?.querySelector('article') as HTMLElement | null)?.focus({ preventScroll: true });
      });
    })();
    return () => {
      cancelled = true;
    };
  }, [target, model, model.loaded]);
}

/**
 * Unread: opening the thread lands on the first reply not read yet (unless a
 * permalink says where); then what the page holds counts as read (the newest
 * reply id; the server keeps the max).
 */
export function useReadPosition(thread: Thread, questionId: number, me: Account | null, hash: string): void {
  const { model } = thread;
  const positioned = useRef<number | null>(null);
  useEffect(() => {
    if (!me || !model.loaded || positioned.current === questionId) return;
    positioned.current = questionId;
    notificationsApi.readPosition(questionId).then(
      (p) => {
        if (p.firstUnreadReplyId && !hash) navigate(`#reply-${p.firstUnreadReplyId}`, { replace: true });
      },
      () => undefined,
    );
  }, [me?.id, model, model.loaded, questionId]);
  useEffect(() => {
    if (!me || positioned.current !== questionId) return;
    const timer = setTimeout(() => {
      const id = [...model.replies.keys()].reduce<string | null>((a, b) => (a === null || BigInt(b) > BigInt(a) ? b : a), null);
      if (id) void notificationsApi.markThreadRead(questionId, id).catch(() => undefined);
    }, 1500);
    return () => clearTimeout(timer);
  }, [me?.id, model, model.loaded, model.replies.size, questionId]);
}

/** Replies that arrived live count as seen once they have been on screen. */
export function useSeenOnScreen(thread: Thread): void {
  const { model, rerender } = thread;
  useLayoutEffect(() => {
    if (model.unseen.size === 0 || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        let changed = false;
        for (const entry of entries) {
          const id = (entry.target as HTMLElement).dataset.replyId;
          if (entry.isIntersecting && id && model.unseen.delete(id)) changed = true;
        }
        if (changed) rerender();
      },
      { threshold: 0.5 },
    );
    for (const id of model.unseen) {
      const el = document.querySelector(`[data-reply-id="${id}"]`);
      if (el) observer.observe(el);
    }
    return () => observer.disconnect();
  });
}

/** The "new replies" button: to the first one not seen yet, loading the pages that hold it first. */
export async function jumpToNew(thread: Thread, collapsed: ReadonlySet<string>): Promise<void> {
  const { model } = thread;
  let first = model.ordered(collapsed).find((id) => model.unseen.has(id));
  // The new ones are further down a thread not read to its end: bring those pages in first.
  for (let i = 0; !first && model.deferred.size > 0 && model.nextCursor && i < 20; i++) {
    if (!(await thread.loadMore())) break;
    first = model.ordered(collapsed).find((id) => model.unseen.has(id));
  }
  if (!first) return;
  const el = document.querySelector<HTMLElement>(`[data-reply-id="${first}"]`);
  el?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  el?.focus({ preventScroll: true });
}
