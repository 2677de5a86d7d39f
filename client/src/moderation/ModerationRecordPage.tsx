import { useState } from 'preact/hooks';
import { forums, type ForumDetail } from '../api.js';
import { account } from '../account/account.js';
import { ErrorView, Loading, errorMessage, useAsync, useTitle } from '../ui/common.js';
import { formatDate, formatNumber, t } from '../i18n/index.js';
import { ForumBreadcrumbs } from './ForumLinks.js';
import { tm, type ModKey } from './i18n.js';
import { hasPageKey, tp, type PageKey } from './page-i18n.js';
import { moderation, type Removals } from './moderation-api.js';
import { paths, useLocation } from '../router.js';
import { useStore } from '../store.js';
import { actName, ActionTable } from './RecordActionTable.js';
import { LogView } from './RecordLog.js';
import { usePaged } from '../ui/use-paged.js';

type View = 'log' | 'mine' | 'public';

/**
 * The record of moderation in a forum, three ways: the full log with
 * filters (moderators), the acts on the reader's own contributions, and
 * the public summary of what was removed and why.
 */
export function ModerationRecordPage({ forumId }: { forumId: number }) {
  const me = useStore(account);
  const loc = useLocation();
  const forum = useAsync(() => forums.get(forumId), [forumId, me?.id]);
  useTitle(forum.data ? `${tp('record.title')} · ${forum.data.title}` : tp('record.title'));
  if (forum.error) return <ErrorView error={forum.error} retry={forum.reload} />;
  const f = forum.data;
  if (!f) return <Loading />;
  const asked = loc.search.get('view') as View | null;
  const view: View = asked === 'log' || asked === 'mine' || asked === 'public' ? asked : f.viewer.canModerate ? 'log' : me ? 'mine' : 'public';
  const views: View[] = f.viewer.canModerate ? ['log', 'mine', 'public'] : ['mine', 'public'];

  return (
    <article class="page record-page">
      <ForumBreadcrumbs forum={f} />
      <header class="page-header">
        <h1 tabIndex={-1}>{tp('record.title')}</h1>
        {f.viewer.canModerate && (
          <p class="mod-links">
            <a href={paths.moderationQueue(forumId)}>{tm('links.queue')}</a>
          </p>
        )}
      </header>
      <nav class="tabs" aria-label={tp('record.tabs')}>
        {views.map((v) => (
          <a key={v} href={paths.moderationRecord(forumId, v)} aria-current={v === view ? 'page' : undefined}>
            {tp(`record.tab.${v}`)}
          </a>
        ))}
      </nav>
      {view === 'log' ? (
        f.viewer.canModerate ? (
          <LogView forum={f} />
        ) : (
          <p class="panel">{tp('record.forbidden')}</p>
        )
      ) : view === 'mine' ? (
        me ? (
          <MineView forum={f} />
        ) : (
          <p class="panel">
            {tp('record.signInForMine')} <a href={paths.signIn(loc.path + '?view=mine')}>{t('auth.signIn')}</a>
          </p>
        )
      ) : (
        <PublicView forum={f} />
      )}
    </article>
  );
}

function MineView({ forum: f }: { forum: ForumDetail }) {
  const list = usePaged((after) => moderation.mine(f.id, after), [f.id]);
  const flags = usePaged((after) => moderation.myFlags(f.id, after), [f.id]);
  return (
    <section aria-labelledby="mine-h">
      <h2 id="mine-h" class="sr-only">
        {tp('record.tab.mine')}
      </h2>
      <p class="lede">{tp('record.mineIntro')}</p>
      <ActionTable forumId={f.id} list={list} showActor />
      <h2 id="my-flags-h">{tp('record.myFlags')}</h2>
      {flags.error ? (
        <ErrorView error={flags.error} retry={flags.reload} />
      ) : !flags.items ? (
        <Loading />
      ) : flags.items.length === 0 ? (
        <p class="empty">{tp('record.noFlags')}</p>
      ) : (
        <ul class="my-flags" aria-labelledby="my-flags-h">
          {flags.items.map((fl) => (
            <li key={fl.id} data-flag-state={fl.state}>
              <time dateTime={fl.createdAt}>{formatDate(fl.createdAt)}</time> — {tm(`flag.reason.${fl.reason}` as ModKey)}{' '}
              <a href={paths.reply(f.id, fl.questionId, fl.replyId)}>({tp('record.target.reply', { id: fl.replyId })})</a>:{' '}
              <strong>{tp(`record.flagState.${fl.state}` as PageKey)}</strong>
            </li>
          ))}
        </ul>
      )}
      {flags.next && (
        <button type="button" class="button secondary" onClick={flags.loadMore} disabled={flags.more}>
          {tp('record.more')}
        </button>
      )}
    </section>
  );
}

function PublicView({ forum: f }: { forum: ForumDetail }) {
  const [totals, setTotals] = useState<Removals['totals']>([]);
  const list = usePaged(async (after) => {
    const page = await moderation.removals(f.id, after);
    if (!after) setTotals(page.totals);
    return page;
  }, [f.id]);
  return (
    <section aria-labelledby="public-h">
      <h2 id="public-h" class="sr-only">
        {tp('record.tab.public')}
      </h2>
      <p class="lede">{tp('record.publicIntro')}</p>
      {totals.length > 0 && (
        <dl class="removal-totals" aria-label={tp('record.totals')}>
          {totals.map((x) => (
            <div key={x.act}>
              <dt>{hasPageKey(`removals.${x.act}`) ? tp(`removals.${x.act}` as PageKey) : actName(x.act)}</dt>
              <dd>{formatNumber(x.count)}</dd>
            </div>
          ))}
        </dl>
      )}
      {list.error ? (
        <p class="form-error">{errorMessage(list.error)}</p>
      ) : !list.items ? (
        <Loading />
      ) : list.items.length === 0 ? (
        <p class="empty">{tp('record.empty')}</p>
      ) : (
        <>
          <ul class="removals">
            {list.items.map((x) => (
              <li key={x.id}>
                <time dateTime={x.createdAt}>{formatDate(x.createdAt)}</time> — {actName(x.act)}{' '}
                {x.questionId !== null && <a href={paths.thread(f.id, x.questionId)}>({tp('record.inQuestion', { id: String(x.questionId) })})</a>}
                {x.reason && <span class="removal-reason">: {x.reason}</span>}
              </li>
            ))}
          </ul>
          {list.next && (
            <button type="button" class="button secondary" onClick={list.loadMore} disabled={list.more}>
              {tp('record.more')}
            </button>
          )}
        </>
      )}
    </section>
  );
}
