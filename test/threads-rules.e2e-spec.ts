import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type TestAgent from 'supertest/lib/agent.js';
import { startTestApp, type TestApp } from './support/app.js';
import { addMember, newForum, newQuestion, setForumState, setQuestionFlags } from './support/fixtures.js';
import { signedIn, type TestPerson } from './support/people.js';
import { postReply } from './support/threads.js';

type Person = { account: TestPerson; agent: TestAgent };

/** Who may reply, edit, delete and vote where, and every input the thread endpoints refuse. */
describe('thread rules', () => {
  let t: TestApp;
  let author: Person;
  let other: Person;
  let mod: Person;
  let otherMod: Person;
  let admin: Person;

  beforeAll(async () => {
    t = await startTestApp();
    [author, other, mod, otherMod, admin] = await Promise.all([
      signedIn(t, { displayName: 'Author' }),
      signedIn(t, { displayName: 'Other member' }),
      signedIn(t, { displayName: 'Moderator' }),
      signedIn(t, { displayName: 'Moderator elsewhere' }),
      signedIn(t, { role: 'admin', displayName: 'Admin' }),
    ]);
  }, 60_000);
  afterAll(async () => { await t.close(); });

  /** A fresh forum with a moderator, a question, and one reply by `author`. */
  async function scene(opts: { visibility?: 'public' | 'members' | 'invite_only' } = {}) {
    const forum = await newForum(t, { visibility: opts.visibility ?? 'public' });
    await addMember(t, forum.id, mod.account.id, 'moderator');
    await addMember(t, forum.id, author.account.id, 'member');
    const elsewhere = await newForum(t);
    await addMember(t, elsewhere.id, otherMod.account.id, 'moderator');
    const question = await newQuestion(t, forum.id);
    const reply = await postReply(author.agent, question.id, 'my reply');
    return { forumId: forum.id, questionId: question.id, replyId: reply.id };
  }

  const code = (res: { body: { code: string } }) => res.body.code;

  describe('replying', () => {
    it('needs a signed-in person; joins public forums implicitly', async () => {
      const s = await scene();
      expect(code(await t.agent().post(`/api/questions/${s.questionId}/replies`).send({ body: 'hi' }).expect(401))).toBe('unauthenticated');
      await other.agent.post(`/api/questions/${s.questionId}/replies`).send({ body: 'hi' }).expect(201);
      const [membership] = await t.dataSource.query(`SELECT role, state FROM forum_membership WHERE forum_id = $1 AND account_id = $2`, [s.forumId, other.account.id]);
      expect(membership).toEqual({ role: 'member', state: 'active' });
    });

    it('keeps invite-only threads invisible to outsiders (404), open to their members', async () => {
      const s = await scene({ visibility: 'invite_only' });
      for (const outsider of [t.agent(), other.agent, otherMod.agent]) {
        // Exactly as if the question and reply didn't exist.
        const asMissing = [
          [await outsider.get(`/api/questions/${s.questionId}/replies`), 'question_not_found'],
          [await outsider.post(`/api/questions/${s.questionId}/replies`).send({ body: 'hi' }), 'question_not_found'],
          [await outsider.get(`/api/replies/${s.replyId}`), 'reply_not_found'],
          [await outsider.get(`/api/replies/${s.replyId}/replies`), 'reply_not_found'],
          [await outsider.get(`/api/replies/${s.replyId}/revisions`), 'reply_not_found'],
          [await outsider.patch(`/api/replies/${s.replyId}`).send({ body: 'mine now' }), 'reply_not_found'],
          [await outsider.delete(`/api/replies/${s.replyId}`), 'reply_not_found'],
          [await outsider.put(`/api/replies/${s.replyId}/vote`), 'reply_not_found'],
          [await outsider.delete(`/api/replies/${s.replyId}/vote`), 'reply_not_found'],
        ] as const;
        for (const [res, expected] of asMissing) expect([res.status, res.body.code]).toEqual([404, expected]);
      }
      await author.agent.get(`/api/questions/${s.questionId}/replies`).expect(200);
      await admin.agent.post(`/api/questions/${s.questionId}/replies`).send({ body: 'admin here' }).expect(201);
    });

    it('keeps members-only threads from anonymous readers', async () => {
      const s = await scene({ visibility: 'members' });
      await t.agent().get(`/api/questions/${s.questionId}/replies`).expect(404);
      await other.agent.get(`/api/questions/${s.questionId}/replies`).expect(200);
      await other.agent.post(`/api/questions/${s.questionId}/replies`).send({ body: 'joining in' }).expect(201);
    });

    it('refuses a removed member', async () => {
      const s = await scene();
      await addMember(t, s.forumId, other.account.id, 'member', 'removed');
      expect(code(await other.agent.post(`/api/questions/${s.questionId}/replies`).send({ body: 'hi' }).expect(403))).toBe('removed');
      expect(code(await other.agent.put(`/api/replies/${s.replyId}/vote`).expect(403))).toBe('removed');
    });

    it('takes replies to a locked question from moderators only', async () => {
      const s = await scene();
      await mod.agent.patch(`/api/questions/${s.questionId}`).send({ locked: true }).expect(200);
      const refused = await author.agent.post(`/api/questions/${s.questionId}/replies`).send({ body: 'hi' }).expect(409);
      expect(refused.body).toEqual({ statusCode: 409, code: 'question_locked', message: expect.stringContaining('locked') });
      await mod.agent.post(`/api/questions/${s.questionId}/replies`).send({ body: 'moderator note' }).expect(201);
      await admin.agent.post(`/api/questions/${s.questionId}/replies`).send({ body: 'admin note' }).expect(201);
      // Authors can't change their replies in a locked thread; moderators can.
      expect(code(await author.agent.patch(`/api/replies/${s.replyId}`).send({ body: 'edit' }).expect(409))).toBe('question_locked');
      expect(code(await author.agent.delete(`/api/replies/${s.replyId}`).expect(409))).toBe('question_locked');
      await mod.agent.patch(`/api/replies/${s.replyId}`).send({ body: 'tidied' }).expect(200);
      // Votes add no text: still allowed.
      await other.agent.put(`/api/replies/${s.replyId}/vote`).expect(200);
    });

    it('takes no replies to a closed question, from anyone', async () => {
      const s = await scene();
      await setQuestionFlags(t, s.questionId, { closed: true });
      for (const agent of [author.agent, mod.agent, admin.agent]) {
        const res = await agent.post(`/api/questions/${s.questionId}/replies`).send({ body: 'hi' }).expect(409);
        expect(res.body).toEqual({ statusCode: 409, code: 'question_closed', message: expect.stringContaining('closed') });
      }
      expect(code(await author.agent.patch(`/api/replies/${s.replyId}`).send({ body: 'edit' }).expect(409))).toBe('question_closed');
      await mod.agent.delete(`/api/replies/${s.replyId}`).expect(200);
    });

    it('refuses members in a closed forum, not its moderators; refuses everyone in an archived one', async () => {
      const s = await scene();
      await setForumState(t, s.forumId, 'closed');
      expect(code(await author.agent.post(`/api/questions/${s.questionId}/replies`).send({ body: 'hi' }).expect(409))).toBe('forum_closed');
      expect(code(await author.agent.patch(`/api/replies/${s.replyId}`).send({ body: 'edit' }).expect(409))).toBe('forum_closed');
      expect(code(await other.agent.put(`/api/replies/${s.replyId}/vote`).expect(409))).toBe('forum_closed');
      await mod.agent.post(`/api/questions/${s.questionId}/replies`).send({ body: 'closing words' }).expect(201);
      await t.agent().get(`/api/questions/${s.questionId}/replies`).expect(200);

      await setForumState(t, s.forumId, 'archived');
      for (const agent of [author.agent, mod.agent, admin.agent]) {
        expect(code(await agent.post(`/api/questions/${s.questionId}/replies`).send({ body: 'hi' }).expect(409))).toBe('forum_archived');
      }
      expect(code(await mod.agent.patch(`/api/replies/${s.replyId}`).send({ body: 'edit' }).expect(409))).toBe('forum_archived');
      expect(code(await mod.agent.delete(`/api/replies/${s.replyId}`).expect(409))).toBe('forum_archived');
      await t.agent().get(`/api/questions/${s.questionId}/replies`).expect(200);
    });
  });

  describe('editing and deleting', () => {
    it.each([
      ['the author', 'author', 200],
      ['the forum\'s moderator', 'mod', 200],
      ['an admin', 'admin', 200],
      ['another member', 'other', 403],
      ['a moderator of another forum', 'otherMod', 403],
      ['an anonymous visitor', 'anonymous', 401],
    ] as const)('lets %s edit a reply: %d', async (_name, who, status) => {
      const s = await scene();
      const agent = who === 'anonymous' ? t.agent() : { author, mod, admin, other, otherMod }[who].agent;
      const res = await agent.patch(`/api/replies/${s.replyId}`).send({ body: 'changed' }).expect(status);
      if (status === 403) expect(code(res)).toBe('not_reply_author');
      const stored = await t.agent().get(`/api/replies/${s.replyId}`).expect(200);
      expect(stored.body.reply.bodySource).toBe(status === 200 ? 'changed' : 'my reply');
    });

    it.each([
      ['the author', 'author', 200],
      ['the forum\'s moderator', 'mod', 200],
      ['an admin', 'admin', 200],
      ['another member', 'other', 403],
      ['a moderator of another forum', 'otherMod', 403],
      ['an anonymous visitor', 'anonymous', 401],
    ] as const)('lets %s delete a reply: %d', async (_name, who, status) => {
      const s = await scene();
      const agent = who === 'anonymous' ? t.agent() : { author, mod, admin, other, otherMod }[who].agent;
      await agent.delete(`/api/replies/${s.replyId}`).expect(status);
      const stored = await t.agent().get(`/api/replies/${s.replyId}`).expect(200);
      expect(stored.body.reply.state).toBe(status === 200 ? 'deleted' : 'visible');
    });

    it('answers 404 for replies that do not exist', async () => {
      for (const [method, url] of [['get', '/api/replies/987654321'], ['get', '/api/replies/987654321/replies'], ['get', '/api/replies/987654321/revisions'], ['patch', '/api/replies/987654321'], ['delete', '/api/replies/987654321'], ['put', '/api/replies/987654321/vote'], ['delete', '/api/replies/987654321/vote']] as const) {
        const res = await author.agent[method](url).send(method === 'patch' ? { body: 'x' } : undefined);
        expect([url, res.status, res.body.code]).toEqual([url, 404, 'reply_not_found']);
      }
      expect(code(await t.agent().get('/api/questions/2147483647/replies').expect(404))).toBe('question_not_found');
      expect(code(await author.agent.post('/api/questions/2147483647/replies').send({ body: 'x' }).expect(404))).toBe('question_not_found');
    });
  });

  describe('hidden and pending replies', () => {
    it('show a hidden reply to everyone as a placeholder with its reason (its text to moderators only), a pending one to its author and the moderators only', async () => {
      const s = await scene();
      const hidden = await postReply(other.agent, s.questionId, 'hidden one');
      const pending = await postReply(other.agent, s.questionId, 'pending one');
      await t.dataSource.query(`UPDATE reply SET state = 'hidden', state_reason = 'Off topic' WHERE id = $1`, [hidden.id]);
      await t.dataSource.query(`UPDATE reply SET state = 'pending' WHERE id = $1`, [pending.id]);
      const ids = async (agent: TestAgent, order = 'tree') =>
        (await agent.get(`/api/questions/${s.questionId}/replies?order=${order}`).expect(200)).body.items.map((r: { id: string }) => r.id);
      expect(await ids(author.agent)).toEqual([s.replyId, hidden.id]);
      expect(await ids(t.agent(), 'top')).toEqual([s.replyId, hidden.id]);
      expect(await ids(other.agent)).toEqual([s.replyId, hidden.id, pending.id]);
      expect(await ids(mod.agent)).toEqual([s.replyId, hidden.id, pending.id]);
      expect(await ids(admin.agent, 'top')).toEqual([s.replyId, hidden.id, pending.id]);
      const placeholder = (await author.agent.get(`/api/replies/${hidden.id}`).expect(200)).body.reply;
      expect(placeholder).toMatchObject({ state: 'hidden', bodyHtml: null, bodySource: null, stateReason: 'Off topic' });
      expect((await mod.agent.get(`/api/replies/${hidden.id}`).expect(200)).body.reply).toMatchObject({ state: 'hidden', bodyHtml: '<p>hidden one</p>' });
      expect(code(await author.agent.get(`/api/replies/${hidden.id}/revisions`).expect(403))).toBe('reply_hidden');
      await author.agent.get(`/api/replies/${pending.id}`).expect(404);
      await other.agent.get(`/api/replies/${pending.id}`).expect(200);
      // Its own author still reads a hidden reply's text, with the reason, in the thread and at its permalink.
      expect((await other.agent.get(`/api/replies/${hidden.id}`).expect(200)).body.reply).toMatchObject({ state: 'hidden', bodyHtml: '<p>hidden one</p>', stateReason: 'Off topic' });
      const own = (await other.agent.get(`/api/questions/${s.questionId}/replies`).expect(200)).body.items.find((r: { id: string }) => r.id === hidden.id);
      expect(own).toMatchObject({ state: 'hidden', bodyHtml: '<p>hidden one</p>' });
      expect(code(await author.agent.post(`/api/questions/${s.questionId}/replies`).send({ body: 'x', parentId: pending.id }).expect(400))).toBe('invalid_parent');
      expect(code(await other.agent.post(`/api/questions/${s.questionId}/replies`).send({ body: 'x', parentId: pending.id }).expect(409))).toBe('parent_not_approved');
      await author.agent.put(`/api/replies/${pending.id}/vote`).expect(404);
      expect(code(await mod.agent.put(`/api/replies/${pending.id}/vote`).expect(409))).toBe('reply_not_visible');
      expect(code(await author.agent.put(`/api/replies/${hidden.id}/vote`).expect(409))).toBe('reply_not_visible');
    });
  });

  describe('validation', () => {
    let s: { forumId: number; questionId: number; replyId: string };
    let elsewhereReply: string;
    beforeAll(async () => {
      s = await scene();
      const q2 = await newQuestion(t, s.forumId);
      elsewhereReply = (await postReply(author.agent, q2.id, 'in another question')).id;
    }, 30_000);

    const fields = (res: { body: { details?: { field: string }[] } }) => (res.body.details ?? []).map((d) => d.field);

    it.each([
      ['a missing body', {}, 'body'],
      ['an empty body', { body: '' }, 'body'],
      ['a blank body', { body: ' \n\t ' }, 'body'],
      ['a body that is not text', { body: 12 }, 'body'],
      ['a body of 20,001 characters', { body: 'x'.repeat(20_001) }, 'body'],
      ['a body of 20,001 characters made of emoji', { body: '😀'.repeat(20_001) }, 'body'],
      ['a body with NUL', { body: 'a\u0000b' }, 'body'],
      ['a parentId that is not a number', { body: 'x', parentId: 'abc' }, 'parentId'],
      ['a parentId of zero', { body: 'x', parentId: '0' }, 'parentId'],
      ['a negative parentId', { body: 'x', parentId: -4 }, 'parentId'],
      ['a parentId too large', { body: 'x', parentId: '99999999999999999999' }, 'parentId'],
      ['a parentId object', { body: 'x', parentId: { id: 1 } }, 'parentId'],
      ['an unknown field', { body: 'x', authorName: 'Someone' }, 'authorName'],
    ])('refuses a reply with %s', async (_name, body, field) => {
      const res = await author.agent.post(`/api/questions/${s.questionId}/replies`).send(body).expect(400);
      expect(res.body.code).toBe('validation_failed');
      expect(fields(res)).toContain(field);
      expect(res.body.message).toContain(field);
    });

    it('accepts a body of exactly 20,000 characters, a parentId sent as a number, and a null parentId', async () => {
      const long = await author.agent.post(`/api/questions/${s.questionId}/replies`).send({ body: 'é'.repeat(20_000) }).expect(201);
      const child = await author.agent.post(`/api/questions/${s.questionId}/replies`).send({ body: 'x', parentId: Number(long.body.id) }).expect(201);
      expect(child.body).toMatchObject({ parentId: long.body.id, depth: 2 });
      const topLevel = await author.agent.post(`/api/questions/${s.questionId}/replies`).send({ body: 'x', parentId: null }).expect(201);
      expect(topLevel.body).toMatchObject({ parentId: null, depth: 1 });
    });

    it('refuses a parent from another question, or one that does not exist', async () => {
      for (const parentId of [elsewhereReply, '987654321']) {
        const res = await author.agent.post(`/api/questions/${s.questionId}/replies`).send({ body: 'x', parentId }).expect(400);
        expect(res.body).toMatchObject({ code: 'invalid_parent', details: [{ field: 'parentId', message: expect.any(String) }] });
      }
    });

    it.each([
      ['an empty body', { body: '' }, 'body'],
      ['a missing body', {}, 'body'],
      ['a body too long', { body: 'y'.repeat(20_001) }, 'body'],
      ['an unknown field', { body: 'ok', state: 'hidden' }, 'state'],
    ])('refuses an edit with %s', async (_name, body, field) => {
      const res = await author.agent.patch(`/api/replies/${s.replyId}`).send(body).expect(400);
      expect(fields(res)).toContain(field);
    });

    it.each([
      ['order=newest', 'order'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=ten', 'limit'],
      ['limit=2.5', 'limit'],
      ['after=%%%', 'after'],
      ['after=bm90LWEtY3Vyc29y', 'after'],
      [`after=${'A'.repeat(5000)}`, 'after'],
      ['sort=top', 'sort'],
    ])('refuses a thread read with %s', async (query, field) => {
      const res = await t.agent().get(`/api/questions/${s.questionId}/replies?${query}`).expect(400);
      expect(res.body.code).toBe('validation_failed');
      expect(fields(res)).toContain(field);
    });

    it('reads the first page when `after` is empty', async () => {
      const first = await t.agent().get(`/api/questions/${s.questionId}/replies?limit=1`).expect(200);
      const empty = await t.agent().get(`/api/questions/${s.questionId}/replies?limit=1&after=`).expect(200);
      expect(empty.body).toEqual(first.body);
      expect(first.body.items).toHaveLength(1);
    });

    it('pages with `cursor`, and still with its old name `after`, deprecated in the OpenAPI document', async () => {
      const q = await newQuestion(t, s.forumId);
      for (const body of ['first', 'second', 'third']) await postReply(author.agent, q.id, body);
      const first = await t.agent().get(`/api/questions/${q.id}/replies?limit=1`).expect(200);
      const byCursor = await t.agent().get(`/api/questions/${q.id}/replies?limit=1&cursor=${first.body.nextCursor}`).expect(200);
      const byAfter = await t.agent().get(`/api/questions/${q.id}/replies?limit=1&after=${first.body.nextCursor}`).expect(200);
      expect(byCursor.body.items).toHaveLength(1);
      expect(byCursor.body.items[0].id).not.toBe(first.body.items[0].id);
      expect(byCursor.body.nextCursor).toEqual(expect.any(String));
      expect(byAfter.body).toEqual(byCursor.body);
      // Refusals name the parameter as sent; both at once is ambiguous.
      for (const [url, field] of [
        [`/api/questions/${q.id}/replies?cursor=garbage`, 'cursor'],
        [`/api/questions/${q.id}/replies?after=garbage`, 'after'],
        [`/api/questions/${q.id}/replies?order=top&cursor=${first.body.nextCursor}`, 'cursor'],
        [`/api/replies/${s.replyId}/replies?cursor=garbage`, 'cursor'],
        [`/api/replies/${s.replyId}/revisions?cursor=xyz`, 'cursor'],
        [`/api/questions/${q.id}/replies?cursor=${first.body.nextCursor}&after=${first.body.nextCursor}`, 'after'],
      ]) {
        expect(fields(await t.agent().get(url).expect(400))).toEqual([field]);
      }
      const doc = (await t.agent().get('/api/docs-json').expect(200)).body;
      const params: { name: string; deprecated?: boolean }[] = doc.paths['/api/questions/{id}/replies'].get.parameters;
      expect(params.find((p) => p.name === 'cursor')).not.toHaveProperty('deprecated');
      expect(params.find((p) => p.name === 'after')).toMatchObject({ deprecated: true });
    });

    it.each([
      ['limit=0', 'limit'],
      ['after=garbage', 'after'],
      ['order=top', 'order'],
    ])('refuses a subtree read with %s', async (query, field) => {
      const res = await t.agent().get(`/api/replies/${s.replyId}/replies?${query}`).expect(400);
      expect(fields(res)).toContain(field);
    });

    it('refuses a revisions read with a bad cursor or limit', async () => {
      expect(fields(await t.agent().get(`/api/replies/${s.replyId}/revisions?after=xyz`).expect(400))).toContain('after');
      expect(fields(await t.agent().get(`/api/replies/${s.replyId}/revisions?limit=-1`).expect(400))).toContain('limit');
    });

    it.each(['abc', '0', '-1', '1.5', '1e3', '99999999999999999999'])('refuses the reply id %s', async (id) => {
      for (const res of [
        await t.agent().get(`/api/replies/${id}`),
        await author.agent.patch(`/api/replies/${id}`).send({ body: 'x' }),
        await author.agent.put(`/api/replies/${id}/vote`),
      ]) {
        expect(res.status).toBe(400);
        expect(fields(res)).toEqual(['id']);
      }
    });

    it.each(['abc', '0', '3000000000'])('refuses the question id %s', async (id) => {
      expect(fields(await t.agent().get(`/api/questions/${id}/replies`).expect(400))).toEqual(['id']);
      expect(fields(await author.agent.post(`/api/questions/${id}/replies`).send({ body: 'x' }).expect(400))).toEqual(['id']);
    });
  });
});
