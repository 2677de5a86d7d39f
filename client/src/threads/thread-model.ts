import type { Reply } from '../api.js';

/**
 * The replies of one thread as a tree, filled from pages in tree order and
 * from live events in any order. Siblings are kept in id order, which is the
 * server's tree order (a reply's path ends with its own id), so a reply
 * lands in the same place whether it came from a page, a live event or a
 * replay, and arriving twice changes nothing.
 */
export const ROOT = '';

const byIdOrder = (a: string, b: string) => (a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0);

export class ThreadModel {
  readonly replies = new Map<string, Reply>();
  private readonly children = new Map<string, string[]>();
  /** Replies that arrived live (not written by the reader), in arrival order. */
  readonly fresh = new Set<string>();
  /** Live replies not on screen yet (the "new replies" button; they count as seen once shown). */
  readonly unseen = new Set<string>();
  /** Live replies that belong to pages not loaded yet (shown, and marked new, once those pages come). */
  readonly deferred = new Set<string>();
  nextCursor: string | null = null;
  /** Whether the first page has been loaded. */
  loaded = false;
  version = 0;

  childIds(parentId: string | null): string[] {
    return this.children.get(parentId ?? ROOT) ?? [];
  }

  has(id: string): boolean {
    return this.replies.has(id);
  }

  /** Adds a reply, or refreshes it if known. Answers whether it was new. */
  upsert(reply: Reply): boolean {
    const known = this.replies.get(reply.id);
    if (known) {
      // Keep the reader's own vote flag when an event (which can't know it) refreshes the reply.
      this.replies.set(reply.id, { ...reply, votedByMe: reply.votedByMe || known.votedByMe });
      this.version++;
      return false;
    }
    this.replies.set(reply.id, reply);
    const key = reply.parentId ?? ROOT;
    const list = this.children.get(key) ?? [];
    let i = list.length;
    while (i > 0 && byIdOrder(list[i - 1], reply.id) > 0) i--;
    list.splice(i, 0, reply.id);
    this.children.set(key, list);
    this.version++;
    return true;
  }

  /** Adds one page from the server (in tree order). */
  addPage(items: Reply[], nextCursor: string | null): void {
    for (const r of items) this.upsert(r);
    this.nextCursor = nextCursor;
    this.loaded = true;
    this.version++;
  }

  /** Adds a further page: the live replies it brings in place are new to the reader. */
  addNextPage(items: Reply[], nextCursor: string | null): void {
    this.addPage(items, nextCursor);
    for (const r of items) {
      if (!this.deferred.delete(r.id)) continue;
      this.fresh.add(r.id);
      this.unseen.add(r.id);
    }
  }

  /** New replies the reader has not seen: those shown and not yet scrolled to, and those on pages still to load. */
  unseenCount(): number {
    return [...this.unseen].filter((id) => this.has(id)).length + this.deferred.size;
  }

  /**
   * A reply that arrived live. It is placed only if its parent is here (or it
   * is top-level and the thread is loaded to its end); otherwise a later page
   * brings it in its place.
   */
  addLive(reply: Reply, mine: boolean): 'added' | 'known' | 'deferred' {
    if (this.replies.has(reply.id)) {
      this.upsert(reply);
      return 'known';
    }
    const parentHere = reply.parentId ? this.replies.has(reply.parentId) : true;
    if (!parentHere || (this.nextCursor !== null && this.isBeyondLoaded(reply))) return 'deferred';
    this.upsert(reply);
    if (!mine) this.fresh.add(reply.id);
    return 'added';
  }

  /** True if a page not yet loaded would contain this reply (so it must not be shown out of place). */
  private isBeyondLoaded(reply: Reply): boolean {
    // Pages come in tree order: the unloaded part is after the last loaded reply.
    // A new reply's id is larger than any loaded one, so it belongs to the unloaded tail
    // unless its parent's subtree is entirely loaded, which we can't know: defer.
    return reply.parentId === null || !this.subtreeClosed(reply.parentId);
  }

  /** A subtree is complete when a reply after it in tree order is loaded. */
  private subtreeClosed(id: string): boolean {
    let current: string | null = id;
    while (current) {
      const r = this.replies.get(current);
      if (!r) return false;
      const siblings = this.childIds(r.parentId);
      if (siblings.indexOf(current) < siblings.length - 1) return true;
      current = r.parentId;
    }
    return false;
  }

  patch(id: string, change: Partial<Reply>): void {
    const r = this.replies.get(id);
    if (!r) return;
    this.replies.set(id, { ...r, ...change });
    this.version++;
  }

  /** Takes a reply and everything under it out of the thread (moved to another question by a moderator). */
  removeSubtree(id: string): void {
    const r = this.replies.get(id);
    if (!r) return;
    for (const child of [...this.childIds(id)]) this.removeSubtree(child);
    this.replies.delete(id);
    this.children.delete(id);
    this.fresh.delete(id);
    const key = r.parentId ?? ROOT;
    this.children.set(key, this.childIds(r.parentId).filter((x) => x !== id));
    this.version++;
  }

  markSeen(id: string): boolean {
    const had = this.fresh.delete(id);
    if (had) this.version++;
    return had;
  }

  /** Ids in display (tree) order, skipping collapsed subtrees. */
  ordered(collapsed: ReadonlySet<string> = new Set()): string[] {
    const out: string[] = [];
    const walk = (parent: string) => {
      for (const id of this.children.get(parent) ?? []) {
        out.push(id);
        if (!collapsed.has(id)) walk(id);
      }
    };
    walk(ROOT);
    return out;
  }

  /** Number of replies below this one that are loaded here. */
  descendants(id: string): number {
    let n = 0;
    for (const c of this.childIds(id)) n += 1 + this.descendants(c);
    return n;
  }
}
