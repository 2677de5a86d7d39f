import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type TestAgent from 'supertest/lib/agent.js';
import type { NotificationView } from '../src/notifications/dto/notification.views.js';
import { AppConfig } from '../src/config/app-config.js';
import { NotificationTriggers } from '../src/notifications/notification-triggers.js';
import { ForumEventLog } from '../src/events/forum-event-log.js';
import { startTestApp, type TestApp } from './support/app.js';
import { addMember, newForum } from './support/fixtures.js';
import { signedIn, type TestPerson } from './support/people.js';
import { connectSocket, eventually, sessionCookie, type TestSocket } from './support/sockets.js';
import { postReply } from './support/threads.js';

interface Member {
  account: TestPerson;
  agent: TestAgent;
}

/** A notification as JSON (dates as strings). */
type Notification = Omit<NotificationView, 'createdAt' | 'readAt'> & { createdAt: string; readAt: string | null };

type Changed = { notification?: Notification; unread: number };

/** Every notification of a person (newest first), flattened from the grouped list. */
async function notificationsOf(p: Member): Promise<Notification[]> {
  const res = await p.agent.get('/api/me/notifications?limit=200').expect(200);
  return res.body.groups.flatMap((g: { items: Notification[] }) => g.items);
}

const unreadOf = async (p: Member): Promise<number> => (await p.agent.get('/api/me/notifications/unread-count').expect(200)).body.unread;

/** Waits for the live push of a notification matching `match` on a socket. */
function pushed(socket: TestSocket, match: (n: Notification) => boolean): Promise<Changed> {
  return socket.waitFor<Changed>('notifications.changed', (m) => !!m.notification && match(m.notification));
}

