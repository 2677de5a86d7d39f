import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { TestApp } from './support/app.js';
import { addMember, newQuestion } from './support/fixtures.js';
import {
  moderationScene, act, actOk, eventOf, postReply, recordRows, replyCount, stage, thread, typesOf, type Cast, type Person, type Stage,
} from './support/moderation.js';
import { signedIn } from './support/people.js';
import { connectSocket, sessionCookie } from './support/sockets.js';

/**
 * Issue 7's rules for members: flags and the threshold that hides a reply
 * pending review, the moderators' queue, pre-moderation (pending replies
 * reach only their author and the moderators, live and on replay), slow
 * mode and hourly limits, silencing.
 */
describe('moderation rules', () => {
  const scene = moderationScene();
  let t: TestApp;
  let cast: Cast;
  const extra: Person[] = [];
  beforeAll(() => {
    ({ t, cast } = scene);
  });
  afterAll(() => {
    for (const p of extra) p.socket.close();
  });

  /** One more member of the stage's forum, with a socket following it. */
  const member = async (s: Stage, name: string): Promise<Person> => {
    const { account, agent } = await signedIn(t, { displayName: name });
    const socket = await connectSocket(t.url, { cookie: await sessionCookie(t.url, account) });
    extra.push({ account, agent, socket });
    await addMember(t, s.forumId, account.id);
    expect(await socket.request('forum.subscribe', { forumId: s.forumId })).toMatchObject({ forumId: s.forumId });
    return { account, agent, socket };
  };

  /** A public event after everything before it: once a socket has it, it would have had anything sent before. */
  const sentinel = async (s: Stage, who: Person[]) => {
    const q = await newQuestion(t, s.forumId);
    await actOk(cast.moderator, 'http', { act: 'question.pin', questionId: q.id });
    for (const p of who) await eventOf(p.socket, s.forumId, 'question.updated', (e) => e.questionId === q.id);
  };

  describe('flags', () => {
    it('one per member per reply; the threshold hides the reply pending review; the queue shows it; dismissing restores it and tells the flaggers', async () => {
      const s = await stage(t, cast);
      expect((await cast.reader.agent.get(`/api/forums/${s.forumId}/moderation/settings`).expect(200)).body).toMatchObject({ flagThreshold: 3, flagThresholdIsDefault: true });
      await actOk(cast.moderator, 'http', { act: 'forum.settings', forumId: s.forumId, flagThreshold: 2 });
      const r = await postReply(cast.author.agent, s.questionId, 'Questionable');
      const second = await member(s, 'Second flagger');

      const first = await cast.reader.agent.post(`/api/replies/${r.id}/flags`).send({ reason: 'off_topic', note: 'Not about mobility' }).expect(201);
      expect(first.body).toEqual({
        id: expect.any(String), replyId: r.id, questionId: s.questionId, forumId: s.forumId, reason: 'off_topic', note: 'Not about mobility',
        state: 'open', createdAt: expect.any(String), resolvedAt: null,
      });
      expect((await cast.reader.agent.post(`/api/replies/${r.id}/flags`).send({ reason: 'spam' }).expect(409)).body.code).toBe('already_flagged');
      expect((await cast.author.agent.post(`/api/replies/${r.id}/flags`).send({ reason: 'spam' }).expect(403)).body.code).toBe('own_reply');
      expect((await cast.reader.agent.post(`/api/replies/${r.id}/flags`).send({ reason: 'rude' }).expect(400)).body.details[0].field).toBe('reason');
      expect((await t.agent().post(`/api/replies/${r.id}/flags`).send({ reason: 'spam' }).expect(401)).body.code).toBe('unauthenticated');
      await eventOf(cast.moderator.socket, s.forumId, 'moderation.queue', (e) => (e.payload as any).change === 'added');
      expect((await thread(cast.reader.agent, s.questionId))[0]!.state).toBe('visible');

      // The second distinct member reaches the forum's threshold (2): hidden, recorded as the system's act.
      const ack = await second.socket.request('reply.flag', { replyId: r.id, reason: 'abusive' });
      expect(ack).toEqual({ flag: expect.objectContaining({ replyId: r.id, reason: 'abusive', state: 'open' }) });
      const hidden = await eventOf(cast.reader.socket, s.forumId, 'reply.hidden');
      expect(hidden.payload).toEqual({ reply: expect.objectContaining({ id: r.id, state: 'hidden', bodyHtml: null, stateReason: expect.stringContaining('flagged') }) });
      expect((await thread(cast.reader.agent, s.questionId))[0]).toMatchObject({ state: 'hidden', bodyHtml: null });
      expect((await thread(cast.moderator.agent, s.questionId))[0]).toMatchObject({ state: 'hidden', bodyHtml: '<p>Questionable</p>' });
      expect(await replyCount(cast.reader.agent, s.questionId)).toBe(0);
      const rows = await recordRows(t, s.forumId);
      expect(rows.at(-1)).toMatchObject({ act: 'reply.hide', actor_id: null, target_id: r.id });

      const queue = (await cast.moderator.agent.get(`/api/forums/${s.forumId}/moderation/queue`).expect(200)).body;
      expect(queue.items).toEqual([{
        kind: 'flags', since: expect.any(String), reply: expect.objectContaining({ id: r.id, bodySource: 'Questionable' }),
        counts: { spam: 0, off_topic: 1, abusive: 1, other: 0 },
        flags: [
          expect.objectContaining({ reason: 'off_topic', note: 'Not about mobility', by: { id: cast.reader.account.id, displayName: 'Reader' } }),
          expect.objectContaining({ reason: 'abusive', note: null, by: { id: second.account.id, displayName: 'Second flagger' } }),
        ],
      }]);
      expect((await cast.reader.agent.get(`/api/forums/${s.forumId}/moderation/queue`).expect(403)).body.code).toBe('not_moderator');

      const resolved = await actOk(cast.moderator, 'socket', { act: 'flags.resolve', replyId: r.id, outcome: 'dismiss', reason: 'Fair criticism' });
      expect(resolved).toMatchObject({ resolvedFlags: 2, reply: { state: 'visible', stateReason: null } });
      for (const flagger of [cast.reader, second]) {
        const told = await eventOf(flagger.socket, s.forumId, 'flag.resolved');
        expect(told.payload).toEqual({ flag: expect.objectContaining({ replyId: r.id, state: 'dismissed' }) });
        const mine = (await flagger.agent.get('/api/me/flags').expect(200)).body.items;
        expect(mine[0]).toMatchObject({ replyId: r.id, state: 'dismissed', resolvedAt: expect.any(String) });
      }
      await eventOf(cast.reader.socket, s.forumId, 'reply.unhidden');
      expect(await replyCount(cast.reader.agent, s.questionId)).toBe(1);
      await sentinel(s, [cast.author]);
      // Only the flaggers hear the outcome.
      expect(typesOf(cast.author.socket, s.forumId)).not.toContain('flag.resolved');
      expect((await cast.moderator.agent.get(`/api/forums/${s.forumId}/moderation/queue`).expect(200)).body.items).toEqual([]);
      expect((await recordRows(t, s.forumId)).find((row) => row.act === 'flag.dismiss')).toMatchObject({ actor_id: cast.moderator.account.id, target_id: r.id, reason: 'Fair criticism' });
    });

    it('upholding deletes or keeps the reply hidden, and a moderator\'s hide is not undone by dismissing', async () => {
      const s = await stage(t, cast);
      const spam = await postReply(cast.author.agent, s.questionId, 'Cheap watches');
      const hiddenByModerator = await postReply(cast.author.agent, s.questionId, 'Hidden by a moderator');
      await cast.reader.agent.post(`/api/replies/${spam.id}/flags`).send({ reason: 'spam' }).expect(201);
      await actOk(cast.moderator, 'http', { act: 'flags.resolve', replyId: spam.id, outcome: 'uphold', removal: 'delete', reason: 'Spam' });
      expect((await thread(cast.reader.agent, s.questionId))[0]).toMatchObject({ id: spam.id, state: 'deleted', stateReason: 'Spam' });
      await actOk(cast.moderator, 'http', { act: 'reply.hide', replyId: hiddenByModerator.id, reason: 'Off topic' });
      await cast.reader.agent.post(`/api/replies/${hiddenByModerator.id}/flags`).send({ reason: 'other' }).expect(201);
      await actOk(cast.moderator, 'http', { act: 'flags.resolve', replyId: hiddenByModerator.id, outcome: 'dismiss' });
      expect((await thread(cast.reader.agent, s.questionId))[1]).toMatchObject({ id: hiddenByModerator.id, state: 'hidden', stateReason: 'Off topic' });
      expect((await cast.reader.agent.post(`/api/replies/${hiddenByModerator.id}/flags`).send({ reason: 'spam' }).expect(409)).body.code).toBe('already_flagged');
      const other = await member(s, 'Late flagger');
      expect((await other.agent.post(`/api/replies/${spam.id}/flags`).send({ reason: 'spam' }).expect(409)).body.code).toBe('reply_deleted');
      const removals = (await t.agent().get(`/api/forums/${s.forumId}/moderation/removals`).expect(200)).body;
      expect(removals.totals).toEqual([{ act: 'flag.uphold', count: 1 }, { act: 'reply.hide', count: 1 }]);
    });

    it('a moderator\'s unhide dismisses the open flags (recorded, queue cleared, flaggers told), so a later flag counts afresh', async () => {
      const s = await stage(t, cast);
      await actOk(cast.moderator, 'http', { act: 'forum.settings', forumId: s.forumId, flagThreshold: 2 });
      const r = await postReply(cast.author.agent, s.questionId, 'Flagged but fine');
      const second = await member(s, 'Second flagger');
      const third = await member(s, 'Third flagger');
      await cast.reader.agent.post(`/api/replies/${r.id}/flags`).send({ reason: 'spam' }).expect(201);
      await second.agent.post(`/api/replies/${r.id}/flags`).send({ reason: 'other' }).expect(201);
      expect((await thread(cast.reader.agent, s.questionId))[0]).toMatchObject({ id: r.id, state: 'hidden' });

      const result = await actOk(cast.moderator, 'socket', { act: 'reply.unhide', replyId: r.id, reason: 'Reviewed: it stays' });
      expect(result).toMatchObject({ reply: { state: 'visible', stateReason: null }, resolvedFlags: 2 });
      expect(result.actions.map((a: { act: string }) => a.act)).toEqual(['reply.unhide', 'flag.dismiss']);
      expect(result.actions[1]).toMatchObject({
        actor: { id: cast.moderator.account.id }, targetId: r.id, reason: 'Reviewed: it stays',
        before: { state: 'hidden', openFlags: 2 }, after: { state: 'visible' },
      });
      const removed = await eventOf(cast.moderator.socket, s.forumId, 'moderation.queue', (e) => (e.payload as any).change === 'removed');
      expect(removed.payload).toEqual({ replyId: r.id, questionId: s.questionId, kind: 'flags', change: 'removed' });
      for (const flagger of [cast.reader, second]) {
        const told = await eventOf(flagger.socket, s.forumId, 'flag.resolved', (e) => (e.payload as any).flag.replyId === r.id);
        expect(told.payload).toEqual({ flag: expect.objectContaining({ state: 'dismissed', resolvedAt: expect.any(String) }) });
        const mine = (await flagger.agent.get(`/api/me/flags?forumId=${s.forumId}`).expect(200)).body.items;
        expect(mine.map((f: { replyId: string; state: string }) => [f.replyId, f.state])).toEqual([[r.id, 'dismissed']]);
      }
      expect((await cast.moderator.agent.get(`/api/forums/${s.forumId}/moderation/queue`).expect(200)).body.items).toEqual([]);

      // One new flag is one open flag, below the threshold of 2: the reply stays visible, back in the queue with that flag only.
      await third.agent.post(`/api/replies/${r.id}/flags`).send({ reason: 'abusive' }).expect(201);
      expect((await thread(cast.reader.agent, s.questionId))[0]).toMatchObject({ id: r.id, state: 'visible' });
      const queue = (await cast.moderator.agent.get(`/api/forums/${s.forumId}/moderation/queue`).expect(200)).body.items;
      expect(queue).toEqual([expect.objectContaining({ kind: 'flags', counts: { spam: 0, off_topic: 0, abusive: 1, other: 0 } })]);

      // Hidden by a moderator while flagged: unhiding settles those flags too.
      const other = await postReply(cast.author.agent, s.questionId, 'Hidden by hand');
      await actOk(cast.moderator, 'http', { act: 'reply.hide', replyId: other.id, reason: 'Checking' });
      await cast.reader.agent.post(`/api/replies/${other.id}/flags`).send({ reason: 'spam' }).expect(201);
      expect((await actOk(cast.moderator, 'http', { act: 'reply.unhide', replyId: other.id })).resolvedFlags).toBe(1);
      expect((await cast.reader.agent.get(`/api/me/flags?forumId=${s.forumId}`).expect(200)).body.items[0]).toMatchObject({ replyId: other.id, state: 'dismissed' });
    });
  });

  describe('pre-moderation', () => {
    it('holds a newcomer\'s first replies: only the author and the moderators see them, live and on replay; approval publishes them', async () => {
      const s = await stage(t, cast);
      await actOk(cast.moderator, 'http', { act: 'forum.settings', forumId: s.forumId, premoderateFirstReplies: 1 });
      const first = await postReply(cast.author.agent, s.questionId, 'My first words');
      expect(first.state).toBe('pending');
      // Over the socket, the same rule.
      const viaSocket = await cast.author.socket.request('reply.create', { clientId: randomUUID(), questionId: s.questionId, body: 'And more' });
      expect(viaSocket.reply).toMatchObject({ state: 'pending' });
      for (const p of [cast.author, cast.moderator, cast.admin]) {
        const created = await eventOf(p.socket, s.forumId, 'reply.created', (e) => (e.payload as any).reply.id === first.id);
        expect(created.payload).toEqual({ reply: expect.objectContaining({ state: 'pending', bodyHtml: '<p>My first words</p>' }) });
      }
      await sentinel(s, [cast.reader]);
      expect(typesOf(cast.reader.socket, s.forumId)).not.toContain('reply.created');
      expect(await thread(cast.reader.agent, s.questionId)).toEqual([]);
      expect((await thread(cast.author.agent, s.questionId)).map((r) => r.state)).toEqual(['pending', 'pending']);
      expect(await replyCount(cast.author.agent, s.questionId)).toBe(0);
      const queue = (await cast.moderator.agent.get(`/api/forums/${s.forumId}/moderation/queue?kind=pending&limit=1`).expect(200)).body;
      expect(queue.items).toEqual([{ kind: 'pending', since: expect.any(String), reply: expect.objectContaining({ id: first.id }) }]);
      const next = (await cast.moderator.agent.get(`/api/forums/${s.forumId}/moderation/queue?kind=pending&limit=1&after=${queue.nextCursor}`).expect(200)).body;
      expect(next.items.map((i: { reply: { id: string } }) => i.reply.id)).toEqual([viaSocket.reply.id]);
      expect(next.nextCursor).toBeNull();

      // Reconnecting: the replay follows the same audiences.
      const replayed = async (p: Person) => {
        const socket = await connectSocket(t.url, { cookie: await sessionCookie(t.url, p.account) });
        try {
          await socket.request('forum.subscribe', { forumId: s.forumId, lastSeq: 0 });
          return socket.forumEvents(s.forumId).filter((e) => e.type === 'reply.created').map((e) => (e.payload as any).reply.id);
        } finally {
          socket.close();
        }
      };
      expect(await replayed(cast.author)).toEqual([first.id, viaSocket.reply.id]);
      expect(await replayed(cast.moderator)).toEqual([first.id, viaSocket.reply.id]);
      expect(await replayed(cast.reader)).toEqual([]);

      await actOk(cast.moderator, 'http', { act: 'reply.approve', replyId: first.id });
      const approved = await eventOf(cast.reader.socket, s.forumId, 'reply.approved');
      expect(approved.payload).toEqual({ reply: expect.objectContaining({ id: first.id, state: 'visible', bodyHtml: '<p>My first words</p>' }) });
      expect((await thread(cast.reader.agent, s.questionId)).map((r) => r.id)).toEqual([first.id]);
      expect(await replyCount(cast.reader.agent, s.questionId)).toBe(1);
      // One approved reply is enough here: the next one is published at once.
      expect((await postReply(cast.author.agent, s.questionId, 'Trusted now')).state).toBe('visible');
      // Moderators are never held.
      expect((await postReply(cast.moderator.agent, s.questionId, 'From the moderator')).state).toBe('visible');
    });

    it('holds every reply of a pre-moderated forum; a rejected one stays with its author', async () => {
      const s = await stage(t, cast);
      await actOk(cast.moderator, 'socket', { act: 'forum.settings', forumId: s.forumId, premoderation: true });
      const r = await postReply(cast.reader.agent, s.questionId, 'Needs a look');
      expect(r.state).toBe('pending');
      const rejected = await actOk(cast.moderator, 'socket', { act: 'reply.reject', replyId: r.id, reason: 'Duplicate of an earlier reply' });
      expect(rejected.reply).toMatchObject({ state: 'rejected', stateReason: 'Duplicate of an earlier reply' });
      await eventOf(cast.reader.socket, s.forumId, 'reply.rejected');
      await sentinel(s, [cast.author]);
      expect(typesOf(cast.author.socket, s.forumId)).not.toContain('reply.rejected');
      expect((await thread(cast.reader.agent, s.questionId)).map((x) => x.state)).toEqual(['rejected']);
      expect(await thread(cast.author.agent, s.questionId)).toEqual([]);
    });
  });

  describe('slow mode and limits', () => {
    it('paces replies per question and per forum, over HTTP and the socket alike, and tells when to post again', async () => {
      const s = await stage(t, cast);
      await actOk(cast.moderator, 'http', { act: 'question.slow_mode', questionId: s.questionId, seconds: 600 });
      await postReply(cast.author.agent, s.questionId, 'First');
      const http = await cast.author.agent.post(`/api/questions/${s.questionId}/replies`).send({ body: 'Too soon' }).expect(429);
      expect(http.body).toMatchObject({ code: 'slow_mode', message: expect.stringMatching(/post again in \d+ s/), details: [{ field: 'retryAt', message: expect.any(String) }] });
      const retryAt = Date.parse(http.body.details[0].message);
      expect(retryAt).toBeGreaterThan(Date.now() + 500_000);
      const socket = await cast.author.socket.request('reply.create', { clientId: randomUUID(), questionId: s.questionId, body: 'Too soon again' });
      expect(socket).toMatchObject({ error: { status: 429, code: 'slow_mode' } });
      // Others, other questions and moderators are not held.
      await postReply(cast.reader.agent, s.questionId, 'My first here');
      const other = (await newQuestion(t, s.forumId)).id;
      await postReply(cast.author.agent, other, 'Elsewhere');
      await postReply(cast.moderator.agent, s.questionId, 'Moderator 1');
      await postReply(cast.moderator.agent, s.questionId, 'Moderator 2');
      // Turned off: free again.
      await actOk(cast.moderator, 'http', { act: 'question.slow_mode', questionId: s.questionId, seconds: null });
      await postReply(cast.author.agent, s.questionId, 'Now');

      // Forum-wide: one reply per person per N seconds anywhere in the forum; and an hourly cap.
      await actOk(cast.moderator, 'http', { act: 'forum.settings', forumId: s.forumId, slowModeSeconds: 300 });
      expect((await cast.author.agent.post(`/api/questions/${other}/replies`).send({ body: 'x' }).expect(429)).body.code).toBe('slow_mode');
      await actOk(cast.moderator, 'http', { act: 'forum.settings', forumId: s.forumId, slowModeSeconds: null, maxRepliesPerHour: 2 });
      await postReply(cast.reader.agent, other, 'Second of the hour');
      expect((await cast.reader.agent.post(`/api/questions/${other}/replies`).send({ body: 'Third' }).expect(429)).body.code).toBe('slow_mode');
    });
  });

  describe('silencing', () => {
    it('stops a member posting or editing in one forum until the time, over HTTP and the socket, and tells them', async () => {
      const s = await stage(t, cast);
      const elsewhere = await stage(t, cast);
      const own = await postReply(cast.reader.agent, s.questionId, 'Before');
      const until = new Date(Date.now() + 2 * 3600_000).toISOString();
      const result = await actOk(cast.moderator, 'socket', { act: 'member.silence', forumId: s.forumId, accountId: cast.reader.account.id, until, reason: 'Heated' });
      expect(result.silence).toMatchObject({ forumId: s.forumId, account: { id: cast.reader.account.id }, until, reason: 'Heated', by: { id: cast.moderator.account.id } });
      const told = await eventOf(cast.reader.socket, s.forumId, 'member.silenced');
      expect(told.payload).toMatchObject({ accountId: cast.reader.account.id, silence: { until } });

      const refused = await cast.reader.agent.post(`/api/questions/${s.questionId}/replies`).send({ body: 'Let me' }).expect(403);
      expect(refused.body).toMatchObject({ code: 'silenced', details: [{ field: 'until', message: until }] });
      expect(await cast.reader.socket.request('reply.create', { clientId: randomUUID(), questionId: s.questionId, body: 'Let me' })).toMatchObject({ error: { status: 403, code: 'silenced' } });
      expect((await cast.reader.agent.patch(`/api/replies/${own.id}`).send({ body: 'Edited' }).expect(403)).body.code).toBe('silenced');
      // Reading, voting and other forums stay open.
      await postReply(cast.reader.agent, elsewhere.questionId, 'In another forum');
      const list = (await cast.moderator.agent.get(`/api/forums/${s.forumId}/moderation/silences`).expect(200)).body.items;
      expect(list.map((x: { account: { id: string } }) => x.account.id)).toEqual([cast.reader.account.id]);
      expect((await cast.reader.agent.get(`/api/forums/${s.forumId}/moderation/silences`).expect(403)).body.code).toBe('not_moderator');
      await sentinel(s, [cast.author]);
      expect(typesOf(cast.author.socket, s.forumId)).not.toContain('member.silenced');

      // The time passes: they post again.
      await t.dataSource.query(`UPDATE forum_silence SET until = now() - interval '1 second' WHERE forum_id = $1`, [s.forumId]);
      await postReply(cast.reader.agent, s.questionId, 'After');
      const mine = (await cast.reader.agent.get(`/api/me/moderation-actions?forumId=${s.forumId}`).expect(200)).body.items;
      expect(mine.map((a: { act: string }) => a.act)).toEqual(['member.silence']);
      const res = await act(cast.moderator, 'http', { act: 'member.silence', forumId: s.forumId, accountId: cast.admin.account.id, until });
      expect([res.status, res.body.code]).toEqual([409, 'cannot_silence_moderator']);
    });
  });
});
