import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, discussions, forums, toReply, type Account, type ForumDetail, type Question, type Reply } from '../api.js';
import { account } from '../account.js';
import { announce } from '../announcer.js';
import { Avatar } from '../components/Avatar.js';
import { Composer, MentionsIn } from '../components/Composer.js';
import { Badge, ErrorView, Loading, ServerHtml, errorMessage, useAsync, useTitle } from '../components/common.js';
import { sendTyping, useFollow } from '../components/use-follow.js';
import { formatDate, formatList, formatNumber, formatRelative, t, tn, type MessageKey } from '../i18n/index.js';
import type { ForumEvent, Presence } from '../live.js';
import { notificationsApi } from '../notifications-api.js';
import { navigate, paths, useLocation } from '../router.js';
import { useStore } from '../store.js';
import { ThreadModel } from '../thread-model.js';
import { postingLimitMessage } from '../moderation/limits.js';
import { ForumBreadcrumbs } from '../moderation/ForumLinks.js';
import { QuestionNotices, QuestionTools } from '../moderation/QuestionPanel.js';
import { ReplyMenu } from '../moderation/ReplyMenu.js';
import { ReplyBadges, ReplyBody } from '../moderation/ReplyStatus.js';
import { applyModerationEvent } from '../moderation/thread-events.js';
import { PresenceLine } from './ForumPage.js';

const PAGE = 50;
const TYPING_TTL = 6000;

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

