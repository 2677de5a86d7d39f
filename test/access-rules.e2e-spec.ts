import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Actor, MaybeActor } from '../src/auth/actor.js';
import { insertAccount } from '../src/auth/accounts.js';
import { namedQuery } from '../src/common/named-query.js';
import { canSeeReply, shownRepliesCondition } from '../src/discussions/reply-visibility.js';
import type { ReplyState } from '../src/discussions/reply.entity.js';
import { ForumAccessService } from '../src/forums/forum-access.service.js';
import type { ForumRole, MembershipState } from '../src/forums/forum-membership.entity.js';
import { canModerate, canRead } from '../src/forums/forum-policy.js';
import type { ForumState, ForumVisibility } from '../src/forums/forum.entity.js';
import { startTestApp, type TestApp } from './support/app.js';
import { addMember, newForum, newQuestion, newSession } from './support/fixtures.js';

/**
 * Each access rule is written twice: as a predicate (one forum, one reply, in
 * memory) and as a SQL condition (lists and searches over many). This holds
 * the two against each other on the real database, over every forum
 * visibility and state, every kind of caller and membership, and every reply
 * state, so neither can drift from the other.
 */
const VISIBILITIES: ForumVisibility[] = ['public', 'members', 'invite_only'];
const FORUM_STATES: ForumState[] = ['open', 'closed', 'archived'];
const MEMBERSHIPS: ({ role: ForumRole; state: MembershipState } | null)[] = [
  null,
  { role: 'member', state: 'active' },
  { role: 'member', state: 'removed' },
  { role: 'moderator', state: 'active' },
  { role: 'moderator', state: 'removed' },
];
const REPLY_STATES: { state: ReplyState; withheld: boolean }[] = [
  ...(['visible', 'hidden', 'deleted', 'pending', 'rejected'] as const).map((state) => ({ state, withheld: false })),
  // Deleted while pending: its readers never had it.
  { state: 'deleted', withheld: true },
];

