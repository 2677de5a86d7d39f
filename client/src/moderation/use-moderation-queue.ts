import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { forums, type ForumDetail, type Question } from '../api.js';
import { account } from '../account/account.js';
import { announce } from '../ui/announcer.js';
import { errorMessage, useAsync, type Async } from '../ui/common.js';
import { useFollow } from '../ui/use-follow.js';
import type { ForumEvent } from '../live.js';
import { moderation, type QueueItem } from './moderation-api.js';
import { navigate, paths } from '../router.js';
import { useStore } from '../store.js';
import { tp } from './page-i18n.js';
import { applyQueueEvent, queueAct, QueueModel, type QueueEffect, type QueueKey, type QueueKind } from './queue-model.js';

export interface ModerationQueue {
  forum: Async<ForumDetail>;
  canModerate: boolean;
  model: QueueModel;
  /** What the last act did, or why it (or showing more) failed. */
  status: string | null;
  /** The live subscription is confirmed (events flow). */
  subscribed: boolean;
  /** Bumped when a silence changes live, so the list of silenced members reloads. */
  silenceVersion: number;
  /** Bumped when members' proposed questions change live. */
  proposalVersion: number;
  /** The title of an entry's question (its number until the agenda is read). */
  questionTitle(id: number): string;
  reload(): void;
  choose(kind: QueueKind): void;
  loadMore(): Promise<void>;
  select(index: number): void;
  act(item: QueueItem, key: QueueKey): Promise<void>;
}

/**
 * A forum's moderation queue for its moderators: read when shown (and again
 * for another kind of entries), kept current by the forum's events
 * (applyQueueEvent answers what each asks; done here), and acted on one
 * entry at a time.
 */
export function useModerationQueue(forumId: number): ModerationQueue {
  const me = useStore(account);
  const forum = useAsync(() => forums.get(forumId), [forumId, me?.id]);
  const questions = useAsync(() => forums.questions(forumId), [forumId, me?.id]);
  const [model] = useState(() => new QueueModel());
  const [, setVersion] = useState(0);
  const rerender = useCallback(() => setVersion((v) => v + 1), []);
  const [status, setStatus] = useState<string | null>(null);
  const [subscribed, setSubscribed] = useState(false);
  const [silenceVersion, setSilenceVersion] = useState(0);
  const [proposalVersion, setProposalVersion] = useState(0);
  const loads = useRef(0);
  const canModerate = !!forum.data?.viewer.canModerate;

  // The latest read wins: an older one answering late is dropped.
  const load = async () => {
    const run = ++loads.current;
    const { kind } = model;
    try {
      const page = await moderation.queue(forumId, kind);
      if (run !== loads.current) return;
      model.loaded(page);
    } catch (e) {
      if (run !== loads.current) return;
      model.failed(e);
    }
    rerender();
  };

  useEffect(() => {
    if (canModerate) load();
  }, [forumId, model.kind, canModerate]);

  const loadMore = async () => {
    const { kind, nextCursor } = model;
    if (!nextCursor) return;
    try {
      const page = await moderation.queue(forumId, kind, nextCursor);
      model.loadedMore(page);
      rerender();
    } catch (e) {
      setStatus(errorMessage(e));
    }
  };

  // Events come in bursts (a flag, then the reply hidden at the threshold): one read for a burst.
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refreshSoon = () => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      load();
    }, 150);
  };
  useEffect(() => () => clearTimeout(pending.current ?? undefined), []);

  const carryOut = (effect: QueueEffect) => {
    switch (effect.kind) {
      case 'announceArrival':
        return announce(tp('queue.arrived'));
      case 'reloadProposals':
        return setProposalVersion((v) => v + 1);
      case 'refresh':
        return refreshSoon();
      case 'reloadSilences':
        return setSilenceVersion((v) => v + 1);
    }
  };

  useFollow(
    forumId,
    null,
    {
      onEvent(e: ForumEvent) {
        for (const effect of applyQueueEvent(e)) carryOut(effect);
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

  const act = async (item: QueueItem, key: QueueKey) => {
    const todo = queueAct(item, key);
    if (!todo) return;
    const { command } = todo;
    const done = tp(todo.done, { name: todo.name });
    model.busy = true;
    rerender();
    try {
      await moderation.act(command);
      model.acted(item);
      setStatus(done);
      announce(done);
    } catch (e) {
      setStatus(errorMessage(e));
      load();
    } finally {
      model.busy = false;
      rerender();
    }
  };

  return {
    forum,
    canModerate,
    model,
    status,
    subscribed,
    silenceVersion,
    proposalVersion,
    questionTitle: (id) => questions.data?.find((q: Question) => q.id === id)?.title ?? `#${id}`,
    reload: load,
    choose(kind) {
      model.choose(kind);
      rerender();
    },
    loadMore,
    select(index) {
      model.select(index);
      rerender();
    },
    act,
  };
}

/**
 * One-key acts on the selected entry (QueueModel.command says what each key
 * does), while no text box, dialog or modifier key has the keyboard.
 */
export function useQueueKeys(forumId: number, queue: ModerationQueue, toggleHelp: () => void): void {
  const current = useRef({ forumId, queue, toggleHelp });
  current.current = { forumId, queue, toggleHelp };
  useEffect(() => {
    if (!queue.canModerate) return;
    const onKey = (e: KeyboardEvent) => {
      const { forumId, queue, toggleHelp } = current.current;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target as HTMLElement | null;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      if (document.querySelector('dialog[open]')) return;
      // Enter on a button or link does what that control says.
      if (e.key === 'Enter' && target?.closest('button, a')) return;
      const command = queue.model.command(e.key);
      if (!command) return;
      switch (command.kind) {
        case 'select': {
          const { index } = command;
          queue.select(index);
          requestAnimationFrame(() => document.getElementById(`queue-item-${index}`)?.focus());
          break;
        }
        case 'act':
          queue.act(command.item, command.key);
          break;
        case 'open':
          navigate(paths.reply(forumId, command.item.reply.questionId, command.item.reply.id));
          break;
        case 'toggleHelp':
          toggleHelp();
          break;
      }
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [queue.canModerate]);
}
