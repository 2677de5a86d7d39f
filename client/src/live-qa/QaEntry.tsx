import { account } from '../account/account.js';
import { Badge, useAsync } from '../ui/common.js';
import { t } from '../i18n/index.js';
import { paths } from '../router.js';
import { useStore } from '../store.js';

/**
 * The way into a session's live Q&A from its page: prominent while the Q&A
 * is open, with the moderator's and presenter's views for moderators.
 */
export function QaEntry({ slug, sessionState }: { slug: string; sessionState: string }) {
  const me = useStore(account);
  // The Q&A's API module loads with this answer, not with the first page.
  const info = useAsync(() => import('./qa-api.js').then(({ qa }) => qa.get(slug)), [slug, me?.id]);
  const q = info.data;
  // Before the Q&A exists, only its moderators need to see the way in (to open it).
  if (!q || (q.state === 'not_open' && !q.viewer.canModerate && sessionState !== 'live')) return null;
  return (
    <section class={`panel qa-entry${q.state === 'open' ? ' is-open' : ''}`} aria-labelledby="qa-entry-h">
      <h2 id="qa-entry-h">
        {t('qa.entry')} {q.state === 'open' ? <Badge tone="live">{t('qa.open')}</Badge> : <Badge tone="warn">{t('qa.closed')}</Badge>}
      </h2>
      <p>{t('qa.entryText')}</p>
      <p class="composer-actions">
        <a class={`button${q.state === 'open' ? '' : ' secondary'}`} href={paths.qa(slug)}>
          {t('qa.entryOpen')}
        </a>
        {q.viewer.canModerate && (
          <>
            <a class="button secondary" href={paths.qa(slug, 'moderate')}>
              {t('qa.entryModerate')}
            </a>
            <a class="button secondary" href={paths.qa(slug, 'present')}>
              {t('qa.entryPresent')}
            </a>
          </>
        )}
      </p>
    </section>
  );
}
