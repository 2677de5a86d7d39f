import { useEffect, useRef, useState } from 'preact/hooks';
import { forums, type Question } from '../api.js';
import { account } from '../account.js';
import { announce } from '../announcer.js';
import { Badge, ErrorView, Loading, ServerHtml, errorMessage, useAsync, useTitle } from '../components/common.js';
import { useFollow } from '../components/use-follow.js';
import { formatDate, formatRelative, t } from '../i18n/index.js';
import type { ForumEvent } from '../live.js';
import { tm, type ModKey } from '../moderation/i18n.js';
import { tp, tpn, type PageKey } from '../moderation/page-i18n.js';
import { ForumBreadcrumbs } from '../moderation/ForumLinks.js';
import { ForumSettingsPanel } from '../moderation/ForumSettingsPanel.js';
import { ProposalsPanel } from '../moderation/ProposalsPanel.js';
import { SilencesPanel } from '../moderation/SilencesPanel.js';
import { moderation, type ActCommand, type QueueItem } from '../moderation-api.js';
import { navigate, paths } from '../router.js';
import { useStore } from '../store.js';

type Kind = 'all' | 'flags' | 'pending';
const keyOf = (item: QueueItem) => `${item.kind}-${item.reply.id}`;

/** What a key does on the selected item (shown in the help, so the list and the handler can't drift apart). */
const KEYS: { keys: string[]; help: PageKey }[] = [
  { keys: ['j', '↓'], help: 'queue.key.next' },
  { keys: ['k', '↑'], help: 'queue.key.prev' },
  { keys: ['a'], help: 'queue.key.approve' },
  { keys: ['r'], help: 'queue.key.reject' },
  { keys: ['d'], help: 'queue.key.delete' },
  { keys: ['o', 'Enter'], help: 'queue.key.open' },
  { keys: ['?'], help: 'queue.key.help' },
];

/**
 * A forum's moderation queue: flagged replies and replies waiting for
 * approval, oldest first, kept up to date live. One key acts on the
 * selected item (a: approve / keep, r: reject / hide, d: delete), j/k move.
 */
