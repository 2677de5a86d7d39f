import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '../src/common/actor.js';
import { QuestionsService } from '../src/discussions/questions.service.js';
import { addMember, newForum } from './support/fixtures.js';
import { newActors, startServices, type ServiceContext } from './support/service.js';

/** QuestionsService against the real database: a forum's order of questions, kept unique through inserts and moves. */
describe('QuestionsService ordering (service tier)', () => {
  let s: ServiceContext;
  let questions: QuestionsService;
  let moderator: Actor, member: Actor;

  beforeAll(async () => {
    s = await startServices();
    questions = s.get(QuestionsService);
    [moderator, member] = await newActors(s, 2);
  });
  afterAll(() => s?.close());

  async function forum(): Promise<number> {
    const { id } = await newForum(s);
    await addMember(s, id, moderator.accountId, 'moderator');
    await addMember(s, id, member.accountId);
    return id;
  }
  const titles = async (forumId: number) => (await questions.listQuestions(member, forumId)).items.map((q) => q.title);

  it('adds at the end, or at a given place shifting the ones after it; a place past the end is the end', async () => {
    const forumId = await forum();
    for (const title of ['A', 'B', 'C']) await questions.createQuestion(moderator, forumId, { title });
    await questions.createQuestion(moderator, forumId, { title: 'first', position: 0 });
    await questions.createQuestion(moderator, forumId, { title: 'last', position: 99 });
    await expect(titles(forumId)).resolves.toEqual(['first', 'A', 'B', 'C', 'last']);
    const positions = (await questions.listQuestions(member, forumId)).items.map((q) => q.position);
    expect(positions).toEqual([0, 1, 2, 3, 4]);
  });

  it('moves a question up or down, the others closing the gap; pinned ones list first', async () => {
    const forumId = await forum();
    const made: { id: number }[] = [];
    for (const title of ['A', 'B', 'C', 'D']) made.push(await questions.createQuestion(moderator, forumId, { title }));
    await questions.updateQuestion(moderator, made[3]!.id, { position: 0 });
    await expect(titles(forumId)).resolves.toEqual(['D', 'A', 'B', 'C']);
    await questions.updateQuestion(moderator, made[0]!.id, { position: 3 });
    await expect(titles(forumId)).resolves.toEqual(['D', 'B', 'C', 'A']);
    await questions.updateQuestion(moderator, made[2]!.id, { pinned: true });
    await expect(titles(forumId)).resolves.toEqual(['C', 'D', 'B', 'A']);
  });

  it('only moderators create or move questions', async () => {
    const forumId = await forum();
    await expect(questions.createQuestion(member, forumId, { title: 'Mine?' })).rejects.toMatchObject({ code: 'not_moderator' });
    const q = await questions.createQuestion(moderator, forumId, { title: 'Theirs' });
    await expect(questions.updateQuestion(member, q.id, { position: 0 })).rejects.toMatchObject({ code: 'not_moderator' });
    await expect(titles(forumId)).resolves.toEqual(['Theirs']);
  });
});
