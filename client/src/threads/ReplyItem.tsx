import { Avatar } from '../ui/Avatar.js';
import { Composer } from './Composer.js';
import { Badge } from '../ui/common.js';
import { formatDate, formatNumber, formatRelative, t, tn } from '../i18n/index.js';
import { ReplyMenu } from '../moderation/ReplyMenu.js';
import { ReplyBadges, ReplyBody } from '../moderation/ReplyStatus.js';
import { paths } from '../router.js';
import type { Account, ForumDetail, Reply } from '../api.js';
import type { ThreadModel } from './thread-model.js';

/** What a reply of the thread's tree needs from the page: the model, the reader, and the page's actions. */
export interface TreeContext {
  model: ThreadModel;
  me: Account | null;
  forum: ForumDetail;
  canWrite: boolean;
  collapsed: ReadonlySet<string>;
  replyingTo: string | null;
  editing: { id: string; source: string } | null;
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

export function ReplyItem({ id, ctx }: { id: string; ctx: TreeContext }) {
  const r = ctx.model.replies.get(id);
  if (!r) return null;
  const children = ctx.model.childIds(id);
  const isCollapsed = ctx.collapsed.has(id);
  const mine = !!ctx.me && r.author?.id === ctx.me.id;
  // Moderators act on others' replies from the reply's menu. An author changes their reply where the server lets them:
  // as a moderator anywhere but an archived forum, otherwise where they could reply (forum open, question neither closed nor locked).
  const canChange =
    mine && r.state !== 'deleted' && r.state !== 'rejected' && (ctx.forum.viewer.canModerate ? ctx.forum.state !== 'archived' : ctx.canWrite);
  // Only visible replies take votes (and never one's own); only visible ones take answers, hidden ones from moderators too.
  const canReply = ctx.canWrite && (r.state === 'visible' || (r.state === 'hidden' && ctx.forum.viewer.canModerate)) && r.depth < MAX_DEPTH;
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
          <ReplyBadges reply={r} moderator={ctx.forum.viewer.canModerate} />
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
          <ReplyBody reply={r} moderator={ctx.forum.viewer.canModerate} />
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

/** "votes" without the number, in the reader's language (the number is shown beside it). */
function votesWord(n: number): string {
  return tn('thread.votes', n).replace(formatNumber(n), '').trim();
}
