import { useCallback, useEffect, useState } from 'preact/hooks';
import { discussions, forums, type ForumDetail, type Question, type Reply } from '../api.js';
import { ApiError } from '../api/client.js';
import { account } from '../account/account.js';
import { announce } from '../ui/announcer.js';
import { errorMessage, useAsync, type Async } from '../ui/common.js';
import { useFollow } from '../ui/use-follow.js';
import { t } from '../i18n/index.js';
import type { Presence } from '../live.js';
import { noticeText } from '../moderation/thread-notices.js';
import { useStore } from '../store.js';
import { applyThreadEvent, countsAsReply, type ThreadEffect } from './thread-events.js';
import { ThreadModel } from './thread-model.js';

const PAGE = 50;
const TYPING_TTL = 6000;

export interface Thread {
  forum: Async<ForumDetail>;
  question: Async<Question>;
  model: ThreadModel;
  loadError: unknown;
  loadingMore: boolean;
  /** The live subscription is confirmed (events flow). */
  subscribed: boolean;
  presence: Presence | null;
  /** Names of the others typing in the thread now. */
  typingNames: string[];
  /** Replies that arrived (or were posted) since the question's count was read. */
  liveAdded: number;
  notice: string | null;
  setNotice(text: string | null): void;
  /** Shows a notice and reads it out. */
  notify(text: string): void;
  rerender(): void;
  /** Reads the first page again into the same model (after a failed read). */
  retry(): void;
  /** Loads the next page; answers whether it did. */
  loadMore(): Promise<boolean>;
  /** A reply the reader posted (counted, if it is new and visible). */
  posted(reply: Reply): void;
}

async function loadQuestion(forumId: number, questionId: number): Promise<Question> {
  try {
    return await discussions.question(questionId);
  } catch (e) {
    // Fall back to the forum's agenda when there is no single-question endpoint.
    if (!(e instanceof ApiError) || (e.status !== 404 && e.status !== 405)) throw e;
    const q = (await forums.questions(forumId)).find((x) => x.id === questionId);
    if (!q) throw e;
    return q;
  }
}

type RepliesPage = Awaited<ReturnType<typeof discussions.replies>>;
interface EarlyReads {
  forumId: number;
  questionId: number;
  forum?: Promise<ForumDetail>;
  question?: Promise<Question>;
  replies?: Promise<RepliesPage>;
}
let early: EarlyReads | null = null;

/**
 * A thread opened by its address starts its three reads at boot, beside the
 * account check, instead of after it and the first render: they carry the
 * same cookie, so they answer the same. Each is taken once, by the page's
 * first load; any later load reads afresh.
 */
export function readThreadEarly(forumId: number, questionId: number): void {
  const reads = { forum: forums.get(forumId), question: loadQuestion(forumId, questionId), replies: discussions.replies(questionId, null, PAGE) };
  // A failure is reported where the read is taken; one never taken is not an unhandled rejection.
  for (const read of Object.values(reads)) read.catch(() => undefined);
  early = { forumId, questionId, ...reads };
}

function takeEarly<K extends 'forum' | 'question' | 'replies'>(forumId: number, questionId: number, key: K): EarlyReads[K] {
  if (!early || early.forumId !== forumId || early.questionId !== questionId) return undefined;
  const read = early[key];
  early[key] = undefined;
  return read;
}

/**
 * One thread as the reader sees it: its forum and question, its replies in a
 * ThreadModel read page by page, and the forum's events applied to it live
 * (applyThreadEvent; the effects it answers are carried out here). The first
 * page says where in the forum's events it was read, and the subscription
 * starts there, so what changed meanwhile is replayed; the model applies a
 * reply it already has idempotently, by id.
 */
