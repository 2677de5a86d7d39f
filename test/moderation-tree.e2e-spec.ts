import { NotificationTriggers } from '../src/notifications/notification-triggers.js';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { TestApp } from './support/app.js';
import { newQuestion } from './support/fixtures.js';
import { moderationScene, act, actOk, eventOf, postReply, replyCount, stage, thread, VIAS, type Cast } from './support/moderation.js';
import { eventually } from './support/sockets.js';
import { expectedTreeOrder, expectValidTree, readAllPages, type ReplyItem } from './support/threads.js';

/**
 * Moving a reply with its subtree, and merging questions: the threads keep
 * their tree order, and every count (replies per question, children per
 * reply, votes) stays exact.
 */
describe('moving replies and merging questions', () => {
  const scene = moderationScene();
  let t: TestApp;
  let cast: Cast;
  beforeAll(() => {
    ({ t, cast } = scene);
  });

  /** The stored counts agree with the rows: reply counts (visible replies) and childCount (children readers see in place). */
  async function expectCountsExact(questionIds: number[]): Promise<void> {
    const counts: { question_id: number; counted: string; actual: string }[] = await t.dataSource.query(
      `SELECT q.id AS question_id,
              COALESCE((SELECT sum(reply_count) FROM thread_counter c WHERE c.question_id = q.id), 0) AS counted,
              (SELECT count(*) FROM reply r WHERE r.question_id = q.id AND r.state = 'visible') AS actual
         FROM question q WHERE q.id = ANY($1::int[]) ORDER BY q.id`,
      [questionIds],
    );
    for (const c of counts) expect({ question: c.question_id, count: Number(c.counted) }).toEqual({ question: c.question_id, count: Number(c.actual) });
    const wrong: unknown[] = await t.dataSource.query(
      `SELECT p.id, p.child_count, (SELECT count(*)::int FROM reply c WHERE c.parent_id = p.id AND c.state IN ('visible', 'hidden', 'deleted') AND NOT c.withheld) AS actual
         FROM reply p WHERE p.question_id = ANY($1::int[])
        GROUP BY p.id HAVING p.child_count <> (SELECT count(*)::int FROM reply c WHERE c.parent_id = p.id AND c.state IN ('visible', 'hidden', 'deleted') AND NOT c.withheld)`,
      [questionIds],
    );
    expect(wrong).toEqual([]);
    // Paths agree with parents and depths (the tree invariant the CHECKs don't cover).
    const broken: unknown[] = await t.dataSource.query(
      `SELECT c.id FROM reply c LEFT JOIN reply p ON p.id = c.parent_id
        WHERE c.question_id = ANY($1::int[])
          AND ((p.id IS NULL AND c.depth <> 1) OR (p.id IS NOT NULL AND (p.question_id <> c.question_id OR c.path NOT LIKE p.path || '%' OR c.depth <> p.depth + 1)))`,
      [questionIds],
    );
    expect(broken).toEqual([]);
  }

  const byMod = async (questionId: number) => readAllPages(cast.moderator.agent, `/api/questions/${questionId}/replies`, 2);

  for (const via of VIAS) {
    it(`moves a subtree under a reply of another question, in tree order, counts exact (${via})`, async () => {
      const s = await stage(t, cast);
      const q2 = (await newQuestion(t, s.forumId)).id;
      const say = (q: number, body: string, parent?: string) => postReply(cast.author.agent, q, body, parent);
      // Interleaved creation, so ids (and so sibling order) mix the two questions.
      const a = await say(s.questionId, 'a');
      const x = await say(q2, 'x');
      const a1 = await say(s.questionId, 'a1', a.id);
      const x1 = await say(q2, 'x1', x.id);
      const a11 = await say(s.questionId, 'a11', a1.id);
      const a2 = await say(s.questionId, 'a2', a.id);
      const a12 = await postReply(cast.reader.agent, s.questionId, 'a12', a1.id);
      const x2 = await say(q2, 'x2', x.id);
      const b = await say(s.questionId, 'b');
      await cast.moderator.agent.put(`/api/replies/${a1.id}/vote`).expect(200);
      await actOk(cast.moderator, 'http', { act: 'reply.hide', replyId: a11.id, reason: 'Hidden but moved along' });
      expect([await replyCount(cast.reader.agent, s.questionId), await replyCount(cast.reader.agent, q2)]).toEqual([5, 3]);

      const result = await actOk(cast.moderator, via, { act: 'reply.move', replyId: a1.id, toQuestionId: q2, toParentId: x.id });
      expect(result.movedReplyIds).toEqual([a1.id, a11.id, a12.id]);
      expect(result.fromQuestion).toMatchObject({ id: s.questionId, replyCount: 3 });
      expect(result.toQuestion).toMatchObject({ id: q2, replyCount: 5 });
      expect(result.reply).toMatchObject({ id: a1.id, questionId: q2, parentId: x.id, depth: 2, voteCount: 1 });

      const source = await byMod(s.questionId);
      const target = await byMod(q2);
      expect(source.items.map((r) => r.id)).toEqual([a.id, a2.id, b.id]);
      expect(target.items.map((r) => r.id)).toEqual(expectedTreeOrder(target.items));
      // Among x's children the moved reply sits by id (it is older than x1 and x2), its subtree intact under it.
      expect(target.items.map((r) => [r.id, r.depth])).toEqual([[x.id, 1], [a1.id, 2], [a11.id, 3], [a12.id, 3], [x1.id, 2], [x2.id, 2]]);
      expectValidTree(target.items);
      const childCount = (items: ReplyItem[], id: string) => items.find((r) => r.id === id)!.childCount;
      expect([childCount(source.items, a.id), childCount(target.items, x.id), childCount(target.items, a1.id)]).toEqual([1, 3, 2]);
      expect([await replyCount(cast.reader.agent, s.questionId), await replyCount(cast.reader.agent, q2)]).toEqual([3, 5]);
      await expectCountsExact([s.questionId, q2]);

      // Readers: the hidden reply moved as a placeholder; the permalink follows the reply.
      expect((await thread(cast.reader.agent, q2)).find((r) => r.id === a11.id)).toMatchObject({ state: 'hidden', bodyHtml: null });
      expect((await cast.reader.agent.get(`/api/replies/${a12.id}`).expect(200)).body).toMatchObject({ reply: { questionId: q2 }, ancestorIds: [x.id, a1.id] });
      const moved = await eventOf(cast.reader.socket, s.forumId, 'reply.moved');
      expect(moved).toMatchObject({ questionId: null, payload: { replyId: a1.id, fromQuestionId: s.questionId, toQuestionId: q2, parentId: x.id, movedReplyIds: [a1.id, a11.id, a12.id] } });

      // And on to the first level of the first question again: same order, same counts.
      await actOk(cast.moderator, via, { act: 'reply.move', replyId: a1.id, toQuestionId: s.questionId });
      const back = await byMod(s.questionId);
      expect(back.items.map((r) => [r.id, r.depth])).toEqual([[a.id, 1], [a2.id, 2], [a1.id, 1], [a11.id, 2], [a12.id, 2], [b.id, 1]]);
      expect(back.items.map((r) => r.id)).toEqual(expectedTreeOrder(back.items));
      await expectCountsExact([s.questionId, q2]);
      // New replies under the moved ones land in the right place.
      const late = await postReply(cast.author.agent, s.questionId, 'late', a12.id);
      expect((await byMod(s.questionId)).items.map((r) => r.id)).toEqual([a.id, a2.id, a1.id, a11.id, a12.id, late.id, b.id]);
    });
  }

  it('refuses a move into another forum, under an unapproved reply, or past the deepest level', async () => {
    const s = await stage(t, cast);
    const elsewhere = await stage(t, cast);
    const r = await postReply(cast.author.agent, s.questionId, 'r');
    await postReply(cast.author.agent, s.questionId, 'child of r', r.id);
    const q2 = (await newQuestion(t, s.forumId)).id;
    const move = (body: object) => cast.moderator.agent.post('/api/moderation/acts').send({ act: 'reply.move', replyId: r.id, ...body });
    const other = await move({ toQuestionId: elsewhere.questionId });
    expect([other.status, other.body.code]).toEqual([404, 'question_not_found']);
    await t.dataSource.query(`UPDATE forum SET premoderation = true WHERE id = $1`, [s.forumId]);
    const pending = await postReply(cast.author.agent, q2, 'pending');
    await t.dataSource.query(`UPDATE forum SET premoderation = false WHERE id = $1`, [s.forumId]);
    const under = await move({ toQuestionId: q2, toParentId: pending.id });
    expect([under.status, under.body.code]).toEqual([400, 'invalid_parent']);
    // A chain 200 replies deep in q2, written directly.
    const ids: { id: string }[] = await t.dataSource.query(`SELECT nextval(pg_get_serial_sequence('reply', 'id'))::text AS id FROM generate_series(1, 200) ORDER BY 1`);
    const chain = ids.map((x) => x.id).sort((p, q) => (BigInt(p) < BigInt(q) ? -1 : 1));
    let path = '';
    for (const [i, id] of chain.entries()) {
      path += BigInt(id).toString(36).padStart(8, '0');
      await t.dataSource.query(
        `INSERT INTO reply (id, question_id, forum_id, parent_id, path, depth, author_id, body_source, body_html) VALUES ($1, $2, $3, $4, $5, $6, $7, 'deep', '<p>deep</p>')`,
        [id, q2, s.forumId, i === 0 ? null : chain[i - 1], path, i + 1, cast.author.account.id],
      );
    }
    // Under the 199th reply, r would be at 200 and its child at 201.
    const tooDeep = await move({ toQuestionId: q2, toParentId: chain[198] });
    expect([tooDeep.status, tooDeep.body.code]).toEqual([409, 'thread_too_deep']);
    const deepest = await move({ toQuestionId: q2, toParentId: chain[197] });
    expect(deepest.status).toBe(200);
    expect(deepest.body.reply).toMatchObject({ depth: 199, parentId: chain[197] });
    expect(await t.dataSource.query(`SELECT max(depth)::int AS d FROM reply WHERE question_id = $1`, [q2])).toEqual([{ d: 200 }]);
  });

  describe('a reply written while a moderator moves or merges', () => {
    // Two connections at once: only against a real PostgreSQL server (the embedded database has one).
    const race = process.env.DATABASE_URL ? it : it.skip;

    /** Runs `moderatorWork` in an open transaction, sends the reply, waits until it queues on a lock, commits, and returns the answer. */
    async function replyDuring(moderatorWork: (query: (sql: string, params: unknown[]) => Promise<unknown>) => Promise<void>, send: () => Promise<{ status: number; body: any }>) {
      const runner = t.dataSource.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        await moderatorWork((sql, params) => runner.query(sql, params));
        const answer = send();
        await eventually(async () => {
          const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
          expect(n).toBeGreaterThan(0);
        });
        await runner.commitTransaction();
        return await answer;
      } finally {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        await runner.release();
      }
    }

    race('is refused when its parent moved meanwhile (never left in the old question)', async () => {
      const s = await stage(t, cast);
      const q2 = (await newQuestion(t, s.forumId)).id;
      const parent = await postReply(cast.author.agent, s.questionId, 'parent');
      const res = await replyDuring(
        (query) => query(`UPDATE reply SET question_id = $2 WHERE id = $1`, [parent.id, q2]).then(() => undefined),
        async () => cast.reader.agent.post(`/api/questions/${s.questionId}/replies`).send({ body: 'answer', parentId: parent.id }),
      );
      expect([res.status, res.body.code]).toEqual([409, 'parent_moved']);
      expect(await t.dataSource.query(`SELECT id FROM reply WHERE parent_id = $1`, [parent.id])).toEqual([]);
    });

    race('lands before a move of its ancestor: moved with the subtree, and named among the moved replies', async () => {
      const s = await stage(t, cast);
      const q2 = (await newQuestion(t, s.forumId)).id;
      const top = await postReply(cast.author.agent, s.questionId, 'top');
      const parent = await postReply(cast.reader.agent, s.questionId, 'parent', top.id);
      // The notifier stores the parent's notification after commit (its FK check would queue on the row held below): let it finish.
      await t.app.get(NotificationTriggers).settled();
      const runner = t.dataSource.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        // Holds the parent: the reply (its childCount) queues on it first, then the move (its subtree).
        await runner.query(`SELECT id FROM reply WHERE id = $1 FOR UPDATE`, [parent.id]);
        const waiting = async (n: number) =>
          eventually(async () => {
            const [{ w }] = await t.dataSource.query(`SELECT count(*)::int AS w FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
            expect(w).toBe(n);
          });
        const answer = (async () => cast.author.agent.post(`/api/questions/${s.questionId}/replies`).send({ body: 'just in time', parentId: parent.id }))();
        await waiting(1);
        const move = act(cast.moderator, 'http', { act: 'reply.move', replyId: top.id, toQuestionId: q2 });
        await waiting(2);
        await runner.commitTransaction();
        const [reply, moved] = await Promise.all([answer, move]);
        expect(reply.status).toBe(201);
        expect(moved.status).toBe(200);
        expect(moved.body.movedReplyIds).toEqual([top.id, parent.id, reply.body.id]);
        expect(moved.body.actions[0].after).toMatchObject({ replies: 3 });
        expect((await thread(cast.moderator.agent, q2)).map((r) => r.id)).toEqual([top.id, parent.id, reply.body.id]);
      } finally {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        await runner.release();
      }
      await expectCountsExact([s.questionId, q2]);
    });

    race('waits for a merge of its question, then is refused (never left in the merged question)', async () => {
      const s = await stage(t, cast);
      const target = (await newQuestion(t, s.forumId)).id;
      const res = await replyDuring(
        async (query) => {
          await query(`SELECT id FROM question WHERE id = $1 FOR UPDATE`, [s.questionId]);
          await query(`UPDATE question SET merged_into_id = $2, closed = true WHERE id = $1`, [s.questionId, target]);
        },
        async () => cast.reader.agent.post(`/api/questions/${s.questionId}/replies`).send({ body: 'too late' }),
      );
      expect([res.status, res.body.code]).toEqual([409, 'question_merged']);
      expect(await thread(cast.moderator.agent, s.questionId)).toEqual([]);
    });
  });

  describe('two moderators acting on one subtree at once', () => {
    const race = process.env.DATABASE_URL ? it : it.skip;

    // A move locks its subtree from the top; approving, deleting or moving a reply inside it locks that reply, then its
    // parent: the two can meet in a deadlock, which Postgres breaks by rolling one back. Both must still succeed.
    race('moving a reply and, at the same moment, one of its descendants, or approving one: both done, counts exact', async () => {
      for (let round = 0; round < 3; round++) {
        const s = await stage(t, cast);
        const [q2, q3] = [(await newQuestion(t, s.forumId)).id, (await newQuestion(t, s.forumId)).id];
        const a = await postReply(cast.author.agent, s.questionId, 'a');
        const b = await postReply(cast.reader.agent, s.questionId, 'b', a.id);
        const c = await postReply(cast.author.agent, s.questionId, 'c', b.id);
        const moves = await Promise.all([
          act(cast.moderator, 'http', { act: 'reply.move', replyId: a.id, toQuestionId: q2 }),
          act(cast.admin, 'http', { act: 'reply.move', replyId: c.id, toQuestionId: q3 }),
        ]);
        expect(moves.map((r) => [r.status, r.body.code])).toEqual([[200, undefined], [200, undefined]]);
        await t.dataSource.query(`UPDATE forum SET premoderation = true WHERE id = $1`, [s.forumId]);
        const p = await postReply(cast.moderator.agent, s.questionId, 'p');
        const pending = await postReply(cast.author.agent, s.questionId, 'waiting', p.id);
        const both = await Promise.all([
          act(cast.moderator, 'http', { act: 'reply.approve', replyId: pending.id }),
          act(cast.admin, 'http', { act: 'reply.move', replyId: p.id, toQuestionId: q2 }),
        ]);
        expect(both.map((r) => [r.status, r.body.code])).toEqual([[200, undefined], [200, undefined]]);
        await expectCountsExact([s.questionId, q2, q3]);
      }
    });
  });

  for (const via of VIAS) {
    it(`merges a question into another: every reply moves in tree order, votes kept, counts exact, the source links to the target (${via})`, async () => {
      const s = await stage(t, cast);
      const target = (await newQuestion(t, s.forumId)).id;
      const say = (q: number, body: string, parent?: string) => postReply(cast.author.agent, q, body, parent);
      const t1 = await say(target, 't1');
      const s1 = await say(s.questionId, 's1');
      const t11 = await say(target, 't11', t1.id);
      const s11 = await say(s.questionId, 's11', s1.id);
      const s2 = await say(s.questionId, 's2');
      const s111 = await say(s.questionId, 's111', s11.id);
      const t2 = await say(target, 't2');
      for (const id of [s1.id, s11.id, t2.id]) await cast.reader.agent.put(`/api/replies/${id}/vote`).expect(200);
      await cast.moderator.agent.put(`/api/replies/${s1.id}/vote`).expect(200);
      await actOk(cast.moderator, 'http', { act: 'reply.delete', replyId: s2.id });
      const before = await byMod(s.questionId);

      const result = await actOk(cast.moderator, via, { act: 'question.merge', questionId: s.questionId, intoQuestionId: target, reason: 'Asked twice' });
      expect(result.movedReplyIds).toEqual(before.items.map((r) => r.id));
      expect(result.source).toMatchObject({ id: s.questionId, mergedIntoId: target, closed: true, replyCount: 0 });
      expect(result.question).toMatchObject({ id: target, replyCount: 6 });

      const merged = await byMod(target);
      expect(merged.items.map((r) => r.id)).toEqual(expectedTreeOrder(merged.items));
      expect(merged.items.map((r) => r.id)).toEqual([t1.id, t11.id, s1.id, s11.id, s111.id, s2.id, t2.id]);
      expectValidTree(merged.items);
      expect(Object.fromEntries(merged.items.map((r) => [r.id, r.voteCount]))).toMatchObject({ [s1.id]: 2, [s11.id]: 1, [t2.id]: 1, [s111.id]: 0 });
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM reply_vote WHERE reply_id = ANY($1::bigint[])`, [[s1.id, s11.id, t2.id]]);
      expect(n).toBe(4);
      expect(await thread(cast.reader.agent, s.questionId)).toEqual([]);
      expect(await replyCount(cast.reader.agent, target)).toBe(6);
      await expectCountsExact([s.questionId, target]);
      const listed = (await cast.reader.agent.get(`/api/forums/${s.forumId}/questions`).expect(200)).body.items;
      expect(listed.find((q: { id: number }) => q.id === s.questionId)).toMatchObject({ mergedIntoId: target, closed: true });
      expect((await eventOf(cast.reader.socket, s.forumId, 'question.merged')).payload).toEqual({ sourceId: s.questionId, targetId: target, movedReplyIds: result.movedReplyIds });
      // Merged once is final: neither side of it can be merged again.
      const third = (await newQuestion(t, s.forumId)).id;
      const again = await cast.moderator.agent.post('/api/moderation/acts').send({ act: 'question.merge', questionId: third, intoQuestionId: s.questionId });
      expect([again.status, again.body.code]).toEqual([409, 'question_merged']);
    });
  }
});