describe('Notifications (e2e)', () => {
  let t: TestApp;
  let moderator: Member;
  let ana: Member;
  let ben: Member;
  let cleo: Member;
  const sockets: TestSocket[] = [];

  const connect = async (p: Member) => {
    const socket = await connectSocket(t.url, { cookie: await sessionCookie(t.url, p.account) });
    sockets.push(socket);
    return socket;
  };

  /** A public forum with a question asked by the moderator through the API (so it has an author). */
  async function forumWithQuestion(visibility: 'public' | 'members' | 'invite_only' = 'public') {
    const forum = await newForum(t, { visibility });
    await addMember(t, forum.id, moderator.account.id, 'moderator');
    const q = await moderator.agent.post(`/api/forums/${forum.id}/questions`).send({ title: 'Which services went digital first?' }).expect(201);
    return { forum, questionId: q.body.id as number };
  }

  const savedRetryDelay = process.env.NOTIFIER_RETRY_DELAY_MS;

  beforeAll(async () => {
    // A failed event is tried again at the next catch-up, without waiting (the dead-letter test).
    process.env.NOTIFIER_RETRY_DELAY_MS = '0';
    t = await startTestApp();
    moderator = await signedIn(t, { displayName: 'Marta Moderator' });
    ana = await signedIn(t, { displayName: 'Ana García' });
    ben = await signedIn(t, { displayName: 'Ben Okafor' });
    cleo = await signedIn(t, { displayName: 'Cleo Martin' });
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await t?.close();
    if (savedRetryDelay === undefined) delete process.env.NOTIFIER_RETRY_DELAY_MS;
    else process.env.NOTIFIER_RETRY_DELAY_MS = savedRetryDelay;
  });

  it('a reply to my reply and to my question notifies me, live on each of my sockets, and mark read reaches both', async () => {
    const { forum, questionId } = await forumWithQuestion();
    const [anaPhone, anaLaptop] = [await connect(ana), await connect(ana)];
    const modSocket = await connect(moderator);
    const first = await postReply(ana.agent, questionId, 'Permits, in 2019.');
    const answer = await postReply(ben.agent, questionId, 'Why permits?', first.id);

    const [onPhone, onLaptop] = await Promise.all([
      pushed(anaPhone, (n) => n.replyId === answer.id),
      pushed(anaLaptop, (n) => n.replyId === answer.id),
    ]);
    expect(onPhone).toEqual(onLaptop);
    expect(onPhone.unread).toBe(1);
    expect(onPhone.notification).toMatchObject({
      kind: 'reply_to_reply', forumId: forum.id, questionId, replyId: answer.id,
      actor: { id: ben.account.id, displayName: 'Ben Okafor' },
      data: { questionTitle: 'Which services went digital first?' },
      link: `/forums/${forum.id}/questions/${questionId}#reply-${answer.id}`, readAt: null,
    });
    // The question's author hears of both replies (once each), Ben nothing of his own.
    await pushed(modSocket, (n) => n.replyId === answer.id);
    expect((await notificationsOf(moderator)).filter((n) => n.questionId === questionId).map((n) => [n.kind, n.replyId]))
      .toEqual([['reply_to_question', answer.id], ['reply_to_question', first.id]]);

    const list = await ana.agent.get('/api/me/notifications').expect(200);
    expect(list.body).toMatchObject({ unread: 1, nextCursor: null });
    expect(list.body.groups).toEqual([
      expect.objectContaining({ forumId: forum.id, questionId, questionTitle: 'Which services went digital first?', count: 1, unread: 1, kinds: { reply_to_reply: 1 } }),
    ]);

    expect((await ana.agent.post('/api/me/notifications/read').send({ ids: [onPhone.notification!.id] }).expect(200)).body).toEqual({ unread: 0 });
    await anaLaptop.waitFor<Changed>('notifications.changed', (m) => !m.notification && m.unread === 0);
    expect((await notificationsOf(ana))[0].readAt).not.toBeNull();
  });

  it('watching a forum tells of every new question and reply; muting a thread silences it, even a reply to me', async () => {
    const { forum, questionId } = await forumWithQuestion();
    const cleoSocket = await connect(cleo);
    expect((await cleo.agent.put(`/api/me/following/forums/${forum.id}`).send({ level: 'watching' }).expect(200)).body)
      .toEqual({ forumId: forum.id, questionId: null, level: 'watching', source: 'forum' });
    const r = await postReply(ben.agent, questionId, 'Parking permits');
    await pushed(cleoSocket, (n) => n.kind === 'watched_reply' && n.replyId === r.id);
    const q2 = await moderator.agent.post(`/api/forums/${forum.id}/questions`).send({ title: 'What would you do again?' }).expect(201);
    await pushed(cleoSocket, (n) => n.kind === 'watched_question' && n.questionId === q2.body.id);

    // Ana replied, so she watches the thread and is at normal in the forum.
    const mine = await postReply(ana.agent, questionId, 'Same here');
    const anaSocket = await connect(ana);
    const byBen = await postReply(ben.agent, questionId, 'Another one');
    await pushed(anaSocket, (n) => n.kind === 'watched_reply' && n.replyId === byBen.id);
    expect((await ana.agent.get(`/api/me/following/questions/${questionId}`).expect(200)).body).toMatchObject({ level: 'watching', source: 'question' });
    expect((await ana.agent.get(`/api/me/following/forums/${forum.id}`).expect(200)).body).toMatchObject({ level: 'normal', source: 'forum' });

    await ana.agent.put(`/api/me/following/questions/${questionId}`).send({ level: 'muted' }).expect(200);
    const muted = await postReply(ben.agent, questionId, 'A reply to a muted thread', mine.id);
    // Sentinel: a reply to Ana in another thread, handled after the muted one.
    const sentinel = await postReply(ben.agent, q2.body.id, `@[Ana García](${ana.account.id}) what about you?`);
    await pushed(anaSocket, (n) => n.replyId === sentinel.id);
    expect((await notificationsOf(ana)).some((n) => n.replyId === muted.id)).toBe(false);
    // Replying again does not undo her choice.
    await postReply(ana.agent, questionId, 'Back again');
    expect((await ana.agent.get(`/api/me/following/questions/${questionId}`).expect(200)).body).toMatchObject({ level: 'muted' });

    const bad = await ana.agent.put(`/api/me/following/questions/${questionId}`).send({ level: 'loud' }).expect(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'level' })]);
  });

  it('an @mention notifies a reader once (as a mention); one of someone who cannot read notifies nobody and the author is told', async () => {
    const { forum, questionId } = await forumWithQuestion('invite_only');
    for (const p of [ana, ben]) await addMember(t, forum.id, p.account.id);
    const outsider = await signedIn(t, { displayName: 'Olga Outsider' });
    const anaSocket = await connect(ana);
    const outsiderSocket = await connect(outsider);
    const anaReply = await postReply(ana.agent, questionId, 'We started with libraries');

    const res = await ben.agent.post(`/api/questions/${questionId}/replies`)
      .send({ body: `@[Ana García](${ana.account.id}) and @[Olga](${outsider.account.id}), thoughts?`, parentId: anaReply.id }).expect(201);
    expect(res.body.unreachableMentions).toEqual([outsider.account.id]);
    const mention = await pushed(anaSocket, (n) => n.replyId === res.body.id);
    expect(mention.notification!.kind).toBe('mention');
    expect((await notificationsOf(ana)).filter((n) => n.replyId === res.body.id)).toHaveLength(1);
    // The same over the socket's reply.create.
    const benSocket = await connect(ben);
    const ack = await benSocket.request('reply.create', { clientId: crypto.randomUUID(), questionId, body: `cc @[Olga](${outsider.account.id})` });
    expect(ack.reply.unreachableMentions).toEqual([outsider.account.id]);

    // Sentinel for Olga: a reply to her in a forum she reads.
    const open = await forumWithQuestion();
    const hers = await postReply(outsider.agent, open.questionId, 'Hello');
    const toHer = await postReply(ben.agent, open.questionId, 'Welcome', hers.id);
    await pushed(outsiderSocket, (n) => n.replyId === toHer.id);
    expect((await notificationsOf(outsider)).map((n) => n.replyId)).toEqual([toHer.id]);
  });

  it('tells an author the moderators\' outcomes: featured, hidden with the reason, approved; a flagger their flag\'s outcome', async () => {
    const { forum, questionId } = await forumWithQuestion();
    const anaSocket = await connect(ana);
    const r = await postReply(ana.agent, questionId, 'Open data first');
    const act = (body: object) => moderator.agent.post('/api/moderation/acts').send(body).expect(200);
    await act({ act: 'reply.feature', replyId: r.id });
    expect((await pushed(anaSocket, (n) => n.kind === 'reply_featured')).notification).toMatchObject({ replyId: r.id, actor: null, questionId });
    await act({ act: 'reply.hide', replyId: r.id, reason: 'Personal data in the text' });
    expect((await pushed(anaSocket, (n) => n.kind === 'reply_hidden')).notification!.data).toMatchObject({ reason: 'Personal data in the text' });

    await act({ act: 'forum.settings', forumId: forum.id, premoderation: true });
    const pending = await postReply(cleo.agent, questionId, 'Awaiting approval', r.id);
    expect(pending.state).toBe('pending');
    const cleoSocket = await connect(cleo);
    await act({ act: 'reply.approve', replyId: pending.id });
    await pushed(cleoSocket, (n) => n.kind === 'reply_approved' && n.replyId === pending.id);
    // Approval is when the reply appears: only then does the parent's author hear of it.
    await pushed(anaSocket, (n) => n.kind === 'reply_to_reply' && n.replyId === pending.id);
    await act({ act: 'forum.settings', forumId: forum.id, premoderation: false });

    const flagged = await postReply(ben.agent, questionId, 'Buy cheap watches');
    await cleo.agent.post(`/api/replies/${flagged.id}/flags`).send({ reason: 'spam' }).expect(201);
    await act({ act: 'flags.resolve', replyId: flagged.id, outcome: 'uphold', removal: 'hide', reason: 'Spam' });
    expect((await pushed(cleoSocket, (n) => n.kind === 'flag_resolved')).notification).toMatchObject({ replyId: flagged.id, data: { outcome: 'upheld', flagReason: 'spam' } });
  });

  it('tells a moderator their invitation was accepted', async () => {
    const { forum } = await forumWithQuestion('invite_only');
    const modSocket = await connect(moderator);
    const inv = await moderator.agent.post(`/api/forums/${forum.id}/invitations`).send({}).expect(201);
    await cleo.agent.post('/api/invitations/accept').send({ token: inv.body.token }).expect(200);
    const got = await pushed(modSocket, (n) => n.kind === 'invitation_accepted' && n.forumId === forum.id);
    expect(got.notification).toMatchObject({ actor: { id: cleo.account.id }, questionId: null, link: `/forums/${forum.id}` });
  });

  it('an accepted invitation no notifier heard of (a crash after commit) is caught up, once', async () => {
    const { forum } = await forumWithQuestion('invite_only');
    const triggers = t.app.get(NotificationTriggers);
    await triggers.settled();
    const inv = await moderator.agent.post(`/api/forums/${forum.id}/invitations`).send({}).expect(201);
    triggers.stop();
    try {
      await ben.agent.post('/api/invitations/accept').send({ token: inv.body.token }).expect(200);
      await triggers.settled();
      const ofInvitation = async () => (await notificationsOf(moderator)).filter((n) => n.kind === 'invitation_accepted' && n.forumId === forum.id);
      expect(await ofInvitation()).toEqual([]);
      await triggers.catchUpAll();
      expect((await ofInvitation()).map((n) => [n.actor?.id, n.data.invitationId])).toEqual([[ben.account.id, inv.body.invitation.id]]);
      // Caught up again (and by a second pass that reads the last minute again): nothing twice.
      await triggers.catchUpAll();
      expect(await ofInvitation()).toHaveLength(1);
    } finally {
      triggers.start();
    }
  });

  it('each event notifies each recipient once, however often it is handled', async () => {
    const { forum, questionId } = await forumWithQuestion();
    const mine = await postReply(ana.agent, questionId, 'Mine');
    const anaSocket = await connect(ana);
    const answer = await postReply(ben.agent, questionId, 'Yours', mine.id);
    await pushed(anaSocket, (n) => n.replyId === answer.id);
    const log = t.app.get(ForumEventLog);
    const events = await log.range(forum.id, 0, await log.position(forum.id));
    const triggers = t.app.get(NotificationTriggers);
    await triggers.onForumEvents(events);
    await triggers.onForumEvents(events);
    expect((await notificationsOf(ana)).filter((n) => n.replyId === answer.id)).toHaveLength(1);
  });

  it('events committed while no notifier ran notify once it runs again (at start), and nothing twice', async () => {
    const { questionId } = await forumWithQuestion();
    const mine = await postReply(ana.agent, questionId, 'Mine, before the crash');
    const triggers = t.app.get(NotificationTriggers);
    await triggers.settled();
    // The notifier dies right after these writes commit: nobody hears of them in process.
    triggers.stop();
    const lost = await postReply(ben.agent, questionId, 'Answered while the notifier was down', mine.id);
    const mention = await postReply(cleo.agent, questionId, `Ask @[Ben Okafor](${ben.account.id})`);
    await triggers.settled();
    expect((await notificationsOf(ana)).some((n) => n.replyId === lost.id)).toBe(false);

    // Another process starts on the same database: it catches up from the event log.
    const restarted = await startTestApp();
    try {
      await restarted.app.get(NotificationTriggers).settled();
      // And the first process's own catch-up handles the same events again: harmless.
      await triggers.catchUpAll();
      const anaGot = (await notificationsOf(ana)).filter((n) => n.replyId === lost.id);
      expect(anaGot.map((n) => n.kind)).toEqual(['reply_to_reply']);
      expect((await notificationsOf(ben)).filter((n) => n.replyId === mention.id).map((n) => n.kind)).toEqual(['mention']);
      expect((await notificationsOf(moderator)).filter((n) => n.replyId === lost.id || n.replyId === mention.id)).toHaveLength(2);
    } finally {
      await restarted.close();
      triggers.start();
    }
  });

  /** A forum with Ana's reply, its notifier caught up then stopped (the test drives catch-ups itself, and it restarts after). */
  async function withNotifierPaused(run: (s: { forum: { id: number }; questionId: number; mine: { id: string }; triggers: NotificationTriggers; attempts: number }) => Promise<void>) {
    const { forum, questionId } = await forumWithQuestion();
    const mine = await postReply(ana.agent, questionId, 'Mine');
    const triggers = t.app.get(NotificationTriggers);
    const attempts = t.app.get(AppConfig).NOTIFIER_ATTEMPTS;
    await triggers.settled();
    triggers.stop();
    try {
      await run({ forum, questionId, mine, triggers, attempts });
    } finally {
      triggers.start();
    }
  }

  it('an event that always fails is tried NOTIFIER_ATTEMPTS times, recorded as dead, and the events after it still notify', () =>
    withNotifierPaused(async ({ forum, questionId, mine, triggers, attempts }) => {
      const poison = await postReply(ben.agent, questionId, 'This one cannot be handled', mine.id);
      const later = await postReply(ben.agent, questionId, 'This one comes after it', mine.id);
      // A poison event: its payload names a reply id that no query can read.
      const [, changed]: [unknown, number] = await t.dataSource.query(
        `UPDATE forum_event SET payload = jsonb_set(payload, '{reply,id}', '"not-a-number"')
          WHERE forum_id = $1 AND type = 'reply.created' AND payload->'reply'->>'id' = $2`,
        [forum.id, poison.id],
      );
      expect(changed).toBe(1);
      const dead = () => t.dataSource.query(`SELECT event_type, attempts, error FROM notification_dead_letter WHERE stream = 'forum' AND stream_id = $1`, [forum.id]);
      const anaGot = async () => (await notificationsOf(ana)).filter((n) => n.replyId === poison.id || n.replyId === later.id).map((n) => n.replyId);
      for (let i = 1; i < attempts; i++) {
        await triggers.catchUpAll();
        // Still retrying: nothing recorded, and the later event waits behind it (a stream's order holds).
        expect(await dead()).toEqual([]);
        expect(await anaGot()).toEqual([]);
      }
      await triggers.catchUpAll();
      expect(await dead()).toEqual([{ event_type: 'reply.created', attempts, error: expect.stringContaining('bigint') }]);
      expect(await anaGot()).toEqual([later.id]);
    }));

  it('an event met by an unavailable database waits for it without using up its attempts, then notifies', () =>
    withNotifierPaused(async ({ forum, questionId, mine, triggers, attempts }) => {
      // PostgreSQL's own "cannot connect now" (57P03, what a server starting up answers) for every notification written.
      await t.dataSource.query(`CREATE FUNCTION test_notification_outage() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the database system is starting up' USING ERRCODE = '57P03'; END $$`);
      await t.dataSource.query(`CREATE TRIGGER test_notification_outage BEFORE INSERT ON notification FOR EACH ROW EXECUTE FUNCTION test_notification_outage()`);
      try {
        const answer = await postReply(ben.agent, questionId, 'An answer during the outage', mine.id);
        const anaGot = async () => (await notificationsOf(ana)).filter((n) => n.replyId === answer.id).map((n) => n.replyId);
        for (let i = 0; i < attempts + 1; i++) await triggers.catchUpAll();
        expect(await t.dataSource.query(`SELECT 1 FROM notification_dead_letter WHERE stream = 'forum' AND stream_id = $1`, [forum.id])).toEqual([]);
        expect(await anaGot()).toEqual([]);
        await t.dataSource.query(`DROP TRIGGER test_notification_outage ON notification`);
        await triggers.catchUpAll();
        expect(await anaGot()).toEqual([answer.id]);
      } finally {
        await t.dataSource.query(`DROP TRIGGER IF EXISTS test_notification_outage ON notification`);
        await t.dataSource.query(`DROP FUNCTION IF EXISTS test_notification_outage()`);
      }
    }));

  it('lists the forum\'s people matching a prefix for the @mention autocomplete, only those who can read it, only to its readers', async () => {
    const { forum, questionId } = await forumWithQuestion('invite_only');
    for (const p of [ana, ben]) await addMember(t, forum.id, p.account.id, 'member');
    await postReply(ben.agent, questionId, 'Mine');
    const names = async (prefix: string) =>
      (await ana.agent.get(`/api/forums/${forum.id}/participants`).query({ prefix }).expect(200)).body.items.map((p: { displayName: string }) => p.displayName);
    expect(await names('ma')).toEqual(['Marta Moderator']);
    // The start of any word of the name.
    expect(await names('Oka')).toEqual(['Ben Okafor']);
    // Not myself, and no wildcards.
    expect(await names('Ana')).toEqual([]);
    expect(await names('%')).toEqual([]);
    // Someone who can no longer read the forum is not offered (a mention would notify nobody).
    await t.dataSource.query(`UPDATE forum_membership SET state = 'removed', updated_at = now() WHERE forum_id = $1 AND account_id = $2`, [forum.id, ben.account.id]);
    expect(await names('Oka')).toEqual([]);

    await cleo.agent.get(`/api/forums/${forum.id}/participants`).query({ prefix: 'ma' }).expect(404);
    await t.agent().get(`/api/forums/${forum.id}/participants`).query({ prefix: 'ma' }).expect(401);
    const bad = await ana.agent.get(`/api/forums/${forum.id}/participants`).expect(400);
    expect(JSON.stringify(bad.body)).toContain('prefix');
  });

  it('tells moderators of new items in their queue, batched: one unread per forum per burst', async () => {
    const { forum, questionId } = await forumWithQuestion();
    const queueOf = async () => (await notificationsOf(moderator)).filter((n) => n.kind === 'moderation_queue' && n.forumId === forum.id);
    await t.dataSource.query(`UPDATE forum SET premoderation = true WHERE id = $1`, [forum.id]);
    const first = await postReply(ben.agent, questionId, 'Pending one');
    await postReply(cleo.agent, questionId, 'Pending two');
    expect(first.state).toBe('pending');
    await t.dataSource.query(`UPDATE forum SET premoderation = false WHERE id = $1`, [forum.id]);
    // Sentinel: a visible reply to the moderator's question, handled after both pending ones.
    const sentinel = await postReply(ben.agent, questionId, 'Visible');
    await eventually(async () => {
      expect((await notificationsOf(moderator)).some((n) => n.replyId === sentinel.id)).toBe(true);
    }, 10_000);
    const burst = await queueOf();
    expect(burst).toHaveLength(1);
    expect(burst[0]).toMatchObject({ link: `/forums/${forum.id}/moderation`, readAt: null });
    // The author is no moderator: nothing for them.
    expect((await notificationsOf(ben)).some((n) => n.kind === 'moderation_queue')).toBe(false);

    // Read: the next item starts a new burst.
    await moderator.agent.post('/api/me/notifications/read').send({ ids: [burst[0].id] }).expect(200);
    await t.dataSource.query(`UPDATE forum SET premoderation = true WHERE id = $1`, [forum.id]);
    await postReply(cleo.agent, questionId, 'Pending three');
    await eventually(async () => {
      expect(await queueOf()).toHaveLength(2);
    }, 10_000);
  });

  it('keeps the same unread state across a reconnect, with what arrived meanwhile; a forum I lose drops out', async () => {
    const { forum, questionId } = await forumWithQuestion('members');
    const dan = await signedIn(t, { displayName: 'Dan Dupont' });
    const mine = await postReply(dan.agent, questionId, 'Tram first');
    const before = await unreadOf(dan);
    let socket = await connect(dan);
    const one = await postReply(ben.agent, questionId, 'Why trams?', mine.id);
    expect((await pushed(socket, (n) => n.replyId === one.id)).unread).toBe(before + 1);
    socket.close();
    const two = await postReply(cleo.agent, questionId, 'And buses?', mine.id);
    socket = await connect(dan);
    // Sentinel: a third one, live on the new socket; the one made while away is in the list.
    const three = await postReply(ben.agent, questionId, 'Still there?', mine.id);
    expect((await pushed(socket, (n) => n.replyId === three.id)).unread).toBe(before + 3);
    expect((await notificationsOf(dan)).slice(0, 3).map((n) => n.replyId)).toEqual([three.id, two.id, one.id]);
    expect(await unreadOf(dan)).toBe(before + 3);

    // Removed from the members-only forum: what it held is no longer shown or counted.
    await addMember(t, forum.id, dan.account.id, 'member');
    await t.dataSource.query(`UPDATE forum_membership SET state = 'removed' WHERE forum_id = $1 AND account_id = $2`, [forum.id, dan.account.id]);
    expect(await unreadOf(dan)).toBe(before);
    expect((await notificationsOf(dan)).some((n) => n.forumId === forum.id)).toBe(false);
  });

  it('refuses what it should: anonymous 401, a mark-read naming nothing 400', async () => {
    expect((await t.agent().get('/api/me/notifications').expect(401)).body.code).toBe('unauthenticated');
    const res = await ana.agent.post('/api/me/notifications/read').send({}).expect(400);
    expect(res.body).toMatchObject({ code: 'validation_failed', details: [{ field: 'ids', message: expect.any(String) }] });
    expect((await ana.agent.post('/api/me/notifications/read').send({ ids: ['x'] }).expect(400)).body.details[0].field).toBe('ids');
    expect((await ana.agent.post('/api/me/notifications/read').send({ all: true }).expect(200)).body).toEqual({ unread: 0 });
  });

  describe('unread positions', () => {
    it('counts new replies per thread, lands on the first unread one in tree order, and marks questions new since the last visit', async () => {
      const { forum, questionId } = await forumWithQuestion();
      const a = await postReply(ben.agent, questionId, 'First');
      // Never opened: no position, nothing counted as "new" yet.
      expect((await ana.agent.get(`/api/questions/${questionId}/read-position`).expect(200)).body)
        .toEqual({ questionId, lastReadReplyId: null, unread: 0, firstUnreadReplyId: null });
      await ana.agent.post(`/api/forums/${forum.id}/visit`).expect(200);
      await ana.agent.put(`/api/questions/${questionId}/read-position`).send({ replyId: a.id }).expect(200);

      const b = await postReply(ben.agent, questionId, 'Second (top level)');
      const c = await postReply(cleo.agent, questionId, 'Under the first', a.id);
      await postReply(ana.agent, questionId, 'My own does not count');
      const position = (await ana.agent.get(`/api/questions/${questionId}/read-position`).expect(200)).body;
      // Tree order: a, c (under a), b.
      expect(position).toEqual({ questionId, lastReadReplyId: a.id, unread: 2, firstUnreadReplyId: c.id });
      // Never moves back.
      await ana.agent.put(`/api/questions/${questionId}/read-position`).send({ replyId: a.id }).expect(200);
      expect((await ana.agent.get(`/api/questions/${questionId}/read-position`).expect(200)).body.unread).toBe(2);

      const q2 = await moderator.agent.post(`/api/forums/${forum.id}/questions`).send({ title: 'A newer question' }).expect(201);
      const unread = (await ana.agent.get(`/api/forums/${forum.id}/unread`).expect(200)).body;
      expect(unread.questions).toEqual([
        { questionId, read: true, newReplies: 2, isNew: false },
        { questionId: q2.body.id, read: false, newReplies: 0, isNew: true },
      ]);
      // The client sends the newest reply it has shown (ids grow with time, whatever the tree order).
      const done = (await ana.agent.put(`/api/questions/${questionId}/read-position`).send({ replyId: c.id > b.id ? c.id : b.id }).expect(200)).body;
      expect(done).toMatchObject({ unread: 0, firstUnreadReplyId: null });
      expect((await ana.agent.put(`/api/questions/${questionId}/read-position`).send({ replyId: 'x' }).expect(400)).body.details[0].field).toBe('replyId');
    });

    it('marks the sessions with new activity in the forums I follow, until I visit', async () => {
      const { forum, questionId } = await forumWithQuestion();
      const dana = await signedIn(t, { displayName: 'Dana' });
      await dana.agent.put(`/api/me/following/forums/${forum.id}`).send({ level: 'normal' }).expect(200);
      await dana.agent.post(`/api/forums/${forum.id}/visit`).expect(200);
      expect((await dana.agent.get('/api/me/activity').expect(200)).body.sessions).toEqual([]);
      await postReply(ben.agent, questionId, 'Something new');
      expect((await dana.agent.get('/api/me/activity').expect(200)).body.sessions).toEqual([{ sessionId: forum.sessionId, forumIds: [forum.id] }]);
      await dana.agent.post(`/api/forums/${forum.id}/visit`).expect(200);
      expect((await dana.agent.get('/api/me/activity').expect(200)).body.sessions).toEqual([]);
    });

    it('reading a thread reads its notifications', async () => {
      const { questionId } = await forumWithQuestion();
      const mine = await postReply(ana.agent, questionId, 'Mine');
      const anaSocket = await connect(ana);
      const answer = await postReply(ben.agent, questionId, 'Answer', mine.id);
      await pushed(anaSocket, (n) => n.replyId === answer.id);
      await ana.agent.put(`/api/questions/${questionId}/read-position`).send({ replyId: answer.id }).expect(200);
      expect((await notificationsOf(ana)).find((n) => n.replyId === answer.id)!.readAt).not.toBeNull();
    });
  });
});
