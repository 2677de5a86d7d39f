import type { Reply } from '../api.js';
import { Badge, ServerHtml } from '../ui/common.js';
import { t } from '../i18n/index.js';
import { tm } from './i18n.js';

/** The moderation badges of a reply's header: hidden (moderators), waiting, rejected, key contribution, edited by a moderator. */
export function ReplyBadges({ reply: r, moderator }: { reply: Reply; moderator: boolean }) {
  return (
    <>
      {/* Whoever still reads the text (moderators, its author) is told readers don't. */}
      {r.state === 'hidden' && (moderator || !!r.bodyHtml) && <Badge tone="warn">{tm('reply.hiddenBadge')}</Badge>}
      {r.state === 'pending' && <Badge tone="warn">{tm('reply.pendingBadge')}</Badge>}
      {r.state === 'rejected' && <Badge tone="warn">{tm('reply.rejectedBadge')}</Badge>}
      {r.featured && r.state === 'visible' && (
        <Badge tone="ok">
          <span aria-hidden="true">★ </span>
          {tm('reply.featuredBadge')}
        </Badge>
      )}
      {r.editedByModerator && r.editedAt && r.state !== 'deleted' && <span class="edited">· {tm('reply.editedByModerator')}</span>}
    </>
  );
}

/**
 * A reply's body as this reader may see it: the text, or the placeholder
 * that keeps its place (hidden, deleted) with the moderator's reason. A
 * moderator, and the reply's author, see a hidden reply's text under a note with the reason; a
 * pending or rejected reply (shown only to its author and the moderators)
 * says who can see it.
 */
export function ReplyBody({ reply: r, moderator }: { reply: Reply; moderator: boolean }) {
  if (r.state === 'deleted')
    return <p class="tombstone">{r.stateReason ? tm('reply.deletedReason', { reason: r.stateReason }) : t('thread.deleted')}</p>;
  if (r.state === 'hidden' && !r.bodyHtml)
    return (
      <p class="tombstone placeholder-hidden">{r.stateReason ? tm('reply.hiddenPlaceholder', { reason: r.stateReason }) : tm('reply.hiddenNoReason')}</p>
    );
  return (
    <>
      {r.state === 'hidden' && <p class="mod-note">{tm('reply.hiddenFor', { reason: r.stateReason ?? '—' })}</p>}
      {r.state === 'pending' && <p class="mod-note">{moderator ? tm('reply.pendingNoteModerator') : tm('reply.pendingNote')}</p>}
      {r.state === 'rejected' && (
        <p class="mod-note">{r.stateReason ? tm('reply.rejectedReason', { reason: r.stateReason }) : tm('reply.rejectedNote')}</p>
      )}
      <ServerHtml html={r.bodyHtml} />
    </>
  );
}
