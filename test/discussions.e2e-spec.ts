import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type TestAgent from 'supertest/lib/agent.js';
import { startTestApp, type TestApp } from './support/app.js';
import { addMember, newForum, newQuestion } from './support/fixtures.js';
import { signedIn, type TestPerson } from './support/people.js';
import { postReply } from './support/threads.js';

interface QuestionItem {
  id: number;
  position: number;
  title: string;
  pinned: boolean;
  locked: boolean;
  closed: boolean;
  replyCount: number;
  viewerReplied?: boolean;
}

/** Discussion questions: listing, counts, creation and changes by moderators, ordering, validation. */
describe('discussion questions', () => {
  let t: TestApp;
  let forumId: number;
  let mod: { account: TestPerson; agent: TestAgent };
  let member: { account: TestPerson; agent: TestAgent };
  let admin: { account: TestPerson; agent: TestAgent };

  beforeAll(async () => {
    t = await startTestApp();
    forumId = (await newForum(t, { visibility: 'public' })).id;
    [mod, member, admin] = await Promise.all([signedIn(t, { displayName: 'Mod' }), signedIn(t), signedIn(t, { role: 'admin' })]);
    await addMember(t, forumId, mod.account.id, 'moderator');
    await addMember(t, forumId, member.account.id, 'member');
  }, 60_000);
  afterAll(async () => { await t.close(); });

  const list = async (agent: TestAgent, id = forumId): Promise<QuestionItem[]> =>
    (await agent.get(`/api/forums/${id}/questions`).expect(200)).body.items;
  const create = (agent: TestAgent, body: object, id = forumId) => agent.post(`/api/forums/${id}/questions`).send(body);

  describe('creating and ordering', () => {
    let forum: number;
    beforeAll(async () => {
      forum = (await newForum(t)).id;
      await addMember(t, forum, mod.account.id, 'moderator');
    });

    it('appends questions, or places them and shifts the others', async () => {
      const a = await create(mod.agent, { title: '  Which services first?  ', body: 'Tell us **why**.' }, forum).expect(201);
      expect(a.body).toMatchObject({
        forumId: forum, position: 0, title: 'Which services first?', bodySource: 'Tell us **why**.',
        bodyHtml: '<p>Tell us <strong>why</strong>.</p>', author: { id: mod.account.id, displayName: 'Mod' },
        pinned: false, locked: false, closed: false, replyCount: 0, viewerReplied: false,
      });
      const b = await create(mod.agent, { title: 'B' }, forum).expect(201);
      expect(b.body).toMatchObject({ position: 1, bodyHtml: '', bodySource: '' });
      const c = await create(mod.agent, { title: 'C', position: 0 }, forum).expect(201);
      expect(c.body.position).toBe(0);
      const d = await create(mod.agent, { title: 'D', position: 99 }, forum).expect(201);
      expect(d.body.position).toBe(3);
      expect((await list(t.agent(), forum)).map((q) => [q.title, q.position])).toEqual([
        ['C', 0], ['Which services first?', 1], ['B', 2], ['D', 3],
      ]);
    });

    it('moves a question up and down, keeping positions unique', async () => {
      const before = await list(t.agent(), forum);
      const d = before.find((q) => q.title === 'D')!;
      await mod.agent.patch(`/api/questions/${d.id}`).send({ position: 1 }).expect(200);
      expect((await list(t.agent(), forum)).map((q) => [q.title, q.position])).toEqual([
        ['C', 0], ['D', 1], ['Which services first?', 2], ['B', 3],
      ]);
      const c = before.find((q) => q.title === 'C')!;
      const moved = await mod.agent.patch(`/api/questions/${c.id}`).send({ position: 50 }).expect(200);
      expect(moved.body.position).toBe(3);
      expect((await list(t.agent(), forum)).map((q) => [q.title, q.position])).toEqual([
        ['D', 0], ['Which services first?', 1], ['B', 2], ['C', 3],
      ]);
    });

    it('lists pinned questions first', async () => {
      const b = (await list(t.agent(), forum)).find((q) => q.title === 'B')!;
      const pinned = await mod.agent.patch(`/api/questions/${b.id}`).send({ pinned: true }).expect(200);
      expect(pinned.body).toMatchObject({ pinned: true, position: 2 });
      expect((await list(t.agent(), forum)).map((q) => q.title)).toEqual(['B', 'D', 'Which services first?', 'C']);
    });

    it('keeps positions unique when moderators add questions at the same time', async () => {
      const other = (await newForum(t)).id;
      await addMember(t, other, mod.account.id, 'moderator');
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => create(i % 2 ? mod.agent : admin.agent, { title: `Q${i}` }, other)));
      expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
      expect((await list(t.agent(), other)).map((q) => q.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      const moves = await Promise.all(results.slice(0, 4).map((r, i) => mod.agent.patch(`/api/questions/${r.body.id}`).send({ position: 7 - i })));
      expect(moves.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      expect((await list(t.agent(), other)).map((q) => q.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    });

    it('changes title, body and flags, and sanitises the body', async () => {
      const q = (await create(mod.agent, { title: 'Draft' }, forum).expect(201)).body;
      const res = await mod.agent
        .patch(`/api/questions/${q.id}`)
        .send({ title: 'Final', body: 'See [this](javascript:alert(1)) <img src=x onerror=alert(1)>', locked: true, closed: true })
        .expect(200);
      expect(res.body).toMatchObject({ title: 'Final', locked: true, closed: true });
      // markdown-it doesn't make a javascript: link at all; the raw HTML is text.
      expect(res.body.bodyHtml).toBe('<p>See [this](javascript:alert(1)) &lt;img src=x onerror=alert(1)&gt;</p>');
      const read = await t.agent().get(`/api/questions/${q.id}`).expect(200);
      expect(read.body).toMatchObject({ id: q.id, title: 'Final', locked: true, closed: true, bodyHtml: res.body.bodyHtml });
      expect(read.body).not.toHaveProperty('viewerReplied');
    });
  });

  describe('reply counts and "did I reply"', () => {
    it('sums the counter shards and tells signed-in readers whether they replied', async () => {
      const forum = (await newForum(t)).id;
      const q1 = (await newQuestion(t, forum, { title: 'one' })).id;
      const q2 = (await newQuestion(t, forum, { title: 'two' })).id;
      const first = await postReply(member.agent, q1, 'hello');
      await postReply(mod.agent, q1, 'welcome', first.id);
      await postReply(mod.agent, q1, 'more');
      await postReply(mod.agent, q2, 'only mine');

      const asMember = await list(member.agent, forum);
      expect(asMember.map((q) => [q.title, q.replyCount, q.viewerReplied])).toEqual([['one', 3, true], ['two', 1, false]]);
      const anonymous = await list(t.agent(), forum);
      expect(anonymous.map((q) => q.replyCount)).toEqual([3, 1]);
      expect(anonymous.every((q) => !('viewerReplied' in q))).toBe(true);
      expect((await member.agent.get(`/api/questions/${q1}`).expect(200)).body).toMatchObject({ replyCount: 3, viewerReplied: true });

      // A deleted reply no longer counts, and no longer makes its author a replier.
      await member.agent.delete(`/api/replies/${first.id}`).expect(200);
      expect((await list(member.agent, forum)).map((q) => [q.replyCount, q.viewerReplied])).toEqual([[2, false], [1, false]]);
    });
  });

  describe('who may do what', () => {
    it('lets moderators and admins create questions, nobody else', async () => {
      await create(mod.agent, { title: 'by the moderator' }).expect(201);
      await create(admin.agent, { title: 'by an admin' }).expect(201);
      expect((await create(member.agent, { title: 'by a member' }).expect(403)).body.code).toBe('not_moderator');
      expect((await create(t.agent(), { title: 'anonymous' }).expect(401)).body.code).toBe('unauthenticated');
      const q = (await list(t.agent()))[0]!;
      expect((await member.agent.patch(`/api/questions/${q.id}`).send({ pinned: true }).expect(403)).body.code).toBe('not_moderator');
      expect((await t.agent().patch(`/api/questions/${q.id}`).send({ pinned: true }).expect(401)).body.code).toBe('unauthenticated');
    });

    it('keeps a moderator of one forum out of another', async () => {
      const other = (await newForum(t)).id;
      const q = await newQuestion(t, other);
      expect((await create(mod.agent, { title: 'not mine' }, other).expect(403)).body.code).toBe('not_moderator');
      await mod.agent.patch(`/api/questions/${q.id}`).send({ locked: true }).expect(403);
    });

    it('hides an invite-only forum\'s questions from outsiders with 404', async () => {
      const secret = (await newForum(t, { visibility: 'invite_only' })).id;
      const q = await newQuestion(t, secret);
      for (const agent of [t.agent(), member.agent, mod.agent]) {
        expect((await agent.get(`/api/forums/${secret}/questions`).expect(404)).body.code).toBe('forum_not_found');
        // Answered as if the question didn't exist: probing ids says nothing about private forums.
        expect((await agent.get(`/api/questions/${q.id}`).expect(404)).body.code).toBe('question_not_found');
        expect((await agent.patch(`/api/questions/${q.id}`).send({ pinned: true }).expect(404)).body.code).toBe('question_not_found');
        await create(agent, { title: 'x' }, secret).expect(404);
      }
      await addMember(t, secret, member.account.id, 'member');
      expect(await list(member.agent, secret)).toHaveLength(1);
      await admin.agent.get(`/api/questions/${q.id}`).expect(200);
    });

    it('hides a members-only forum from anonymous readers', async () => {
      const members = (await newForum(t, { visibility: 'members' })).id;
      await t.agent().get(`/api/forums/${members}/questions`).expect(404);
      await member.agent.get(`/api/forums/${members}/questions`).expect(200);
    });

    it('refuses changes in an archived forum, allows them in a closed one', async () => {
      const archived = (await newForum(t, { state: 'archived' })).id;
      const closed = (await newForum(t, { state: 'closed' })).id;
      await addMember(t, archived, mod.account.id, 'moderator');
      await addMember(t, closed, mod.account.id, 'moderator');
      expect((await create(mod.agent, { title: 'x' }, archived).expect(409)).body.code).toBe('forum_archived');
      const q = await newQuestion(t, archived);
      expect((await mod.agent.patch(`/api/questions/${q.id}`).send({ title: 'y' }).expect(409)).body.code).toBe('forum_archived');
      await t.agent().get(`/api/forums/${archived}/questions`).expect(200);
      await create(mod.agent, { title: 'still curating' }, closed).expect(201);
    });

    it('answers 404 for questions and forums that do not exist', async () => {
      expect((await t.agent().get('/api/questions/2147483647').expect(404)).body.code).toBe('question_not_found');
      expect((await t.agent().get('/api/forums/2147483647/questions').expect(404)).body.code).toBe('forum_not_found');
      expect((await mod.agent.patch('/api/questions/2147483647').send({ title: 'x' }).expect(404)).body.code).toBe('question_not_found');
    });
  });

  describe('validation', () => {
    const fields = (res: { body: { details?: { field: string }[] } }) => (res.body.details ?? []).map((d) => d.field);

    it.each([
      ['a missing title', {}, 'title'],
      ['an empty title', { title: '' }, 'title'],
      ['a blank title', { title: '   ' }, 'title'],
      ['a title of 301 characters', { title: 'x'.repeat(301) }, 'title'],
      ['a title that is not text', { title: 42 }, 'title'],
      ['a title with NUL', { title: 'a\u0000b' }, 'title'],
      ['a body of 20,001 characters', { title: 'ok', body: 'x'.repeat(20_001) }, 'body'],
      ['a body that is not text', { title: 'ok', body: ['x'] }, 'body'],
      ['a negative position', { title: 'ok', position: -1 }, 'position'],
      ['a fractional position', { title: 'ok', position: 1.5 }, 'position'],
      ['a position as text', { title: 'ok', position: 'first' }, 'position'],
      ['pinned as text', { title: 'ok', pinned: 'yes' }, 'pinned'],
      ['locked as a number', { title: 'ok', locked: 1 }, 'locked'],
      ['closed as null', { title: 'ok', closed: null }, 'closed'],
      ['a null body', { title: 'ok', body: null }, 'body'],
      ['a null title', { title: null }, 'title'],
      ['an unknown field', { title: 'ok', author: 'someone' }, 'author'],
    ])('refuses to create a question with %s', async (_name, body, field) => {
      const res = await create(mod.agent, body).expect(400);
      expect(res.body.code).toBe('validation_failed');
      expect(fields(res)).toContain(field);
    });

    it('accepts a title of 300 and a body of 20,000 characters', async () => {
      const res = await create(mod.agent, { title: 'T'.repeat(300), body: 'b'.repeat(20_000) }).expect(201);
      expect(res.body.title).toHaveLength(300);
    });

    it.each([
      ['an empty title', { title: '' }, 'title'],
      ['a body too long', { body: 'x'.repeat(20_001) }, 'body'],
      ['a bad position', { position: -3 }, 'position'],
      ['an unknown field', { forumId: 2 }, 'forumId'],
      ['a null title', { title: null }, 'title'],
      ['a null body', { body: null }, 'body'],
      ['a null flag', { locked: null }, 'locked'],
      ['a null position', { position: null }, 'position'],
    ])('refuses to change a question with %s', async (_name, body, field) => {
      const q = await newQuestion(t, forumId);
      const res = await mod.agent.patch(`/api/questions/${q.id}`).send(body).expect(400);
      expect(fields(res)).toContain(field);
    });

    it('refuses a change that changes nothing', async () => {
      const q = await newQuestion(t, forumId);
      const res = await mod.agent.patch(`/api/questions/${q.id}`).send({}).expect(400);
      expect(res.body).toEqual({ statusCode: 400, code: 'empty_update', message: expect.stringContaining('at least one of') });
    });

    it.each([
      ['/api/forums/abc/questions', 'forumId'],
      ['/api/forums/0/questions', 'forumId'],
      ['/api/forums/99999999999/questions', 'forumId'],
      ['/api/questions/abc', 'id'],
      ['/api/questions/-1', 'id'],
      ['/api/questions/1.5', 'id'],
    ])('refuses the malformed id in %s', async (url, field) => {
      const res = await t.agent().get(url).expect(400);
      expect(res.body.code).toBe('validation_failed');
      expect(fields(res)).toEqual([field]);
    });
  });

  it('documents the endpoints in the OpenAPI document', async () => {
    const doc = await t.agent().get('/api/docs-json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/forums/{forumId}/questions', '/api/questions/{id}', '/api/questions/{id}/replies', '/api/replies/{id}',
        '/api/replies/{id}/replies', '/api/replies/{id}/revisions', '/api/replies/{id}/vote',
      ]),
    );
  });
});
