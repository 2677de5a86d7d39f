import { useEffect, useRef, useState } from 'preact/hooks';
import { forums, type Author, type ForumDetail } from '../api.js';
import { account } from '../account.js';
import { ErrorView, Loading, errorMessage, useAsync, useTitle } from '../components/common.js';
import { useFollow } from '../components/use-follow.js';
import { formatDate, formatNumber, t } from '../i18n/index.js';
import type { ForumEvent } from '../live.js';
import { ForumBreadcrumbs } from '../moderation/ForumLinks.js';
import { tm, type ModKey } from '../moderation/i18n.js';
import { hasPageKey, tp, type PageKey } from '../moderation/page-i18n.js';
import { changeSentences } from '../moderation/record-sentences.js';
import { moderation, type ActionFilters, type ModerationAction, type Removals } from '../moderation-api.js';
import { navigate, paths, useLocation } from '../router.js';
import { useStore } from '../store.js';

type View = 'log' | 'mine' | 'public';

/** Act names a moderator can filter the log by, in the order they are listed. */
const ACTS = [
  'reply.hide',
  'reply.unhide',
  'reply.delete',
  'reply.edit',
  'reply.move',
  'reply.feature',
  'reply.unfeature',
  'reply.approve',
  'reply.reject',
  'flag.uphold',
  'flag.dismiss',
  'question.pin',
  'question.unpin',
  'question.lock',
  'question.unlock',
  'question.close',
  'question.reopen',
  'question.reorder',
  'question.merge',
  'question.synthesis',
  'question.slow_mode',
  'question.edit',
  'question.approve',
  'question.reject',
  'forum.settings',
  'member.silence',
  'member.unsilence',
];

export const actName = (act: string): string => {
  const key = `act.${act}`;
  return hasPageKey(key) ? tp(key) : act;
};

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

