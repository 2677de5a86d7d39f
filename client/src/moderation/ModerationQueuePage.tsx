import { useState } from 'preact/hooks';
import { Badge, ErrorView, Loading, ServerHtml, useTitle } from '../ui/common.js';
import { formatDate, formatRelative, t } from '../i18n/index.js';
import { tm, type ModKey } from './i18n.js';
import { tp, tpn, type PageKey } from './page-i18n.js';
import { ForumBreadcrumbs } from './ForumLinks.js';
import { ForumSettingsPanel } from './ForumSettingsPanel.js';
import { ProposalsPanel } from './ProposalsPanel.js';
import { QUEUE_KEYS, QUEUE_KINDS, queueKeyOf, type QueueKey } from './queue-model.js';
import { SilencesPanel } from './SilencesPanel.js';
import { useModerationQueue, useQueueKeys } from './use-moderation-queue.js';
import type { QueueItem } from './moderation-api.js';
import { paths } from '../router.js';

/**
 * A forum's moderation queue: flagged replies and replies waiting for
 * approval, oldest first, kept up to date live. One key acts on the
 * selected item (a: approve / keep, r: reject / hide, d: delete), j/k move.
 */
export function ModerationQueuePage({ forumId }: { forumId: number }) {
  const queue = useModerationQueue(forumId);
  const { forum, model, status, canModerate, subscribed, proposalVersion, silenceVersion, questionTitle, select, act, loadMore } = queue;
  const [help, setHelp] = useState(true);
  useTitle(forum.data ? `${tp('queue.title')} · ${forum.data.title}` : tp('queue.title'));
  useQueueKeys(forumId, queue, () => setHelp((h) => !h));
  const { kind, items, nextCursor, error, selected, busy } = model;

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
            {QUEUE_KINDS.map((k) => (
              <button key={k} type="button" aria-pressed={kind === k} onClick={() => queue.choose(k)}>
                {tp(`queue.${k}` as PageKey)}
              </button>
            ))}
          </div>
          <p class="queue-status" role="status">
            {status}
          </p>
          {error ? (
            <ErrorView error={error} retry={queue.reload} />
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
                    key={queueKeyOf(item)}
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
              {QUEUE_KEYS.map((k) => (
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
  act(key: QueueKey): void;
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
function KeyButton(props: { keyName: QueueKey; label: string; primary?: boolean; busy: boolean; act(key: QueueKey): void }) {
  return (
    <button type="button" class={`button small${props.primary ? '' : ' secondary'}`} disabled={props.busy} onClick={() => props.act(props.keyName)} aria-keyshortcuts={props.keyName}>
      {props.label} <kbd aria-hidden="true">{props.keyName}</kbd>
    </button>
  );
}
