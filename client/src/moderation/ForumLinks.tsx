import type { ForumDetail } from '../api.js';
import { t } from '../i18n/index.js';
import { paths } from '../router.js';
import { tm } from './i18n.js';

/** A forum's ways into moderation: the queue and the record for its moderators; the public summary of removals for everyone. */
export function ForumModerationLinks({ forum: f }: { forum: ForumDetail }) {
  return (
    <p class="mod-links">
      {f.viewer.canModerate ? (
        <>
          <a href={paths.moderationQueue(f.id)}>{tm('links.queue')}</a> · <a href={paths.moderationRecord(f.id)}>{tm('links.record')}</a>
        </>
      ) : (
        <a href={paths.moderationRecord(f.id, 'public')}>{tm('links.removals')}</a>
      )}
    </p>
  );
}

/** "Session / Forum" above a forum's pages (thread, queue, record). */
export function ForumBreadcrumbs({ forum: f }: { forum: ForumDetail }) {
  return (
    <nav class="breadcrumbs" aria-label={t('nav.breadcrumbs')}>
      {f.session && (
        <>
          <a href={paths.session(f.session.slug)}>{f.session.title}</a>
          {' / '}
        </>
      )}
      <a href={paths.forum(f.id)}>{f.title}</a>
    </nav>
  );
}