describe('access rules: the predicate and the SQL condition agree', () => {
  let t: TestApp;
  let access: ForumAccessService;
  const actorOf = (accountId: string, role: Actor['role'] = 'member'): Actor => ({ accountId, displayName: 'Someone', role, sessionId: randomUUID() });
  const account = async (role: Actor['role'] = 'member') =>
    actorOf((await insertAccount(t.dataSource.manager, { email: `rules-${randomUUID()}@example.org`, password: `pw-${randomUUID()}`, displayName: 'Someone', role })).id, role);

  beforeAll(async () => {
    t = await startTestApp();
    access = t.app.get(ForumAccessService);
  }, 60_000);
  afterAll(() => t?.close());

  it('who may read and who moderates a forum', async () => {
    const sessionId = (await newSession(t)).id;
    const forums: { id: number; visibility: ForumVisibility; state: ForumState }[] = [];
    for (const visibility of VISIBILITIES)
      for (const state of FORUM_STATES) forums.push({ id: (await newForum(t, { sessionId, visibility, state })).id, visibility, state });
    const callers: { label: string; actor: MaybeActor; membership: (typeof MEMBERSHIPS)[number] }[] = [
      { label: 'anonymous', actor: null, membership: null },
      { label: 'guest of a live Q&A', actor: { ...(await account()), guestSessionId: sessionId }, membership: null },
      { label: 'admin', actor: await account('admin'), membership: null },
    ];
    for (const membership of MEMBERSHIPS) {
      const actor = await account();
      if (membership) for (const f of forums) await addMember(t, f.id, actor.accountId, membership.role, membership.state);
      callers.push({ label: membership ? `${membership.role} (${membership.state})` : 'signed in, not a member', actor, membership });
    }
    // A guest's account could hold a membership; the rules still treat a guest as anonymous.
    for (const f of forums) await addMember(t, f.id, callers[1]!.actor!.accountId, 'moderator', 'active');
    callers[1]!.membership = { role: 'moderator', state: 'active' };

    const ids = forums.map((f) => f.id);
    let checked = 0;
    for (const { label, actor, membership } of callers) {
      const readable = access.readableForumsCondition(actor);
      const moderated = access.moderatedForumsCondition(actor);
      const rows = await namedQuery<{ id: number; reads: boolean; moderates: boolean }>(
        t.dataSource.manager,
        `SELECT f.id, ${readable.sql} AS reads, ${moderated.sql} AS moderates FROM forum f WHERE f.id = ANY(:ids::int[]) ORDER BY f.id`,
        { ...readable.params, ...moderated.params, ids },
      );
      const inSql = rows.map((r) => ({ label, forum: r.id, reads: r.reads, moderates: r.moderates }));
      const inMemory = forums.map((f) => ({ label, forum: f.id, reads: canRead(f, actor, membership), moderates: canModerate(actor, membership) }));
      expect(inSql).toEqual(inMemory);
      // The ids search reads once per statement are the same sets (null: every forum).
      const idsQuery = access.forumIdsQuery(actor);
      const [once] = idsQuery
        ? await namedQuery<{ readable: number[]; moderated: number[] }>(t.dataSource.manager, idsQuery.sql, idsQuery.params)
        : [{ readable: null, moderated: null }];
      const mine = (list: number[] | null) => (list === null ? ids : list.filter((id) => ids.includes(id)).sort((a, b) => a - b));
      expect({ label, readable: mine(once.readable), moderated: mine(once.moderated) }).toEqual({
        label,
        readable: inMemory.filter((r) => r.reads).map((r) => r.forum),
        moderated: inMemory.filter((r) => r.moderates).map((r) => r.forum),
      });
      checked += forums.length;
    }
    expect(checked).toBe(VISIBILITIES.length * FORUM_STATES.length * (3 + MEMBERSHIPS.length));
  });

  it('which replies a reader is shown', async () => {
    const forum = await newForum(t);
    const question = await newQuestion(t, forum.id);
    const author = await account();
    const replies: { id: string; state: ReplyState; withheld: boolean }[] = [];
    for (const [i, r] of REPLY_STATES.entries()) {
      const [row] = await t.dataSource.query(
        `INSERT INTO reply (question_id, forum_id, path, depth, author_id, body_source, body_html, state, withheld, state_reason, deleted_at)
         VALUES ($1, $2, $3, 1, $4, 'A reply.', '<p>A reply.</p>', $5, $6, CASE WHEN $5 = 'hidden' THEN 'Off topic' END, CASE WHEN $5 = 'deleted' THEN now() END) RETURNING id::text AS id`,
        [question.id, forum.id, `rules${String(i).padStart(3, '0')}`, author.accountId, r.state, r.withheld],
      );
      replies.push({ id: row.id, ...r });
    }
    const viewers = [
      { label: 'anonymous', canModerate: false, accountId: null },
      { label: 'another member', canModerate: false, accountId: (await account()).accountId },
      { label: 'the author', canModerate: false, accountId: author.accountId },
      { label: 'a moderator', canModerate: true, accountId: (await account()).accountId },
    ];
    for (const viewer of viewers) {
      const condition = shownRepliesCondition(viewer, 'r', viewer.accountId ? '$2' : undefined);
      const rows: { id: string }[] = await t.dataSource.query(
        `SELECT r.id::text AS id FROM reply r WHERE r.question_id = $1 AND ${condition} ORDER BY r.id`,
        condition.includes('$2') ? [question.id, viewer.accountId] : [question.id],
      );
      const inMemory = replies.filter((r) => canSeeReply(viewer, { state: r.state, author_id: author.accountId, withheld: r.withheld })).map((r) => r.id);
      expect({ viewer: viewer.label, shown: rows.map((r) => r.id) }).toEqual({ viewer: viewer.label, shown: inMemory });
    }
  });
});
