import type { ForumEvent } from '../live.js';
import type { ActCommand, QueueItem } from './moderation-api.js';
import type { PageKey } from './page-i18n.js';

/** Which entries the queue lists. */
export type QueueKind = 'all' | 'flags' | 'pending';
export const QUEUE_KINDS: QueueKind[] = ['all', 'flags', 'pending'];

/** A one-key act on an entry: a approves (waiting) or keeps (flagged), r rejects or hides, d deletes. */
export type QueueKey = 'a' | 'r' | 'd';

/** What a key does on the selected entry (shown in the help, beside the handler, so they can't drift apart). */
export const QUEUE_KEYS: { keys: string[]; help: PageKey }[] = [
  { keys: ['j', '↓'], help: 'queue.key.next' },
  { keys: ['k', '↑'], help: 'queue.key.prev' },
  { keys: ['a'], help: 'queue.key.approve' },
  { keys: ['r'], help: 'queue.key.reject' },
  { keys: ['d'], help: 'queue.key.delete' },
  { keys: ['o', 'Enter'], help: 'queue.key.open' },
  { keys: ['?'], help: 'queue.key.help' },
];

/** An entry by kind and reply: a reply can be both flagged and waiting. */
export const queueKeyOf = (item: QueueItem) => `${item.kind}-${item.reply.id}`;

/** What a key asks for (null: the key is not the queue's, the browser keeps it). */
export type QueueCommand =
  | { kind: 'select'; index: number }
  | { kind: 'act'; item: QueueItem; key: QueueKey }
  | { kind: 'open'; item: QueueItem }
  | { kind: 'toggleHelp' };

/** What a forum event has the queue page do: the list itself changes by reading it again. */
export type QueueEffect =
  /** Something new came: say so to screen readers. */
  | { kind: 'announceArrival' }
  /** Members' proposed questions changed (their own panel reads them). */
  | { kind: 'reloadProposals' }
  /** The queue may have changed: read it again, soon (events come in bursts). */
  | { kind: 'refresh' }
  /** A silence began or ended (the silenced members' panel reads them). */
  | { kind: 'reloadSilences' };

/**
 * Answers what one forum event asks of an open moderation queue. Pure (unit-
 * tested in queue-model.spec.ts). The queue changes when members flag, post
 * under pre-moderation, or another moderator resolves an entry; every event
 * type of the protocol has its case, so one added to src/protocol without a
 * case here fails the type check.
 */
export function applyQueueEvent(e: ForumEvent): QueueEffect[] {
  switch (e.type) {
    case 'moderation.queue': {
      const effects: QueueEffect[] = e.payload.change === 'added' ? [{ kind: 'announceArrival' }] : [];
      effects.push(e.payload.kind === 'question' ? { kind: 'reloadProposals' } : { kind: 'refresh' });
      return effects;
    }
    // An entry's reply changed, or left the queue by an act in its thread.
    case 'reply.created':
    case 'reply.edited':
    case 'reply.deleted':
    case 'reply.voted':
    case 'reply.hidden':
    case 'reply.unhidden':
    case 'reply.approved':
    case 'reply.rejected':
    case 'reply.featured':
    case 'reply.moved':
      return [{ kind: 'refresh' }];
    case 'member.silenced':
      return [{ kind: 'reloadSilences' }];
    // Nothing the queue shows: questions, the forum and its settings (their panels read their own), memberships, the record, flags (they leave by moderation.queue).
    case 'question.created':
    case 'question.updated':
    case 'question.merged':
    case 'questions.reordered':
    case 'forum.updated':
    case 'forum.moderation':
    case 'membership.changed':
    case 'membership.removed':
    case 'moderation.action':
    case 'flag.resolved':
      return [];
    default: {
      // A type added to src/protocol without a case here fails the type check.
      const unhandled: never = e;
      return unhandled;
    }
  }
}