/** A paged list loaded with `load(after)`; `reset` changes start it again. */
function usePaged<T>(load: (after: string | null) => Promise<{ items: T[]; nextCursor: string | null }>, reset: unknown[]) {
  const [items, setItems] = useState<T[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [more, setMore] = useState(false);
  const run = useRef(0);
  const first = () => {
    const id = ++run.current;
    setError(null);
    load(null).then(
      (page) => {
        if (id !== run.current) return;
        setItems(page.items);
        setNext(page.nextCursor);
      },
      (e) => id === run.current && setError(e),
    );
  };
  useEffect(first, reset);
  const loadMore = async () => {
    if (!next) return;
    setMore(true);
    try {
      const page = await load(next);
      setItems((list) => [...(list ?? []), ...page.items]);
      setNext(page.nextCursor);
    } catch (e) {
      setError(e);
    } finally {
      setMore(false);
    }
  };
  return { items, setItems, next, error, more, loadMore, reload: first };
}

function LogView({ forum: f }: { forum: ForumDetail }) {
  const loc = useLocation();
  const filters: ActionFilters = {
    act: loc.search.get('act') ?? undefined,
    actorId: loc.search.get('actorId') ?? undefined,
    since: loc.search.get('since') ?? undefined,
    until: loc.search.get('until') ?? undefined,
  };
  const key = JSON.stringify(filters);
  const list = usePaged((after) => moderation.actions(f.id, toServerFilters(filters), after), [f.id, key]);
  const [draft, setDraft] = useState(filters);
  useEffect(() => setDraft(filters), [key]);
  // Who can be picked: the forum's moderators, and anyone else seen acting (admins, session moderators).
  const [actors, setActors] = useState<Map<string, string>>(new Map());
  const addActors = (people: (Author | null)[]) =>
    setActors((known) => {
      const next = new Map(known);
      for (const p of people) if (p) next.set(p.id, p.displayName);
      return next.size === known.size ? known : next;
    });
  useEffect(() => {
    moderation.moderators(f.id).then(addActors, () => undefined);
  }, [f.id]);
  useEffect(() => {
    if (list.items) addActors(list.items.map((a) => a.actor));
  }, [list.items]);

  // New acts appear at the top while no filter narrows the log.
  const unfiltered = !filters.act && !filters.actorId && !filters.since && !filters.until;
  useFollow(
    f.id,
    null,
    {
      onEvent(e: ForumEvent) {
        if (e.type !== 'moderation.action' || !unfiltered) return;
        const action = e.payload.action;
        list.setItems((items) => (items && !items.some((a) => a.id === action.id) ? [action, ...items] : items));
      },
      onResync: list.reload,
    },
    !!list.items,
  );

  const apply = (e: Event) => {
    e.preventDefault();
    const q = new URLSearchParams({ view: 'log' });
    for (const [k, v] of Object.entries(draft)) if (v) q.set(k, String(v));
    navigate(`${paths.moderationRecord(f.id)}?${q}`);
  };

  return (
    <section aria-labelledby="log-h">
      <h2 id="log-h" class="sr-only">
        {tp('record.tab.log')}
      </h2>
      <p class="lede">{tp('record.logIntro')}</p>
      <form class="filters record-filters" onSubmit={apply} aria-label={tp('record.filters')}>
        <label class="field">
          <span>{tp('record.act')}</span>
          <select value={draft.act ?? ''} onChange={(e) => setDraft({ ...draft, act: (e.currentTarget as HTMLSelectElement).value || undefined })}>
            <option value="">{tp('record.anyAct')}</option>
            {ACTS.map((a) => (
              <option key={a} value={a}>
                {actName(a)}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{tp('record.moderator')}</span>
          <select value={draft.actorId ?? ''} onChange={(e) => setDraft({ ...draft, actorId: (e.currentTarget as HTMLSelectElement).value || undefined })}>
            <option value="">{tp('record.anyModerator')}</option>
            {[...actors].map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{tp('record.since')}</span>
          <input type="date" value={draft.since ?? ''} onInput={(e) => setDraft({ ...draft, since: (e.currentTarget as HTMLInputElement).value || undefined })} />
        </label>
        <label class="field">
          <span>{tp('record.until')}</span>
          <input type="date" value={draft.until ?? ''} onInput={(e) => setDraft({ ...draft, until: (e.currentTarget as HTMLInputElement).value || undefined })} />
        </label>
        <div class="filter-actions">
          <button type="submit" class="button">
            {tp('record.apply')}
          </button>
          <a class="button secondary" href={paths.moderationRecord(f.id, 'log')}>
            {tp('record.clear')}
          </a>
        </div>
      </form>
      <ActionTable forumId={f.id} list={list} showActor showWhose />
    </section>
  );
}

/** Dates from the filter form (whole days, local time) as the ISO times the server takes. */
function toServerFilters(filters: ActionFilters): ActionFilters {
  const day = (d: string | undefined, end: boolean) => {
    if (!d) return undefined;
    const at = new Date(`${d}T00:00:00`);
    if (Number.isNaN(at.getTime())) return undefined;
    if (end) at.setDate(at.getDate() + 1);
    return at.toISOString();
  };
  return { ...filters, since: day(filters.since, false), until: day(filters.until, true) };
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

function ActionTable(props: {
  forumId: number;
  list: { items: ModerationAction[] | null; next: string | null; error: unknown; more: boolean; loadMore(): void; reload(): void };
  showActor?: boolean;
  showWhose?: boolean;
}) {
  const { list } = props;
  if (list.error) return <ErrorView error={list.error} retry={list.reload} />;
  if (!list.items) return <Loading />;
  if (list.items.length === 0) return <p class="empty">{tp('record.empty')}</p>;
  return (
    <>
      <div class="table-wrap">
        <table class="record-table">
          <thead>
            <tr>
              <th scope="col">{tp('record.when')}</th>
              {props.showActor && <th scope="col">{tp('record.who')}</th>}
              <th scope="col">{tp('record.what')}</th>
              {props.showWhose && <th scope="col">{tp('record.whose')}</th>}
              <th scope="col">{tp('record.why')}</th>
              <th scope="col">{tp('record.change')}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((a) => (
              <tr key={a.id} data-act={a.act}>
                <td>
                  <time dateTime={a.createdAt}>{formatDate(a.createdAt)}</time>
                </td>
                {props.showActor && <td>{a.actor?.displayName ?? tp('record.system')}</td>}
                <td>
                  {actName(a.act)} <Target forumId={props.forumId} kind={a.targetKind} id={a.targetId} questionId={a.questionId} />
                </td>
                {props.showWhose && <td>{a.targetAuthor?.displayName ?? '—'}</td>}
                <td>{a.reason ?? tp('record.noReason')}</td>
                <td>
                  <Change before={a.before} after={a.after} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.next && (
        <button type="button" class="button secondary" onClick={list.loadMore} disabled={list.more}>
          {list.more ? t('loading') : tp('record.more')}
        </button>
      )}
    </>
  );
}

function Target({ forumId, kind, id, questionId }: { forumId: number; kind: string; id: string; questionId: number | null }) {
  if (kind === 'reply' && questionId !== null) return <a href={paths.reply(forumId, questionId, id)}>({tp('record.target.reply', { id })})</a>;
  if (kind === 'question' && /^\d+$/.test(id)) return <a href={paths.thread(forumId, Number(id))}>({tp('record.target.question', { id })})</a>;
  return null;
}

/** What an act changed, one sentence per field in the reader's language. */
function Change({ before, after }: { before: Record<string, unknown> | null; after: Record<string, unknown> | null }) {
  const sentences = changeSentences(before, after);
  if (sentences.length === 0) return <span class="muted">—</span>;
  return (
    <ul class="changes">
      {sentences.map((text, i) => (
        <li key={i}>{text}</li>
      ))}
    </ul>
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
