import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '../src/common/actor.js';
import { RepliesService } from '../src/discussions/replies.service.js';
import { addMember, newForum, newQuestion, setQuestionFlags } from './support/fixtures.js';
import { newActors, startServices, type ServiceContext } from './support/service.js';

/** RepliesService against the real database: the counters a reply keeps, and who may reply where. */
describe('RepliesService (service tier)', () => {
  let s: ServiceContext;
  let replies: RepliesService;
  let moderator: Actor, member: Actor, other: Actor;
  let forumId: number;

  beforeAll(async () => {
    s = await startServices();
    replies = s.get(RepliesService);
    [moderator, member, other] = await newActors(s, 3);
    ({ id: forumId } = await newForum(s));
    await addMember(s, forumId, moderator.accountId, 'moderator');
    await addMember(s, forumId, member.accountId);
  });
  afterAll(() => s?.close());

  /** What the question's counter shards and the reply rows hold now. */
  async function stored(questionId: number) {
    const [{ replies: count }] = await s.dataSource.query(
      `SELECT COALESCE(sum(reply_count), 0)::int AS replies FROM thread_counter WHERE question_id = $1`, [questionId]);
    const rows: { id: string; child_count: number; depth: number; path: string }[] = await s.dataSource.query(
      `SELECT id::text, child_count, depth, path FROM reply WHERE question_id = $1 ORDER BY path`, [questionId]);
    return { count, rows };
  }

  it('counts every reply on the question and each answer on its parent; paths nest', async () => {
    const { id: questionId } = await newQuestion(s, forumId);
    const top = await replies.createReply(member, questionId, { body: 'A first-level reply.' });
    const child = await replies.createReply(moderator, questionId, { body: 'An answer to it.', parentId: top.id });
    const grandchild = await replies.createReply(member, questionId, { body: 'And an answer to that.', parentId: child.id });
    await replies.createReply(other, questionId, { body: 'Another answer to the first.', parentId: top.id });

    expect([top.depth, child.depth, grandchild.depth]).toEqual([1, 2, 3]);
    expect(child.parentId).toBe(top.id);
    const { count, rows } = await stored(questionId);
    expect(count).toBe(4);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(top.id)!.child_count).toBe(2);
    expect(byId.get(child.id)!.child_count).toBe(1);
    expect(byId.get(grandchild.id)!.child_count).toBe(0);
    expect(byId.get(grandchild.id)!.path.startsWith(byId.get(child.id)!.path)).toBe(true);
    expect(byId.get(child.id)!.path.startsWith(byId.get(top.id)!.path)).toBe(true);
  });

  it('a deleted reply leaves the question\'s count; its parent still counts it (readers see it deleted in its place)', async () => {
    const { id: questionId } = await newQuestion(s, forumId);
    const top = await replies.createReply(member, questionId, { body: 'Soon answered.' });
    const child = await replies.createReply(member, questionId, { body: 'Soon deleted.', parentId: top.id });
    await replies.deleteReply(member, child.id);
    const { count, rows } = await stored(questionId);
    expect(count).toBe(1);
    expect(rows.find((r) => r.id === top.id)!.child_count).toBe(1);
  });

  it('sending the same clientId twice stores one reply', async () => {
    const { id: questionId } = await newQuestion(s, forumId);
    const clientId = '6f1c2a4e-0d7b-4c1e-9a59-2f8e1d3b7c10';
    const first = await replies.createReply(member, questionId, { body: 'Sent twice.' }, { clientId });
    const again = await replies.createReply(member, questionId, { body: 'Sent twice.' }, { clientId });
    expect(again.id).toBe(first.id);
    expect((await stored(questionId)).count).toBe(1);
  });

  it('a locked question takes replies from moderators only; a closed one from nobody', async () => {
    const { id: questionId } = await newQuestion(s, forumId);
    await setQuestionFlags(s, questionId, { locked: true });
    await expect(replies.createReply(member, questionId, { body: 'Locked out.' })).rejects.toMatchObject({ code: 'question_locked' });
    await expect(replies.createReply(moderator, questionId, { body: 'A moderator may.' })).resolves.toMatchObject({ depth: 1 });
    await setQuestionFlags(s, questionId, { locked: false, closed: true });
    await expect(replies.createReply(moderator, questionId, { body: 'Closed to all.' })).rejects.toMatchObject({ code: 'question_closed' });
    expect((await stored(questionId)).count).toBe(1);
  });

  it('votes: one per person, never for one\'s own reply', async () => {
    const { id: questionId } = await newQuestion(s, forumId);
    const reply = await replies.createReply(member, questionId, { body: 'Worth a vote.' });
    await expect(replies.vote(moderator, reply.id)).resolves.toMatchObject({ voteCount: 1 });
    await expect(replies.vote(moderator, reply.id)).resolves.toMatchObject({ voteCount: 1 });
    await expect(replies.vote(other, reply.id)).resolves.toMatchObject({ voteCount: 2 });
    await expect(replies.vote(member, reply.id)).rejects.toMatchObject({ status: 403 });
    await expect(replies.unvote(other, reply.id)).resolves.toMatchObject({ voteCount: 1 });
  });
});
