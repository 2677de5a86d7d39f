import { expect } from '@jest/globals';
import type TestAgent from 'supertest/lib/agent.js';

/** A reply as the API returns it (the fields the thread tests look at). */
export interface ReplyItem {
  id: string;
  questionId: number;
  parentId: string | null;
  depth: number;
  author: { id: string; displayName: string };
  bodyHtml: string | null;
  bodySource?: string | null;
  state: string;
  voteCount: number;
  childCount: number;
  createdAt: string;
  editedAt: string | null;
  viewerVoted?: boolean;
}

/** Posts a reply and insists it was stored. */
export async function postReply(agent: TestAgent, questionId: number, body: string, parentId?: string): Promise<ReplyItem> {
  const res = await agent.post(`/api/questions/${questionId}/replies`).send(parentId ? { body, parentId } : { body });
  if (res.status !== 201) throw new Error(`reply to ${questionId} got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as ReplyItem;
}

/**
 * Reads every page of a list by following nextCursor, checking each page's
 * size; returns the items in order and the number of pages.
 */
export async function readAllPages(agent: TestAgent, url: string, limit: number): Promise<{ items: ReplyItem[]; pages: number }> {
  const items: ReplyItem[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const res: { body: { items: ReplyItem[]; nextCursor: string | null } } = await agent.get(`${url}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
    pages += 1;
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    if (res.body.nextCursor) expect(res.body.items).toHaveLength(limit);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
    if (pages > 10_000) throw new Error('runaway pagination');
  } while (cursor);
  return { items, pages };
}

/**
 * Tree order computed independently of paths: depth-first from the
 * first-level replies, children in creation (id) order.
 */
export function expectedTreeOrder(replies: Pick<ReplyItem, 'id' | 'parentId'>[]): string[] {
  const children = new Map<string | null, string[]>();
  for (const r of [...replies].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))) {
    children.set(r.parentId, [...(children.get(r.parentId) ?? []), r.id]);
  }
  const out: string[] = [];
  const visit = (id: string) => {
    out.push(id);
    for (const child of children.get(id) ?? []) visit(child);
  };
  for (const root of children.get(null) ?? []) visit(root);
  return out;
}

/** Each item's parent comes before it and it sits one level deeper. */
export function expectValidTree(items: ReplyItem[]): void {
  const seen = new Map<string, ReplyItem>();
  for (const item of items) {
    expect(seen.has(item.id)).toBe(false);
    if (item.parentId === null) {
      expect(item.depth).toBe(1);
    } else {
      const parent = seen.get(item.parentId);
      expect(parent).toBeDefined();
      expect(item.depth).toBe(parent!.depth + 1);
    }
    seen.set(item.id, item);
  }
}
