import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../src/config/app-config.js';
import { ForumEventLog } from '../src/events/forum-event-log.js';
import { MODERATORS, type ForumEventType } from '../src/events/forum-event.js';
import { ForumEventsService } from '../src/events/forum-events.service.js';
import { RealtimeGateway } from '../src/realtime/realtime.gateway.js';
import { RealtimeService } from '../src/realtime/realtime.service.js';
import { rooms } from '../src/events/rooms.js';
import { startTestApp, type TestApp } from './support/app.js';
import { bearerFor, createAccount, type TestPerson } from './support/people.js';
import { addMember, newForum, newQuestion } from './support/fixtures.js';
import { connectSocket, eventually, sessionCookie, type TestSocket } from './support/sockets.js';

/** The log and its delivery never read a payload, so these specs record made-up ones (the protocol types real ones). */
const madeUp = (payload: object): never => payload as never;

describe('realtime gateway', () => {
  let t: TestApp;
  let events: ForumEventsService;
  let realtime: RealtimeService;
  const open: TestSocket[] = [];

  const connect = async (options: Parameters<typeof connectSocket>[1] = {}) => {
    const socket = await connectSocket(t.url, options);
    open.push(socket);
    return socket;
  };
  const connectAs = async (person: TestPerson, options: Parameters<typeof connectSocket>[1] = {}) =>
    connect({ ...options, cookie: await sessionCookie(t.url, person) });

  /** Records (and publishes after commit) one event per type given, like a write would. */
  const emitEvents = (forumId: number, types: ForumEventType[], options: { questionId?: number; moderatorsOnly?: boolean } = {}) =>
    events.runAndPublish(async (_m, record) => {
      types.forEach((type, i) =>
        record(forumId, type, madeUp({ n: i, note: `${type} #${i}` }), { questionId: options.questionId ?? null, audience: options.moderatorsOnly ? MODERATORS : undefined }),
      );
    });

  /** Records one more event (a vote, harmless to every test) after the action under test; its seq, for TestSocket.eventsBefore. */
  const sentinel = async (forumId: number): Promise<number> => {
    const event = await t.dataSource.transaction((m) => events.record(m, forumId, 'reply.voted', madeUp({ sentinel: true })));
    events.publish([event]);
    return event.seq;
  };

  beforeAll(async () => {
    t = await startTestApp();
    events = t.app.get(ForumEventsService);
    realtime = t.app.get(RealtimeService);
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await t.close();
  });

  describe('following a forum', () => {
    it('delivers a public forum\'s events live to an anonymous socket, in order', async () => {
      const { id: forumId } = await newForum(t.dataSource);
      const s = await connect();
      await expect(s.request('forum.subscribe', { forumId })).resolves.toEqual({ forumId, questionId: null, seq: 0, replayed: 0 });
      await emitEvents(forumId, ['reply.created', 'reply.voted']);
      await emitEvents(forumId, ['reply.edited']);
      const got = await s.waitForEvents(forumId, 3);
      expect(got.map((e) => [e.seq, e.type])).toEqual([[1, 'reply.created'], [2, 'reply.voted'], [3, 'reply.edited']]);
      expect(got[0]).toEqual({ seq: 1, type: 'reply.created', questionId: null, payload: { n: 0, note: 'reply.created #0' }, at: expect.any(String) });
    });

    it('refuses private forums to anonymous sockets and non-members: 404, not in the room, nothing received', async () => {
      const members = await newForum(t.dataSource, { visibility: 'members' });
      const invite = await newForum(t.dataSource, { visibility: 'invite_only' });
      const [outsider, invited] = [await createAccount(t), await createAccount(t)];
      await addMember(t.dataSource, invite.id, invited.id);
      const anonymous = await connect();
      const signedIn = await connectAs(outsider);
      // Follows the invitation-only forum: its sentinel shows that forum's events have all been sent.
      const witness = await connectAs(invited);
      await witness.request('forum.subscribe', { forumId: invite.id });

      for (const forumId of [members.id, invite.id]) {
        const ack = await anonymous.request('forum.subscribe', { forumId });
        expect(ack).toEqual({ error: { status: 404, code: 'forum_not_found', message: expect.stringContaining('was not found') } });
      }
      // Signed in: a members-only forum is readable, an invitation-only one is not.
      await expect(signedIn.request('forum.subscribe', { forumId: members.id })).resolves.toMatchObject({ forumId: members.id });
      await expect(signedIn.request('forum.subscribe', { forumId: invite.id })).resolves.toMatchObject({ error: { status: 404, code: 'forum_not_found' } });

      await expect(realtime.socketsIn(rooms.forum(invite.id))).resolves.not.toContain(signedIn.raw.id);
      await expect(realtime.socketsIn(rooms.forum(invite.id))).resolves.not.toContain(anonymous.raw.id);
      await expect(realtime.socketsIn(rooms.forum(members.id))).resolves.not.toContain(anonymous.raw.id);
      await emitEvents(invite.id, ['reply.created', 'forum.updated']);
      await emitEvents(members.id, ['reply.created']);
      const membersBefore = await signedIn.eventsBefore(members.id, await sentinel(members.id));
      await witness.eventsBefore(invite.id, await sentinel(invite.id));
      for (const s of [anonymous, signedIn]) await s.roundTrip();
      expect(anonymous.received.filter((r) => r.event === 'forum.events')).toEqual([]);
      expect(signedIn.forumEvents(invite.id)).toEqual([]);
      expect(membersBefore).toHaveLength(1);
    });

    it('lets invited members follow an invitation-only forum', async () => {
      const { id: forumId } = await newForum(t.dataSource, { visibility: 'invite_only' });
      const member = await createAccount(t);
      await addMember(t.dataSource, forumId, member.id);
      const s = await connectAs(member);
      await expect(s.request('forum.subscribe', { forumId })).resolves.toMatchObject({ forumId, seq: 0 });
      await expect(realtime.socketsIn(rooms.forum(forumId))).resolves.toContain(s.raw.id);
      await emitEvents(forumId, ['reply.created']);
      await expect(s.waitForEvents(forumId, 1)).resolves.toHaveLength(1);
    });

    it('sends moderator-only events to moderators only, and an author\'s pending content to that author too', async () => {
      const { id: forumId } = await newForum(t.dataSource, { visibility: 'members' });
      const [mod, author, other] = [await createAccount(t), await createAccount(t), await createAccount(t)];
      await addMember(t.dataSource, forumId, mod.id, 'moderator');
      const [sMod, sAuthor, sOther] = [await connectAs(mod), await connectAs(author), await connectAs(other)];
      for (const s of [sMod, sAuthor, sOther]) await s.request('forum.subscribe', { forumId });
      await emitEvents(forumId, ['membership.changed'], { moderatorsOnly: true });
      await events.runAndPublish(async (_m, record) => {
        record(forumId, 'reply.created', madeUp({ pending: true }), { audience: { kind: 'moderators_and_account', accountId: author.id } });
      });
      await emitEvents(forumId, ['reply.voted']);
      expect((await sMod.waitForEvents(forumId, 3)).map((e) => e.seq)).toEqual([1, 2, 3]);
      expect((await sAuthor.waitForEvents(forumId, 2)).map((e) => e.seq)).toEqual([2, 3]);
      expect((await sOther.waitForEvents(forumId, 1)).map((e) => e.seq)).toEqual([3]);
      const seq = await sentinel(forumId);
      expect(await sOther.eventsBefore(forumId, seq)).toHaveLength(1);
      expect(await sAuthor.eventsBefore(forumId, seq)).toHaveLength(2);
    });

    it('narrows a subscription to one thread: its events and forum-wide ones', async () => {
      const { id: forumId } = await newForum(t.dataSource);
      const [q1, q2] = [(await newQuestion(t.dataSource, forumId)).id, (await newQuestion(t.dataSource, forumId)).id];
      const narrow = await connect();
      const wide = await connect();
      await expect(narrow.request('forum.subscribe', { forumId, questionId: q1 })).resolves.toMatchObject({ forumId, questionId: q1 });
      await wide.request('forum.subscribe', { forumId });
      await emitEvents(forumId, ['reply.created'], { questionId: q2 });
      await emitEvents(forumId, ['reply.created'], { questionId: q1 });
      await emitEvents(forumId, ['forum.updated']);
      expect((await wide.waitForEvents(forumId, 3)).map((e) => e.seq)).toEqual([1, 2, 3]);
      expect((await narrow.waitForEvents(forumId, 2)).map((e) => [e.seq, e.questionId])).toEqual([[2, q1], [3, null]]);
      // A question of another forum is refused.
      const other = await newForum(t.dataSource);
      const { id: foreign } = await newQuestion(t.dataSource, other.id);
      await expect(narrow.request('forum.subscribe', { forumId, questionId: foreign })).resolves.toMatchObject({ error: { status: 404, code: 'question_not_found' } });
    });

    it('stops delivering after forum.unsubscribe', async () => {
      const { id: forumId } = await newForum(t.dataSource);
      const [s, witness] = [await connect(), await connect()];
      for (const x of [s, witness]) await x.request('forum.subscribe', { forumId });
      await expect(s.request('forum.unsubscribe', { forumId })).resolves.toEqual({ forumId, subscribed: false });
      await expect(realtime.socketsIn(rooms.forum(forumId))).resolves.not.toContain(s.raw.id);
      await emitEvents(forumId, ['reply.created']);
      await witness.eventsBefore(forumId, await sentinel(forumId));
      await s.roundTrip();
      expect(s.forumEvents(forumId)).toEqual([]);
    });

    it('delivers in sequence order even when publications arrive out of order, and catches up events never published', async () => {
      const { id: forumId } = await newForum(t.dataSource);
      const s = await connect();
      await s.request('forum.subscribe', { forumId });
      // Two writes commit in order 1, 2 but their publications cross (as between two instances).
      const first = await t.dataSource.transaction((m) => events.record(m, forumId, 'reply.created', madeUp({ n: 1 })));
      const second = await t.dataSource.transaction((m) => events.record(m, forumId, 'reply.created', madeUp({ n: 2 })));
      events.publish([second]);
      events.publish([first]);
      expect((await s.waitForEvents(forumId, 2)).map((e) => e.seq)).toEqual([1, 2]);
      // A write whose publication is lost (the publisher died right after commit) still arrives, via the sweep.
      await t.dataSource.transaction((m) => events.record(m, forumId, 'reply.created', madeUp({ n: 3 })));
      expect((await s.waitForEvents(forumId, 3, 5_000)).map((e) => e.seq)).toEqual([1, 2, 3]);
      expect((await s.eventsBefore(forumId, await sentinel(forumId))).map((e) => e.seq)).toEqual([1, 2, 3]);
    });
  });

  describe('messages the server refuses', () => {
    it('answers malformed messages with an error ack naming the field', async () => {
      const s = await connect();
      const cases: [string, unknown, string, string][] = [
        ['forum.subscribe', 'forum-1', '(message)', 'single JSON object'],
        ['forum.subscribe', [1, 2], '(message)', 'single JSON object'],
        ['forum.subscribe', {}, 'forumId', 'forumId must be a positive integer'],
        ['forum.subscribe', { forumId: '1' }, 'forumId', 'forumId must be a positive integer'],
        ['forum.subscribe', { forumId: 0 }, 'forumId', 'forumId must be a positive integer'],
        ['forum.subscribe', { forumId: 1.5 }, 'forumId', 'forumId must be a positive integer'],
        ['forum.subscribe', { forumId: 1, lastSeq: -1 }, 'lastSeq', 'lastSeq must be a whole number'],
        ['forum.subscribe', { forumId: 1, questionId: 'x' }, 'questionId', 'questionId must be a positive integer'],
        ['forum.subscribe', { forumId: 1, room: 'forum:2' }, 'room', 'property room should not exist'],
        ['forum.unsubscribe', { forumId: -3 }, 'forumId', 'forumId must be a positive integer'],
        ['forum.presence', {}, 'forumId', 'forumId must be a positive integer'],
        ['thread.typing', { questionId: 1, typing: 'yes' }, 'typing', 'typing must be a boolean'],
        ['reply.create', { clientId: 'abc', questionId: 1, body: 'Hi' }, 'clientId', 'clientId must be a UUID'],
        ['reply.create', { clientId: randomUUID(), questionId: 1, body: '' }, 'body', 'body must not be empty'],
        ['reply.create', { clientId: randomUUID(), questionId: 1, body: 'x'.repeat(20_001) }, 'body', 'body must be at most 20000 characters'],
        ['reply.create', { clientId: randomUUID(), questionId: 1, body: 'Hi', parentId: 'top' }, 'parentId', 'parentId must be a reply id'],
        ['reply.vote', { replyId: '1', value: 2 }, 'value', 'value must be 1 (vote) or 0'],
        ['reply.vote', { replyId: 'abc', value: 1 }, 'replyId', 'replyId must be a reply id'],
      ];
      for (const [event, payload, field, message] of cases) {
        const ack = await s.request(event, payload);
        expect({ event, payload, ack }).toEqual({
          event,
          payload,
          ack: {
            error: {
              status: 400,
              code: 'validation_failed',
              message: expect.stringContaining('Invalid message'),
              details: expect.arrayContaining([{ field, message: expect.stringContaining(message) }]),
            },
          },
        });
      }
      // A message without a payload, only the ack callback, is refused the same way; an unknown message is named.
      await expect(s.request('forum.subscribe')).resolves.toMatchObject({ error: { code: 'validation_failed' } });
      await expect(s.request('forum.join', { forumId: 1 })).resolves.toEqual({
        error: { status: 400, code: 'unknown_message', message: expect.stringContaining('Unknown message "forum.join"'), details: [{ field: '(event)', message: expect.any(String) }] },
      });
      expect(s.raw.connected).toBe(true);
    });

    it('refuses presence and typing for forums the socket does not follow, and writes from anonymous sockets', async () => {
      const { id: forumId } = await newForum(t.dataSource);
      const { id: questionId } = await newQuestion(t.dataSource, forumId);
      const person = await createAccount(t);
      const s = await connectAs(person);
      await expect(s.request('forum.presence', { forumId })).resolves.toMatchObject({ error: { status: 400, code: 'not_subscribed', details: [{ field: 'forumId' }] } });
      await expect(s.request('thread.typing', { questionId })).resolves.toMatchObject({ error: { status: 400, code: 'not_subscribed' } });
      const anonymous = await connect();
      await anonymous.request('forum.subscribe', { forumId });
      await expect(anonymous.request('thread.typing', { questionId })).resolves.toMatchObject({ error: { status: 401, code: 'unauthenticated' } });
      await expect(anonymous.request('reply.create', { clientId: randomUUID(), questionId, body: 'Hello' })).resolves.toMatchObject({ error: { status: 401, code: 'unauthenticated' } });
      await expect(anonymous.request('reply.vote', { replyId: '1', value: 1 })).resolves.toMatchObject({ error: { status: 401, code: 'unauthenticated' } });
      // Readers who can't take part (a closed forum) aren't shown as typing.
      const closed = await newForum(t.dataSource, { state: 'closed' });
      const { id: closedQuestion } = await newQuestion(t.dataSource, closed.id);
      await s.request('forum.subscribe', { forumId: closed.id });
      await expect(s.request('thread.typing', { questionId: closedQuestion })).resolves.toMatchObject({ error: { status: 403, code: 'cannot_post' } });
    });

    it('closes a connection that sends an oversized message, and keeps serving others', async () => {
      const bystander = await connect();
      const s = await connect({ transports: ['websocket'] });
      s.raw.emit('forum.subscribe', { forumId: 1, padding: 'x'.repeat(200_000) });
      await expect(s.disconnected()).resolves.toBe('transport close');
      const polling = await connect({ transports: ['polling'] });
      polling.raw.emit('forum.subscribe', { forumId: 1, padding: 'x'.repeat(200_000) });
      await expect(polling.disconnected()).resolves.toMatch(/transport (close|error)/);
      const { id: forumId } = await newForum(t.dataSource);
      await expect(bystander.request('forum.subscribe', { forumId })).resolves.toMatchObject({ forumId });
    });

    it('rate limits subscriptions per socket', async () => {
      const { id: forumId } = await newForum(t.dataSource);
      const s = await connect();
      const acks = await Promise.all(Array.from({ length: 40 }, () => s.request('forum.subscribe', { forumId })));
      const limited = acks.filter((a) => a.error?.code === 'rate_limited');
      expect(limited.length).toBeGreaterThan(0);
      expect(limited[0]).toEqual({ error: { status: 429, code: 'rate_limited', message: expect.stringContaining('too fast'), retryAfterMs: expect.any(Number) } });
    });
  });

  describe('handshake', () => {
    it('authenticates from the session cookie or an API token, and refuses an unknown token', async () => {
      const person = await createAccount(t, { displayName: 'Token Tester' });
      const { id: forumId } = await newForum(t.dataSource, { visibility: 'members' });
      const byCookie = await connectAs(person);
      await expect(byCookie.request('forum.subscribe', { forumId })).resolves.toMatchObject({ forumId });
      const token = await bearerFor(t, person.email, person.password);
      const byToken = await connect({ token });
      await expect(byToken.request('forum.subscribe', { forumId })).resolves.toMatchObject({ forumId });
      await expect(connect({ token: 'agora_not-a-real-token' })).rejects.toMatchObject({
        message: expect.stringContaining('API token is unknown'),
        data: { status: 401, code: 'unauthenticated' },
      });
      // A stale cookie is simply anonymous, as over HTTP.
      const stale = await connect({ cookie: 'agora_session=no-such-session' });
      await expect(stale.request('forum.subscribe', { forumId })).resolves.toMatchObject({ error: { code: 'forum_not_found' } });
    });

    it('refuses a handshake from another site\'s page, over polling and websocket alike', async () => {
      for (const transports of [['polling'], ['websocket']] as const) {
        await expect(connect({ origin: 'https://evil.example', transports: [...transports] })).rejects.toThrow(/connect_error/);
        await expect(connect({ origin: 'null', transports: [...transports] })).rejects.toThrow(/connect_error/);
        await expect(connect({ origin: t.url, transports: [...transports] })).resolves.toBeDefined();
      }
    });
  });

  describe('sign-out and ended sessions', () => {
    it('disconnects the sockets of a sign-in that signs out, and only those', async () => {
      const person = await createAccount(t);
      const cookie = await sessionCookie(t.url, person);
      const s = await connect({ cookie });
      const otherBrowser = await connectAs(person);
      const { id: forumId } = await newForum(t.dataSource);
      await s.request('forum.subscribe', { forumId });
      const res = await fetch(`${t.url}/api/auth/sign-out`, { method: 'POST', headers: { cookie } });
      expect(res.status).toBe(204);
      await expect(s.waitFor('session.ended')).resolves.toEqual({});
      await expect(s.disconnected()).resolves.toBe('io server disconnect');
      await expect(realtime.socketsIn(rooms.forum(forumId))).resolves.not.toContain(s.raw.id);
      expect(otherBrowser.raw.connected).toBe(true);
    });

    it('disconnects every socket of the person when they sign out everywhere', async () => {
      const person = await createAccount(t);
      const cookie = await sessionCookie(t.url, person);
      const here = await connect({ cookie });
      const elsewhere = await connectAs(person);
      const bystander = await connectAs(await createAccount(t));
      const res = await fetch(`${t.url}/api/auth/sign-out?everywhere=true`, { method: 'POST', headers: { cookie } });
      expect(res.status).toBe(204);
      await expect(here.disconnected()).resolves.toBe('io server disconnect');
      await expect(elsewhere.disconnected()).resolves.toBe('io server disconnect');
      expect(bystander.raw.connected).toBe(true);
    });

    it('disconnects a sign-in ended from the list of sessions, and every other one on a password change', async () => {
      const person = await createAccount(t);
      const cookieA = await sessionCookie(t.url, person);
      const cookieB = await sessionCookie(t.url, person);
      const a = await connect({ cookie: cookieA });
      const b = await connect({ cookie: cookieB });
      const list = (await (await fetch(`${t.url}/api/auth/sessions`, { headers: { cookie: cookieA } })).json()) as { id: string; current: boolean }[];
      const idOfB = list.find((x) => !x.current)!.id;
      expect((await fetch(`${t.url}/api/auth/sessions/${idOfB}`, { method: 'DELETE', headers: { cookie: cookieA } })).status).toBe(204);
      await expect(b.disconnected()).resolves.toBe('io server disconnect');
      expect(a.raw.connected).toBe(true);

      const c = await connectAs(person);
      const res = await fetch(`${t.url}/api/auth/password`, {
        method: 'POST',
        headers: { cookie: cookieA, 'content-type': 'application/json' },
        body: JSON.stringify({ currentPassword: person.password, newPassword: `${person.password}-new-one` }),
      });
      expect(res.status).toBe(200);
      await expect(a.disconnected()).resolves.toBe('io server disconnect');
      await expect(c.disconnected()).resolves.toBe('io server disconnect');
    });

    it('drops a socket whose sign-in ended behind its back at its next message', async () => {
      const person = await createAccount(t);
      const s = await connectAs(person);
      const { id: forumId } = await newForum(t.dataSource);
      await t.dataSource.query(`DELETE FROM login_session WHERE account_id = $1`, [person.id]);
      await expect(s.request('forum.subscribe', { forumId })).resolves.toMatchObject({ error: { status: 401, code: 'unauthenticated' } });
      await expect(s.disconnected()).resolves.toBe('io server disconnect');
    });

    it('drops a silent socket whose sign-in expired at the next periodic check, and no other', async () => {
      const person = await createAccount(t);
      const other = await createAccount(t);
      const { id: forumId } = await newForum(t.dataSource);
      const expiring = await connectAs(person);
      const token = await bearerFor(t, person.email, person.password);
      const scripted = await connect({ token });
      const live = await connectAs(other);
      const anonymous = await connect();
      for (const s of [expiring, scripted, live, anonymous]) await expect(s.request('forum.subscribe', { forumId })).resolves.toMatchObject({ forumId });
      // Expire (not end) the person's cookie sign-in only; the socket sends nothing afterwards.
      await t.dataSource.query(
        `UPDATE login_session SET expires_at = now() - interval '1 second' WHERE account_id = $1 AND kind = 'cookie'`,
        [person.id],
      );
      await expect(t.app.get(RealtimeGateway).sweepEndedSessions()).resolves.toBe(1);
      await expect(expiring.waitFor('session.ended')).resolves.toEqual({});
      await expect(expiring.disconnected()).resolves.toBe('io server disconnect');
      await expect(realtime.socketsIn(rooms.forum(forumId))).resolves.not.toContain(expiring.raw.id);
      for (const s of [scripted, live, anonymous]) {
        expect(s.raw.connected).toBe(true);
        expect(s.received.some((r) => r.event === 'session.ended')).toBe(false);
      }
      // Expired tokens are dropped too.
      await t.dataSource.query(`UPDATE login_session SET expires_at = now() - interval '1 second' WHERE account_id = $1`, [person.id]);
      await expect(t.app.get(RealtimeGateway).sweepEndedSessions()).resolves.toBe(1);
      await expect(scripted.waitFor('session.ended')).resolves.toEqual({});
      await expect(scripted.disconnected()).resolves.toBe('io server disconnect');
      expect(live.raw.connected).toBe(true);
    });
  });

  describe('writes over the socket, and HTTP writes', () => {
    it('posts a reply, acknowledged after commit with the stored reply, and delivered to the forum\'s followers', async () => {
      const { id: forumId } = await newForum(t.dataSource, { visibility: 'members' });
      const { id: questionId } = await newQuestion(t.dataSource, forumId);
      const [author, reader] = [await createAccount(t, { displayName: 'Author' }), await createAccount(t)];
      const [sAuthor, sReader] = [await connectAs(author), await connectAs(reader)];
      await sReader.request('forum.subscribe', { forumId });
      const clientId = randomUUID();
      const ack = await sAuthor.request('reply.create', { clientId, questionId, body: 'We started with **parking permits**.' });
      expect(ack).toEqual({
        reply: expect.objectContaining({
          id: expect.any(String), questionId, forumId, parentId: null, depth: 1, state: 'visible', voteCount: 0,
          author: { id: author.id, displayName: 'Author' }, bodyHtml: expect.stringContaining('<strong>parking permits</strong>'),
        }),
      });
      // Committed before the ack.
      const [row] = await t.dataSource.query(`SELECT id, client_id FROM reply WHERE id = $1`, [ack.reply.id]);
      expect(row).toEqual({ id: ack.reply.id, client_id: clientId });
      const [event] = await sReader.waitForEvents(forumId, 1);
      expect(event).toMatchObject({ type: 'reply.created', questionId, payload: { reply: { id: ack.reply.id, bodyHtml: ack.reply.bodyHtml } } });
      expect(event.payload.reply).not.toHaveProperty('bodySource');

      // A reply to it, through the same rules.
      const child = await sAuthor.request('reply.create', { clientId: randomUUID(), questionId, parentId: ack.reply.id, body: 'And then taxes.' });
      expect(child.reply).toMatchObject({ parentId: ack.reply.id, depth: 2 });
    });

    it('stores a retried reply once: the same clientId returns the first reply, even when retries race', async () => {
      const { id: forumId } = await newForum(t.dataSource);
      const { id: questionId } = await newQuestion(t.dataSource, forumId);
      const author = await createAccount(t);
      const s = await connectAs(author);
      const message = { clientId: randomUUID(), questionId, body: 'Sent twice over a flaky connection.' };
      const first = await s.request('reply.create', message);
      const retried = await s.request('reply.create', message);
      expect(retried).toEqual(first);
      const racedId = randomUUID();
      const raced = await Promise.all(Array.from({ length: 5 }, () => s.request('reply.create', { ...message, clientId: racedId })));
      expect(new Set(raced.map((a) => a.reply.id)).size).toBe(1);
      const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM reply WHERE author_id = $1`, [author.id]);
      expect(count).toBe(2);
      const [{ events: recorded }] = await t.dataSource.query(`SELECT count(*)::int AS events FROM forum_event WHERE forum_id = $1 AND type = 'reply.created'`, [forumId]);
      expect(recorded).toBe(2);
      // Another person may use the same clientId: ids are per author.
      const other = await connectAs(await createAccount(t));
      const theirs = await other.request('reply.create', message);
      expect(theirs.reply.id).not.toBe(first.reply.id);
    });

    it('votes over the socket, with the same rules as HTTP', async () => {
      const { id: forumId } = await newForum(t.dataSource);
      const { id: questionId } = await newQuestion(t.dataSource, forumId);
      const [author, voter] = [await createAccount(t), await createAccount(t)];
      const [sAuthor, sVoter] = [await connectAs(author), await connectAs(voter)];
      await sAuthor.request('forum.subscribe', { forumId });
      const { reply } = await sAuthor.request('reply.create', { clientId: randomUUID(), questionId, body: 'Vote for me' });
      await expect(sVoter.request('reply.vote', { replyId: reply.id, value: 1 })).resolves.toEqual({ vote: { replyId: reply.id, voteCount: 1, viewerVoted: true } });
      await expect(sVoter.request('reply.vote', { replyId: Number(reply.id), value: 1 })).resolves.toEqual({ vote: { replyId: reply.id, voteCount: 1, viewerVoted: true } });
      await expect(sAuthor.request('reply.vote', { replyId: reply.id, value: 1 })).resolves.toMatchObject({ error: { status: 403, code: 'own_reply' } });
      await expect(sVoter.request('reply.vote', { replyId: reply.id, value: 0 })).resolves.toEqual({ vote: { replyId: reply.id, voteCount: 0, viewerVoted: false } });
      const got = await sAuthor.waitForEvents(forumId, 3);
      expect(got.map((e) => [e.type, e.payload.voteCount ?? null])).toEqual([['reply.created', null], ['reply.voted', 1], ['reply.voted', 0]]);
      await expect(sVoter.request('reply.vote', { replyId: '999999999', value: 1 })).resolves.toMatchObject({ error: { status: 404 } });
    });

    it('refuses writes where HTTP would: closed forums, forums the person can\'t see', async () => {
      const closed = await newForum(t.dataSource, { state: 'closed' });
      const hidden = await newForum(t.dataSource, { visibility: 'invite_only' });
      const [qClosed, qHidden] = [(await newQuestion(t.dataSource, closed.id)).id, (await newQuestion(t.dataSource, hidden.id)).id];
      const s = await connectAs(await createAccount(t));
      await expect(s.request('reply.create', { clientId: randomUUID(), questionId: qClosed, body: 'Too late' })).resolves.toMatchObject({ error: { status: 409, code: 'forum_closed' } });
      const ack = await s.request('reply.create', { clientId: randomUUID(), questionId: qHidden, body: 'Let me in' });
      expect(ack.error).toMatchObject({ status: 404 });
      const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM reply WHERE question_id IN ($1, $2)`, [qClosed, qHidden]);
      expect(count).toBe(0);
    });

    /** The product's write limits for one test (the suite runs with RATE_LIMIT_SCALE raised, so fixtures can be built fast). */
    const withProductLimits = async (work: () => Promise<void>) => {
      const config = t.app.get(AppConfig);
      const scale = config.RATE_LIMIT_SCALE;
      config.RATE_LIMIT_SCALE = 1;
      try {
        await work();
      } finally {
        config.RATE_LIMIT_SCALE = scale;
      }
    };

    it('rate limits replies per person, across that person\'s connections', () => withProductLimits(async () => {
      const { id: forumId } = await newForum(t.dataSource);
      const { id: questionId } = await newQuestion(t.dataSource, forumId);
      const author = await createAccount(t);
      const [tab1, tab2] = [await connectAs(author), await connectAs(author)];
      const acks = [];
      for (let i = 0; i < 10; i++) acks.push(await (i % 2 ? tab1 : tab2).request('reply.create', { clientId: randomUUID(), questionId, body: `Reply ${i}` }));
      expect(acks.every((a) => a.reply)).toBe(true);
      const limited = await tab1.request('reply.create', { clientId: randomUUID(), questionId, body: 'One too many' });
      expect(limited).toEqual({ error: { status: 429, code: 'rate_limited', message: expect.stringContaining('posting replies too fast'), retryAfterMs: expect.any(Number) } });
      // Someone else is not held back.
      const other = await connectAs(await createAccount(t));
      await expect(other.request('reply.create', { clientId: randomUUID(), questionId, body: 'Mine' })).resolves.toHaveProperty('reply');
    }));

    it('counts replies and votes over HTTP and the socket against one limit per person', () => withProductLimits(async () => {
      const { id: forumId } = await newForum(t.dataSource);
      const { id: questionId } = await newQuestion(t.dataSource, forumId);
      const author = await createAccount(t);
      const cookie = await sessionCookie(t.url, author);
      const http = (method: string, path: string, body?: unknown) =>
        fetch(`${t.url}${path}`, { method, headers: { cookie, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const socket = await connectAs(author);
      for (let i = 0; i < 5; i++) expect((await http('POST', `/api/questions/${questionId}/replies`, { body: `Over HTTP ${i}` })).status).toBe(201);
      for (let i = 0; i < 5; i++) await expect(socket.request('reply.create', { clientId: randomUUID(), questionId, body: `Over the socket ${i}` })).resolves.toHaveProperty('reply');
      // The eleventh is refused on both, with when to try again; nothing more is stored.
      const refused = await http('POST', `/api/questions/${questionId}/replies`, { body: 'One too many, over HTTP' });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await refused.json()).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('posting replies too fast') });
      await expect(socket.request('reply.create', { clientId: randomUUID(), questionId, body: 'One too many, over the socket' })).resolves.toEqual({
        error: { status: 429, code: 'rate_limited', message: expect.stringContaining('posting replies too fast'), retryAfterMs: expect.any(Number) },
      });
      const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM reply WHERE question_id = $1', [questionId]);
      expect(count).toBe(10);
      // Votes have their own count, shared the same way: 30, then refused over either transport.
      const voter = await createAccount(t);
      const voterCookie = await sessionCookie(t.url, voter);
      const voterSocket = await connectAs(voter);
      const replies = ((await (await fetch(`${t.url}/api/questions/${questionId}/replies`)).json()) as { items: { id: string }[] }).items;
      for (let i = 0; i < 30; i++) {
        const replyId = replies[i % replies.length]!.id;
        if (i % 2) await expect(voterSocket.request('reply.vote', { replyId, value: i % 4 === 1 ? 1 : 0 })).resolves.toHaveProperty('vote');
        else expect((await fetch(`${t.url}/api/replies/${replyId}/vote`, { method: i % 4 === 0 ? 'PUT' : 'DELETE', headers: { cookie: voterCookie } })).status).toBe(200);
      }
      const voteRefused = await fetch(`${t.url}/api/replies/${replies[0]!.id}/vote`, { method: 'PUT', headers: { cookie: voterCookie } });
      expect(voteRefused.status).toBe(429);
      expect(((await voteRefused.json()) as { message: string }).message).toContain('voting too fast');
      await expect(voterSocket.request('reply.vote', { replyId: replies[0]!.id, value: 1 })).resolves.toMatchObject({ error: { code: 'rate_limited' } });
    }));

    it('publishes HTTP writes too: replies, edits, deletions and questions', async () => {
      const { id: forumId } = await newForum(t.dataSource);
      const [mod, author] = [await createAccount(t), await createAccount(t)];
      await addMember(t.dataSource, forumId, mod.id, 'moderator');
      const follower = await connect();
      await follower.request('forum.subscribe', { forumId });
      const http = async (person: TestPerson, method: string, path: string, body?: unknown) => {
        const res = await fetch(`${t.url}${path}`, {
          method,
          headers: { cookie: await sessionCookie(t.url, person), 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
        return (await res.json()) as { id: string };
      };
      const question = await http(mod, 'POST', `/api/forums/${forumId}/questions`, { title: 'Which services went digital first?' });
      const reply = await http(author, 'POST', `/api/questions/${question.id}/replies`, { body: 'Parking permits' });
      await http(author, 'PATCH', `/api/replies/${reply.id}`, { body: 'Parking permits, then taxes' });
      await http(author, 'DELETE', `/api/replies/${reply.id}`);
      const got = await follower.waitForEvents(forumId, 4);
      expect(got.map((e) => [e.seq, e.type])).toEqual([[1, 'question.created'], [2, 'reply.created'], [3, 'reply.edited'], [4, 'reply.deleted']]);
      expect(got[2].payload).toMatchObject({ reply: { id: reply.id, bodyHtml: expect.stringContaining('then taxes') } });
      // The deleted reply's text is gone from the log too: a later replay doesn't hand it out again.
      const late = await connect();
      await late.request('forum.subscribe', { forumId, lastSeq: 0 });
      const replayed = late.forumEvents(forumId);
      expect(replayed.map((e) => e.type)).toEqual(['question.created', 'reply.created', 'reply.edited', 'reply.deleted']);
      for (const e of replayed.slice(1)) expect(JSON.stringify(e.payload)).not.toContain('Parking permits');
    });

    it('a thread read says where in the forum\'s events it was read; subscribing from there replays only what came after', async () => {
      const { id: forumId } = await newForum(t.dataSource);
      const author = await createAccount(t);
      const cookie = await sessionCookie(t.url, author);
      const post = async (path: string, body: unknown) => {
        const res = await fetch(`${t.url}${path}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        expect(res.status).toBe(201);
        return (await res.json()) as { id: string };
      };
      const { id: questionId } = await newQuestion(t.dataSource, forumId);
      const before = await post(`/api/questions/${questionId}/replies`, { body: 'Read with the page' });
      const page = (await (await fetch(`${t.url}/api/questions/${questionId}/replies`)).json()) as { items: { id: string }[]; seq: number };
      expect(page.items.map((r) => r.id)).toEqual([before.id]);
      expect(page.seq).toBe(await t.app.get(ForumEventLog).position(forumId));
      const after = await post(`/api/questions/${questionId}/replies`, { body: 'Written after the read' });
      const reader = await connect();
      const ack = await reader.request('forum.subscribe', { forumId, questionId, lastSeq: page.seq });
      expect(ack).toMatchObject({ seq: page.seq + 1, replayed: 1 });
      expect(reader.forumEvents(forumId).map((e) => [e.type, (e.payload as { reply?: { id: string } }).reply?.id])).toEqual([['reply.created', after.id]]);
    });
  });

  describe('removal and access changes', () => {
    const http = (cookie: string, method: string, path: string, body?: unknown) =>
      fetch(`${t.url}${path}`, { method, headers: { cookie, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

    it('takes a removed member\'s sockets out of the forum at once; nothing reaches them afterwards', async () => {
      const { id: forumId } = await newForum(t.dataSource, { visibility: 'invite_only' });
      const [mod, member, stayer] = [await createAccount(t), await createAccount(t), await createAccount(t)];
      await addMember(t.dataSource, forumId, mod.id, 'moderator');
      await addMember(t.dataSource, forumId, member.id);
      await addMember(t.dataSource, forumId, stayer.id);
      const [tab1, tab2, sStayer] = [await connectAs(member), await connectAs(member), await connectAs(stayer)];
      for (const s of [tab1, tab2, sStayer]) await s.request('forum.subscribe', { forumId });

      const res = await http(await sessionCookie(t.url, mod), 'DELETE', `/api/forums/${forumId}/members/${member.id}`);
      expect(res.status).toBe(204);
      for (const s of [tab1, tab2]) await expect(s.waitFor('forum.left')).resolves.toEqual({ forumId, reason: 'removed' });
      const inRoom = await realtime.socketsIn(rooms.forum(forumId));
      expect(inRoom).not.toContain(tab1.raw.id);
      expect(inRoom).not.toContain(tab2.raw.id);
      expect(inRoom).toContain(sStayer.raw.id);

      await emitEvents(forumId, ['reply.created']);
      await sStayer.waitForEvents(forumId, 1);
      await sStayer.eventsBefore(forumId, await sentinel(forumId));
      for (const s of [tab1, tab2]) await s.roundTrip();
      expect(tab1.forumEvents(forumId)).toEqual([]);
      expect(tab2.forumEvents(forumId)).toEqual([]);
      // And they can't come back.
      await expect(tab1.request('forum.subscribe', { forumId, lastSeq: 0 })).resolves.toMatchObject({ error: { status: 404, code: 'forum_not_found' } });
      expect(tab1.forumEvents(forumId)).toEqual([]);
    });

    it('kicks at once through RealtimeService.memberRemoved (for removals that record no event)', async () => {
      const { id: forumId } = await newForum(t.dataSource, { visibility: 'members' });
      const member = await createAccount(t);
      const s = await connectAs(member);
      await s.request('forum.subscribe', { forumId });
      realtime.memberRemoved(forumId, member.id);
      await expect(s.waitFor('forum.left')).resolves.toEqual({ forumId, reason: 'removed' });
      await expect(realtime.socketsIn(rooms.forum(forumId))).resolves.not.toContain(s.raw.id);
    });

    it('drops the sockets that can no longer read a forum when it becomes invitation-only, and moves moderators in and out', async () => {
      const { id: forumId } = await newForum(t.dataSource, { visibility: 'public' });
      const [mod, member, promoted] = [await createAccount(t), await createAccount(t), await createAccount(t)];
      await addMember(t.dataSource, forumId, mod.id, 'moderator');
      await addMember(t.dataSource, forumId, member.id);
      const modCookie = await sessionCookie(t.url, mod);
      const [anonymous, sMember, sPromoted] = [await connect(), await connectAs(member), await connectAs(promoted)];
      for (const s of [anonymous, sMember, sPromoted]) await s.request('forum.subscribe', { forumId });

      expect((await http(modCookie, 'PATCH', `/api/forums/${forumId}`, { visibility: 'invite_only' })).status).toBe(200);
      await expect(anonymous.waitFor('forum.left')).resolves.toEqual({ forumId, reason: 'access_lost' });
      await expect(sPromoted.waitFor('forum.left')).resolves.toEqual({ forumId, reason: 'access_lost' });
      // The member stays, and hears of the change; the dropped ones don't.
      const [change] = await sMember.waitForEvents(forumId, 1);
      expect(change).toMatchObject({ type: 'forum.updated', payload: { forum: { id: forumId, visibility: 'invite_only' } } });
      expect(anonymous.forumEvents(forumId)).toEqual([]);
      expect(sPromoted.forumEvents(forumId)).toEqual([]);

      // Made a moderator: their socket (re-subscribed) now gets moderator-only events too.
      expect((await http(modCookie, 'PUT', `/api/forums/${forumId}/members/${promoted.id}`, { role: 'moderator' })).status).toBe(200);
      await expect(sPromoted.request('forum.subscribe', { forumId })).resolves.toMatchObject({ forumId });
      await emitEvents(forumId, ['membership.changed'], { moderatorsOnly: true });
      await expect(sPromoted.waitForEvents(forumId, 1)).resolves.toMatchObject([{ type: 'membership.changed' }]);
      // Demoted again: out of the moderators' room, but still a reader.
      const admin = await createAccount(t, { role: 'admin' });
      expect((await http(await sessionCookie(t.url, admin), 'PUT', `/api/forums/${forumId}/members/${promoted.id}`, { role: 'member' })).status).toBe(200);
      await eventually(() => expect(realtime.socketsIn(rooms.moderators(forumId))).resolves.not.toContain(sPromoted.raw.id));
      await expect(realtime.socketsIn(rooms.forum(forumId))).resolves.toContain(sPromoted.raw.id);
      await emitEvents(forumId, ['membership.changed', 'reply.created'], { moderatorsOnly: true });
      await emitEvents(forumId, ['reply.voted']);
      await eventually(async () => expect(sPromoted.forumEvents(forumId).map((e) => e.type)).toEqual(['membership.changed', 'reply.voted']));
    });

    it('moves a session organiser into and out of the moderators\' room of every forum of the session', async () => {
      const { sessionId, id: forumId } = await newForum(t.dataSource, { visibility: 'members' });
      const [admin, organiser, watcher] = [await createAccount(t, { role: 'admin' }), await createAccount(t), await createAccount(t)];
      await addMember(t.dataSource, forumId, watcher.id, 'moderator');
      const adminCookie = await sessionCookie(t.url, admin);
      const [sOrganiser, sWatcher] = [await connectAs(organiser), await connectAs(watcher)];
      for (const s of [sOrganiser, sWatcher]) await s.request('forum.subscribe', { forumId });
      await expect(realtime.socketsIn(rooms.moderators(forumId))).resolves.not.toContain(sOrganiser.raw.id);

      // Appointed organiser: recorded per forum, and their socket joins the moderators' room at once.
      expect((await http(adminCookie, 'PUT', `/api/sessions/${sessionId}/moderators/${organiser.id}`)).status).toBe(200);
      await expect(sWatcher.waitForEvents(forumId, 1)).resolves.toMatchObject([
        { type: 'membership.changed', payload: { accountId: organiser.id, role: 'moderator', state: 'active' } },
      ]);
      await eventually(() => expect(realtime.socketsIn(rooms.moderators(forumId))).resolves.toContain(sOrganiser.raw.id));

      // Demoted: out of the moderators' room on the event, still a reader; moderator-only events stop reaching them.
      expect((await http(adminCookie, 'DELETE', `/api/sessions/${sessionId}/moderators/${organiser.id}`)).status).toBe(204);
      await expect(sWatcher.waitForEvents(forumId, 2)).resolves.toMatchObject([
        { type: 'membership.changed' },
        { type: 'membership.changed', payload: { accountId: organiser.id, role: 'member', state: 'active' } },
      ]);
      await eventually(() => expect(realtime.socketsIn(rooms.moderators(forumId))).resolves.not.toContain(sOrganiser.raw.id));
      await expect(realtime.socketsIn(rooms.forum(forumId))).resolves.toContain(sOrganiser.raw.id);
      const before = sOrganiser.forumEvents(forumId).length;
      await emitEvents(forumId, ['reply.created'], { moderatorsOnly: true });
      await emitEvents(forumId, ['reply.voted']);
      await sWatcher.waitForEvents(forumId, 4);
      await eventually(async () => expect(sOrganiser.forumEvents(forumId).slice(before).map((e) => e.type)).toEqual(['reply.voted']));
      expect((await sOrganiser.eventsBefore(forumId, await sentinel(forumId))).slice(before).map((e) => e.type)).toEqual(['reply.voted']);
    });
  });

  describe('presence and typing', () => {
    it('shows who follows a forum: names of signed-in people to signed-in receivers, counts only to anonymous ones', async () => {
      const { id: forumId } = await newForum(t.dataSource);
      const ana = await createAccount(t, { displayName: 'Ana García' });
      const bruno = await createAccount(t, { displayName: 'Bruno Rossi' });
      const sAna = await connectAs(ana);
      await sAna.request('forum.subscribe', { forumId });
      await expect(sAna.waitFor('forum.presence', (p: { count: number }) => p.count === 1)).resolves.toEqual({
        forumId, count: 1, anonymous: 0, members: [{ id: ana.id, displayName: 'Ana García' }],
      });
      const sBruno = await connectAs(bruno);
      const anonymous = await connect();
      await sBruno.request('forum.subscribe', { forumId });
      await anonymous.request('forum.subscribe', { forumId });
      const full = {
        forumId, count: 3, anonymous: 1,
        members: [{ id: ana.id, displayName: 'Ana García' }, { id: bruno.id, displayName: 'Bruno Rossi' }],
      };
      await expect(sAna.waitFor('forum.presence', (p: { count: number }) => p.count === 3)).resolves.toEqual(full);
      await expect(anonymous.waitFor('forum.presence', (p: { count: number }) => p.count === 3)).resolves.toEqual({ ...full, members: [] });
      await expect(sBruno.request('forum.presence', { forumId })).resolves.toEqual(full);
      await expect(anonymous.request('forum.presence', { forumId })).resolves.toEqual({ ...full, members: [] });
      sBruno.close();
      await expect(sAna.waitFor('forum.presence', (p: { count: number }) => p.count === 2)).resolves.toEqual({
        forumId, count: 2, anonymous: 1, members: [{ id: ana.id, displayName: 'Ana García' }],
      });
    });

    it('tells the others following a thread who is typing, and that it stopped when the typist goes', async () => {
      const { id: forumId } = await newForum(t.dataSource);
      const { id: questionId } = await newQuestion(t.dataSource, forumId);
      const { id: otherQuestion } = await newQuestion(t.dataSource, forumId);
      const ana = await createAccount(t, { displayName: 'Ana' });
      const bruno = await createAccount(t, { displayName: 'Bruno' });
      const [sAna, sBruno, narrowElsewhere] = [await connectAs(ana), await connectAs(bruno), await connect()];
      await sAna.request('forum.subscribe', { forumId });
      await sBruno.request('forum.subscribe', { forumId, questionId });
      await narrowElsewhere.request('forum.subscribe', { forumId, questionId: otherQuestion });
      await expect(sAna.request('thread.typing', { questionId })).resolves.toEqual({ questionId, typing: true });
      await expect(sBruno.waitFor('thread.typing')).resolves.toEqual({
        forumId, questionId, account: { id: ana.id, displayName: 'Ana' }, typing: true, ttlMs: expect.any(Number),
      });
      sAna.close();
      await expect(sBruno.waitFor('thread.typing', (x: { typing: boolean }) => !x.typing)).resolves.toMatchObject({ questionId, typing: false });
      // Both notices have reached Bruno, so any sent elsewhere were sent too; Ana's socket is closed (what it got came before).
      await narrowElsewhere.roundTrip();
      expect(sAna.received.filter((r) => r.event === 'thread.typing')).toEqual([]);
      expect(narrowElsewhere.received.filter((r) => r.event === 'thread.typing')).toEqual([]);
    });
  });

  describe('replay', () => {
    it('sends what a reconnecting socket missed, in order, then live events, each once', async () => {
      const { id: forumId } = await newForum(t.dataSource);
      const first = await connect();
      await first.request('forum.subscribe', { forumId });
      await emitEvents(forumId, ['reply.created', 'reply.created']);
      const seen = await first.waitForEvents(forumId, 2);
      first.close();
      await emitEvents(forumId, ['reply.edited', 'reply.voted', 'reply.deleted']);

      const again = await connect();
      const lastSeq = seen.at(-1)!.seq;
      const ack = await again.request('forum.subscribe', { forumId, lastSeq });
      expect(ack).toEqual({ forumId, questionId: null, seq: 5, replayed: 3 });
      // The replay arrived before the ack.
      expect(again.forumEvents(forumId).map((e) => [e.seq, e.type])).toEqual([[3, 'reply.edited'], [4, 'reply.voted'], [5, 'reply.deleted']]);
      await emitEvents(forumId, ['reply.created']);
      await again.waitForEvents(forumId, 4);
      expect((await again.eventsBefore(forumId, await sentinel(forumId))).map((e) => e.seq)).toEqual([3, 4, 5, 6]);
    });

    it('a crowd replayed in one read gets, each, exactly what a replay of its own would give', async () => {
      const { id: forumId } = await newForum(t.dataSource);
      const [q1, q2] = [(await newQuestion(t.dataSource, forumId)).id, (await newQuestion(t.dataSource, forumId)).id];
      const author = await createAccount(t);
      const audiences = [undefined, MODERATORS, { kind: 'moderators_and_account' as const, accountId: author.id }];
      await events.runAndPublish(async (_m, record) => {
        for (let i = 0; i < 40; i++) record(forumId, 'reply.created', madeUp({ i }), { questionId: [null, q1, q2][i % 3], audience: audiences[(i >> 1) % 3] });
      });
      // Retention took a prefix, and a short replay limit: both rules apply to some asks.
      await t.dataSource.query('DELETE FROM forum_event WHERE forum_id = $1 AND seq <= 4', [forumId]);
      const log = t.app.get(ForumEventLog);
      const config = t.app.get(AppConfig);
      const max = config.REPLAY_MAX_EVENTS;
      config.REPLAY_MAX_EVENTS = 25;
      try {
        const ask = fc.record({
          lastSeq: fc.integer({ min: 0, max: 42 }),
          viewer: fc.record({
            moderator: fc.boolean(),
            accountId: fc.constantFrom(null, author.id, randomUUID()),
            questionId: fc.constantFrom(null, q1, q2),
          }),
        });
        await fc.assert(
          fc.asyncProperty(fc.array(ask, { minLength: 1, maxLength: 8 }), async (asks) => {
            const together = await log.replayMany(forumId, asks);
            const alone = await Promise.all(asks.map((a) => log.replay(forumId, a.lastSeq, a.viewer)));
            expect(together).toEqual(alone);
          }),
          { numRuns: 60 },
        );
      } finally {
        config.REPLAY_MAX_EVENTS = max;
      }
    });

    it('replays a crowd subscribing at once: each socket its own view of what it missed, in order, once, before its ack', async () => {
      const { id: forumId } = await newForum(t.dataSource);
      const mod = await createAccount(t);
      await addMember(t.dataSource, forumId, mod.id, 'moderator');
      await emitEvents(forumId, ['reply.created', 'reply.voted']);
      await emitEvents(forumId, ['moderation.queue'], { moderatorsOnly: true });
      await emitEvents(forumId, ['reply.edited']);
      const members = await Promise.all(Array.from({ length: 6 }, () => connect()));
      const mods = await Promise.all(Array.from({ length: 3 }, () => connectAs(mod)));
      const late = await Promise.all(Array.from({ length: 3 }, () => connect()));
      const acks = await Promise.all([
        ...members.map((s) => s.request('forum.subscribe', { forumId, lastSeq: 0 })),
        ...mods.map((s) => s.request('forum.subscribe', { forumId, lastSeq: 0 })),
        ...late.map((s) => s.request('forum.subscribe', { forumId, lastSeq: 2 })),
      ]);
      expect(acks).toEqual([...Array(6).fill(expect.objectContaining({ seq: 4, replayed: 3 })), ...Array(3).fill(expect.objectContaining({ seq: 4, replayed: 4 })), ...Array(3).fill(expect.objectContaining({ seq: 4, replayed: 1 }))]);
      // The ack came after the replay, so what each socket holds now is all it gets.
      for (const s of members) expect(s.forumEvents(forumId).map((e) => e.seq)).toEqual([1, 2, 4]);
      for (const s of mods) expect(s.forumEvents(forumId).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
      for (const s of late) expect(s.forumEvents(forumId).map((e) => e.seq)).toEqual([4]);
    });

    it('replays only what the person may see now', async () => {
      const { id: forumId } = await newForum(t.dataSource, { visibility: 'invite_only' });
      const [mod, member] = [await createAccount(t), await createAccount(t)];
      await addMember(t.dataSource, forumId, mod.id, 'moderator');
      await addMember(t.dataSource, forumId, member.id);
      await emitEvents(forumId, ['reply.created']);
      await emitEvents(forumId, ['membership.changed'], { moderatorsOnly: true });
      await emitEvents(forumId, ['reply.voted']);
      const sMember = await connectAs(member);
      await expect(sMember.request('forum.subscribe', { forumId, lastSeq: 0 })).resolves.toMatchObject({ seq: 3, replayed: 2 });
      expect(sMember.forumEvents(forumId).map((e) => e.seq)).toEqual([1, 3]);
      const sMod = await connectAs(mod);
      await expect(sMod.request('forum.subscribe', { forumId, lastSeq: 0 })).resolves.toMatchObject({ seq: 3, replayed: 3 });
      // Removed since: the forum is no longer readable, so nothing is replayed.
      await t.dataSource.query(`UPDATE forum_membership SET state = 'removed' WHERE forum_id = $1 AND account_id = $2`, [forumId, member.id]);
      const sRemoved = await connectAs(member);
      await expect(sRemoved.request('forum.subscribe', { forumId, lastSeq: 0 })).resolves.toMatchObject({ error: { status: 404, code: 'forum_not_found' } });
      await sMod.eventsBefore(forumId, await sentinel(forumId));
      await sRemoved.roundTrip();
      expect(sRemoved.forumEvents(forumId)).toEqual([]);
    });

    it('keeps events for the retention period and count, dropping only a prefix of each forum\'s log', async () => {
      const config = t.app.get(AppConfig);
      const aged = await newForum(t.dataSource);
      const busy = await newForum(t.dataSource);
      await emitEvents(aged.id, ['reply.created', 'reply.created', 'reply.created', 'reply.created']);
      // Seq 3 is old; seq 2 looks newer (a long transaction's timestamp): the prefix up to 3 goes, seq 4 stays.
      await t.dataSource.query(`UPDATE forum_event SET created_at = now() - make_interval(days => $2) WHERE forum_id = $1 AND seq IN (1, 3)`, [aged.id, config.EVENT_RETENTION_DAYS + 1]);
      await emitEvents(busy.id, Array.from({ length: 105 }, () => 'reply.voted' as const));
      const keep = config.EVENT_RETENTION_COUNT;
      config.EVENT_RETENTION_COUNT = 100;
      try {
        await t.app.get(ForumEventLog).prune();
      } finally {
        config.EVENT_RETENTION_COUNT = keep;
      }
      const left = async (forumId: number) =>
        (await t.dataSource.query(`SELECT seq FROM forum_event WHERE forum_id = $1 ORDER BY seq`, [forumId])).map((r: { seq: string }) => Number(r.seq));
      await expect(left(aged.id)).resolves.toEqual([4]);
      await expect(left(busy.id)).resolves.toEqual(Array.from({ length: 100 }, (_, i) => i + 6));
      const s = await connect();
      await expect(s.request('forum.subscribe', { forumId: aged.id, lastSeq: 2 })).resolves.toMatchObject({ resync: true });
      await expect(s.request('forum.subscribe', { forumId: aged.id, lastSeq: 3 })).resolves.toMatchObject({ seq: 4, replayed: 1 });
    });

    it('answers resync when the gap cannot be replayed', async () => {
      const { id: forumId } = await newForum(t.dataSource);
      await emitEvents(forumId, ['reply.created', 'reply.created', 'reply.created', 'reply.created']);
      // Retention dropped events 1..2: a client at 1 can't be brought up to date; one at 2 can.
      await t.dataSource.query(`DELETE FROM forum_event WHERE forum_id = $1 AND seq <= 2`, [forumId]);
      const s = await connect();
      await expect(s.request('forum.subscribe', { forumId, lastSeq: 1 })).resolves.toEqual({ forumId, questionId: null, seq: 4, replayed: 0, resync: true });
      expect(s.forumEvents(forumId)).toEqual([]);
      // Still subscribed, live from the current position.
      await emitEvents(forumId, ['reply.voted']);
      expect((await s.waitForEvents(forumId, 1)).map((e) => e.seq)).toEqual([5]);

      const ok = await connect();
      await expect(ok.request('forum.subscribe', { forumId, lastSeq: 2 })).resolves.toMatchObject({ seq: 5, replayed: 3 });
      // A position this forum never reached (another database, a bug): reload.
      const ahead = await connect();
      await expect(ahead.request('forum.subscribe', { forumId, lastSeq: 99 })).resolves.toMatchObject({ seq: 5, resync: true });
      // More missed events than a replay sends (REPLAY_MAX_EVENTS, 1,000 by default).
      const busy = await newForum(t.dataSource);
      await emitEvents(busy.id, Array.from({ length: 1_002 }, () => 'reply.voted' as const));
      const far = await connect();
      await expect(far.request('forum.subscribe', { forumId: busy.id, lastSeq: 1 })).resolves.toMatchObject({ seq: 1_002, resync: true, replayed: 0 });
      const near = await connect();
      await expect(near.request('forum.subscribe', { forumId: busy.id, lastSeq: 2 })).resolves.toMatchObject({ seq: 1_002, replayed: 1_000 });
      const replayed = near.forumEvents(busy.id).map((e) => e.seq);
      expect(replayed).toEqual(Array.from({ length: 1_000 }, (_, i) => i + 3));
    });
  });
});

describe('replay across a server restart', () => {
  it('catches a reconnecting socket up from Postgres after the server it followed was replaced', async () => {
    let app = await startTestApp();
    try {
      const { id: forumId } = await newForum(app.dataSource);
      const emit = (n: number) =>
        app.app.get(ForumEventsService).runAndPublish(async (_m, record) => {
          for (let i = 0; i < n; i++) record(forumId, 'reply.created', madeUp({ i }));
        });
      const before = await connectSocket(app.url);
      await before.request('forum.subscribe', { forumId });
      await emit(2);
      const seen = await before.waitForEvents(forumId, 2);
      await app.close();
      await expect(before.disconnected()).resolves.toMatch(/transport close|io server disconnect/);

      app = await startTestApp();
      await emit(3);
      const after = await connectSocket(app.url);
      await expect(after.request('forum.subscribe', { forumId, lastSeq: seen.at(-1)!.seq })).resolves.toEqual({ forumId, questionId: null, seq: 5, replayed: 3 });
      await emit(1);
      await after.waitForEvents(forumId, 4);
      await emit(1);
      expect([...seen, ...(await after.eventsBefore(forumId, 7))].map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      after.close();
    } finally {
      await app.close();
    }
  });
});

describe('origins listed in ALLOWED_ORIGINS', () => {
  it('accepts handshakes from a listed site (with CORS headers for polling) and still refuses others', async () => {
    process.env.ALLOWED_ORIGINS = 'https://partner.example';
    const app = await startTestApp();
    delete process.env.ALLOWED_ORIGINS;
    try {
      for (const transports of [['polling'], ['websocket']] as ('polling' | 'websocket')[][]) {
        const ok = await connectSocket(app.url, { origin: 'https://partner.example', transports });
        ok.close();
        await expect(connectSocket(app.url, { origin: 'https://evil.example', transports })).rejects.toThrow(/connect_error/);
      }
      const res = await fetch(`${app.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: 'https://partner.example' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://partner.example');
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      const refused = await fetch(`${app.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: 'https://evil.example' } });
      expect(refused.status).toBe(403);
    } finally {
      await app.close();
    }
  });
});

describe('SOCKET_TRANSPORTS=websocket (for load balancers without sticky sessions)', () => {
  it('accepts WebSocket connections only', async () => {
    process.env.SOCKET_TRANSPORTS = 'websocket';
    const app = await startTestApp();
    delete process.env.SOCKET_TRANSPORTS;
    try {
      const ws = await connectSocket(app.url, { transports: ['websocket'] });
      const { id: forumId } = await newForum(app.dataSource);
      await expect(ws.request('forum.subscribe', { forumId })).resolves.toMatchObject({ forumId });
      ws.close();
      await expect(connectSocket(app.url, { transports: ['polling'] })).rejects.toThrow(/connect_error/);
    } finally {
      await app.close();
    }
  });
});
