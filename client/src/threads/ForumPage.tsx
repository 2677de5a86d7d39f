import { useRef, useState } from 'preact/hooks';
import { forums, questionFromEvent, type Question } from '../api.js';
import { account } from '../account/account.js';
import { Badge, ErrorView, Loading, useAsync, useTitle } from '../ui/common.js';
import { useFollow } from '../ui/use-follow.js';
import { notificationsApi, type QuestionUnread } from '../notifications/notifications-api.js';
import { formatList, t, tn, type MessageKey } from '../i18n/index.js';
import type { ForumEvent, Presence } from '../live.js';
import { ForumModerationLinks } from '../moderation/ForumLinks.js';
import { tm } from '../moderation/i18n.js';
import { tp } from '../moderation/page-i18n.js';
import { ProposeQuestionForm } from '../moderation/ProposeQuestionForm.js';
import { paths } from '../router.js';
import { useStore } from '../store.js';

export function ForumPage({ forumId }: { forumId: number }) {
  const me = useStore(account);
  const forum = useAsync(() => forums.get(forumId), [forumId, me?.id]);
  const questions = useAsync(() => forums.questions(forumId), [forumId, me?.id]);
  // Opening the page is the visit: its answer is what was new before it ("N new", new questions).
  const unread = useAsync(() => (me ? notificationsApi.visitForum(forumId) : Promise.resolve(null)), [forumId, me?.id]);
  const [presence, setPresence] = useState<Presence | null>(null);
  const counted = useRef(new Set<string>());
  useTitle(forum.data?.title);

  useFollow(
    forumId,
    null,
    {
      onEvent(e: ForumEvent) {
        // Every event type has a case: a type added to the protocol without one fails the type check.
        switch (e.type) {
          case 'reply.created': {
            const { reply } = e.payload;
            const id = reply.id;
            if (!id || counted.current.has(id)) return;
            counted.current.add(id);
            const author = reply.author?.id;
            // Someone else's reply while I look at the list is new to me until I open the thread.
            if (me && author !== me.id)
              unread.setData((u) => u && { ...u, questions: bump(u.questions, e.questionId) });
            questions.setData((qs) =>
              qs?.map((q) =>
                q.id === e.questionId ? { ...q, replyCount: q.replyCount + 1, viewerReplied: q.viewerReplied || (!!me && author === me.id) } : q,
              ),
            );
            return;
          }
          case 'reply.deleted': {
            const id = `deleted:${e.payload.reply.id}`;
            if (counted.current.has(id)) return;
            counted.current.add(id);
            questions.setData((qs) => qs?.map((q) => (q.id === e.questionId ? { ...q, replyCount: Math.max(0, q.replyCount - 1) } : q)));
            return;
          }
          // Moderation changed the agenda's order, moved replies between questions, or changed what counts as a reply.
          case 'questions.reordered':
          case 'question.merged':
          case 'reply.moved':
          case 'reply.hidden':
          case 'reply.unhidden':
          case 'reply.approved':
          case 'question.created':
            questions.reload();
            return;
          case 'question.updated': {
            const updated = questionFromEvent(e.payload.question);
            questions.setData((qs) => qs?.map((x) => (x.id === updated.id ? { ...x, ...updated, replyCount: x.replyCount, viewerReplied: x.viewerReplied } : x)));
            return;
          }
          case 'forum.updated':
          case 'forum.moderation':
            forum.reload();
            return;
          // Nothing the list shows: a reply's text, votes, standing or flags, memberships, the moderators' own records.
          case 'reply.edited':
          case 'reply.voted':
          case 'reply.rejected':
          case 'reply.featured':
          case 'membership.changed':
          case 'membership.removed':
          case 'member.silenced':
          case 'moderation.action':
          case 'moderation.queue':
          case 'flag.resolved':
            return;
          default: {
            const unhandled: never = e;
            return unhandled;
          }
        }
      },
      onPresence: setPresence,
      // Anything that changed between the first read and the subscription is picked up once.
      onSubscribed(first) {
        if (first) questions.reload();
      },
      onRefused() {
        forum.reload();
      },
      onResync() {
        counted.current.clear();
        forum.reload();
        questions.reload();
      },
    },
    !!forum.data,
  );

  if (forum.error) return <ErrorView error={forum.error} retry={forum.reload} />;
  const f = forum.data;
  if (!f) return <Loading />;
  const qs = sortQuestions(questions.data ?? []);
  const answered = qs.filter((q) => q.viewerReplied).length;
  const knowsAnswered = !!me && qs.some((q) => q.viewerReplied !== undefined);
  const unreadOf = new Map((unread.data?.questions ?? []).map((u) => [u.questionId, u]));

  return (
    <article class="page forum-page">
      <nav class="breadcrumbs" aria-label={t('nav.breadcrumbs')}>
        <a href={paths.sessions()}>{t('nav.sessions')}</a>
        {f.session && (
          <>
            {' / '}
            <a href={paths.session(f.session.slug)}>{f.session.title}</a>
          </>
        )}
      </nav>
      <header class="page-header">
        <p class="meta">
          <Badge tone={f.visibility === 'public' ? 'ok' : 'info'}>{t(`visibility.${f.visibility}` as MessageKey)}</Badge>{' '}
          <Badge tone={f.state === 'open' ? 'ok' : 'warn'}>{t(`forumState.${f.state}` as MessageKey)}</Badge>
        </p>
        <h1 tabIndex={-1}>{f.title}</h1>
        {f.description && <p class="lede">{f.description}</p>}
      </header>

      <div class="forum-status">
        {knowsAnswered && qs.length > 0 && (
          <p class="progress-line">
            <span id="answered-label">{t('forum.answered', { n: answered, total: qs.length })}</span>
            <progress max={qs.length} value={answered} aria-labelledby="answered-label" />
          </p>
        )}
        <PresenceLine presence={presence} />
        <ForumModerationLinks forum={f} />
      </div>

      <section aria-labelledby="questions-h">
        <h2 id="questions-h">{t('forum.questions')}</h2>
        {questions.error ? (
          <ErrorView error={questions.error} retry={questions.reload} />
        ) : !questions.data ? (
          <Loading />
        ) : qs.length === 0 ? (
          <p class="empty">{t('forum.noQuestions')}</p>
        ) : (
          <ol class="agenda">
            {qs.map((q) => {
              const u = unreadOf.get(q.id);
              return (
              <li key={q.id} class={[q.viewerReplied ? 'answered' : '', u?.isNew ? 'is-new' : ''].filter(Boolean).join(' ') || undefined}>
                <a class="agenda-title" href={paths.thread(forumId, q.id)}>
                  {q.title}
                </a>
                <span class="agenda-meta">
                  <span class="count">{tn('forum.replies', q.replyCount)}</span>
                  {u?.isNew && <Badge tone="live">{t('unread.newQuestion')}</Badge>}
                  {!!u?.newReplies && (
                    <span class="badge badge-info unread-count">{tn('unread.newReplies', u.newReplies)}</span>
                  )}
                  {q.viewerReplied && (
                    <Badge tone="ok">
                      <span aria-hidden="true">✓ </span>
                      {t('forum.answeredShort')}
                    </Badge>
                  )}
                  {q.pinned && <Badge tone="info">{t('forum.pinned')}</Badge>}
                  {q.locked && <Badge tone="warn">{t('forum.locked')}</Badge>}
                  {q.closed && <Badge tone="warn">{t('forum.closedQ')}</Badge>}
                  {q.mergedIntoId !== null && <Badge tone="info">{tm('question.mergedBadge')}</Badge>}
                  {q.state === 'proposed' && <Badge tone="warn">{tp('propose.awaiting')}</Badge>}
                  {q.state === 'rejected' && <Badge tone="warn">{q.stateReason ? tp('propose.rejectedFor', { reason: q.stateReason }) : tp('propose.rejected')}</Badge>}
                </span>
              </li>
              );
            })}
          </ol>
        )}
      </section>
      {f.viewer.canPost && f.memberQuestions && !f.viewer.canModerate && <ProposeQuestionForm forumId={forumId} proposed={() => questions.reload()} />}
    </article>
  );
}

/** One more unread reply in a thread I have read (a thread never opened is counted whole by the server already). */
function bump(list: QuestionUnread[], questionId: number | null): QuestionUnread[] {
  return list.map((u) => (u.questionId === questionId && u.read ? { ...u, newReplies: u.newReplies + 1 } : u));
}

function sortQuestions(qs: Question[]): Question[] {
  return [...qs].sort((a, b) => Number(b.pinned) - Number(a.pinned) || a.position - b.position || a.id - b.id);
}

export function PresenceLine({ presence }: { presence: Presence | null }) {
  // Its line is kept while nobody is counted yet, so the replies below don't move when the count arrives.
  if (!presence || presence.count === 0) return <p class="presence" />;
  const names = presence.members.map((m) => m.displayName).filter(Boolean);
  const shown = names.slice(0, 5);
  return (
    <p class="presence">
      <span class="dot" aria-hidden="true" />
      {tn('forum.hereNow', presence.count)}
      {shown.length > 0 && (
        <span class="muted">
          {t('punct.colon')}
          {formatList(names.length > shown.length ? [...shown, `+${names.length - shown.length}`] : shown)}
        </span>
      )}
    </p>
  );
}