export function ThreadPage({ forumId, questionId }: { forumId: number; questionId: number }) {
  const me = useStore(account);
  const loc = useLocation();
  const forum = useAsync(() => forums.get(forumId), [forumId, me?.id]);
  const question = useAsync(() => loadQuestion(forumId, questionId), [forumId, questionId, me?.id]);
  useTitle(question.data?.title);

  const [model, setModel] = useState(() => new ThreadModel());
  const [, setVersion] = useState(0);
  const rerender = useCallback(() => setVersion((v) => v + 1), []);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [replyingTo, setReplyingTo] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ id: string; source: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [presence, setPresence] = useState<Presence | null>(null);
  const [typers, setTypers] = useState<Map<string, { name: string; until: number }>>(new Map());
  const unseen = useRef(new Set<string>());
  /** New replies that belong to pages not loaded yet (shown once those pages come). */
  const deferred = useRef(new Set<string>());
  const [subscribed, setSubscribed] = useState(false);
  const [liveAdded, setLiveAdded] = useState(0);
  /** Where this question's first page was read in the forum's event stream (null: the server didn't say). */
  const [firstRead, setFirstRead] = useState<{ questionId: number; seq: number | null } | null>(null);

  // First page (again after sign-in/out, or when the live layer asks for a resync).
  const loadFirst = useCallback(
    async (fresh: ThreadModel) => {
      setLoadError(null);
      try {
        const page = await discussions.replies(questionId, null, PAGE);
        fresh.addPage(page.items, page.nextCursor);
        setFirstRead((read) => (read?.questionId === questionId ? read : { questionId, seq: page.seq ?? null }));
        rerender();
      } catch (e) {
        setLoadError(e);
      }
    },
    [questionId],
  );

  useEffect(() => {
    const fresh = new ThreadModel();
    unseen.current.clear();
    deferred.current.clear();
    setModel(fresh);
    setLiveAdded(0);
    // Read at once, beside the socket: the page says where in the forum's
    // events it was read, and the subscription starts there (useFollow below),
    // so what changed meanwhile is replayed; the model applies a reply it
    // already has idempotently, by id. Already subscribed (a new sign-in
    // re-handshakes and replays from lastSeq): the same read.
    loadFirst(fresh);
  }, [questionId, me?.id]);

  const loadMore = async (): Promise<boolean> => {
    if (!model.nextCursor) return false;
    setLoadingMore(true);
    try {
      const page = await discussions.replies(questionId, model.nextCursor, PAGE);
      model.addPage(page.items, page.nextCursor);
      for (const r of page.items) {
        if (!deferred.current.delete(r.id)) continue;
        model.fresh.add(r.id);
        unseen.current.add(r.id);
      }
      rerender();
      return true;
    } catch (e) {
      setNotice(errorMessage(e));
      return false;
    } finally {
      setLoadingMore(false);
    }
  };

  // Permalinks: #reply-<id>, loading further pages until the reply is here.
  const target = /^reply-(\d+)$/.exec(loc.hash)?.[1] ?? null;
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
      // Open any collapsed ancestor, then bring the reply into view.
      const ancestors = new Set<string>();
      for (let r = model.replies.get(target); r?.parentId; r = model.replies.get(r.parentId)) ancestors.add(r.parentId);
      setCollapsed((c) => new Set([...c].filter((id) => !ancestors.has(id))));
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

  // Unread: opening the thread lands on the first reply not read yet (unless a permalink says
  // where); then what the page holds counts as read (the newest reply id, the server keeps the max).
  const positioned = useRef<number | null>(null);
  const newestId = () => [...model.replies.keys()].reduce<string | null>((a, b) => (a === null || BigInt(b) > BigInt(a) ? b : a), null);
  useEffect(() => {
    if (!me || !model.loaded || positioned.current === questionId) return;
    positioned.current = questionId;
    notificationsApi.readPosition(questionId).then(
      (p) => {
        if (p.firstUnreadReplyId && !loc.hash) navigate(`#reply-${p.firstUnreadReplyId}`, { replace: true });
      },
      () => undefined,
    );
  }, [me?.id, model, model.loaded, questionId]);
  useEffect(() => {
    if (!me || positioned.current !== questionId) return;
    const timer = setTimeout(() => {
      const id = newestId();
      if (id) void notificationsApi.markThreadRead(questionId, id).catch(() => undefined);
    }, 1500);
    return () => clearTimeout(timer);
  }, [me?.id, model, model.loaded, model.replies.size, questionId]);

  const isMine = (r: { author: Reply['author'] }) => !!me && r.author?.id === me.id;
  const notify = (text: string) => {
    setNotice(text);
    announce(text);
  };
  /** Reads the thread again from its first page (replies moved in or out in bulk). */
  const reloadThread = () => {
    const fresh = new ThreadModel();
    unseen.current.clear();
    deferred.current.clear();
    setModel(fresh);
    loadFirst(fresh);
  };

  useFollow(
    forumId,
    questionId,
    {
      onEvent(e: ForumEvent) {
        const handled = applyModerationEvent(e, {
          model,
          questionId,
          moderator: !!forum.data?.canModerate,
          meId: me?.id ?? null,
          rerender,
          reloadThread,
          reloadQuestion: question.reload,
          notify,
          added: (reply) => {
            if (countsAsReply(reply)) setLiveAdded((n) => n + 1);
            if (!isMine(reply)) unseen.current.add(reply.id);
          },
        });
        if (handled) return;
        const raw = (e.data.reply ?? null) as Record<string, unknown> | null;
        const replyId = String(raw?.id ?? e.data.replyId ?? e.data.id ?? '');
        switch (e.type) {
          case 'reply.created': {
            if (!raw) return;
            const reply = toReply(raw);
            if (reply.questionId && reply.questionId !== questionId) return;
            const outcome = model.addLive(reply, isMine(reply));
            if (outcome === 'added') {
              if (countsAsReply(reply)) setLiveAdded((n) => n + 1);
              if (!isMine(reply)) {
                unseen.current.add(reply.id);
                announce(t('thread.announce', { name: reply.author?.displayName ?? '' }));
              }
              if (reply.author) setTypers((m) => without(m, reply.author!.id));
            } else if (outcome === 'deferred') {
              if (countsAsReply(reply)) setLiveAdded((n) => n + 1);
              if (!isMine(reply)) {
                deferred.current.add(reply.id);
                announce(t('thread.announce', { name: reply.author?.displayName ?? '' }));
              }
            }
            rerender();
            return;
          }
          case 'reply.edited':
          case 'reply.deleted':
          case 'reply.hidden':
          case 'reply.approved': {
            if (raw && model.has(String(raw.id))) model.upsert(toReply(raw));
            else if (model.has(replyId) && e.type === 'reply.deleted') model.patch(replyId, { state: 'deleted', bodyHtml: '' });
            rerender();
            return;
          }
          case 'reply.voted': {
            const count = Number(e.data.voteCount ?? raw?.voteCount);
            if (model.has(replyId) && Number.isFinite(count)) model.patch(replyId, { voteCount: count });
            rerender();
            return;
          }
          case 'question.created':
          case 'question.updated':
          case 'question.merged':
            question.reload();
            return;
          case 'forum.updated':
          case 'forum.moderation':
            forum.reload();
            return;
          // Handled by applyModerationEvent above when they concern this thread; nothing else to do here.
          case 'reply.unhidden':
          case 'reply.rejected':
          case 'reply.featured':
          case 'reply.moved':
          case 'questions.reordered':
          case 'member.silenced':
          case 'moderation.action':
          case 'moderation.queue':
          case 'flag.resolved':
          // Membership changes reach this page as access (a refused or ended subscription), not as events to show.
          case 'membership.changed':
          case 'membership.removed':
            return;
          default: {
            // A type added to src/protocol without a case here fails the type check.
            const unhandled: never = e.type;
            return unhandled;
          }
        }
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
        const fresh = new ThreadModel();
        unseen.current.clear();
        deferred.current.clear();
        setModel(fresh);
        loadFirst(fresh);
      },
      onRefused() {
        forum.reload();
      },
      onResync() {
        const fresh = new ThreadModel();
        unseen.current.clear();
        deferred.current.clear();
        setModel(fresh);
        loadFirst(fresh);
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

  // Replies that arrived live count as seen once they have been on screen.
  useLayoutEffect(() => {
    if (unseen.current.size === 0 || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        let changed = false;
        for (const entry of entries) {
          const id = (entry.target as HTMLElement).dataset.replyId;
          if (entry.isIntersecting && id && unseen.current.delete(id)) changed = true;
        }
        if (changed) rerender();
      },
      { threshold: 0.5 },
    );
    for (const id of unseen.current) {
      const el = document.querySelector(`[data-reply-id="${id}"]`);
      if (el) observer.observe(el);
    }
    return () => observer.disconnect();
  });

  const jumpToNew = async () => {
    let first = model.ordered(collapsed).find((id) => unseen.current.has(id));
    // The new ones are further down a thread not read to its end: bring those pages in first.
    for (let i = 0; !first && deferred.current.size > 0 && model.nextCursor && i < 20; i++) {
      if (!(await loadMore())) break;
      first = model.ordered(collapsed).find((id) => unseen.current.has(id));
    }
    if (!first) return;
    const el = document.querySelector<HTMLElement>(`[data-reply-id="${first}"]`);
    el?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    el?.focus({ preventScroll: true });
  };

  if (forum.error) return <ErrorView error={forum.error} retry={forum.reload} />;
  if (question.error) return <ErrorView error={question.error} retry={question.reload} />;
  const f = forum.data;
  const q = question.data;
  if (!f || !q) return <Loading />;

  const canWrite = !!me && !f.participationRefusal && !q.closed && (!q.locked || f.canModerate);
  const typingNames = [...typers.values()].map((v) => v.name).filter(Boolean);
  const unseenVisible = [...unseen.current].filter((id) => model.has(id)).length + deferred.current.size;
  // The same number as the forum's agenda: visible replies (hidden, pending and deleted ones are shown in place but not counted).
  const total = Math.max(q.replyCount + liveAdded, [...model.replies.values()].filter(countsAsReply).length);

  const ctx: TreeContext = {
    model,
    me: me ?? null,
    forum: f,
    canWrite,
    collapsed,
    replyingTo,
    editing,
    unseen: unseen.current,
    toggle(id) {
      setCollapsed((c) => {
        const next = new Set(c);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      });
    },
    startReply: (id) => {
      setEditing(null);
      setReplyingTo(id);
    },
    cancelReply: () => {
      const id = replyingTo;
      setReplyingTo(null);
      // Back to where the reader was, not to the top of the page.
      if (id) requestAnimationFrame(() => document.querySelector<HTMLElement>(`#reply-${id} > article`)?.focus());
    },
    async post(parentId, body, clientId) {
      const reply = await discussions.post(questionId, body, parentId, clientId).catch(explainLimit);
      if (model.upsert(reply) && countsAsReply(reply)) setLiveAdded((n) => n + 1);
      setReplyingTo(null);
      rerender();
      requestAnimationFrame(() => {
        const el = document.querySelector<HTMLElement>(`#reply-${reply.id} > article`);
        el?.scrollIntoView({ block: 'nearest' });
        // A nested reply moves focus to itself (its form is gone); the top form keeps focus for the next one.
        if (parentId) el?.focus({ preventScroll: true });
      });
    },
    async startEdit(reply) {
      setReplyingTo(null);
      let source = reply.bodySource;
      if (source === null) {
        try {
          source = (await discussions.reply(reply.id)).reply.bodySource;
        } catch (e) {
          setNotice(errorMessage(e));
          return;
        }
      }
      setEditing({ id: reply.id, source: source ?? '' });
    },
    cancelEdit: () => {
      const id = editing?.id;
      setEditing(null);
      if (id) requestAnimationFrame(() => document.querySelector<HTMLElement>(`#reply-${id} > article`)?.focus());
    },
    async saveEdit(id, body) {
      const updated = await discussions.edit(id, body).catch(explainLimit);
      model.upsert({ ...updated, bodySource: updated.bodySource ?? body });
      setEditing(null);
      rerender();
      requestAnimationFrame(() => document.querySelector<HTMLElement>(`#reply-${id} > article`)?.focus());
    },
    async remove(reply) {
      if (!window.confirm(t('thread.confirmDelete'))) return;
      try {
        model.upsert(await discussions.remove(reply.id));
        rerender();
      } catch (e) {
        setNotice(errorMessage(e));
      }
    },
    async vote(reply) {
      const on = !reply.votedByMe;
      model.patch(reply.id, { votedByMe: on, voteCount: Math.max(0, reply.voteCount + (on ? 1 : -1)) });
      rerender();
      try {
        const result = await discussions.vote(reply.id, on);
        model.patch(reply.id, { votedByMe: result.votedByMe, ...(result.voteCount !== null ? { voteCount: result.voteCount } : {}) });
      } catch (e) {
        model.patch(reply.id, { votedByMe: reply.votedByMe, voteCount: reply.voteCount });
        setNotice(errorMessage(e));
      }
      rerender();
    },
    typing: () => sendTyping(questionId),
    questionId,
    notify,
    changed(reply) {
      if (model.has(reply.id)) model.upsert(reply);
      rerender();
    },
    gone(id) {
      model.removeSubtree(id);
      rerender();
    },
  };

  const roots = model.childIds(null);
  return (
    <MentionsIn.Provider value={forumId}>
    <article class="page thread-page" data-live={subscribed ? 'subscribed' : 'pending'}>
      <ForumBreadcrumbs forum={f} />
      <header class="page-header question">
        <p class="meta">
          {q.pinned && <Badge tone="info">{t('forum.pinned')}</Badge>} {q.locked && <Badge tone="warn">{t('forum.locked')}</Badge>}{' '}
          {q.closed && <Badge tone="warn">{t('forum.closedQ')}</Badge>}
        </p>
        <h1 tabIndex={-1}>{q.title}</h1>
        {q.bodyHtml && <ServerHtml html={q.bodyHtml} />}
        <PresenceLine presence={presence} />
      </header>
      {f.canModerate && <QuestionTools question={q} forum={f} onChanged={(updated) => question.setData(() => updated)} notify={notify} />}
      <QuestionNotices question={q} forumId={forumId} authorOf={(id) => model.replies.get(id)?.author?.displayName ?? null} />

      {notice && (
        <div class="notice" role="alert">
          <p>{notice}</p>
          <button type="button" class="button link" onClick={() => setNotice(null)}>
            ✕<span class="sr-only">{t('thread.cancel')}</span>
          </button>
        </div>
      )}

      <section class="thread" aria-labelledby="replies-h">
        <h2 id="replies-h">
          {t('thread.replies')} <span class="muted">({total})</span>
        </h2>

        {canWrite ? (
          <Composer label={t('thread.yourReply')} submitLabel={t('thread.post')} onSubmit={(body, clientId) => ctx.post(null, body, clientId)} onTyping={ctx.typing} />
        ) : !me ? (
          <div class="panel signin-prompt">
            <p>{t('auth.signInToReplyText')}</p>
            <a class="button" href={paths.signIn(location.pathname + location.search)}>
              {t('auth.signIn')}
            </a>{' '}
            <a class="button secondary" href={paths.signUp(location.pathname + location.search)}>
              {t('auth.signUp')}
            </a>
          </div>
        ) : (
          <p class="panel muted">{q.locked || q.closed ? t('thread.locked') : refusalText(f)}</p>
        )}

        <p class="typing" aria-hidden={typingNames.length === 0}>
          {typingNames.length > 0 && tn('thread.typing', typingNames.length, { names: formatList(typingNames) })}
        </p>

        {loadError ? (
          <ErrorView error={loadError} retry={() => loadFirst(model)} />
        ) : !model.loaded ? (
          <Loading />
        ) : roots.length === 0 ? (
          <p class="empty">{t('thread.noReplies')}</p>
        ) : (
          <ul class="replies root">
            {roots.map((id) => (
              <ReplyItem key={id} id={id} ctx={ctx} />
            ))}
          </ul>
        )}

        {model.nextCursor && (
          <button type="button" class="button secondary load-more" onClick={loadMore} disabled={loadingMore}>
            {loadingMore ? t('loading') : t('thread.loadMore')}
          </button>
        )}
      </section>

      {unseenVisible > 0 && (
        <button type="button" class="new-replies" onClick={jumpToNew}>
          <span aria-hidden="true">↓ </span>
          {tn('thread.newReplies', unseenVisible)}
        </button>
      )}
    </article>
    </MentionsIn.Provider>
  );
}

const REFUSALS: Record<string, MessageKey> = {
  removed: 'refusal.removed',
  not_invited: 'refusal.not_invited',
  forum_closed: 'refusal.forum_closed',
  forum_archived: 'refusal.forum_archived',
};

function refusalText(f: ForumDetail): string {
  const key = f.participationRefusal ? REFUSALS[f.participationRefusal] : undefined;
  return key ? t(key) : (f.refusalMessage ?? t('thread.cannotReply'));
}

/** "votes" without the number, in the reader's language (the number is shown beside it). */
function votesWord(n: number): string {
  return tn('thread.votes', n).replace(formatNumber(n), '').trim();
}

/** Slow mode and silences: an error that says when the person can post again. */
function explainLimit(e: unknown): never {
  const message = postingLimitMessage(e);
  throw message ? new Error(message) : e;
}

function without<K, V>(m: Map<K, V>, key: K): Map<K, V> {
  if (!m.has(key)) return m;
  const next = new Map(m);
  next.delete(key);
  return next;
}

interface TreeContext {
  model: ThreadModel;
  me: Account | null;
  forum: ForumDetail;
  canWrite: boolean;
  collapsed: ReadonlySet<string>;
  replyingTo: string | null;
  editing: { id: string; source: string } | null;
  unseen: ReadonlySet<string>;
  toggle(id: string): void;
  startReply(id: string): void;
  cancelReply(): void;
  post(parentId: string | null, body: string, clientId?: string): Promise<void>;
  startEdit(reply: Reply): void;
  cancelEdit(): void;
  saveEdit(id: string, body: string): Promise<void>;
  remove(reply: Reply): void;
  vote(reply: Reply): void;
  typing(): void;
  questionId: number;
  notify(text: string): void;
  /** A reply after a moderation act. */
  changed(reply: Reply): void;
  /** A reply (and its subtree) moved out of this thread. */
  gone(id: string): void;
}

function ReplyItem({ id, ctx }: { id: string; ctx: TreeContext }) {
  const r = ctx.model.replies.get(id);
  if (!r) return null;
  const children = ctx.model.childIds(id);
  const isCollapsed = ctx.collapsed.has(id);
  const mine = !!ctx.me && r.author?.id === ctx.me.id;
  // Moderators act on others' replies from the reply's menu. An author changes their reply where the server lets them:
  // as a moderator anywhere but an archived forum, otherwise where they could reply (forum open, question neither closed nor locked).
  const canChange =
    mine && r.state !== 'deleted' && r.state !== 'rejected' && (ctx.forum.canModerate ? ctx.forum.state !== 'archived' : ctx.canWrite);
  // Only visible replies take votes (and never one's own); only visible ones take answers, hidden ones from moderators too.
  const canReply = ctx.canWrite && (r.state === 'visible' || (r.state === 'hidden' && ctx.forum.canModerate)) && r.depth < MAX_DEPTH;
  const fresh = ctx.model.fresh.has(id);
  const name = r.author?.displayName ?? '—';
  const headingId = `reply-${id}-by`;
  const childrenId = `reply-${id}-children`;
  const hiddenCount = ctx.model.descendants(id);

  return (
    <li id={`reply-${id}`} class={`reply${fresh ? ' is-new' : ''}${r.state !== 'visible' ? ` is-${r.state}` : ''}`}>
      <article tabIndex={-1} aria-labelledby={headingId} data-reply-id={id}>
        <header class="reply-head">
          {r.author && <Avatar person={r.author} size={28} />}
          <strong id={headingId} class="author">
            {r.author ? (
              <a href={paths.person(r.author.id)} title={t('people.profileOf', { name })}>
                {name}
              </a>
            ) : (
              name
            )}
          </strong>
          {r.author?.organisation && <span class="org">{r.author.organisation}</span>}
          <a class="when" href={`#reply-${id}`} title={formatDate(r.createdAt, 'long')}>
            <time dateTime={r.createdAt}>{formatRelative(r.createdAt)}</time>
            <span class="sr-only"> · {t('thread.permalink')}</span>
          </a>
          {r.editedAt && r.state !== 'deleted' && (
            <span class="edited" title={formatDate(r.editedAt, 'long')}>
              · {t('thread.edited')}
            </span>
          )}
          {fresh && <Badge tone="live">{t('thread.new')}</Badge>}
          <ReplyBadges reply={r} moderator={ctx.forum.canModerate} />
        </header>

        {ctx.editing?.id === id ? (
          <Composer
            label={t('thread.edit')}
            submitLabel={t('thread.save')}
            initial={ctx.editing.source}
            autoFocus
            onSubmit={(body) => ctx.saveEdit(id, body)}
            onCancel={ctx.cancelEdit}
          />
        ) : (
          <ReplyBody reply={r} moderator={ctx.forum.canModerate} />
        )}

        <footer class="reply-actions">
          {r.state === 'visible' && (
            <button
              type="button"
              class="vote"
              aria-pressed={r.votedByMe}
              disabled={!ctx.canWrite || mine}
              onClick={() => ctx.vote(r)}
              title={tn('thread.votes', r.voteCount)}
            >
              {/* Read as "Upvote · 3 votes"; the visible part is "▲ 3". */}
              <span class="sr-only">{t('thread.vote')} · </span>
              <span aria-hidden="true">▲ </span>
              {r.voteCount}
              <span class="sr-only"> {votesWord(r.voteCount)}</span>
            </button>
          )}
          {canReply && (
            <button type="button" class="link-button" onClick={() => ctx.startReply(id)} aria-label={t('thread.replyTo', { name })}>
              {t('thread.reply')}
            </button>
          )}
          {canChange && ctx.editing?.id !== id && (
            <>
              <button type="button" class="link-button" onClick={() => ctx.startEdit(r)}>
                {t('thread.edit')}
              </button>
              <button type="button" class="link-button danger" onClick={() => ctx.remove(r)}>
                {t('thread.delete')}
              </button>
            </>
          )}
          {ctx.editing?.id !== id && (
            <ReplyMenu
              reply={r}
              forum={ctx.forum}
              me={ctx.me}
              questionId={ctx.questionId}
              onChanged={ctx.changed}
              onGone={ctx.gone}
              onEdit={() => ctx.startEdit(r)}
              notify={ctx.notify}
            />
          )}
          {children.length > 0 && (
            <button type="button" class="link-button toggle" aria-expanded={!isCollapsed} aria-controls={childrenId} onClick={() => ctx.toggle(id)}>
              {isCollapsed ? tn('thread.expand', hiddenCount) : t('thread.collapse')}
            </button>
          )}
        </footer>
      </article>

      {ctx.replyingTo === id && (
        <div class="nested-composer">
          <Composer
            label={t('thread.replyTo', { name })}
            submitLabel={t('thread.post')}
            autoFocus
            onSubmit={(body, clientId) => ctx.post(id, body, clientId)}
            onCancel={ctx.cancelReply}
            onTyping={ctx.typing}
          />
        </div>
      )}

      {children.length > 0 && (
        <ul class="replies" id={childrenId} hidden={isCollapsed}>
          {!isCollapsed && children.map((c) => <ReplyItem key={c} id={c} ctx={ctx} />)}
        </ul>
      )}
    </li>
  );
}

/** How deep a conversation may go (the server's MAX_DEPTH, discussions/reply-path.ts). */
const MAX_DEPTH = 200;

/** What the reply counts of the forum and the thread count (the server's rule, discussions/reply-visibility.ts). */
function countsAsReply(reply: Reply): boolean {
  return reply.state === 'visible';
}