export function useThread(forumId: number, questionId: number): Thread {
  const me = useStore(account);
  const forum = useAsync(() => takeEarly(forumId, questionId, 'forum') ?? forums.get(forumId), [forumId, me?.id]);
  const question = useAsync(() => takeEarly(forumId, questionId, 'question') ?? loadQuestion(forumId, questionId), [forumId, questionId, me?.id]);

  const [model, setModel] = useState(() => new ThreadModel());
  const [, setVersion] = useState(0);
  const rerender = useCallback(() => setVersion((v) => v + 1), []);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [presence, setPresence] = useState<Presence | null>(null);
  const [typers, setTypers] = useState<Map<string, { name: string; until: number }>>(new Map());
  const [subscribed, setSubscribed] = useState(false);
  const [liveAdded, setLiveAdded] = useState(0);
  /** Where this question's first page was read in the forum's event stream (null: the server didn't say). */
  const [firstRead, setFirstRead] = useState<{ questionId: number; seq: number | null } | null>(null);

  // First page (again after sign-in/out, or when the live layer asks for a resync).
  const loadFirst = useCallback(
    async (fresh: ThreadModel) => {
      setLoadError(null);
      try {
        const page = await (takeEarly(forumId, questionId, 'replies') ?? discussions.replies(questionId, null, PAGE));
        fresh.addPage(page.items, page.nextCursor);
        setFirstRead((read) => (read?.questionId === questionId ? read : { questionId, seq: page.seq ?? null }));
        rerender();
      } catch (e) {
        setLoadError(e);
      }
    },
    [forumId, questionId],
  );
  /** Reads the thread again from its first page, into a fresh model. */
  const startOver = () => {
    const fresh = new ThreadModel();
    setModel(fresh);
    loadFirst(fresh);
  };

  useEffect(() => {
    // Already subscribed (a new sign-in re-handshakes and replays from lastSeq): the same read.
    const fresh = new ThreadModel();
    setModel(fresh);
    setLiveAdded(0);
    loadFirst(fresh);
  }, [questionId, me?.id]);

  const notify = (text: string) => {
    setNotice(text);
    announce(text);
  };

  const carryOut = (effect: ThreadEffect) => {
    switch (effect.kind) {
      case 'counted':
        return setLiveAdded((n) => n + 1);
      case 'announce':
        return announce(t('thread.announce', { name: effect.name }));
      case 'stoppedTyping':
        return setTypers((m) => without(m, effect.accountId));
      case 'fetchReply': {
        const fetchedInto = model;
        return discussions.reply(effect.replyId).then(
          ({ reply }) => {
            if (fetchedInto.has(reply.id)) fetchedInto.upsert(reply);
            rerender();
          },
          () => undefined,
        );
      }
      case 'notice':
        return notify(noticeText(effect.notice));
      case 'reloadQuestion':
        return question.reload();
      case 'reloadThread':
        return startOver();
      case 'reloadForum':
        return forum.reload();
    }
  };

  useFollow(
    forumId,
    questionId,
    {
      onEvent(e) {
        const reader = { questionId, meId: me?.id ?? null, moderator: !!forum.data?.viewer.canModerate };
        for (const effect of applyThreadEvent(model, e, reader)) carryOut(effect);
        rerender();
      },
      onPresence: setPresence,
      onTyping(who, isTyping, ttlMs) {
        if (!who.id || who.id === me?.id) return;
        if (!isTyping) setTypers((m) => without(m, who.id));
        else setTypers((m) => new Map(m).set(who.id, { name: who.displayName, until: Date.now() + Math.min(ttlMs || TYPING_TTL, 15000) }));
      },
      onSubscribed(first) {
        setSubscribed(true);
        // A reconnection, or a first subscription from the page's position: the server replayed what was missed.
        if (!first || firstRead?.seq != null) return;
        // The page came without a position: what changed before the subscription may be on any page, so read again.
        startOver();
      },
      onRefused() {
        forum.reload();
      },
      onResync() {
        startOver();
        question.reload();
        announce(t('live.resync'));
      },
    },
    !!question.data && firstRead?.questionId === questionId,
    firstRead?.seq ?? null,
  );

  // "5 minutes ago" stays true while the page is open.
  useEffect(() => {
    const timer = setInterval(rerender, 60_000);
    return () => clearInterval(timer);
  }, []);

  // Typing indicators fade out on their own.
  useEffect(() => {
    if (typers.size === 0) return;
    const timer = setInterval(() => {
      const now = Date.now();
      setTypers((m) => {
        const next = new Map([...m].filter(([, v]) => v.until > now));
        return next.size === m.size ? m : next;
      });
    }, 1000);
    return () => clearInterval(timer);
  }, [typers.size > 0]);

  return {
    forum,
    question,
    model,
    loadError,
    loadingMore,
    subscribed,
    presence,
    typingNames: [...typers.values()].map((v) => v.name).filter(Boolean),
    liveAdded,
    notice,
    setNotice,
    notify,
    rerender,
    retry: () => loadFirst(model),
    async loadMore() {
      if (!model.nextCursor) return false;
      setLoadingMore(true);
      try {
        const page = await discussions.replies(questionId, model.nextCursor, PAGE);
        model.addNextPage(page.items, page.nextCursor);
        rerender();
        return true;
      } catch (e) {
        setNotice(errorMessage(e));
        return false;
      } finally {
        setLoadingMore(false);
      }
    },
    posted(reply) {
      if (model.upsert(reply) && countsAsReply(reply)) setLiveAdded((n) => n + 1);
      rerender();
    },
  };
}

function without<K, V>(m: Map<K, V>, key: K): Map<K, V> {
  if (!m.has(key)) return m;
  const next = new Map(m);
  next.delete(key);
  return next;
}