export function ModerationQueuePage({ forumId }: { forumId: number }) {
  const me = useStore(account);
  const forum = useAsync(() => forums.get(forumId), [forumId, me?.id]);
  const questions = useAsync(() => forums.questions(forumId), [forumId, me?.id]);
  const [kind, setKind] = useState<Kind>('all');
  const [items, setItems] = useState<QueueItem[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  /** The selected item, by kind and reply (so it stays put when the list changes around it). */
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const [help, setHelp] = useState(true);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [subscribed, setSubscribed] = useState(false);
  /** Bumped when a silence changes live, so the list of silenced members reloads. */
  const [silenceVersion, setSilenceVersion] = useState(0);
  /** Bumped when members' proposed questions change live. */
  const [proposalVersion, setProposalVersion] = useState(0);
  const loads = useRef(0);
  const canModerate = !!forum.data?.viewer.canModerate;
  useTitle(forum.data ? `${tp('queue.title')} · ${forum.data.title}` : tp('queue.title'));

  const load = async () => {
    const run = ++loads.current;
    try {
      const page = await moderation.queue(forumId, kind);
      if (run !== loads.current) return;
      setItems(page.items);
      setNextCursor(page.nextCursor);
      setError(null);
    } catch (e) {
      if (run === loads.current) setError(e);
    }
  };

  useEffect(() => {
    if (canModerate) load();
  }, [forumId, kind, canModerate]);

  const loadMore = async () => {
    if (!nextCursor) return;
    try {
      const page = await moderation.queue(forumId, kind, nextCursor);
      setItems((before) => [...(before ?? []), ...page.items.filter((i) => !before?.some((b) => b.reply.id === i.reply.id && b.kind === i.kind))]);
      setNextCursor(page.nextCursor);
    } catch (e) {
      setStatus(errorMessage(e));
    }
  };

  // Live: the queue changes when members flag, post under pre-moderation, or another moderator resolves an item.
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refreshSoon = () => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      load();
    }, 150);
  };
  useEffect(() => () => clearTimeout(pending.current ?? undefined), []);
  useFollow(
    forumId,
    null,
    {
      onEvent(e: ForumEvent) {
        if (e.type === 'moderation.queue') {
          if (e.payload.change === 'added') announce(tp('queue.arrived'));
          if (e.payload.kind === 'question') setProposalVersion((v) => v + 1);
          else refreshSoon();
        } else if (e.type.startsWith('reply.')) refreshSoon();
        else if (e.type === 'member.silenced') setSilenceVersion((v) => v + 1);
      },
      onSubscribed: () => {
        setSubscribed(true);
        setProposalVersion((v) => v + 1);
        refreshSoon();
      },
      onResync: () => refreshSoon(),
      onRefused: () => forum.reload(),
    },
    canModerate,
  );

  const questionTitle = (id: number): string => questions.data?.find((q: Question) => q.id === id)?.title ?? `#${id}`;

  const act = async (item: QueueItem, key: 'a' | 'r' | 'd') => {
    const name = item.reply.author?.displayName ?? '—';
    let command: ActCommand;
    let done: string;
    if (item.kind === 'pending') {
      if (key === 'd') return;
      command = { act: key === 'a' ? 'reply.approve' : 'reply.reject', replyId: item.reply.id };
      done = tp(key === 'a' ? 'queue.approved' : 'queue.rejected', { name });
    } else if (key === 'a') {
      command = { act: 'flags.resolve', replyId: item.reply.id, outcome: 'dismiss' };
      done = tp('queue.dismissed', { name });
    } else {
      command = { act: 'flags.resolve', replyId: item.reply.id, outcome: 'uphold', removal: key === 'd' ? 'delete' : 'hide' };
      done = tp(key === 'd' ? 'queue.upheldDeleted' : 'queue.upheld', { name });
    }
    setBusy(true);
    current.current.busy = true;
    try {
      await moderation.act(command);
      // The next item (or the previous one, at the end) takes the selection.
      const list = current.current.list;
      const at = list.indexOf(item);
      const next = list[at + 1] ?? list[at - 1];
      if (next) select(list.indexOf(next));
      setItems((all) => all?.filter((i) => i !== item) ?? null);
      setStatus(done);
      announce(done);
    } catch (e) {
      setStatus(errorMessage(e));
      load();
    } finally {
      setBusy(false);
      current.current.busy = false;
    }
  };

  const list = items ?? [];
  const found = list.findIndex((i) => keyOf(i) === selectedKey);
  const selected = found >= 0 ? found : 0;
  // What the key handler reads: a key pressed right after a click must see that click's selection, before any re-render.
  const current = useRef({ list, selected, busy, act });
  current.current = { ...current.current, list, selected, act };
  current.current.busy ||= busy;
  const select = (i: number) => {
    const item = current.current.list[i];
    if (!item) return;
    current.current.selected = i;
    setSelectedKey(keyOf(item));
  };

  // One-key actions on the selected item.
  useEffect(() => {
    if (!canModerate) return;
    const onKey = (e: KeyboardEvent) => {
      const { list, selected, busy, act } = current.current;
      if (e.ctrlKey || e.metaKey || e.altKey || busy) return;
      const target = e.target as HTMLElement | null;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      if (document.querySelector('dialog[open]')) return;
      // Enter on a button or link does what that control says.
      if (e.key === 'Enter' && target?.closest('button, a')) return;
      const item = list[selected];
      const move = (i: number) => {
        select(i);
        requestAnimationFrame(() => document.getElementById(`queue-item-${i}`)?.focus());
      };
      switch (e.key) {
        case 'j':
        case 'ArrowDown':
          if (list.length === 0) return;
          move(Math.min(list.length - 1, selected + 1));
          break;
        case 'k':
        case 'ArrowUp':
          if (list.length === 0) return;
          move(Math.max(0, selected - 1));
          break;
        case 'a':
        case 'r':
        case 'd':
          if (!item) return;
          act(item, e.key);
          break;
        case 'o':
        case 'Enter':
          if (!item) return;
          navigate(paths.reply(forumId, item.reply.questionId, item.reply.id));
          break;
        case '?':
          setHelp((h) => !h);
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [canModerate]);

  if (forum.error) return <ErrorView error={forum.error} retry={forum.reload} />;
  const f = forum.data;
  if (!f) return <Loading />;
  if (!canModerate)
    return (
      <section class="panel">
        <h1 tabIndex={-1}>{tp('queue.title')}</h1>
        <p>{tp('queue.forbidden')}</p>
        <p>
          <a href={paths.forum(forumId)}>{f.title}</a>
        </p>
      </section>
    );

  return (
    <article class="page queue-page" data-live={subscribed ? 'subscribed' : 'pending'}>
      <ForumBreadcrumbs forum={f} />
      <header class="page-header">
        <h1 tabIndex={-1}>{tp('queue.title')}</h1>
        <p class="lede">{tp('queue.intro')}</p>
        <p class="mod-links">
          <a href={paths.moderationRecord(forumId)}>{tm('links.record')}</a>
        </p>
      </header>

      <div class="queue-layout">
        <div class="queue-main">
          <ProposalsPanel forumId={forumId} version={proposalVersion} />
          <div class="segmented" role="group" aria-label={tp('queue.filter')}>
            {(['all', 'flags', 'pending'] as Kind[]).map((k) => (
              <button key={k} type="button" aria-pressed={kind === k} onClick={() => setKind(k)}>
                {tp(`queue.${k}` as PageKey)}
              </button>
            ))}
          </div>
          <p class="queue-status" role="status">
            {status}
          </p>
          {error ? (
            <ErrorView error={error} retry={load} />
          ) : !items ? (
            <Loading />
          ) : items.length === 0 ? (
            <p class="empty">{tp('queue.empty')}</p>
          ) : (
            <>
              <p class="muted">{tpn('queue.count', items.length)}</p>
              <ol class="queue-list">
                {items.map((item, i) => (
                  <QueueEntry
                    key={`${item.kind}-${item.reply.id}`}
                    index={i}
                    item={item}
                    selected={i === selected}
                    busy={busy}
                    forumId={forumId}
                    questionTitle={questionTitle(item.reply.questionId)}
                    select={() => select(i)}
                    act={(key) => act(item, key)}
                  />
                ))}
              </ol>
              {nextCursor && (
                <button type="button" class="button secondary" onClick={loadMore}>
                  {tp('queue.more')}
                </button>
              )}
            </>
          )}
        </div>
        <aside class="shortcuts panel" aria-labelledby="shortcuts-h">
          <h2 id="shortcuts-h">
            <button type="button" class="link-button" aria-expanded={help} onClick={() => setHelp((h) => !h)}>
              {tp('queue.keys')}
            </button>
          </h2>
          {help && (
            <dl>
              {KEYS.map((k) => (
                <div key={k.help}>
                  <dt>
                    {k.keys.map((key, i) => (
                      <span key={key}>
                        {i > 0 && ' / '}
                        <kbd>{key}</kbd>
                      </span>
                    ))}
                  </dt>
                  <dd>{tp(k.help)}</dd>
                </div>
              ))}
            </dl>
          )}
        </aside>
      </div>
      <SilencesPanel forumId={forumId} version={silenceVersion} />
      <ForumSettingsPanel forumId={forumId} />
    </article>
  );
}

function QueueEntry(props: {
  index: number;
  item: QueueItem;
  selected: boolean;
  busy: boolean;
  forumId: number;
  questionTitle: string;
  select(): void;
  act(key: 'a' | 'r' | 'd'): void;
}) {
  const { item, selected } = props;
  const r = item.reply;
  const name = r.author?.displayName ?? '—';
  return (
    <li class={`queue-item${selected ? ' is-selected' : ''}`} data-reply-id={r.id} data-kind={item.kind}>
      <article id={`queue-item-${props.index}`} tabIndex={-1} aria-current={selected ? 'true' : undefined} onClick={props.select} onFocus={props.select}>
        <header class="reply-head">
          {item.kind === 'pending' ? <Badge tone="warn">{tp('queue.pending')}</Badge> : <Badge tone="warn">{tpn('queue.flagCount', item.flags.length)}</Badge>}
          {selected && <span class="sr-only">{tp('queue.selected')}</span>}
          <strong class="author">{tp('queue.by', { name, question: props.questionTitle })}</strong>
          <span class="when" title={formatDate(item.since, 'long')}>
            {item.kind === 'pending' ? tp('queue.waiting', { when: formatRelative(item.since) }) : formatRelative(item.since)}
          </span>
        </header>
        {r.state === 'hidden' && r.stateReason && <p class="mod-note">{tm('reply.hiddenFor', { reason: r.stateReason })}</p>}
        {r.bodyHtml ? <ServerHtml html={r.bodyHtml} /> : <p class="tombstone">{t('thread.deleted')}</p>}
        {item.kind === 'flags' && (
          <ul class="flag-list">
            {item.flags.map((fl) => (
              <li key={fl.id}>
                {tp('queue.flagBy', { reason: tm(`flag.reason.${fl.reason}` as ModKey), name: fl.by?.displayName ?? '—' })}
                {fl.note && <q>{fl.note}</q>}
              </li>
            ))}
          </ul>
        )}
        <footer class="reply-actions">
          {item.kind === 'pending' ? (
            <>
              <KeyButton keyName="a" label={tp('queue.approve')} primary busy={props.busy} act={props.act} />
              <KeyButton keyName="r" label={tp('queue.reject')} busy={props.busy} act={props.act} />
            </>
          ) : (
            <>
              <KeyButton keyName="a" label={tp('queue.dismiss')} busy={props.busy} act={props.act} />
              <KeyButton keyName="r" label={tp('queue.uphold')} primary busy={props.busy} act={props.act} />
              <KeyButton keyName="d" label={tp('queue.upholdDelete')} busy={props.busy} act={props.act} />
            </>
          )}
          <a href={paths.reply(props.forumId, r.questionId, r.id)}>{tp('queue.open')}</a>
        </footer>
      </article>
    </li>
  );
}

/** An action button that shows its one-key shortcut. */
function KeyButton(props: { keyName: 'a' | 'r' | 'd'; label: string; primary?: boolean; busy: boolean; act(key: 'a' | 'r' | 'd'): void }) {
  return (
    <button type="button" class={`button small${props.primary ? '' : ' secondary'}`} disabled={props.busy} onClick={() => props.act(props.keyName)} aria-keyshortcuts={props.keyName}>
      {props.label} <kbd aria-hidden="true">{props.keyName}</kbd>
    </button>
  );
}
