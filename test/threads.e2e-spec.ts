import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type TestAgent from 'supertest/lib/agent.js';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../src/auth/actor.js';
import { RepliesService } from '../src/discussions/replies.service.js';
import { DomainEvents } from '../src/events/domain-events.js';
import { startTestApp, type TestApp } from './support/app.js';
import { addMember, newForum, newQuestion } from './support/fixtures.js';
import { createAccount, signedIn, signIn, type TestPerson } from './support/people.js';
import { expectedTreeOrder, expectValidTree, postReply, readAllPages, type ReplyItem } from './support/threads.js';

/** Threads: tree order and cursors, deep trees, deletion, concurrency, top order, subtrees, votes, edits. */
describe('threads', () => {
  let t: TestApp;
  let forumId: number;
  let ana: { account: TestPerson; agent: TestAgent };
  let ben: { account: TestPerson; agent: TestAgent };
  let mod: { account: TestPerson; agent: TestAgent };

  beforeAll(async () => {
    t = await startTestApp();
    forumId = (await newForum(t, { visibility: 'public' })).id;
    [ana, ben, mod] = await Promise.all([
      signedIn(t, { displayName: 'Ana' }),
      signedIn(t, { displayName: 'Ben' }),
      signedIn(t, { displayName: 'Moderator' }),
    ]);
    await addMember(t, forumId, mod.account.id, 'moderator');
  }, 60_000);
  afterAll(async () => { await t.close(); });

  const replyCount = async (questionId: number) => (await t.agent().get(`/api/questions/${questionId}`).expect(200)).body.replyCount as number;

  describe('a deep tree in tree order', () => {
    let questionId: number;
    let all: ReplyItem[];
    let first: ReplyItem;
    let chain: ReplyItem[];
    let second: ReplyItem;

    beforeAll(async () => {
      questionId = (await newQuestion(t, forumId)).id;
      first = await postReply(ana.agent, questionId, 'first');
      chain = [];
      let parent = first;
      for (let i = 0; i < 34; i++) {
        parent = await postReply(i % 2 ? ana.agent : ben.agent, questionId, `level ${i + 2}`, parent.id);
        chain.push(parent);
      }
      second = await postReply(ben.agent, questionId, 'second');
      const firstChild2 = await postReply(ben.agent, questionId, 'a later sibling under first', first.id);
      const secondChildren = [];
      for (let i = 0; i < 5; i++) secondChildren.push(await postReply(ana.agent, questionId, `under second ${i}`, second.id));
      const nested = await postReply(ben.agent, questionId, 'under under second', secondChildren[2]!.id);
      const third = await postReply(ana.agent, questionId, 'third');
      // A reply under an early chain link, written after everything else: still goes right under its parent.
      const late = await postReply(mod.agent, questionId, 'late answer deep inside', chain[3]!.id);
      all = [first, ...chain, second, firstChild2, ...secondChildren, nested, third, late];
    }, 60_000);

    it('lists a child right after its parent, siblings oldest first, to depth 35', async () => {
      const res = await t.agent().get(`/api/questions/${questionId}/replies?limit=100`).expect(200);
      expect(res.body.nextCursor).toBeNull();
      const ids = res.body.items.map((r: ReplyItem) => r.id);
      expect(ids).toEqual(expectedTreeOrder(all));
      expectValidTree(res.body.items);
      expect(Math.max(...res.body.items.map((r: ReplyItem) => r.depth))).toBe(35);
      expect(res.body.items[0]).toEqual({
        id: first.id, questionId, forumId, parentId: null, depth: 1,
        author: { id: ana.account.id, displayName: 'Ana' },
        bodyHtml: '<p>first</p>', state: 'visible', voteCount: 0, childCount: 2, stateReason: null, featured: false, editedByModerator: false,
        createdAt: expect.any(String), editedAt: null,
      });
    });

    it('yields each reply exactly once, in order, across pages of any size', async () => {
      const expected = expectedTreeOrder(all);
      for (const limit of [1, 7, 50]) {
        const { items, pages } = await readAllPages(t.agent(), `/api/questions/${questionId}/replies`, limit);
        expect(items.map((r) => r.id)).toEqual(expected);
        expect(pages).toBe(Math.max(1, Math.ceil(expected.length / limit)));
      }
    });

    it('tells signed-in readers whether they voted, and anonymous readers nothing', async () => {
      const signedInPage = await ben.agent.get(`/api/questions/${questionId}/replies?limit=3`).expect(200);
      expect(signedInPage.body.items.every((r: ReplyItem) => r.viewerVoted === false)).toBe(true);
      const anonymousPage = await t.agent().get(`/api/questions/${questionId}/replies?limit=3`).expect(200);
      expect(anonymousPage.body.items.every((r: ReplyItem) => !('viewerVoted' in r))).toBe(true);
    });

    it('pages through a subtree, and only that subtree', async () => {
      const expected = expectedTreeOrder(all);
      // Everything under `first` (the chain, the late reply inside it, the later sibling), and nothing of `second`.
      const { items, pages } = await readAllPages(t.agent(), `/api/replies/${first.id}/replies`, 4);
      expect(items.map((r) => r.id)).toEqual(expected.slice(1, expected.indexOf(second.id)));
      expect(pages).toBe(Math.ceil((expected.indexOf(second.id) - 1) / 4));

      const deep = await t.agent().get(`/api/replies/${chain[30]!.id}/replies`).expect(200);
      expect(deep.body.items.map((r: ReplyItem) => r.id)).toEqual(chain.slice(31).map((r) => r.id));
      const leaf = await t.agent().get(`/api/replies/${chain[33]!.id}/replies`).expect(200);
      expect(leaf.body).toEqual({ items: [], nextCursor: null });
    });

    it('refuses a cursor from outside the subtree', async () => {
      const page = await t.agent().get(`/api/questions/${questionId}/replies?limit=1`).expect(200);
      const res = await t.agent().get(`/api/replies/${second.id}/replies?after=${page.body.nextCursor}`).expect(400);
      expect(res.body).toMatchObject({ code: 'validation_failed', details: [{ field: 'after' }] });
    });

    it('gives a reply\'s permalink with its ancestors', async () => {
      const target = chain[9]!;
      const res = await t.agent().get(`/api/replies/${target.id}`).expect(200);
      expect(res.body.ancestorIds).toEqual([first.id, ...chain.slice(0, 9).map((r) => r.id)]);
      expect(res.body.reply).toMatchObject({ id: target.id, depth: 11, parentId: chain[8]!.id, bodySource: 'level 11', bodyHtml: '<p>level 11</p>' });
      const top = await t.agent().get(`/api/replies/${first.id}`).expect(200);
      expect(top.body.ancestorIds).toEqual([]);
    });

    it('counts replies without counting rows', async () => {
      expect(await replyCount(questionId)).toBe(all.length);
    });
  });

  describe('deleted replies', () => {
    it('keep their place, without their text, and their children stay', async () => {
      const questionId = (await newQuestion(t, forumId)).id;
      const a = await postReply(ana.agent, questionId, 'a');
      const a1 = await postReply(ben.agent, questionId, 'a1', a.id);
      const a1x = await postReply(ana.agent, questionId, 'a1x', a1.id);
      const b = await postReply(ben.agent, questionId, 'b');
      expect(await replyCount(questionId)).toBe(4);

      const deleted = await ben.agent.delete(`/api/replies/${a1.id}`).expect(200);
      expect(deleted.body).toMatchObject({ id: a1.id, state: 'deleted', bodyHtml: null, bodySource: null, childCount: 1 });
      expect(await replyCount(questionId)).toBe(3);

      const list = await t.agent().get(`/api/questions/${questionId}/replies`).expect(200);
      expect(list.body.items.map((r: ReplyItem) => [r.id, r.state, r.bodyHtml])).toEqual([
        [a.id, 'visible', '<p>a</p>'],
        [a1.id, 'deleted', null],
        [a1x.id, 'visible', '<p>a1x</p>'],
        [b.id, 'visible', '<p>b</p>'],
      ]);
      const permalink = await t.agent().get(`/api/replies/${a1x.id}`).expect(200);
      expect(permalink.body.ancestorIds).toEqual([a.id, a1.id]);

      // Deleting again changes nothing (and doesn't count twice).
      await ben.agent.delete(`/api/replies/${a1.id}`).expect(200);
      expect(await replyCount(questionId)).toBe(3);
      // Nobody can answer, edit or vote on a deleted reply.
      const answer = await ana.agent.post(`/api/questions/${questionId}/replies`).send({ body: 'too late', parentId: a1.id }).expect(409);
      expect(answer.body.code).toBe('parent_deleted');
      expect((await ben.agent.patch(`/api/replies/${a1.id}`).send({ body: 'back' }).expect(409)).body.code).toBe('reply_deleted');
      expect((await ana.agent.put(`/api/replies/${a1.id}/vote`).expect(409)).body.code).toBe('reply_deleted');
      // Its subtree still reads.
      const subtree = await t.agent().get(`/api/replies/${a1.id}/replies`).expect(200);
      expect(subtree.body.items.map((r: ReplyItem) => r.id)).toEqual([a1x.id]);
    });

    it('keep their history for moderators only', async () => {
      const questionId = (await newQuestion(t, forumId)).id;
      const r = await postReply(ana.agent, questionId, 'draft');
      await ana.agent.patch(`/api/replies/${r.id}`).send({ body: 'final' }).expect(200);
      await ben.agent.get(`/api/replies/${r.id}/revisions`).expect(200);
      await ana.agent.delete(`/api/replies/${r.id}`).expect(200);
      expect((await ben.agent.get(`/api/replies/${r.id}/revisions`).expect(403)).body.code).toBe('reply_deleted');
      expect((await ana.agent.get(`/api/replies/${r.id}/revisions`).expect(403)).body.code).toBe('reply_deleted');
      const asMod = await mod.agent.get(`/api/replies/${r.id}/revisions`).expect(200);
      expect(asMod.body.items.map((rv: { bodySource: string }) => rv.bodySource)).toEqual(['draft']);
    });
  });

  describe('concurrent replies', () => {
    it('stores 50 simultaneous replies to one parent, with exact counts and a valid tree', async () => {
      const questionId = (await newQuestion(t, forumId)).id;
      const parent = await postReply(mod.agent, questionId, 'Which services did you digitalise first?');
      const writers = [ana.agent, ben.agent, mod.agent, ...(await Promise.all([signedIn(t), signedIn(t)])).map((p) => p.agent)];
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          writers[i % writers.length]!.post(`/api/questions/${questionId}/replies`).send({ body: `answer ${i}`, parentId: parent.id }),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
      const created = responses.map((r) => r.body as ReplyItem);
      expect(new Set(created.map((r) => r.id)).size).toBe(50);

      const stored = await t.agent().get(`/api/replies/${parent.id}`).expect(200);
      expect(stored.body.reply.childCount).toBe(50);
      expect(await replyCount(questionId)).toBe(51);

      const { items } = await readAllPages(t.agent(), `/api/questions/${questionId}/replies`, 20);
      expectValidTree(items);
      expect(items.map((r) => r.id)).toEqual(expectedTreeOrder([parent, ...created]));
      expect(items.slice(1).every((r) => r.parentId === parent.id && r.depth === 2)).toBe(true);
      expect(new Set(items.slice(1).map((r) => r.bodyHtml))).toEqual(new Set(Array.from({ length: 50 }, (_, i) => `<p>answer ${i}</p>`)));

      // The count is spread over several counter rows (16 shards), not one hot row.
      const [{ shards, total }] = await t.dataSource.query(
        `SELECT count(*)::int AS shards, sum(reply_count)::int AS total FROM thread_counter WHERE question_id = $1`,
        [questionId],
      );
      expect(total).toBe(51);
      expect(shards).toBeGreaterThan(1);
    }, 60_000);

    it('stores 50 simultaneous first-level replies in one hot thread', async () => {
      const questionId = (await newQuestion(t, forumId)).id;
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 ? ana : ben).agent.post(`/api/questions/${questionId}/replies`).send({ body: `hot ${i}` })),
      );
      expect(responses.every((r) => r.status === 201)).toBe(true);
      expect(await replyCount(questionId)).toBe(50);
      const list = await t.agent().get(`/api/questions/${questionId}/replies?limit=100`).expect(200);
      expect(list.body.items).toHaveLength(50);
      expectValidTree(list.body.items);
    }, 60_000);
  });

  describe('top order', () => {
    it('lists first-level replies by votes, ties oldest first, across pages', async () => {
      const questionId = (await newQuestion(t, forumId)).id;
      const voters = await Promise.all([signedIn(t), signedIn(t), signedIn(t)]);
      const votesWanted = [2, 0, 3, 2, 0, 1, 3];
      const firstLevel: ReplyItem[] = [];
      for (let i = 0; i < votesWanted.length; i++) firstLevel.push(await postReply(i % 2 ? ana.agent : mod.agent, questionId, `r${i}`));
      // Nested replies never appear in top order, however many votes they get.
      const nested = await postReply(ben.agent, questionId, 'nested', firstLevel[1]!.id);
      for (const v of voters) await v.agent.put(`/api/replies/${nested.id}/vote`).expect(200);
      for (let i = 0; i < votesWanted.length; i++) {
        for (let v = 0; v < votesWanted[i]!; v++) await voters[v]!.agent.put(`/api/replies/${firstLevel[i]!.id}/vote`).expect(200);
      }
      const expected = firstLevel
        .map((r, i) => ({ id: r.id, votes: votesWanted[i]! }))
        .sort((a, b) => b.votes - a.votes || (BigInt(a.id) < BigInt(b.id) ? -1 : 1))
        .map((r) => r.id);

      const all = await t.agent().get(`/api/questions/${questionId}/replies?order=top`).expect(200);
      expect(all.body.items.map((r: ReplyItem) => r.id)).toEqual(expected);
      expect(all.body.items.map((r: ReplyItem) => r.voteCount)).toEqual([3, 3, 2, 2, 1, 0, 0]);
      for (const limit of [1, 2, 3]) {
        const { items } = await readAllPages(t.agent(), `/api/questions/${questionId}/replies?order=top`, limit);
        expect(items.map((r) => r.id)).toEqual(expected);
      }
      // A top-order cursor is not a tree-order cursor.
      const page = await t.agent().get(`/api/questions/${questionId}/replies?order=top&limit=2`).expect(200);
      const res = await t.agent().get(`/api/questions/${questionId}/replies?after=${page.body.nextCursor}`).expect(400);
      expect(res.body.details).toEqual([{ field: 'after', message: expect.any(String) }]);
    }, 60_000);
  });

  describe('votes', () => {
    it('count exactly once per person under 30 parallel voters, each voting twice', async () => {
      const questionId = (await newQuestion(t, forumId)).id;
      const target = await postReply(ana.agent, questionId, 'vote for me');
      const voters = await Promise.all(Array.from({ length: 30 }, () => createAccount(t)));
      // Signed in one after another: sign-in throttling counts attempts in flight from one address.
      const agents: TestAgent[] = [];
      for (const v of voters) agents.push(await signIn(t, v.email, v.password));
      const results = await Promise.all(agents.flatMap((agent) => [agent.put(`/api/replies/${target.id}/vote`), agent.put(`/api/replies/${target.id}/vote`)]));
      expect(results.every((r) => r.status === 200 && r.body.viewerVoted === true)).toBe(true);
      const read = await t.agent().get(`/api/replies/${target.id}`).expect(200);
      expect(read.body.reply.voteCount).toBe(30);
      const [{ votes }] = await t.dataSource.query(`SELECT count(*)::int AS votes FROM reply_vote WHERE reply_id = $1`, [target.id]);
      expect(votes).toBe(30);

      // Taking votes back in parallel, twice each: exactly zero left.
      const back = await Promise.all(agents.slice(0, 10).flatMap((agent) => [agent.delete(`/api/replies/${target.id}/vote`), agent.delete(`/api/replies/${target.id}/vote`)]));
      expect(back.every((r) => r.status === 200 && r.body.viewerVoted === false)).toBe(true);
      expect((await t.agent().get(`/api/replies/${target.id}`).expect(200)).body.reply.voteCount).toBe(20);
    }, 60_000);

    it('are idempotent, shown to the voter, and not allowed on one\'s own reply', async () => {
      const questionId = (await newQuestion(t, forumId)).id;
      const target = await postReply(ana.agent, questionId, 'hello');
      expect((await ben.agent.put(`/api/replies/${target.id}/vote`).expect(200)).body).toEqual({ replyId: target.id, voteCount: 1, viewerVoted: true });
      expect((await ben.agent.put(`/api/replies/${target.id}/vote`).expect(200)).body).toEqual({ replyId: target.id, voteCount: 1, viewerVoted: true });
      const asBen = await ben.agent.get(`/api/questions/${questionId}/replies`).expect(200);
      expect(asBen.body.items[0]).toMatchObject({ voteCount: 1, viewerVoted: true });
      const asMod = await mod.agent.get(`/api/questions/${questionId}/replies`).expect(200);
      expect(asMod.body.items[0]).toMatchObject({ voteCount: 1, viewerVoted: false });
      expect((await ben.agent.get(`/api/replies/${target.id}`).expect(200)).body.reply.viewerVoted).toBe(true);

      expect((await ben.agent.delete(`/api/replies/${target.id}/vote`).expect(200)).body).toEqual({ replyId: target.id, voteCount: 0, viewerVoted: false });
      expect((await ben.agent.delete(`/api/replies/${target.id}/vote`).expect(200)).body).toEqual({ replyId: target.id, voteCount: 0, viewerVoted: false });

      const own = await ana.agent.put(`/api/replies/${target.id}/vote`).expect(403);
      expect(own.body.code).toBe('own_reply');
      expect((await t.agent().put(`/api/replies/${target.id}/vote`).expect(401)).body.code).toBe('unauthenticated');
      expect((await ben.agent.put(`/api/replies/999999999/vote`).expect(404)).body.code).toBe('reply_not_found');
    });
  });

  describe('edits', () => {
    it('keep every earlier text, newest first, and mark the reply edited', async () => {
      const questionId = (await newQuestion(t, forumId)).id;
      const r = await postReply(ana.agent, questionId, 'one');
      expect(r.editedAt).toBeNull();
      const e1 = await ana.agent.patch(`/api/replies/${r.id}`).send({ body: 'two' }).expect(200);
      expect(e1.body).toMatchObject({ id: r.id, bodySource: 'two', bodyHtml: '<p>two</p>', editedAt: expect.any(String) });
      await ana.agent.patch(`/api/replies/${r.id}`).send({ body: 'three <script>x</script>' }).expect(200);
      // The same text again is not a new revision.
      await ana.agent.patch(`/api/replies/${r.id}`).send({ body: 'three <script>x</script>' }).expect(200);
      const byMod = await mod.agent.patch(`/api/replies/${r.id}`).send({ body: 'four (edited by a moderator)' }).expect(200);
      expect(byMod.body.author.id).toBe(ana.account.id);
      expect(byMod.body.editedByModerator).toBe(true);

      const history = await t.agent().get(`/api/replies/${r.id}/revisions`).expect(200);
      expect(history.body.nextCursor).toBeNull();
      expect(history.body.items.map((rv: { bodySource: string }) => rv.bodySource)).toEqual(['three <script>x</script>', 'two', 'one']);
      expect(history.body.items[0]).toEqual({
        id: expect.any(String), bodySource: 'three <script>x</script>', bodyHtml: '<p>three &lt;script&gt;x&lt;/script&gt;</p>',
        editedBy: { id: mod.account.id, displayName: 'Moderator' }, replacedAt: expect.any(String), byModerator: true,
      });
      expect(history.body.items[1]).toMatchObject({ editedBy: { id: ana.account.id, displayName: 'Ana' }, byModerator: false });

      const { items, pages } = await readAllPages(t.agent(), `/api/replies/${r.id}/revisions`, 1);
      expect(pages).toBe(3);
      expect(items.map((rv) => (rv as unknown as { bodySource: string }).bodySource)).toEqual(['three <script>x</script>', 'two', 'one']);

      const list = await t.agent().get(`/api/questions/${questionId}/replies`).expect(200);
      expect(list.body.items[0]).toMatchObject({ bodyHtml: '<p>four (edited by a moderator)</p>', editedAt: expect.any(String) });
      expect(list.body.items[0]).not.toHaveProperty('bodySource');
    });
  });

  describe('depth limit', () => {
    it('takes replies down to depth 200 and refuses one deeper with 409', async () => {
      const questionId = (await newQuestion(t, forumId)).id;
      const top = await postReply(ana.agent, questionId, 'root');
      // Build the remaining 199 levels in SQL (the API path for deep trees is covered above).
      const deepest: { id: string; depth: number } = await t.dataSource.transaction(async (m) => {
        let parent = { id: top.id, path: (await m.query(`SELECT path FROM reply WHERE id = $1`, [top.id]))[0].path as string, depth: 1 };
        for (let depth = 2; depth <= 199; depth++) {
          const [{ id }] = await m.query(`SELECT nextval(pg_get_serial_sequence('reply', 'id'))::text AS id`);
          const path = parent.path + BigInt(id).toString(36).padStart(8, '0');
          await m.query(
            `INSERT INTO reply (id, question_id, forum_id, parent_id, path, depth, author_id, body_source, body_html)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'deep', '<p>deep</p>')`,
            [id, questionId, forumId, parent.id, path, depth, ana.account.id],
          );
          parent = { id, path, depth };
        }
        return parent;
      });
      expect(deepest.depth).toBe(199);
      const level200 = await postReply(ben.agent, questionId, 'the deepest allowed', deepest.id);
      expect(level200.depth).toBe(200);
      const refused = await ben.agent.post(`/api/questions/${questionId}/replies`).send({ body: 'one too deep', parentId: level200.id }).expect(409);
      expect(refused.body).toEqual({ statusCode: 409, code: 'thread_too_deep', message: expect.stringContaining('200') });
      const permalink = await t.agent().get(`/api/replies/${level200.id}`).expect(200);
      expect(permalink.body.ancestorIds).toHaveLength(199);
      const tail = await t.agent().get(`/api/replies/${deepest.id}/replies`).expect(200);
      expect(tail.body.items.map((r: ReplyItem) => r.id)).toEqual([level200.id]);
    }, 60_000);
  });

  describe('for the realtime layer', () => {
    const actorOf = (p: { account: TestPerson }): Actor => ({ accountId: p.account.id, displayName: p.account.displayName, role: 'member', sessionId: 'test' });

    it('publishes each write\'s event after it commits, and none for a refused or empty write', async () => {
      // What the writes published after commit, as the realtime layer's subscribers get it.
      const events: { type: string; forumId: number; questionId: number | null; payload: unknown }[] = [];
      const stop = t.app.get(DomainEvents).on('forum.events', (published) => {
        for (const e of published) events.push({ type: e.type, forumId: e.streamId, questionId: e.questionId, payload: e.payload });
      });
      try {
        const questionId = (await newQuestion(t, forumId)).id;
        const r = await postReply(ana.agent, questionId, 'hello');
        await ben.agent.put(`/api/replies/${r.id}/vote`).expect(200);
        await ben.agent.put(`/api/replies/${r.id}/vote`).expect(200);
        await ana.agent.patch(`/api/replies/${r.id}`).send({ body: 'hello again' }).expect(200);
        await ana.agent.patch(`/api/replies/${r.id}`).send({ body: 'hello again' }).expect(200);
        await ben.agent.patch(`/api/replies/${r.id}`).send({ body: 'not mine' }).expect(403);
        await ana.agent.delete(`/api/replies/${r.id}`).expect(200);
        await ana.agent.delete(`/api/replies/${r.id}`).expect(200);
        await mod.agent.patch(`/api/questions/${questionId}`).send({ pinned: true }).expect(200);
        const mine = events.filter((e) => e.questionId === questionId);
        // Pinning is a moderator's act: its record row reaches the moderators too.
        expect(mine.map((e) => e.type)).toEqual(['reply.created', 'reply.voted', 'reply.edited', 'reply.deleted', 'question.updated', 'moderation.action']);
        expect(mine.every((e) => e.forumId === forumId)).toBe(true);
        expect(mine[0]!.payload).toEqual({ reply: expect.objectContaining({ id: r.id, bodyHtml: '<p>hello</p>' }) });
        expect(mine[0]!.payload).not.toHaveProperty('reply.bodySource');
        expect(mine[0]!.payload).not.toHaveProperty('reply.viewerVoted');
        expect(mine[1]!.payload).toEqual({ replyId: r.id, voteCount: 1 });
        expect(mine[3]!.payload).toEqual({ reply: expect.objectContaining({ id: r.id, state: 'deleted', bodyHtml: null }) });
        expect(mine[4]!.payload).toEqual({ question: expect.objectContaining({ id: questionId, pinned: true }) });
      } finally {
        stop();
      }
    });

    it('stores a reply sent twice with the same clientId once', async () => {
      const replies = t.app.get(RepliesService);
      const questionId = (await newQuestion(t, forumId)).id;
      const clientId = randomUUID();
      const first = await replies.createReply(actorOf(ana), questionId, { body: 'sent once' }, { clientId });
      const again = await replies.createReply(actorOf(ana), questionId, { body: 'sent once' }, { clientId });
      expect(again.id).toBe(first.id);
      // Several deliveries at once: one reply, every caller gets it.
      const burstId = randomUUID();
      const burst = await Promise.all(Array.from({ length: 5 }, () => replies.createReply(actorOf(ana), questionId, { body: 'burst' }, { clientId: burstId })));
      expect(new Set(burst.map((r) => r.id)).size).toBe(1);
      expect(await replyCount(questionId)).toBe(2);
      // Another person may use the same clientId: it is unique per author.
      const bens = await replies.createReply(actorOf(ben), questionId, { body: 'mine' }, { clientId });
      expect(bens.id).not.toBe(first.id);
      const otherQuestion = (await newQuestion(t, forumId)).id;
      await expect(replies.createReply(actorOf(ana), otherQuestion, { body: 'x' }, { clientId })).rejects.toMatchObject({ status: 409, code: 'client_id_reused' });
    });

    it('makes POST /api/questions/:id/replies idempotent with a clientId', async () => {
      const questionId = (await newQuestion(t, forumId)).id;
      const clientId = randomUUID();
      const url = `/api/questions/${questionId}/replies`;
      const first = await ana.agent.post(url).send({ body: 'posted over a flaky link', clientId }).expect(201);
      const again = await ana.agent.post(url).send({ body: 'posted over a flaky link', clientId }).expect(201);
      expect(again.body).toEqual(first.body);
      expect(first.body).toMatchObject({ questionId, bodySource: 'posted over a flaky link' });
      expect(await replyCount(questionId)).toBe(1);
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM reply WHERE question_id = $1`, [questionId]);
      expect(n).toBe(1);
      // Without a clientId every POST is a new reply, as before.
      await ana.agent.post(url).send({ body: 'no id' }).expect(201);
      await ana.agent.post(url).send({ body: 'no id' }).expect(201);
      expect(await replyCount(questionId)).toBe(3);
      // The same clientId for another question is refused; a malformed one is a validation error.
      const otherQuestion = (await newQuestion(t, forumId)).id;
      const reused = await ana.agent.post(`/api/questions/${otherQuestion}/replies`).send({ body: 'x', clientId }).expect(409);
      expect(reused.body).toMatchObject({ code: 'client_id_reused' });
      const bad = await ana.agent.post(url).send({ body: 'x', clientId: 'not-a-uuid' }).expect(400);
      expect(bad.body).toMatchObject({ code: 'validation_failed', details: [{ field: 'clientId', message: expect.stringContaining('UUID') }] });
      expect(await replyCount(questionId)).toBe(3);
    });
  });
});