/** The act a key asks for on an entry, and what to say when it is done (null: the key does nothing there). */
export function queueAct(item: QueueItem, key: QueueKey): { command: ActCommand; done: PageKey; name: string } | null {
  const name = item.reply.author?.displayName ?? '—';
  const replyId = item.reply.id;
  if (item.kind === 'pending') {
    if (key === 'd') return null;
    return { command: { act: key === 'a' ? 'reply.approve' : 'reply.reject', replyId }, done: key === 'a' ? 'queue.approved' : 'queue.rejected', name };
  }
  if (key === 'a') return { command: { act: 'flags.resolve', replyId, outcome: 'dismiss' }, done: 'queue.dismissed', name };
  return {
    command: { act: 'flags.resolve', replyId, outcome: 'uphold', removal: key === 'd' ? 'delete' : 'hide' },
    done: key === 'd' ? 'queue.upheldDeleted' : 'queue.upheld',
    name,
  };
}

/**
 * A forum's moderation queue as one moderator works through it: the entries
 * read so far, which one is selected, and whether an act is under way.
 * Changed in place and read at once (a key pressed right after a click must
 * see that click's selection, before any re-render), as the QaModel is;
 * without I/O (use-moderation-queue.ts reads and acts).
 */
export class QueueModel {
  kind: QueueKind = 'all';
  /** null: not read yet. */
  items: QueueItem[] | null = null;
  nextCursor: string | null = null;
  error: unknown = null;
  /** The selected entry, by key (so it stays put when the list changes around it). */
  selectedKey: string | null = null;
  /** An act is under way: its buttons and the keys wait for it. */
  busy = false;

  get list(): QueueItem[] {
    return this.items ?? [];
  }

  /** The selected entry's place (the first one when the selected entry left the list). */
  get selected(): number {
    const found = this.list.findIndex((i) => queueKeyOf(i) === this.selectedKey);
    return found >= 0 ? found : 0;
  }

  /** Another kind of entries; the list shown stays until they are read. */
  choose(kind: QueueKind): void {
    this.kind = kind;
  }

  /** The first page, read again: it replaces the list. */
  loaded(page: { items: QueueItem[]; nextCursor: string | null }): void {
    this.items = page.items;
    this.nextCursor = page.nextCursor;
    this.error = null;
  }

  failed(error: unknown): void {
    this.error = error;
  }

  /** The next page, without entries already listed (the queue moves while it is read). */
  loadedMore(page: { items: QueueItem[]; nextCursor: string | null }): void {
    const before = this.items;
    this.items = [...(before ?? []), ...page.items.filter((i) => !before?.some((b) => b.reply.id === i.reply.id && b.kind === i.kind))];
    this.nextCursor = page.nextCursor;
  }

  select(index: number): void {
    const item = this.list[index];
    if (item) this.selectedKey = queueKeyOf(item);
  }

  /** An act on an entry went through: it leaves, and the next entry (or the previous one, at the end) takes the selection. */
  acted(item: QueueItem): void {
    const list = this.list;
    const at = list.indexOf(item);
    const next = list[at + 1] ?? list[at - 1];
    if (next) this.selectedKey = queueKeyOf(next);
    this.items = this.items?.filter((i) => i !== item) ?? null;
  }

  /** What a key does now (QUEUE_KEYS lists them for the help); nothing while an act is under way. */
  command(key: string): QueueCommand | null {
    if (this.busy) return null;
    const list = this.list;
    const selected = this.selected;
    const item = list[selected];
    switch (key) {
      case 'j':
      case 'ArrowDown':
        return list.length === 0 ? null : { kind: 'select', index: Math.min(list.length - 1, selected + 1) };
      case 'k':
      case 'ArrowUp':
        return list.length === 0 ? null : { kind: 'select', index: Math.max(0, selected - 1) };
      case 'a':
      case 'r':
      case 'd':
        return item ? { kind: 'act', item, key } : null;
      case 'o':
      case 'Enter':
        return item ? { kind: 'open', item } : null;
      case '?':
        return { kind: 'toggleHelp' };
      default:
        return null;
    }
  }
}
