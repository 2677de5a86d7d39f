import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type TestAgent from 'supertest/lib/agent.js';
import { startTestApp, type TestApp } from './support/app.js';
import { addMember, newForum, newQuestion, newSession, setForumState } from './support/fixtures.js';
import { createAccount, signedIn, signIn, type TestPerson } from './support/people.js';

// The embedded database (no DATABASE_URL) starts and migrates in a few seconds, and runs transactions one at a time.

interface Person {
  account: TestPerson;
  agent: TestAgent;
}

const fields = (body: { details?: { field: string }[] }) => (body.details ?? []).map((d) => d.field);

/** Forums, memberships, session moderators and invitations, over HTTP as each kind of caller. */
describe('forums', () => {
  let t: TestApp;
  let admin: Person;
  let outsider: Person;

  const person = async (): Promise<Person> => signedIn(t);
  const anon = () => t.agent();

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signedIn(t, { role: 'admin' });
    outsider = await person();
  });
  afterAll(async () => { await t.close(); });

  describe('reading a forum', () => {
    let sessionId: number;
    let pub: number;
    let members: number;
    let invite: number;
    let member: Person;
    let moderator: Person;
    let removed: Person;

    beforeAll(async () => {
      sessionId = (await newSession(t)).id;
      pub = (await newForum(t, { sessionId, visibility: 'public' })).id;
      members = (await newForum(t, { sessionId, visibility: 'members' })).id;
      invite = (await newForum(t, { sessionId, visibility: 'invite_only' })).id;
      member = await person();
      moderator = await person();
      removed = await person();
      for (const f of [pub, members, invite]) {
        await addMember(t, f, member.account.id);
        await addMember(t, f, moderator.account.id, 'moderator');
        await addMember(t, f, removed.account.id, 'member', 'removed');
      }
    });

    it('shows a public forum to anyone, with what the caller may do', async () => {
      const res = await anon().get(`/api/forums/${pub}`).expect(200);
      expect(res.body).toMatchObject({
        id: pub, sessionId, visibility: 'public', state: 'open', questionCount: 0, replyCount: 0,
        session: { id: sessionId },
        viewer: { role: null, membershipState: null, isAdmin: false, canModerate: false, canPost: false, postRefusal: { code: 'unauthenticated' } },
      });
      const asMember = await member.agent.get(`/api/forums/${pub}`).expect(200);
      expect(asMember.body.viewer).toEqual({ role: 'member', membershipState: 'active', isAdmin: false, canModerate: false, canPost: true, postRefusal: null });
      const asModerator = await moderator.agent.get(`/api/forums/${pub}`).expect(200);
      expect(asModerator.body.viewer).toMatchObject({ role: 'moderator', canModerate: true, canPost: true });
      const asRemoved = await removed.agent.get(`/api/forums/${pub}`).expect(200);
      expect(asRemoved.body.viewer).toMatchObject({ role: 'member', membershipState: 'removed', canPost: false, postRefusal: { code: 'removed' } });
      const asStranger = await outsider.agent.get(`/api/forums/${pub}`).expect(200);
      expect(asStranger.body.viewer).toMatchObject({ role: null, canPost: true });
      const asAdmin = await admin.agent.get(`/api/forums/${pub}`).expect(200);
      expect(asAdmin.body.viewer).toMatchObject({ role: null, isAdmin: true, canModerate: true });
    });

    it.each([
      ['anonymous', 'members', 404],
      ['anonymous', 'invite', 404],
      ['outsider', 'members', 200],
      ['outsider', 'invite', 404],
      ['removed', 'members', 404],
      ['removed', 'invite', 404],
      ['member', 'invite', 200],
      ['moderator', 'invite', 200],
      ['admin', 'invite', 200],
    ] as const)('answers %s reading the %s forum with %i', async (who, which, status) => {
      const agent = { anonymous: anon(), outsider: outsider.agent, removed: removed.agent, member: member.agent, moderator: moderator.agent, admin: admin.agent }[who];
      const id = { members, invite }[which];
      const res = await agent.get(`/api/forums/${id}`).expect(status);
      if (status === 404) expect(res.body.code).toBe('forum_not_found');
    });

    it('counts questions, and replies from the sharded thread counters', async () => {
      const q1 = await newQuestion(t, pub);
      const q2 = await newQuestion(t, pub);
      await t.dataSource.query(
        `INSERT INTO thread_counter (question_id, shard, forum_id, reply_count) VALUES ($1, 0, $3, 3), ($1, 7, $3, 4), ($2, 2, $3, 2), ($2, 9, $3, -1)`,
        [q1.id, q2.id, pub],
      );
      const res = await anon().get(`/api/forums/${pub}`).expect(200);
      expect(res.body).toMatchObject({ questionCount: 2, replyCount: 8 });
      const session = await anon().get(`/api/sessions/${sessionId}/forums`).expect(200);
      expect(session.body.find((f: { id: number }) => f.id === pub)).toMatchObject({ questionCount: 2, replyCount: 8 });
    });

    it('says why nobody but moderators may post in a closed forum, and nobody in an archived one', async () => {
      const closed = (await newForum(t, { sessionId, state: 'closed' })).id;
      await addMember(t, closed, moderator.account.id, 'moderator');
      expect((await member.agent.get(`/api/forums/${closed}`).expect(200)).body.viewer).toMatchObject({ canPost: false, postRefusal: { code: 'forum_closed' } });
      expect((await moderator.agent.get(`/api/forums/${closed}`).expect(200)).body.viewer).toMatchObject({ canPost: true });
      await setForumState(t, closed, 'archived');
      expect((await moderator.agent.get(`/api/forums/${closed}`).expect(200)).body.viewer).toMatchObject({ canPost: false, postRefusal: { code: 'forum_archived' } });
    });

    it.each(['abc', '0', '-1', '1.5', '99999999999'])('refuses the forum id %s (400)', async (id) => {
      const res = await anon().get(`/api/forums/${id}`).expect(400);
      expect(fields(res.body)).toEqual(['forumId']);
    });

    it('answers 404 for a forum that does not exist', async () => {
      const res = await admin.agent.get('/api/forums/2147483647').expect(404);
      expect(res.body.code).toBe('forum_not_found');
    });

    describe('GET /api/forums', () => {
      const ids = (body: { items: { id: number }[] }) => body.items.map((f) => f.id);

      it.each([
        ['anonymous', ['pub']],
        ['outsider', ['pub', 'members']],
        ['member', ['pub', 'members', 'invite']],
        ['removed', ['pub']],
        ['admin', ['pub', 'members', 'invite']],
      ] as const)('shows %s only the forums they may see', async (who, expected) => {
        const agent = { anonymous: anon(), outsider: outsider.agent, member: member.agent, removed: removed.agent, admin: admin.agent }[who];
        const res = await agent.get('/api/forums').query({ sessionId, state: 'open' }).expect(200);
        expect(ids(res.body)).toEqual(expected.map((k) => ({ pub, members, invite })[k]));
        expect(res.body.items[0].session).toMatchObject({ id: sessionId });
      });

      it('filters by visibility and by own membership', async () => {
        const byVisibility = await admin.agent.get('/api/forums').query({ sessionId, visibility: 'members' }).expect(200);
        expect(ids(byVisibility.body)).toEqual([members]);
        const mine = await member.agent.get('/api/forums').query({ mine: 'true' }).expect(200);
        expect(ids(mine.body)).toEqual([pub, members, invite]);
        const outsiders = await outsider.agent.get('/api/forums').query({ mine: 'true' }).expect(200);
        expect(outsiders.body.items).toEqual([]);
        const res = await anon().get('/api/forums').query({ mine: 'true' }).expect(401);
        expect(res.body.code).toBe('unauthenticated');
      });

      it('pages with a cursor', async () => {
        const first = await admin.agent.get('/api/forums').query({ sessionId, limit: 2 }).expect(200);
        expect(first.body.items).toHaveLength(2);
        const second = await admin.agent.get('/api/forums').query({ sessionId, limit: 2, cursor: first.body.nextCursor }).expect(200);
        const all = await admin.agent.get('/api/forums').query({ sessionId, limit: 100 }).expect(200);
        expect([...ids(first.body), ...ids(second.body)]).toEqual(ids(all.body).slice(0, 4));
      });

      it.each([
        [{ limit: 0 }, 'limit'], [{ limit: 101 }, 'limit'], [{ mine: 'maybe' }, 'mine'], [{ sessionId: 'abc' }, 'sessionId'],
        [{ sessionId: 0 }, 'sessionId'], [{ visibility: 'secret' }, 'visibility'], [{ state: 'frozen' }, 'state'],
        [{ cursor: 'garbage' }, 'cursor'], [{ colour: 'red' }, 'colour'],
      ])('refuses the query %j', async (query, field) => {
        const res = await anon().get('/api/forums').query(query).expect(400);
        expect(fields(res.body)).toContain(field);
      });
    });
  });

  describe('creating and changing forums', () => {
    let sessionId: number;
    let slug: string;
    let existing: number;
    let forumModerator: Person;
    let sessionModerator: Person;
    let member: Person;

    beforeAll(async () => {
      ({ id: sessionId, slug } = await newSession(t));
      existing = (await newForum(t, { sessionId, visibility: 'public' })).id;
      forumModerator = await person();
      sessionModerator = await person();
      member = await person();
      await addMember(t, existing, forumModerator.account.id, 'moderator');
      await addMember(t, existing, member.account.id);
    });

    const body = (over: Record<string, unknown> = {}) => ({ title: 'Learning forum on digitalisation', visibility: 'members', ...over });

    it('lets admins create a forum, with a slug from its title', async () => {
      const res = await admin.agent.post(`/api/sessions/${slug}/forums`).send(body({ description: 'Debate after the webinar.' })).expect(201);
      expect(res.body).toMatchObject({ sessionId, slug: 'learning-forum-on-digitalisation', visibility: 'members', state: 'open', description: 'Debate after the webinar.' });
      const again = await admin.agent.post(`/api/sessions/${sessionId}/forums`).send(body()).expect(201);
      expect(again.body.slug).toBe('learning-forum-on-digitalisation-2');
      const taken = await admin.agent.post(`/api/sessions/${sessionId}/forums`).send(body({ slug: 'learning-forum-on-digitalisation' })).expect(409);
      expect(taken.body.code).toBe('forum_slug_taken');
    });

    it('lets a moderator of another forum of the session create one, and makes them its moderator', async () => {
      const res = await forumModerator.agent.post(`/api/sessions/${sessionId}/forums`).send(body({ visibility: 'invite_only' })).expect(201);
      expect(res.body.viewer).toMatchObject({ role: 'moderator', canModerate: true });
    });

    it('refuses anyone else', async () => {
      expect((await anon().post(`/api/sessions/${sessionId}/forums`).send(body()).expect(401)).body.code).toBe('unauthenticated');
      expect((await member.agent.post(`/api/sessions/${sessionId}/forums`).send(body()).expect(403)).body.code).toBe('not_session_moderator');
      // A moderator in another session (cross-session attempt).
      const other = await newSession(t);
      expect((await forumModerator.agent.post(`/api/sessions/${other.id}/forums`).send(body()).expect(403)).body.code).toBe('not_session_moderator');
      expect((await admin.agent.post('/api/sessions/999999999/forums').send(body()).expect(404)).body.code).toBe('session_not_found');
    });

    it.each([
      [{ title: undefined }, 'title'], [{ title: '  ' }, 'title'], [{ title: 'x'.repeat(201) }, 'title'],
      [{ visibility: undefined }, 'visibility'], [{ visibility: 'secret' }, 'visibility'], [{ state: 'frozen' }, 'state'],
      [{ slug: 'Bad Slug' }, 'slug'], [{ description: 'x'.repeat(5001) }, 'description'], [{ sessionId: 3 }, 'sessionId'],
    ])('refuses a forum with %j', async (over, field) => {
      const b = body(over);
      for (const [k, v] of Object.entries(over)) if (v === undefined) delete (b as Record<string, unknown>)[k];
      const res = await admin.agent.post(`/api/sessions/${sessionId}/forums`).send(b).expect(400);
      expect(fields(res.body)).toContain(field);
    });

    describe('session moderators', () => {
      it('are appointed by admins only, moderate every forum of the session, present and future', async () => {
        const path = `/api/sessions/${sessionId}/moderators/${sessionModerator.account.id}`;
        await anon().put(path).expect(401);
        expect((await member.agent.put(path).expect(403)).body.code).toBe('admin_only');
        const res = await admin.agent.put(path).expect(200);
        expect(res.body.map((m: { accountId: string }) => m.accountId)).toEqual([sessionModerator.account.id]);
        expect((await sessionModerator.agent.get(`/api/forums/${existing}`).expect(200)).body.viewer).toMatchObject({ role: 'moderator', canModerate: true });

        const created = await sessionModerator.agent.post(`/api/sessions/${sessionId}/forums`).send(body({ title: 'Later forum' })).expect(201);
        const later = await admin.agent.post(`/api/sessions/${sessionId}/forums`).send(body({ title: 'Admin forum', visibility: 'invite_only' })).expect(201);
        expect((await sessionModerator.agent.get(`/api/forums/${later.body.id}`).expect(200)).body.viewer.canModerate).toBe(true);
        expect(created.body.viewer.canModerate).toBe(true);

        const list = await anon().get(`/api/sessions/${slug}/moderators`).expect(200);
        expect(list.body).toEqual([expect.objectContaining({ accountId: sessionModerator.account.id, displayName: sessionModerator.account.displayName })]);
        expect(list.body[0]).not.toHaveProperty('email');

        await member.agent.delete(path).expect(403);
        await admin.agent.delete(path).expect(204);
        expect((await sessionModerator.agent.get(`/api/forums/${existing}`).expect(200)).body.viewer).toMatchObject({ role: 'member', canModerate: false });
        expect((await anon().get(`/api/sessions/${slug}/moderators`).expect(200)).body).toEqual([]);
      });

      it('refuses unknown people and sessions, and malformed ids', async () => {
        expect((await admin.agent.put(`/api/sessions/${sessionId}/moderators/00000000-0000-4000-8000-000000000000`).expect(404)).body.code).toBe('account_not_found');
        expect((await admin.agent.put(`/api/sessions/999999999/moderators/${member.account.id}`).expect(404)).body.code).toBe('session_not_found');
        expect(fields((await admin.agent.put(`/api/sessions/${sessionId}/moderators/not-a-uuid`).expect(400)).body)).toEqual(['accountId']);
        await anon().get('/api/sessions/999999999/moderators').expect(404);
      });
    });

    describe('changing', () => {
      let forum: number;
      let invite: number;
      beforeAll(async () => {
        forum = (await newForum(t, { sessionId, visibility: 'public' })).id;
        invite = (await newForum(t, { sessionId, visibility: 'invite_only' })).id;
        await addMember(t, forum, forumModerator.account.id, 'moderator');
        await addMember(t, forum, member.account.id);
      });

      it('lets its moderators change title, description, visibility and state, with effect at once', async () => {
        const res = await forumModerator.agent
          .patch(`/api/forums/${forum}`)
          .send({ title: 'Renamed', description: 'New words', visibility: 'invite_only', state: 'closed' })
          .expect(200);
        expect(res.body).toMatchObject({ title: 'Renamed', description: 'New words', visibility: 'invite_only', state: 'closed' });
        await anon().get(`/api/forums/${forum}`).expect(404);
        await outsider.agent.get(`/api/forums/${forum}`).expect(404);
        expect((await member.agent.get(`/api/forums/${forum}`).expect(200)).body.viewer.postRefusal.code).toBe('forum_closed');
        const back = await admin.agent.patch(`/api/forums/${forum}`).send({ visibility: 'public', state: 'open', description: null }).expect(200);
        expect(back.body).toMatchObject({ visibility: 'public', state: 'open', description: '' });
        await anon().get(`/api/forums/${forum}`).expect(200);
      });

      it('refuses everyone else: 401 anonymous, 403 readers, 404 where they cannot see it', async () => {
        expect((await anon().patch(`/api/forums/${forum}`).send({ title: 'x' }).expect(401)).body.code).toBe('unauthenticated');
        expect((await member.agent.patch(`/api/forums/${forum}`).send({ title: 'x' }).expect(403)).body.code).toBe('not_moderator');
        expect((await outsider.agent.patch(`/api/forums/${forum}`).send({ title: 'x' }).expect(403)).body.code).toBe('not_moderator');
        // A moderator of forum A acting on invite-only forum B by id.
        expect((await forumModerator.agent.patch(`/api/forums/${invite}`).send({ title: 'x' }).expect(404)).body.code).toBe('forum_not_found');
      });

      it('refuses a slug another forum of the session uses', async () => {
        const other = (await anon().get(`/api/forums/${existing}`).expect(200)).body.slug;
        expect((await admin.agent.patch(`/api/forums/${forum}`).send({ slug: other }).expect(409)).body.code).toBe('forum_slug_taken');
      });

      it.each([
        [{ title: null }, 'title'], [{ title: '' }, 'title'], [{ visibility: 'secret' }, 'visibility'], [{ visibility: null }, 'visibility'],
        [{ state: 'frozen' }, 'state'], [{ slug: '-x' }, 'slug'], [{ sessionId: 2 }, 'sessionId'],
      ])('refuses the change %j', async (change, field) => {
        const res = await admin.agent.patch(`/api/forums/${forum}`).send(change).expect(400);
        expect(fields(res.body)).toContain(field);
      });
    });
  });

  describe('members', () => {
    let forum: number;
    let membersForum: number;
    let moderator: Person;
    let coModerator: Person;
    let member: Person;
    let another: Person;

    beforeAll(async () => {
      const sessionId = (await newSession(t)).id;
      forum = (await newForum(t, { sessionId, visibility: 'public' })).id;
      membersForum = (await newForum(t, { sessionId, visibility: 'members' })).id;
      moderator = await person();
      coModerator = await person();
      member = await person();
      another = await person();
      await addMember(t, forum, moderator.account.id, 'moderator');
      await addMember(t, forum, coModerator.account.id, 'moderator');
      await addMember(t, forum, member.account.id);
      await addMember(t, membersForum, moderator.account.id, 'moderator');
      await addMember(t, membersForum, member.account.id);
    });

    it('shows members names and roles, moderators also emails and states', async () => {
      const asMember = await member.agent.get(`/api/forums/${forum}/members`).expect(200);
      expect(asMember.body.items.map((m: { role: string }) => m.role)).toEqual(['moderator', 'moderator', 'member']);
      expect(asMember.body.items[2]).toEqual({ accountId: member.account.id, displayName: member.account.displayName, organisation: null, role: 'member', joinedAt: expect.any(String) });
      const asModerator = await moderator.agent.get(`/api/forums/${forum}/members`).expect(200);
      expect(asModerator.body.items[2]).toMatchObject({ email: member.account.email, state: 'active' });
    });

    it('keeps the list from people outside the forum', async () => {
      expect((await anon().get(`/api/forums/${forum}/members`).expect(401)).body.code).toBe('unauthenticated');
      expect((await another.agent.get(`/api/forums/${forum}/members`).expect(403)).body.code).toBe('not_member');
      expect((await member.agent.get(`/api/forums/${forum}/members`).query({ state: 'removed' }).expect(403)).body.code).toBe('not_moderator');
      expect((await admin.agent.get(`/api/forums/${forum}/members`).expect(200)).body.items).toHaveLength(3);
    });

    it('pages the list', async () => {
      const first = await moderator.agent.get(`/api/forums/${forum}/members`).query({ limit: 2 }).expect(200);
      expect(first.body.items).toHaveLength(2);
      const rest = await moderator.agent.get(`/api/forums/${forum}/members`).query({ limit: 2, cursor: first.body.nextCursor }).expect(200);
      expect(rest.body.items.map((m: { accountId: string }) => m.accountId)).toEqual([member.account.id]);
      expect(rest.body.nextCursor).toBeNull();
    });

    it.each([[{ state: 'gone' }, 'state'], [{ limit: 0 }, 'limit'], [{ limit: 201 }, 'limit'], [{ cursor: 'x' }, 'cursor'], [{ role: 'member' }, 'role']])(
      'refuses the query %j',
      async (query, field) => {
        expect(fields((await moderator.agent.get(`/api/forums/${forum}/members`).query(query).expect(400)).body)).toContain(field);
      },
    );

    it('lets moderators add members and moderators; only admins demote another moderator', async () => {
      const added = await moderator.agent.put(`/api/forums/${forum}/members/${another.account.id}`).send({ role: 'member' }).expect(200);
      expect(added.body).toMatchObject({ accountId: another.account.id, role: 'member', state: 'active', email: another.account.email });
      const promoted = await moderator.agent.put(`/api/forums/${forum}/members/${another.account.id}`).send({ role: 'moderator' }).expect(200);
      expect(promoted.body.role).toBe('moderator');
      expect((await coModerator.agent.put(`/api/forums/${forum}/members/${another.account.id}`).send({ role: 'member' }).expect(403)).body.code).toBe('moderator_protected');
      // Stepping down oneself is allowed.
      expect((await another.agent.put(`/api/forums/${forum}/members/${another.account.id}`).send({ role: 'member' }).expect(200)).body.role).toBe('member');
      await moderator.agent.put(`/api/forums/${forum}/members/${another.account.id}`).send({ role: 'moderator' }).expect(200);
      expect((await admin.agent.put(`/api/forums/${forum}/members/${another.account.id}`).send({ role: 'member' }).expect(200)).body.role).toBe('member');
    });

    it('refuses role changes from others and bad input', async () => {
      const path = `/api/forums/${forum}/members/${another.account.id}`;
      expect((await anon().put(path).send({ role: 'member' }).expect(401)).body.code).toBe('unauthenticated');
      expect((await member.agent.put(path).send({ role: 'moderator' }).expect(403)).body.code).toBe('not_moderator');
      expect(fields((await moderator.agent.put(path).send({ role: 'owner' }).expect(400)).body)).toEqual(['role']);
      expect(fields((await moderator.agent.put(path).send({}).expect(400)).body)).toEqual(['role']);
      expect(fields((await moderator.agent.put(path).send({ role: 'member', state: 'active' }).expect(400)).body)).toContain('state');
      expect(fields((await moderator.agent.put(`/api/forums/${forum}/members/nope`).send({ role: 'member' }).expect(400)).body)).toEqual(['accountId']);
      expect((await moderator.agent.put(`/api/forums/${forum}/members/00000000-0000-4000-8000-000000000000`).send({ role: 'member' }).expect(404)).body.code).toBe('account_not_found');
    });

    it('removes a member at once; a removed person cannot rejoin by themselves; a moderator can re-admit them', async () => {
      const target = await person();
      await target.agent.post(`/api/forums/${membersForum}/join`).expect(200);
      await target.agent.get(`/api/forums/${membersForum}`).expect(200);
      await moderator.agent.delete(`/api/forums/${membersForum}/members/${target.account.id}`).expect(204);
      // Same signed-in session, next request: the members-only forum is gone for them.
      expect((await target.agent.get(`/api/forums/${membersForum}`).expect(404)).body.code).toBe('forum_not_found');
      await target.agent.post(`/api/forums/${membersForum}/join`).expect(404);
      // Leaving does not erase a removal.
      await target.agent.delete(`/api/forums/${membersForum}/members/${target.account.id}`).expect(404);
      const removedList = await moderator.agent.get(`/api/forums/${membersForum}/members`).query({ state: 'removed' }).expect(200);
      expect(removedList.body.items.map((m: { accountId: string }) => m.accountId)).toEqual([target.account.id]);
      await moderator.agent.put(`/api/forums/${membersForum}/members/${target.account.id}`).send({ role: 'member' }).expect(200);
      await target.agent.get(`/api/forums/${membersForum}`).expect(200);
    });

    it('bars a person who never joined a public forum from joining', async () => {
      const target = await person();
      await moderator.agent.delete(`/api/forums/${forum}/members/${target.account.id}`).expect(204);
      expect((await target.agent.post(`/api/forums/${forum}/join`).expect(403)).body.code).toBe('removed');
    });

    it('lets only admins remove a moderator', async () => {
      expect((await moderator.agent.delete(`/api/forums/${forum}/members/${coModerator.account.id}`).expect(403)).body.code).toBe('moderator_protected');
      await member.agent.delete(`/api/forums/${forum}/members/${another.account.id}`).expect(403);
      await anon().delete(`/api/forums/${forum}/members/${another.account.id}`).expect(401);
      await admin.agent.delete(`/api/forums/${forum}/members/${coModerator.account.id}`).expect(204);
      expect((await coModerator.agent.get(`/api/forums/${forum}`).expect(200)).body.viewer).toMatchObject({ canModerate: false, membershipState: 'removed' });
    });

    it('lets a member leave', async () => {
      const leaver = await person();
      await leaver.agent.post(`/api/forums/${forum}/join`).expect(200);
      await leaver.agent.delete(`/api/forums/${forum}/members/${leaver.account.id}`).expect(204);
      expect((await leaver.agent.get(`/api/forums/${forum}`).expect(200)).body.viewer).toMatchObject({ role: null, membershipState: null, canPost: true });
    });

    it('joins public and members-only forums explicitly, idempotently', async () => {
      const joiner = await person();
      expect((await joiner.agent.post(`/api/forums/${forum}/join`).expect(200)).body).toEqual({ forumId: forum, accountId: joiner.account.id, role: 'member', state: 'active' });
      await joiner.agent.post(`/api/forums/${forum}/join`).expect(200);
      expect((await joiner.agent.get(`/api/forums/${forum}/members`).expect(200)).body.items.some((m: { accountId: string }) => m.accountId === joiner.account.id)).toBe(true);
      expect((await anon().post(`/api/forums/${forum}/join`).expect(401)).body.code).toBe('unauthenticated');
      await anon().post(`/api/forums/${membersForum}/join`).expect(404);
      const invite = (await newForum(t, { visibility: 'invite_only' })).id;
      await joiner.agent.post(`/api/forums/${invite}/join`).expect(404);
      const closed = (await newForum(t, { visibility: 'public', state: 'closed' })).id;
      expect((await joiner.agent.post(`/api/forums/${closed}/join`).expect(409)).body.code).toBe('forum_closed');
      expect(fields((await joiner.agent.post('/api/forums/abc/join').expect(400)).body)).toEqual(['forumId']);
    });
  });

  describe('invitations', () => {
    let forum: number;
    let moderator: Person;
    let member: Person;

    beforeAll(async () => {
      forum = (await newForum(t, { visibility: 'invite_only' })).id;
      moderator = await person();
      member = await person();
      await addMember(t, forum, moderator.account.id, 'moderator');
      await addMember(t, forum, member.account.id);
    });

    const link = async (over: Record<string, unknown> = {}) =>
      (await moderator.agent.post(`/api/forums/${forum}/invitations`).send(over).expect(201)).body as {
        invitation: { id: number; status: string; useCount: number; maxUses: number };
        token: string;
        url: string;
      };

    it('creates a link whose token is shown once, and lets a signed-in person join with it', async () => {
      const created = await link({ maxUses: 5, expiresInHours: 24 });
      expect(created.url).toBe(`/invite/${created.token}`);
      expect(created.invitation).toMatchObject({ kind: 'link', email: null, status: 'pending', maxUses: 5, useCount: 0, createdBy: { id: moderator.account.id } });
      const preview = await anon().post('/api/invitations/preview').send({ token: created.token }).expect(200);
      expect(preview.body).toMatchObject({ status: 'pending', forum: { id: forum, visibility: 'invite_only' }, invitedBy: moderator.account.displayName });

      const joiner = await person();
      await joiner.agent.get(`/api/forums/${forum}`).expect(404);
      expect((await anon().post('/api/invitations/accept').send({ token: created.token }).expect(401)).body.code).toBe('unauthenticated');
      const accepted = await joiner.agent.post('/api/invitations/accept').send({ token: created.token }).expect(200);
      expect(accepted.body).toMatchObject({ alreadyMember: false, forum: { id: forum, viewer: { role: 'member', canPost: true } } });
      await joiner.agent.get(`/api/forums/${forum}`).expect(200);
      // Accepting again spends nothing.
      expect((await joiner.agent.post('/api/invitations/accept').send({ token: created.token }).expect(200)).body.alreadyMember).toBe(true);
      const list = await moderator.agent.get(`/api/forums/${forum}/invitations`).expect(200);
      const mine = list.body.items.find((i: { id: number }) => i.id === created.invitation.id);
      expect(mine).toMatchObject({ useCount: 1, status: 'pending' });
      expect(JSON.stringify(list.body)).not.toContain(created.token);
    });

    it('refuses an expired link (410), a revoked one (410) and a used-up one (409)', async () => {
      const expired = await link();
      await t.dataSource.query(`UPDATE invitation SET created_at = now() - interval '2 days', expires_at = now() - interval '1 day' WHERE id = $1`, [expired.invitation.id]);
      const someone = await person();
      expect((await someone.agent.post('/api/invitations/accept').send({ token: expired.token }).expect(410)).body.code).toBe('invitation_expired');

      const revoked = await link();
      const res = await moderator.agent.delete(`/api/forums/${forum}/invitations/${revoked.invitation.id}`).expect(200);
      expect(res.body).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) });
      expect((await someone.agent.post('/api/invitations/accept').send({ token: revoked.token }).expect(410)).body.code).toBe('invitation_revoked');

      const single = await link({ maxUses: 1 });
      await (await person()).agent.post('/api/invitations/accept').send({ token: single.token }).expect(200);
      expect((await someone.agent.post('/api/invitations/accept').send({ token: single.token }).expect(409)).body.code).toBe('invitation_used_up');
      await someone.agent.get(`/api/forums/${forum}`).expect(404);

      const statuses = async (status: string) =>
        (await moderator.agent.get(`/api/forums/${forum}/invitations`).query({ status }).expect(200)).body.items.map((i: { id: number }) => i.id);
      expect(await statuses('expired')).toEqual([expired.invitation.id]);
      expect(await statuses('revoked')).toEqual([revoked.invitation.id]);
      expect(await statuses('used_up')).toEqual([single.invitation.id]);
      expect((await anon().post('/api/invitations/preview').send({ token: expired.token }).expect(200)).body.status).toBe('expired');
    });

    // Real concurrency needs a real server: the embedded database runs one statement at a time, and its socket
    // server (pglite-socket 0.2.17) can interleave protocol messages of concurrent connections (reported to the lead).
    const concurrently = process.env.DATABASE_URL ? it : it.skip;

    concurrently('lets exactly one of many simultaneous accepts of a single-use link succeed', async () => {
      const single = await link({ maxUses: 1 });
      const people = await Promise.all(Array.from({ length: 8 }, () => person()));
      const results = await Promise.all(people.map((p) => p.agent.post('/api/invitations/accept').send({ token: single.token })));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
      const [row] = await t.dataSource.query(`SELECT use_count FROM invitation WHERE id = $1`, [single.invitation.id]);
      expect(row.use_count).toBe(1);
      const [members] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM forum_membership WHERE forum_id = $1 AND account_id = ANY($2)`,
        [forum, people.map((p) => p.account.id)],
      );
      expect(members.n).toBe(1);
    });

    concurrently('spends exactly max uses under concurrency', async () => {
      const three = await link({ maxUses: 3 });
      const people = await Promise.all(Array.from({ length: 7 }, () => person()));
      const results = await Promise.all(people.map((p) => p.agent.post('/api/invitations/accept').send({ token: three.token })));
      expect(results.filter((r) => r.status === 200)).toHaveLength(3);
      expect(results.filter((r) => r.status === 409)).toHaveLength(4);
    });

    it('invites a person by email with a single-use link only that account can accept', async () => {
      const invitee = await createAccount(t, { email: `Invitee-${Date.now()}@Example.org` });
      const agent = await signIn(t, invitee.email, invitee.password);
      const created = await moderator.agent.post(`/api/forums/${forum}/invitations`).send({ email: invitee.email.toUpperCase() }).expect(201);
      expect(created.body.invitation).toMatchObject({ kind: 'email', email: invitee.email.toLowerCase(), maxUses: 1 });
      const { token, url } = created.body as { token: string; url: string };
      expect(url).toBe(`/invite/${token}`);
      const id = created.body.invitation.id;

      // The email alone no longer admits anyone: no list of "my invitations", no accept by id.
      await agent.get('/api/invitations').expect(404);
      await agent.post(`/api/invitations/${id}/accept`).expect(404);
      // Holding the link is not enough either: it is addressed to someone else.
      expect((await outsider.agent.post('/api/invitations/accept').send({ token }).expect(403)).body.code).toBe('invitation_for_someone_else');
      await outsider.agent.get(`/api/forums/${forum}`).expect(404);
      expect((await anon().post('/api/invitations/accept').send({ token }).expect(401)).body.code).toBe('unauthenticated');

      const accepted = await agent.post('/api/invitations/accept').send({ token }).expect(200);
      expect(accepted.body).toMatchObject({ alreadyMember: false, forum: { id: forum } });
      expect((await moderator.agent.get(`/api/forums/${forum}/invitations`).expect(200)).body.items.find((i: { id: number }) => i.id === id))
        .toMatchObject({ status: 'used_up', useCount: 1 });
      expect((await moderator.agent.post(`/api/forums/${forum}/invitations`).send({ email: invitee.email }).expect(409)).body.code).toBe('already_member');
    });

    it('compares the invited address with the account email case-insensitively', async () => {
      const invitee = await createAccount(t, { email: `Case-${Date.now()}@Example.org` });
      const agent = await signIn(t, invitee.email, invitee.password);
      const created = await moderator.agent.post(`/api/forums/${forum}/invitations`).send({ email: invitee.email.toLowerCase() }).expect(201);
      // Emails are compared case-insensitively (the account keeps its own spelling).
      await agent.post('/api/invitations/accept').send({ token: created.body.token }).expect(200);
    });

    it('re-admits a removed person only by an addressed invitation made after the removal', async () => {
      const target = await person();
      const open = await link({ maxUses: 10 });
      const before = await moderator.agent.post(`/api/forums/${forum}/invitations`).send({ email: target.account.email }).expect(201);
      await target.agent.post('/api/invitations/accept').send({ token: open.token }).expect(200);
      await moderator.agent.delete(`/api/forums/${forum}/members/${target.account.id}`).expect(204);
      await target.agent.get(`/api/forums/${forum}`).expect(404);
      expect((await target.agent.post('/api/invitations/accept').send({ token: open.token }).expect(403)).body.code).toBe('removed');
      expect((await target.agent.post('/api/invitations/accept').send({ token: (await link()).token }).expect(403)).body.code).toBe('removed');
      expect((await target.agent.post('/api/invitations/accept').send({ token: before.body.token }).expect(403)).body.code).toBe('removed');
      const after = await moderator.agent.post(`/api/forums/${forum}/invitations`).send({ email: target.account.email }).expect(201);
      await target.agent.post('/api/invitations/accept').send({ token: after.body.token }).expect(200);
      await target.agent.get(`/api/forums/${forum}`).expect(200);
    });

    it('lets only moderators create, list and revoke invitations', async () => {
      const path = `/api/forums/${forum}/invitations`;
      expect((await member.agent.post(path).send({}).expect(403)).body.code).toBe('not_moderator');
      expect((await member.agent.get(path).expect(403)).body.code).toBe('not_moderator');
      await outsider.agent.post(path).send({}).expect(404);
      await anon().get(path).expect(404);
      const created = await link();
      await member.agent.delete(`${path}/${created.invitation.id}`).expect(403);
      // Revoking twice keeps the first time; an invitation of another forum is not found here.
      const first = await moderator.agent.delete(`${path}/${created.invitation.id}`).expect(200);
      const second = await moderator.agent.delete(`${path}/${created.invitation.id}`).expect(200);
      expect(second.body.revokedAt).toBe(first.body.revokedAt);
      const other = (await newForum(t, { visibility: 'public' })).id;
      await addMember(t, other, moderator.account.id, 'moderator');
      await moderator.agent.delete(`/api/forums/${other}/invitations/${created.invitation.id}`).expect(404);
      await moderator.agent.delete(`${path}/2147483647`).expect(404);
    });

    it.each([
      [{ email: 'not-an-email' }, 'email'],
      [{ email: 'a@b.org', maxUses: 3 }, 'maxUses'],
      [{ maxUses: 0 }, 'maxUses'],
      [{ maxUses: 10001 }, 'maxUses'],
      [{ maxUses: '3' }, 'maxUses'],
      [{ maxUses: 1.5 }, 'maxUses'],
      [{ expiresInHours: 0 }, 'expiresInHours'],
      [{ expiresInHours: 2161 }, 'expiresInHours'],
      [{ role: 'moderator' }, 'role'],
    ])('refuses the invitation %j', async (body, field) => {
      expect(fields((await moderator.agent.post(`/api/forums/${forum}/invitations`).send(body).expect(400)).body)).toContain(field);
    });

    it('refuses malformed tokens, ids and queries', async () => {
      for (const body of [{}, { token: 'short' }, { token: 'has spaces in it, not a token at all' }, { token: 5 }]) {
        expect(fields((await member.agent.post('/api/invitations/accept').send(body).expect(400)).body)).toContain('token');
        expect(fields((await anon().post('/api/invitations/preview').send(body).expect(400)).body)).toContain('token');
      }
      expect((await member.agent.post('/api/invitations/accept').send({ token: 'a'.repeat(43) }).expect(404)).body.code).toBe('invitation_not_found');
      expect((await anon().post('/api/invitations/preview').send({ token: 'a'.repeat(43) }).expect(404)).body.code).toBe('invitation_not_found');
      expect(fields((await moderator.agent.delete(`/api/forums/${forum}/invitations/abc`).expect(400)).body)).toEqual(['invitationId']);
      for (const [query, field] of [[{ status: 'lost' }, 'status'], [{ limit: 0 }, 'limit'], [{ cursor: '!!' }, 'cursor']] as const) {
        expect(fields((await moderator.agent.get(`/api/forums/${forum}/invitations`).query(query).expect(400)).body)).toContain(field);
      }
    });

    it('pages the invitation list, newest first', async () => {
      await link();
      await link();
      const first = await moderator.agent.get(`/api/forums/${forum}/invitations`).query({ limit: 1 }).expect(200);
      const second = await moderator.agent.get(`/api/forums/${forum}/invitations`).query({ limit: 1, cursor: first.body.nextCursor }).expect(200);
      expect(second.body.items[0].id).toBeLessThan(first.body.items[0].id);
    });
  });
});
