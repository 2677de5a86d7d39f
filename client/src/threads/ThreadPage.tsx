import { useState } from 'preact/hooks';
import { discussions, type ForumDetail } from '../api.js';
import { account } from '../account/account.js';
import { Composer, MentionsIn } from './Composer.js';
import { Badge, ErrorView, Loading, ServerHtml, errorMessage, useTitle } from '../ui/common.js';
import { sendTyping } from '../ui/use-follow.js';
import { formatList, t, tn, type MessageKey } from '../i18n/index.js';
import { postingLimitMessage } from '../moderation/limits.js';
import { ForumBreadcrumbs } from '../moderation/ForumLinks.js';
import { QuestionNotices, QuestionTools } from '../moderation/QuestionPanel.js';
import { paths, useLocation } from '../router.js';
import { useStore } from '../store.js';
import { countsAsReply } from './thread-events.js';
import { PresenceLine } from './ForumPage.js';
import { ReplyItem, type TreeContext } from './ReplyItem.js';
import { jumpToNew, usePermalink, useReadPosition, useSeenOnScreen } from './thread-position.js';
import { useThread } from './use-thread.js';

/** A question's thread: its replies as a tree, live (the state and its events: use-thread.ts). */
export function ThreadPage({ forumId, questionId }: { forumId: number; questionId: number }) {
  const me = useStore(account);
  const loc = useLocation();
  const thread = useThread(forumId, questionId);
  const { forum, question, model, rerender, notify, setNotice } = thread;
  useTitle(question.data?.title);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [replyingTo, setReplyingTo] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ id: string; source: string } | null>(null);

  usePermalink(thread, questionId, loc.hash, (ancestors) => setCollapsed((c) => new Set([...c].filter((id) => !ancestors.has(id)))));
  useReadPosition(thread, questionId, me ?? null, loc.hash);
  useSeenOnScreen(thread);

  if (forum.error) return <ErrorView error={forum.error} retry={forum.reload} />;
  if (question.error) return <ErrorView error={question.error} retry={question.reload} />;
  const f = forum.data;
  const q = question.data;
  if (!f || !q) return <Loading />;

  const canWrite = !!me && f.viewer.canPost && !q.closed && (!q.locked || f.viewer.canModerate);
  const { typingNames, notice } = thread;
  const unseenVisible = model.unseenCount();
  // The same number as the forum's agenda: visible replies (hidden, pending and deleted ones are shown in place but not counted).
  const total = Math.max(q.replyCount + thread.liveAdded, [...model.replies.values()].filter(countsAsReply).length);

  const ctx: TreeContext = {
    model,
    me: me ?? null,
    forum: f,
    canWrite,
    collapsed,
    replyingTo,
    editing,
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
      thread.posted(reply);
      setReplyingTo(null);
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
        model.patch(reply.id, { votedByMe: result.viewerVoted, voteCount: result.voteCount });
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
    <article class="page thread-page" data-live={thread.subscribed ? 'subscribed' : 'pending'}>
      <ForumBreadcrumbs forum={f} />
      <header class="page-header question">
        <p class="meta">
          {q.pinned && <Badge tone="info">{t('forum.pinned')}</Badge>} {q.locked && <Badge tone="warn">{t('forum.locked')}</Badge>}{' '}
          {q.closed && <Badge tone="warn">{t('forum.closedQ')}</Badge>}
        </p>
        <h1 tabIndex={-1}>{q.title}</h1>
        {q.bodyHtml && <ServerHtml html={q.bodyHtml} />}
        <PresenceLine presence={thread.presence} />
      </header>
      {f.viewer.canModerate && <QuestionTools question={q} forum={f} onChanged={(updated) => question.setData(() => updated)} notify={notify} />}
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

        {thread.loadError ? (
          <ErrorView error={thread.loadError} retry={thread.retry} />
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
          <button type="button" class="button secondary load-more" onClick={thread.loadMore} disabled={thread.loadingMore}>
            {thread.loadingMore ? t('loading') : t('thread.loadMore')}
          </button>
        )}
      </section>

      {unseenVisible > 0 && (
        <button type="button" class="new-replies" onClick={() => jumpToNew(thread, collapsed)}>
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
  const refusal = f.viewer.postRefusal;
  const key = refusal ? REFUSALS[refusal.code] : undefined;
  return key ? t(key) : (refusal?.message ?? t('thread.cannotReply'));
}

/** Slow mode and silences: an error that says when the person can post again. */
function explainLimit(e: unknown): never {
  const message = postingLimitMessage(e);
  throw message ? new Error(message) : e;
}

