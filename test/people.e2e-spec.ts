import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import sharp from 'sharp';
import type TestAgent from 'supertest/lib/agent.js';
import { startTestApp, type TestApp } from './support/app.js';
import { addMember, newForum, newQuestion } from './support/fixtures.js';
import { signedIn, type TestPerson } from './support/people.js';
import { postReply } from './support/threads.js';

/** Issue 15: profiles (name, organisation or city, languages, bio, avatar) and what the viewer may read of a member's writing. */
describe('people', () => {
  let t: TestApp;
  let ana: { account: TestPerson; agent: TestAgent };
  let reader: { account: TestPerson; agent: TestAgent };

  beforeAll(async () => {
    t = await startTestApp();
    ana = await signedIn(t, { displayName: 'Ana María García', organisation: 'Ciudad de México', language: 'es' });
    reader = await signedIn(t, { displayName: 'Reader' });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const png = (width: number, height: number) =>
    sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 60 } } }).png().toBuffer();

  it('edits the profile through the account, and shows it to anyone, with initials while there is no avatar', async () => {
    const res = await ana.agent.patch('/api/auth/me').send({ bio: '  Movilidad urbana y espacio público.  ', languages: ['es', 'en'] });
    expect(res.status).toBe(200);
    const profile = await t.agent().get(`/api/people/${ana.account.id}`).expect(200);
    expect(profile.body).toMatchObject({
      id: ana.account.id, displayName: 'Ana María García', organisation: 'Ciudad de México', languages: ['es', 'en'],
      bio: 'Movilidad urbana y espacio público.', avatarUrl: null, initials: 'AM',
    });
    expect(profile.body).not.toHaveProperty('email');
  });

  it.each([
    [{ languages: ['es', 'de'] }, 'languages'],
    [{ languages: ['es', 'es'] }, 'languages'],
    [{ languages: 'es' }, 'languages'],
    [{ bio: 'x'.repeat(501) }, 'bio'],
    // null is not "leave it": it would reach NOT NULL columns (the fuzzer found bio: null as a 500).
    [{ bio: null }, 'bio'],
    [{ languages: null }, 'languages'],
    [{ displayName: null }, 'displayName'],
    [{ language: null }, 'language'],
  ])('refuses the profile change %j naming %s', async (body, field) => {
    const res = await ana.agent.patch('/api/auth/me').send(body);
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('re-encodes an uploaded avatar to a small WebP square, serves it, and removes it', async () => {
    const upload = await ana.agent.put('/api/auth/me/avatar').attach('avatar', await png(900, 600), 'me.png');
    expect(upload.status).toBe(200);
    expect(upload.body.avatarUrl).toMatch(new RegExp(`^/api/people/${ana.account.id}/avatar\\?v=\\d+$`));
    const image = await t.agent().get(upload.body.avatarUrl).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/webp');
    const meta = await sharp(image.body as Buffer).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 256, 256]);
    expect((await t.agent().get(`/api/people/${ana.account.id}`)).body.avatarUrl).toBe(upload.body.avatarUrl);

    // Replies carry the avatar and the organisation, so readers see who speaks for which city.
    const forum = await newForum(t);
    const question = await newQuestion(t, forum.id);
    const reply = await postReply(ana.agent, question.id, 'Nuestra ciudad abrió nuevas ciclovías este año.');
    expect(reply.author).toEqual({ id: ana.account.id, displayName: 'Ana María García', organisation: 'Ciudad de México', avatarUrl: upload.body.avatarUrl });
    const listed = await t.agent().get(`/api/questions/${question.id}/replies`).expect(200);
    expect(listed.body.items[0].author).toEqual(reply.author);

    expect((await ana.agent.delete('/api/auth/me/avatar')).status).toBe(204);
    expect((await t.agent().get(`/api/people/${ana.account.id}`)).body.avatarUrl).toBeNull();
    expect((await t.agent().get(`/api/people/${ana.account.id}/avatar`)).status).toBe(404);
  });

  it.each([
    ['a text file', Buffer.from('not an image at all'), 'notes.png'],
    ['an SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'), 'me.svg'],
  ])('refuses %s as an avatar, naming the field', async (_what, content, name) => {
    const res = await ana.agent.put('/api/auth/me/avatar').attach('avatar', content, name);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'avatar_invalid', details: [{ field: 'avatar' }] });
  });

  it('refuses an avatar without a file, and anonymous uploads', async () => {
    expect((await ana.agent.put('/api/auth/me/avatar').field('other', 'x')).body).toMatchObject({ code: 'avatar_invalid' });
    expect((await t.agent().put('/api/auth/me/avatar').attach('avatar', await png(10, 10), 'a.png')).status).toBe(401);
  });

  it("lists the member's replies and questions the viewer may read, and no more", async () => {
    const open = await newForum(t);
    const closed = await newForum(t, { visibility: 'invite_only' });
    await addMember(t, closed.id, ana.account.id, 'moderator');
    const [q1, q2] = [await newQuestion(t, open.id), await newQuestion(t, closed.id)];
    await t.dataSource.query(`UPDATE question SET author_id = $2 WHERE id = ANY($1)`, [[q1.id, q2.id], ana.account.id]);
    const visible = await postReply(ana.agent, q1.id, 'Una respuesta que todos pueden leer.');
    const secret = await postReply(ana.agent, q2.id, 'Una respuesta solo para invitados.');
    await t.dataSource.query(`UPDATE forum SET premoderation = true WHERE id = $1`, [open.id]);
    await t.dataSource.query(`UPDATE forum_membership SET role = 'member' WHERE forum_id = $1 AND account_id = $2`, [closed.id, ana.account.id]);
    const pending = await postReply(ana.agent, q1.id, 'Una respuesta que espera aprobación.');
    expect(pending.state).toBe('pending');

    const asReader = (await reader.agent.get(`/api/people/${ana.account.id}`).expect(200)).body;
    const mine = (p: { replies: { items: { id: string }[] } }) => p.replies.items.map((r) => r.id).filter((id) => [visible.id, secret.id, pending.id].includes(id));
    expect(mine(asReader)).toEqual([visible.id]);
    expect(asReader.questions.map((q: { questionId: number }) => q.questionId)).toEqual([q1.id]);
    expect(asReader.replies.items[0]).toMatchObject({ id: visible.id, path: `/forums/${open.id}/questions/${q1.id}#reply-${visible.id}`, bodyHtml: '<p>Una respuesta que todos pueden leer.</p>' });
    const asSelf = (await ana.agent.get(`/api/people/${ana.account.id}`).expect(200)).body;
    expect(mine(asSelf)).toEqual([pending.id, secret.id, visible.id]);
    expect(mine((await t.agent().get(`/api/people/${ana.account.id}`)).body)).toEqual([visible.id]);
  });

  it('pages the replies by cursor', async () => {
    const { account, agent } = await signedIn(t, { displayName: 'Prolific' });
    const forum = await newForum(t);
    const question = await newQuestion(t, forum.id);
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) ids.push((await postReply(agent, question.id, `Reply number ${i}`)).id);
    await t.dataSource.query(`UPDATE reply SET created_at = now() WHERE author_id = $1`, [account.id]);
    const first = (await t.agent().get(`/api/people/${account.id}`).expect(200)).body.replies;
    expect(first.items).toHaveLength(20);
    const second = (await t.agent().get(`/api/people/${account.id}/replies`).query({ cursor: first.nextCursor }).expect(200)).body;
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((r: { id: string }) => r.id)).toEqual([...ids].reverse());
  });

  it('answers 404 for nobody and 400 naming the field for a malformed id', async () => {
    expect((await t.agent().get('/api/people/00000000-0000-4000-8000-000000000000')).body.code).toBe('person_not_found');
    const bad = await t.agent().get('/api/people/ana');
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([{ field: 'id', message: expect.any(String) }]);
    expect((await t.agent().get(`/api/people/${ana.account.id}/replies`).query({ cursor: 'junk' })).body.details[0].field).toBe('cursor');
  });
});
