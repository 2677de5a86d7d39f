import { beforeAll, describe, expect, it } from '@jest/globals';
import type { TestApp } from './support/app.js';
import { newQuestion } from './support/fixtures.js';
import {
  moderationScene, act, actOk, eventOf, postReply, recordRows, replyCount, stage, thread, typesOf, VIAS, type Cast, type Stage, type Via,
} from './support/moderation.js';
import { createAccount, signIn } from './support/people.js';
import { connectSocket } from './support/sockets.js';

/**
 * Issue 7: every moderator's act, over HTTP and over the socket: its answer,
 * its row in the record, its live event (to the right audience), and what it
 * changes for who sees what.
 */

interface ActCase {
  /** The act's body, made for a fresh stage. */
  body: object;
  /** The record row's act name and target. */
  recorded: { act: string; targetKind: string; targetId: string };
  /** The event (type) and who is expected to receive it live. */
  event: { type: string; to: 'reader' | 'author' };
  /** Checks of the act's effect (answer, reads). */
  check?: (result: any) => Promise<void>;
}

describe('moderation acts', () => {
  const scene = moderationScene();
  let t: TestApp;
  let cast: Cast;
  beforeAll(() => {
    ({ t, cast } = scene);
  });

  const premoderated = async (s: Stage, body: string, parentId?: string) => {
    await t.dataSource.query(`UPDATE forum SET premoderation = true WHERE id = $1`, [s.forumId]);
    const reply = await postReply(cast.author.agent, s.questionId, body, parentId);
    await t.dataSource.query(`UPDATE forum SET premoderation = false WHERE id = $1`, [s.forumId]);
    expect(reply.state).toBe('pending');
    return reply;
  };

  const CASES: Record<string, (s: Stage) => Promise<ActCase>> = {
    'reply.hide': async (s) => {
      const r = await postReply(cast.author.agent, s.questionId, 'Something rude');
      const child = await postReply(cast.reader.agent, s.questionId, 'An answer to it', r.id);
      return {
        body: { act: 'reply.hide', replyId: r.id, reason: 'Insulting another member' },
        recorded: { act: 'reply.hide', targetKind: 'reply', targetId: r.id },
        event: { type: 'reply.hidden', to: 'reader' },
        check: async (result) => {
          expect(result.reply).toMatchObject({ state: 'hidden', bodyHtml: '<p>Something rude</p>', stateReason: 'Insulting another member' });
          // Readers: a placeholder with the reason, its child still in place; moderators: the text.
          const asReader = await thread(cast.reader.agent, s.questionId);
          expect(asReader.map((x) => [x.id, x.state, x.bodyHtml, (x as any).stateReason])).toEqual([
            [r.id, 'hidden', null, 'Insulting another member'], [child.id, 'visible', '<p>An answer to it</p>', null],
          ]);
          expect((await thread(cast.moderator.agent, s.questionId))[0]!.bodyHtml).toBe('<p>Something rude</p>');
          expect(await replyCount(cast.reader.agent, s.questionId)).toBe(1);
          const live = await eventOf(cast.reader.socket, s.forumId, 'reply.hidden');
          expect(live.payload).toEqual({ reply: expect.objectContaining({ id: r.id, bodyHtml: null, stateReason: 'Insulting another member' }) });
          // The text is gone from the log: a replay doesn't hand it out again.
          const [row] = await t.dataSource.query(`SELECT payload FROM forum_event WHERE forum_id = $1 AND type = 'reply.created' AND payload #>> '{reply,id}' = $2`, [s.forumId, r.id]);
          expect(JSON.stringify(row.payload)).not.toContain('Something rude');
        },
      };
    },
    'reply.unhide': async (s) => {
      const r = await postReply(cast.author.agent, s.questionId, 'Misjudged');
      await actOk(cast.moderator, 'http', { act: 'reply.hide', replyId: r.id, reason: 'Looked like spam' });
      return {
        body: { act: 'reply.unhide', replyId: r.id, reason: 'Not spam after all' },
        recorded: { act: 'reply.unhide', targetKind: 'reply', targetId: r.id },
        event: { type: 'reply.unhidden', to: 'reader' },
        check: async () => {
          expect((await thread(cast.reader.agent, s.questionId))[0]).toMatchObject({ state: 'visible', bodyHtml: '<p>Misjudged</p>', stateReason: null });
          expect(await replyCount(cast.reader.agent, s.questionId)).toBe(1);
        },
      };
    },
    'reply.delete': async (s) => {
      const r = await postReply(cast.author.agent, s.questionId, 'Personal data');
      const child = await postReply(cast.reader.agent, s.questionId, 'Child stays', r.id);
      return {
        body: { act: 'reply.delete', replyId: r.id, reason: 'Contained a phone number' },
        recorded: { act: 'reply.delete', targetKind: 'reply', targetId: r.id },
        event: { type: 'reply.deleted', to: 'reader' },
        check: async () => {
          const asReader = await thread(cast.reader.agent, s.questionId);
          expect(asReader.map((x) => [x.id, x.state, x.bodyHtml, (x as any).stateReason])).toEqual([
            [r.id, 'deleted', null, 'Contained a phone number'], [child.id, 'visible', '<p>Child stays</p>', null],
          ]);
        },
      };
    },
    'reply.edit': async (s) => {
      const r = await postReply(cast.author.agent, s.questionId, 'My email is a@b.c');
      return {
        body: { act: 'reply.edit', replyId: r.id, body: 'My email is [removed]', reason: 'No personal data' },
        recorded: { act: 'reply.edit', targetKind: 'reply', targetId: r.id },
        event: { type: 'reply.edited', to: 'reader' },
        check: async (result) => {
          expect(result.reply).toMatchObject({ bodySource: 'My email is [removed]', editedByModerator: true, author: { id: cast.author.account.id } });
          const history = (await cast.moderator.agent.get(`/api/replies/${r.id}/revisions`).expect(200)).body.items;
          expect(history).toEqual([expect.objectContaining({ bodySource: 'My email is a@b.c', byModerator: true, editedBy: expect.objectContaining({ id: cast.moderator.account.id }) })]);
          const live = await eventOf(cast.reader.socket, s.forumId, 'reply.edited');
          expect(live.payload).toEqual({ reply: expect.objectContaining({ editedByModerator: true, bodyHtml: '<p>My email is [removed]</p>' }) });
        },
      };
    },
    'reply.feature': async (s) => {
      const r = await postReply(cast.author.agent, s.questionId, 'A key contribution');
      return {
        body: { act: 'reply.feature', replyId: r.id },
        recorded: { act: 'reply.feature', targetKind: 'reply', targetId: r.id },
        event: { type: 'reply.featured', to: 'reader' },
        check: async () => {
          expect((await thread(cast.reader.agent, s.questionId))[0]).toMatchObject({ featured: true });
          expect((await cast.reader.agent.get(`/api/questions/${s.questionId}`).expect(200)).body.featuredReplyIds).toEqual([r.id]);
        },
      };
    },
    'reply.unfeature': async (s) => {
      const r = await postReply(cast.author.agent, s.questionId, 'Was key');
      await actOk(cast.moderator, 'http', { act: 'reply.feature', replyId: r.id });
      return {
        body: { act: 'reply.unfeature', replyId: r.id },
        recorded: { act: 'reply.unfeature', targetKind: 'reply', targetId: r.id },
        event: { type: 'reply.featured', to: 'reader' },
        check: async () => {
          expect((await cast.reader.agent.get(`/api/questions/${s.questionId}`).expect(200)).body.featuredReplyIds).toEqual([]);
        },
      };
    },
    'reply.approve': async (s) => {
      const r = await premoderated(s, 'Waiting for approval');
      return {
        body: { act: 'reply.approve', replyId: r.id },
        recorded: { act: 'reply.approve', targetKind: 'reply', targetId: r.id },
        event: { type: 'reply.approved', to: 'reader' },
        check: async () => {
          expect((await thread(cast.reader.agent, s.questionId)).map((x) => [x.id, x.state])).toEqual([[r.id, 'visible']]);
          expect(await replyCount(cast.reader.agent, s.questionId)).toBe(1);
        },
      };
    },
    'reply.reject': async (s) => {
      const r = await premoderated(s, 'Off topic advert');
      return {
        body: { act: 'reply.reject', replyId: r.id, reason: 'Advertising' },
        recorded: { act: 'reply.reject', targetKind: 'reply', targetId: r.id },
        event: { type: 'reply.rejected', to: 'author' },
        check: async () => {
          expect(await thread(cast.reader.agent, s.questionId)).toEqual([]);
          expect((await thread(cast.author.agent, s.questionId)).map((x) => [x.id, x.state, (x as any).stateReason])).toEqual([[r.id, 'rejected', 'Advertising']]);
          expect(await replyCount(cast.reader.agent, s.questionId)).toBe(0);
        },
      };
    },
    'reply.move': async (s) => {
      const r = await postReply(cast.author.agent, s.questionId, 'Belongs elsewhere');
      const child = await postReply(cast.reader.agent, s.questionId, 'Its answer', r.id);
      const other = await newQuestion(t, s.forumId);
      return {
        body: { act: 'reply.move', replyId: r.id, toQuestionId: other.id, reason: 'Answers the other question' },
        recorded: { act: 'reply.move', targetKind: 'reply', targetId: r.id },
        event: { type: 'reply.moved', to: 'reader' },
        check: async (result) => {
          expect(result.movedReplyIds).toEqual([r.id, child.id]);
          expect(await thread(cast.reader.agent, s.questionId)).toEqual([]);
          expect((await thread(cast.reader.agent, other.id)).map((x) => [x.id, x.parentId])).toEqual([[r.id, null], [child.id, r.id]]);
          expect([await replyCount(cast.reader.agent, s.questionId), await replyCount(cast.reader.agent, other.id)]).toEqual([0, 2]);
        },
      };
    },
    'flags.resolve': async (s) => {
      const r = await postReply(cast.author.agent, s.questionId, 'Buy cheap watches');
      await cast.reader.agent.post(`/api/replies/${r.id}/flags`).send({ reason: 'spam' }).expect(201);
      return {
        body: { act: 'flags.resolve', replyId: r.id, outcome: 'uphold', reason: 'Spam' },
        recorded: { act: 'flag.uphold', targetKind: 'reply', targetId: r.id },
        event: { type: 'flag.resolved', to: 'reader' },
        check: async (result) => {
          expect(result).toMatchObject({ resolvedFlags: 1, reply: { state: 'hidden', stateReason: 'Spam' } });
          const mine = (await cast.reader.agent.get(`/api/me/flags?forumId=${s.forumId}`).expect(200)).body.items;
          expect(mine).toEqual([expect.objectContaining({ replyId: r.id, state: 'upheld', resolvedAt: expect.any(String) })]);
        },
      };
    },
    'question.pin': async (s) => ({
      body: { act: 'question.pin', questionId: s.questionId, reason: 'Most asked' },
      recorded: { act: 'question.pin', targetKind: 'question', targetId: String(s.questionId) },
      event: { type: 'question.updated', to: 'reader' },
      check: async (result) => expect(result.question).toMatchObject({ id: s.questionId, pinned: true }),
    }),
    'question.unpin': async (s) => {
      await actOk(cast.moderator, 'http', { act: 'question.pin', questionId: s.questionId });
      return {
        body: { act: 'question.unpin', questionId: s.questionId },
        recorded: { act: 'question.unpin', targetKind: 'question', targetId: String(s.questionId) },
        event: { type: 'question.updated', to: 'reader' },
        check: async (result) => expect(result.question.pinned).toBe(false),
      };
    },
    'question.lock': async (s) => ({
      body: { act: 'question.lock', questionId: s.questionId },
      recorded: { act: 'question.lock', targetKind: 'question', targetId: String(s.questionId) },
      event: { type: 'question.updated', to: 'reader' },
      check: async () => {
        const res = await cast.author.agent.post(`/api/questions/${s.questionId}/replies`).send({ body: 'Still open?' }).expect(409);
        expect(res.body.code).toBe('question_locked');
      },
    }),
    'question.unlock': async (s) => {
      await actOk(cast.moderator, 'http', { act: 'question.lock', questionId: s.questionId });
      return {
        body: { act: 'question.unlock', questionId: s.questionId },
        recorded: { act: 'question.unlock', targetKind: 'question', targetId: String(s.questionId) },
        event: { type: 'question.updated', to: 'reader' },
        check: async () => void (await postReply(cast.author.agent, s.questionId, 'Open again')),
      };
    },
    'question.close': async (s) => ({
      body: { act: 'question.close', questionId: s.questionId },
      recorded: { act: 'question.close', targetKind: 'question', targetId: String(s.questionId) },
      event: { type: 'question.updated', to: 'reader' },
      check: async () => {
        const res = await cast.moderator.agent.post(`/api/questions/${s.questionId}/replies`).send({ body: 'Closed?' }).expect(409);
        expect(res.body.code).toBe('question_closed');
      },
    }),
    'question.reopen': async (s) => {
      await actOk(cast.moderator, 'http', { act: 'question.close', questionId: s.questionId });
      return {
        body: { act: 'question.reopen', questionId: s.questionId },
        recorded: { act: 'question.reopen', targetKind: 'question', targetId: String(s.questionId) },
        event: { type: 'question.updated', to: 'reader' },
        check: async (result) => expect(result.question.closed).toBe(false),
      };
    },
    'question.reorder': async (s) => {
      const second = await newQuestion(t, s.forumId);
      const third = await newQuestion(t, s.forumId);
      return {
        body: { act: 'question.reorder', questionId: third.id, position: 0 },
        recorded: { act: 'question.reorder', targetKind: 'question', targetId: String(third.id) },
        event: { type: 'questions.reordered', to: 'reader' },
        check: async (result) => {
          const order = [{ id: third.id, position: 0 }, { id: s.questionId, position: 1 }, { id: second.id, position: 2 }];
          expect(result.questions).toEqual(order);
          const listed = (await cast.reader.agent.get(`/api/forums/${s.forumId}/questions`).expect(200)).body.items;
          expect(listed.map((q: { id: number }) => q.id)).toEqual(order.map((q) => q.id));
          expect((await eventOf(cast.reader.socket, s.forumId, 'questions.reordered')).payload).toEqual({ questions: order });
        },
      };
    },
    'question.merge': async (s) => {
      const target = await newQuestion(t, s.forumId);
      const r = await postReply(cast.author.agent, s.questionId, 'Asked twice');
      return {
        body: { act: 'question.merge', questionId: s.questionId, intoQuestionId: target.id, reason: 'Same question' },
        recorded: { act: 'question.merge', targetKind: 'question', targetId: String(s.questionId) },
        event: { type: 'question.merged', to: 'reader' },
        check: async (result) => {
          expect(result.source).toMatchObject({ id: s.questionId, mergedIntoId: target.id, closed: true, replyCount: 0 });
          expect(result.question).toMatchObject({ id: target.id, replyCount: 1 });
          expect((await thread(cast.reader.agent, target.id)).map((x) => x.id)).toEqual([r.id]);
          const refused = await cast.author.agent.post(`/api/questions/${s.questionId}/replies`).send({ body: 'here?' }).expect(409);
          expect(refused.body.code).toBe('question_merged');
        },
      };
    },
    'question.synthesis': async (s) => ({
      body: { act: 'question.synthesis', questionId: s.questionId, body: 'Cities started with **permits**.' },
      recorded: { act: 'question.synthesis', targetKind: 'question', targetId: String(s.questionId) },
      event: { type: 'question.updated', to: 'reader' },
      check: async () => {
        const q = (await cast.reader.agent.get(`/api/questions/${s.questionId}`).expect(200)).body;
        expect(q.synthesis).toEqual({
          html: '<p>Cities started with <strong>permits</strong>.</p>', source: 'Cities started with **permits**.',
          author: { id: cast.moderator.account.id, displayName: 'Moderator' }, updatedAt: expect.any(String),
        });
      },
    }),
    'question.slow_mode': async (s) => ({
      body: { act: 'question.slow_mode', questionId: s.questionId, seconds: 600 },
      recorded: { act: 'question.slow_mode', targetKind: 'question', targetId: String(s.questionId) },
      event: { type: 'question.updated', to: 'reader' },
      check: async (result) => expect(result.question.slowModeSeconds).toBe(600),
    }),
    'forum.settings': async (s) => ({
      body: { act: 'forum.settings', forumId: s.forumId, premoderateFirstReplies: 2, flagThreshold: 5 },
      recorded: { act: 'forum.settings', targetKind: 'forum', targetId: String(s.forumId) },
      event: { type: 'forum.moderation', to: 'reader' },
      check: async () => {
        const settings = (await cast.reader.agent.get(`/api/forums/${s.forumId}/moderation/settings`).expect(200)).body;
        expect(settings).toEqual({
          forumId: s.forumId, premoderation: false, premoderateFirstReplies: 2, flagThreshold: 5, flagThresholdIsDefault: false,
          slowModeSeconds: null, maxRepliesPerHour: null, memberQuestions: true,
        });
      },
    }),
    'member.silence': async (s) => ({
      body: { act: 'member.silence', forumId: s.forumId, accountId: cast.reader.account.id, until: new Date(Date.now() + 3600_000).toISOString(), reason: 'Cooling off' },
      recorded: { act: 'member.silence', targetKind: 'account', targetId: cast.reader.account.id },
      event: { type: 'member.silenced', to: 'reader' },
      check: async () => {
        const res = await cast.reader.agent.post(`/api/questions/${s.questionId}/replies`).send({ body: 'Let me speak' }).expect(403);
        expect(res.body).toMatchObject({ code: 'silenced', details: [{ field: 'until', message: expect.any(String) }] });
        await actOk(cast.moderator, 'http', { act: 'member.unsilence', forumId: s.forumId, accountId: cast.reader.account.id });
      },
    }),
    'member.unsilence': async (s) => {
      await actOk(cast.moderator, 'http', { act: 'member.silence', forumId: s.forumId, accountId: cast.reader.account.id, until: new Date(Date.now() + 3600_000).toISOString() });
      return {
        body: { act: 'member.unsilence', forumId: s.forumId, accountId: cast.reader.account.id },
        recorded: { act: 'member.unsilence', targetKind: 'account', targetId: cast.reader.account.id },
        event: { type: 'member.silenced', to: 'reader' },
        check: async () => void (await postReply(cast.reader.agent, s.questionId, 'Back again')),
      };
    },
  };

  for (const [name, make] of Object.entries(CASES)) {
    for (const via of VIAS) {
      it(`${name} over ${via}: answered, recorded in the same transaction, published live`, async () => {
        const s = await stage(t, cast);
        const c = await make(s);
        const before = (await recordRows(t, s.forumId)).length;
        const result = await actOk(cast.moderator, via, c.body);
        expect(result.act).toBe((c.body as { act: string }).act);
        expect(result.actions).toEqual([
          expect.objectContaining({ ...c.recorded, forumId: s.forumId, actor: { id: cast.moderator.account.id, displayName: 'Moderator' } }),
        ]);
        const rows = await recordRows(t, s.forumId);
        expect(rows.slice(before)).toEqual([expect.objectContaining({ act: c.recorded.act, actor_id: cast.moderator.account.id, target_kind: c.recorded.targetKind, target_id: c.recorded.targetId })]);
        await eventOf(cast[c.event.to].socket, s.forumId, c.event.type);
        // The record row reaches the moderators live; never the other readers.
        const recorded = await eventOf(cast.moderator.socket, s.forumId, 'moderation.action', (e) => (e.payload as any).action.act === c.recorded.act);
        expect((recorded.payload as any).action).toEqual(result.actions[0]);
        await c.check?.(result);
        const sentinel = await newQuestion(t, s.forumId);
        await actOk(cast.moderator, 'http', { act: 'question.pin', questionId: sentinel.id });
        await eventOf(cast.reader.socket, s.forumId, 'question.updated', (e) => e.questionId === sentinel.id);
        expect(typesOf(cast.reader.socket, s.forumId)).not.toContain('moderation.action');
      });
    }
  }

  describe('a change that changes nothing', () => {
    it.each(VIAS)('is not recorded (%s)', async (via: Via) => {
      const s = await stage(t, cast);
      await actOk(cast.moderator, via, { act: 'question.pin', questionId: s.questionId });
      const again = await actOk(cast.moderator, via, { act: 'question.pin', questionId: s.questionId });
      expect(again.actions).toEqual([]);
      expect((await recordRows(t, s.forumId)).map((r) => r.act)).toEqual(['question.pin']);
    });
  });

  describe('refusals', () => {
    it.each(VIAS)('answers the same over HTTP and the socket (%s)', async (via: Via) => {
      const s = await stage(t, cast);
      const r = await postReply(cast.author.agent, s.questionId, 'A reply');
      const cases: [object, number, string][] = [
        [{ act: 'reply.hide', replyId: r.id }, 400, 'validation_failed'],
        [{ act: 'reply.explode', replyId: r.id }, 400, 'validation_failed'],
        [{ act: 'reply.approve', replyId: r.id }, 409, 'not_pending'],
        [{ act: 'reply.unhide', replyId: r.id }, 409, 'not_hidden'],
        [{ act: 'reply.move', replyId: r.id, toQuestionId: s.questionId }, 400, 'same_question'],
        [{ act: 'question.merge', questionId: s.questionId, intoQuestionId: s.questionId }, 400, 'merge_into_self'],
        [{ act: 'flags.resolve', replyId: r.id, outcome: 'dismiss' }, 409, 'no_open_flags'],
        [{ act: 'member.silence', forumId: s.forumId, accountId: cast.moderator.account.id, until: new Date(Date.now() + 60_000).toISOString() }, 409, 'cannot_silence_moderator'],
        [{ act: 'member.silence', forumId: s.forumId, accountId: cast.reader.account.id, until: '2001-01-01T00:00:00Z' }, 400, 'validation_failed'],
        [{ act: 'reply.hide', replyId: '999999999999', reason: 'x' }, 404, 'reply_not_found'],
      ];
      for (const [body, status, code] of cases) {
        const res = await act(cast.moderator, via, body);
        expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status, code });
      }
      const asMember = await act(cast.author, via, { act: 'reply.hide', replyId: r.id, reason: 'Mine' });
      expect([asMember.status, asMember.body.code]).toEqual([403, 'not_moderator']);
      expect(await recordRows(t, s.forumId)).toEqual([]);
    });

    it('a moderator of forum A cannot act on forum B, over HTTP or the socket', async () => {
      const a = await stage(t, cast);
      const b = await stage(t, cast, { visibility: 'invite_only' });
      await t.dataSource.query(`UPDATE forum_membership SET role = 'member' WHERE forum_id = $1 AND account_id = $2`, [b.forumId, cast.moderator.account.id]);
      const r = await postReply(cast.author.agent, b.questionId, 'In forum B');
      for (const via of VIAS) {
        const res = await act(cast.moderator, via, { act: 'reply.hide', replyId: r.id, reason: 'Not yours' });
        expect([res.status, res.body.code]).toEqual([403, 'not_moderator']);
      }
      expect((await thread(cast.admin.agent, b.questionId)).map((x) => x.state)).toEqual(['visible']);
      expect(await recordRows(t, b.forumId)).toEqual([]);
      // Someone who can't read the invite-only forum at all gets what a nonexistent reply gets.
      const outsider = await createAccount(t);
      await t.dataSource.query(`INSERT INTO forum_membership (forum_id, account_id, role) VALUES ($1, $2, 'moderator')`, [a.forumId, outsider.id]);
      const outsiderAgent = await signIn(t, outsider.email, outsider.password);
      const hidden = await outsiderAgent.post('/api/moderation/acts').send({ act: 'reply.hide', replyId: r.id, reason: 'x' }).expect(404);
      const nowhere = await outsiderAgent.post('/api/moderation/acts').send({ act: 'reply.hide', replyId: '999999999999', reason: 'x' }).expect(404);
      expect(hidden.body).toEqual(nowhere.body);
    });
  });

  describe('over a socket, the same answers as HTTP for everyone', () => {
    it('anonymous: 401 where the forum is readable, 404 (as for nothing) where it is not', async () => {
      const open = await stage(t, cast);
      const closed = await stage(t, cast, { visibility: 'invite_only' });
      const inOpen = await postReply(cast.author.agent, open.questionId, 'In the open');
      const inClosed = await postReply(cast.moderator.agent, closed.questionId, 'Behind the invitation');
      const anonymous = await connectSocket(t.url);
      try {
        for (const [replyId, status, code] of [[inOpen.id, 401, 'unauthenticated'], [inClosed.id, 404, 'reply_not_found'], ['999999999999', 404, 'reply_not_found']] as const) {
          const body = { act: 'reply.hide', replyId, reason: 'x' };
          const viaSocket = await anonymous.request('moderation.act', body);
          const viaHttp = await t.agent().post('/api/moderation/acts').send(body);
          expect({ replyId, socket: [viaSocket.error?.status, viaSocket.error?.code], http: [viaHttp.status, viaHttp.body.code] })
            .toEqual({ replyId, socket: [status, code], http: [status, code] });
          expect(viaSocket.error.message).toBe(viaHttp.body.message);
          const flag = await anonymous.request('reply.flag', { replyId, reason: 'spam' });
          expect([flag.error?.status, flag.error?.code]).toEqual([status, code]);
        }
      } finally {
        anonymous.close();
      }
    });
  });

  describe('moderators\' changes through the ordinary endpoints', () => {
    it('are acts too: PATCH and DELETE of someone else\'s reply, PATCH of a question, each recorded', async () => {
      const s = await stage(t, cast);
      const r1 = await postReply(cast.author.agent, s.questionId, 'one');
      const r2 = await postReply(cast.author.agent, s.questionId, 'two');
      const own = await postReply(cast.author.agent, s.questionId, 'three');
      const edited = await cast.moderator.agent.patch(`/api/replies/${r1.id}`).send({ body: 'one, tidied', reason: 'Formatting' }).expect(200);
      expect(edited.body.editedByModerator).toBe(true);
      await cast.moderator.agent.delete(`/api/replies/${r2.id}`).expect(200);
      await cast.moderator.agent.patch(`/api/questions/${s.questionId}`).send({ locked: true, title: 'A clearer title' }).expect(200);
      // A moderator's change of their own reply is not an act on someone else's contribution.
      const modOwn = await postReply(cast.moderator.agent, s.questionId, 'four');
      await cast.moderator.agent.patch(`/api/replies/${modOwn.id}`).send({ body: 'four, mine' }).expect(200);
      expect((await cast.author.agent.patch(`/api/replies/${own.id}`).send({ body: 'three, mine' }).expect(409)).body.code).toBe('question_locked');
      expect((await recordRows(t, s.forumId)).map((r) => [r.act, r.target_id, r.reason])).toEqual([
        ['reply.edit', r1.id, 'Formatting'], ['reply.delete', r2.id, null], ['question.lock', String(s.questionId), null], ['question.edit', String(s.questionId), null],
      ]);
    });
  });

  describe('a reply readers never saw', () => {
    it('stays out of their view once deleted (pending by its author or a moderator, rejected by its author); its parent\'s childCount does not move', async () => {
      const s = await stage(t, cast);
      const parent = await postReply(cast.reader.agent, s.questionId, 'An open question');
      const withdrawn = await premoderated(s, 'Second thoughts', parent.id);
      const spam = await premoderated(s, 'Buy now', parent.id);
      const rejected = await premoderated(s, 'Off topic', parent.id);
      await actOk(cast.moderator, 'http', { act: 'reply.reject', replyId: rejected.id, reason: 'Off topic' });
      await cast.author.agent.delete(`/api/replies/${withdrawn.id}`).expect(200);
      await actOk(cast.moderator, 'socket', { act: 'reply.delete', replyId: spam.id, reason: 'Spam' });
      await cast.author.agent.delete(`/api/replies/${rejected.id}`).expect(200);
      for (const viewer of [cast.reader, cast.admin]) {
        const seen = await thread(viewer.agent, s.questionId);
        if (viewer === cast.reader) expect(seen.map((x) => x.id)).toEqual([parent.id]);
        expect(seen.find((x) => x.id === parent.id)!.childCount).toBe(0);
      }
      for (const r of [withdrawn, spam, rejected]) {
        expect((await cast.reader.agent.get(`/api/replies/${r.id}`).expect(404)).body.code).toBe('reply_not_found');
        expect((await cast.author.agent.get(`/api/replies/${r.id}`).expect(200)).body.reply).toMatchObject({ state: 'deleted', bodyHtml: null });
      }
      expect((await cast.reader.agent.get(`/api/replies/${parent.id}/replies`).expect(200)).body.items).toEqual([]);
      // Nothing left the readers' view, so the public summary of removals has nothing to say.
      expect((await t.agent().get(`/api/forums/${s.forumId}/moderation/removals`).expect(200)).body).toMatchObject({ totals: [], items: [] });
      expect((await recordRows(t, s.forumId)).map((r) => r.act)).toEqual(['reply.reject', 'reply.delete']);
      // A reply readers can see may still be answered and deleted as before: its placeholder stays in place for everyone.
      const shown = await postReply(cast.author.agent, s.questionId, 'Shown, then withdrawn', parent.id);
      await cast.author.agent.delete(`/api/replies/${shown.id}`).expect(200);
      expect((await thread(cast.reader.agent, s.questionId)).map((x) => [x.id, x.state, x.childCount])).toEqual([[parent.id, 'visible', 1], [shown.id, 'deleted', 0]]);
    });
  });

  describe('the record', () => {
    it('is written in the act\'s own transaction: if its row can\'t be written, the act does not happen and nothing is published', async () => {
      const s = await stage(t, cast);
      const r = await postReply(cast.author.agent, s.questionId, 'Stays visible');
      const name = `refuse_record_${s.forumId}`;
      await t.dataSource.query(
        `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN IF NEW.forum_id = ${s.forumId} THEN RAISE EXCEPTION 'record refused'; END IF; RETURN NEW; END $$`,
      );
      await t.dataSource.query(`CREATE TRIGGER ${name} BEFORE INSERT ON audit_record FOR EACH ROW EXECUTE FUNCTION ${name}()`);
      try {
        for (const via of VIAS) {
          const res = await act(cast.moderator, via, { act: 'reply.hide', replyId: r.id, reason: 'Never recorded' });
          expect([res.status, res.body.code]).toEqual([500, 'internal_error']);
        }
      } finally {
        await t.dataSource.query(`DROP TRIGGER ${name} ON audit_record`);
        await t.dataSource.query(`DROP FUNCTION ${name}()`);
      }
      expect((await thread(cast.reader.agent, s.questionId))[0]).toMatchObject({ state: 'visible', bodyHtml: '<p>Stays visible</p>' });
      expect(await t.dataSource.query(`SELECT seq FROM forum_event WHERE forum_id = $1 AND type = 'reply.hidden'`, [s.forumId])).toEqual([]);
      const q = await newQuestion(t, s.forumId);
      await actOk(cast.moderator, 'http', { act: 'question.pin', questionId: q.id });
      await eventOf(cast.reader.socket, s.forumId, 'question.updated', (e) => e.questionId === q.id);
      expect(typesOf(cast.reader.socket, s.forumId)).not.toContain('reply.hidden');
    });

    it('lists and filters acts for moderators, keyset paged; authors see acts on their contributions; the public sees removals without text', async () => {
      const s = await stage(t, cast);
      const r1 = await postReply(cast.author.agent, s.questionId, 'secret text one');
      const r2 = await postReply(cast.author.agent, s.questionId, 'secret text two');
      await actOk(cast.moderator, 'http', { act: 'reply.hide', replyId: r1.id, reason: 'Spam link' });
      await actOk(cast.admin, 'socket', { act: 'reply.delete', replyId: r2.id, reason: 'Duplicate' });
      await actOk(cast.moderator, 'http', { act: 'question.pin', questionId: s.questionId });

      const all = (await cast.moderator.agent.get(`/api/forums/${s.forumId}/moderation/actions`).expect(200)).body;
      expect(all.items.map((a: { act: string }) => a.act)).toEqual(['question.pin', 'reply.delete', 'reply.hide']);
      const page1 = (await cast.moderator.agent.get(`/api/forums/${s.forumId}/moderation/actions?limit=2`).expect(200)).body;
      const page2 = (await cast.moderator.agent.get(`/api/forums/${s.forumId}/moderation/actions?limit=2&after=${page1.nextCursor}`).expect(200)).body;
      expect([...page1.items, ...page2.items].map((a: { id: string }) => a.id)).toEqual(all.items.map((a: { id: string }) => a.id));
      expect(page2.nextCursor).toBeNull();
      const byAct = (await cast.admin.agent.get(`/api/forums/${s.forumId}/moderation/actions?act=reply.hide,reply.delete&actorId=${cast.admin.account.id}`).expect(200)).body;
      expect(byAct.items.map((a: { act: string; targetId: string }) => [a.act, a.targetId])).toEqual([['reply.delete', r2.id]]);
      const byTarget = (await cast.moderator.agent.get(`/api/forums/${s.forumId}/moderation/actions?targetKind=reply&targetId=${r1.id}`).expect(200)).body;
      expect(byTarget.items).toEqual([expect.objectContaining({ act: 'reply.hide', reason: 'Spam link', targetAuthor: { id: cast.author.account.id, displayName: 'Author' } })]);
      const future = (await cast.moderator.agent.get(`/api/forums/${s.forumId}/moderation/actions?since=${new Date(Date.now() + 60_000).toISOString()}`).expect(200)).body;
      expect(future.items).toEqual([]);
      expect((await cast.reader.agent.get(`/api/forums/${s.forumId}/moderation/actions`).expect(403)).body.code).toBe('not_moderator');
      expect((await cast.moderator.agent.get(`/api/forums/${s.forumId}/moderation/actions?act=reply.nuke`).expect(400)).body.code).toBe('validation_failed');

      const mine = (await cast.author.agent.get(`/api/me/moderation-actions?forumId=${s.forumId}`).expect(200)).body;
      expect(mine.items.map((a: { act: string }) => a.act)).toEqual(['reply.delete', 'reply.hide']);
      expect((await cast.reader.agent.get(`/api/me/moderation-actions?forumId=${s.forumId}`).expect(200)).body.items).toEqual([]);

      const removals = (await t.agent().get(`/api/forums/${s.forumId}/moderation/removals`).expect(200)).body;
      expect(removals.totals).toEqual([{ act: 'reply.delete', count: 1 }, { act: 'reply.hide', count: 1 }]);
      expect(removals.items.map((x: { act: string; reason: string }) => [x.act, x.reason])).toEqual([['reply.delete', 'Duplicate'], ['reply.hide', 'Spam link']]);
      expect(JSON.stringify(removals)).not.toContain('secret text');
      expect(JSON.stringify(removals)).not.toContain(cast.author.account.id);
    });
  });
});
