import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { ForumState, ForumVisibility } from '../src/forums/forum.entity.js';
import { startTestApp, type TestApp } from './support/app.js';
import { addMember, newQuestion } from './support/fixtures.js';
import {
  buildWorld, CALLERS, insertReplies, MODERATION_REPLY_TARGETS, NONEXISTENT, sessionCookie, STATES, VISIBILITIES,
  type Caller, type CellTargets, type MatrixForum, type MatrixWorld,
} from './support/matrix.js';
import { createAccount } from './support/people.js';

/**
 * Issue 3's authorization matrix: every caller x action x forum visibility x
 * forum state, each cell one test whose expected answer comes from the rule
 * below (expectedOutcome), not from a table, so the rule can be read and
 * checked against the issue.
 */

// ---------------------------------------------------------------------------
// The actions
// ---------------------------------------------------------------------------

/**
 * What an action needs:
 * - `nothing`: the catalogue (sessions and their forum lists) is public; it
 *   only *lists* the forums the caller may read;
 * - `read`: reading the forum;
 * - `member`: seeing who is in the forum: its active members, moderators and
 *   admins (MembershipsService.list; others 403 not_member);
 * - `participate`: taking part (reply, vote, change one's own reply): the
 *   same rule as replying (ForumAccessService.participating);
 * - `moderate`: being the forum's moderator or an admin.
 */
type Need = 'nothing' | 'read' | 'member' | 'participate' | 'moderate';
/** What the action addresses by id: that decides which "not found" it answers. */
type Resource = 'catalogue' | 'forum' | 'question' | 'reply';

interface Ids {
  forumId: number; questionId: number; replyId: string; accountId: string; invitationId: number;
  /** Moderation: the question merged into, and the one replies move to. */
  intoQuestionId: number; toQuestionId: number;
}
interface Call { method: 'get' | 'post' | 'patch' | 'put' | 'delete'; path: string; body?: object }

interface Action {
  needs: Need;
  on: Resource;
  /** Status of a success. */
  ok: number;
  /** Code of the 403 when a non-moderator tries a moderator's action. */
  notModerator?: string;
  /** A moderator's action that an archived forum refuses too (it is read-only); others must stay possible there (reopening it, inviting readers). */
  refusedWhenArchived?: boolean;
  /** Which of the cell's own targets the call uses (by default the forum's shared read targets). */
  target?: keyof CellTargets;
  call(ids: Ids, world: MatrixWorld): Call;
}

const ACTIONS = {
  listSessions: { needs: 'nothing', on: 'catalogue', ok: 200, call: (_ids, w) => ({ method: 'get', path: `/api/sessions?q=${w.sessionTag}` }) },
  readSession: { needs: 'nothing', on: 'catalogue', ok: 200, call: (_ids, w) => ({ method: 'get', path: `/api/sessions/${w.sessionId}` }) },
  listSessionForums: { needs: 'nothing', on: 'catalogue', ok: 200, call: (_ids, w) => ({ method: 'get', path: `/api/sessions/${w.sessionId}/forums` }) },
  listForums: { needs: 'nothing', on: 'catalogue', ok: 200, call: (_ids, w) => ({ method: 'get', path: `/api/forums?sessionId=${w.sessionId}` }) },
  // Search (issue 15): the member's reply of each forum carries the session's tag word; it is found where it may be read.
  searchReplies: { needs: 'nothing', on: 'catalogue', ok: 200, call: (_ids, w) => ({ method: 'get', path: `/api/search?q=${w.sessionTag}&kind=reply&limit=50` }) },

  readForum: { needs: 'read', on: 'forum', ok: 200, call: (ids) => ({ method: 'get', path: `/api/forums/${ids.forumId}` }) },
  listQuestions: { needs: 'read', on: 'forum', ok: 200, call: (ids) => ({ method: 'get', path: `/api/forums/${ids.forumId}/questions` }) },
  readQuestion: { needs: 'read', on: 'question', ok: 200, call: (ids) => ({ method: 'get', path: `/api/questions/${ids.questionId}` }) },
  listReplies: { needs: 'read', on: 'question', ok: 200, call: (ids) => ({ method: 'get', path: `/api/questions/${ids.questionId}/replies` }) },
  readReply: { needs: 'read', on: 'reply', ok: 200, call: (ids) => ({ method: 'get', path: `/api/replies/${ids.replyId}` }) },
  readReplyRevisions: { needs: 'read', on: 'reply', ok: 200, call: (ids) => ({ method: 'get', path: `/api/replies/${ids.replyId}/revisions` }) },
  listReplySubtree: { needs: 'read', on: 'reply', ok: 200, call: (ids) => ({ method: 'get', path: `/api/replies/${ids.replyId}/replies` }) },
  listMembers: { needs: 'member', on: 'forum', ok: 200, call: (ids) => ({ method: 'get', path: `/api/forums/${ids.forumId}/members` }) },

  reply: { needs: 'participate', on: 'question', ok: 201, call: (ids) => ({ method: 'post', path: `/api/questions/${ids.questionId}/replies`, body: { body: 'A reply from the matrix.' } }) },
  vote: { needs: 'participate', on: 'reply', ok: 200, target: 'replyToVoteFor', call: (ids) => ({ method: 'put', path: `/api/replies/${ids.replyId}/vote` }) },
  editOwnReply: { needs: 'participate', on: 'reply', ok: 200, target: 'ownReplyToEdit', call: (ids) => ({ method: 'patch', path: `/api/replies/${ids.replyId}`, body: { body: 'Edited in the matrix.' } }) },
  deleteOwnReply: { needs: 'participate', on: 'reply', ok: 200, target: 'ownReplyToDelete', call: (ids) => ({ method: 'delete', path: `/api/replies/${ids.replyId}` }) },
  // Joining explicitly: the same rule as joining by a first reply (moderators and admins get their standing back).
  join: { needs: 'participate', on: 'forum', ok: 200, call: (ids) => ({ method: 'post', path: `/api/forums/${ids.forumId}/join` }) },

  editOthersReply: {
    needs: 'moderate', on: 'reply', ok: 200, notModerator: 'not_reply_author', refusedWhenArchived: true, target: 'othersReplyToEdit',
    call: (ids) => ({ method: 'patch', path: `/api/replies/${ids.replyId}`, body: { body: 'Edited by someone else in the matrix.' } }),
  },
  deleteOthersReply: {
    needs: 'moderate', on: 'reply', ok: 200, notModerator: 'not_reply_author', refusedWhenArchived: true, target: 'othersReplyToDelete',
    call: (ids) => ({ method: 'delete', path: `/api/replies/${ids.replyId}` }),
  },
  createQuestion: {
    needs: 'moderate', on: 'forum', ok: 201, refusedWhenArchived: true,
    call: (ids) => ({ method: 'post', path: `/api/forums/${ids.forumId}/questions`, body: { title: 'A question from the matrix' } }),
  },
  invite: { needs: 'moderate', on: 'forum', ok: 201, call: (ids) => ({ method: 'post', path: `/api/forums/${ids.forumId}/invitations`, body: {} }) },
  listInvitations: { needs: 'moderate', on: 'forum', ok: 200, call: (ids) => ({ method: 'get', path: `/api/forums/${ids.forumId}/invitations` }) },
  revokeInvitation: {
    needs: 'moderate', on: 'forum', ok: 200, target: 'invitationToRevoke',
    call: (ids) => ({ method: 'delete', path: `/api/forums/${ids.forumId}/invitations/${ids.invitationId}` }),
  },
  removeMember: {
    needs: 'moderate', on: 'forum', ok: 204, target: 'memberToRemove',
    call: (ids) => ({ method: 'delete', path: `/api/forums/${ids.forumId}/members/${ids.accountId}` }),
  },
  // Sends the forum's current visibility and state: a success changes nothing the other cells rely on.
  updateForum: { needs: 'moderate', on: 'forum', ok: 200, call: (ids, w) => ({ method: 'patch', path: `/api/forums/${ids.forumId}`, body: current(w, ids.forumId) }) },

  // Moderation (issue 7): every act through POST /api/moderation/acts, each on the cell's own target.
  hideReply: moderationAct('reply', 'replyToHide', (ids) => ({ act: 'reply.hide', replyId: ids.replyId, reason: 'Hidden in the matrix' })),
  unhideReply: moderationAct('reply', 'hiddenReply', (ids) => ({ act: 'reply.unhide', replyId: ids.replyId })),
  removeReply: moderationAct('reply', 'replyToRemove', (ids) => ({ act: 'reply.delete', replyId: ids.replyId, reason: 'Removed in the matrix' })),
  editReplyAsModerator: moderationAct('reply', 'replyToEditAsModerator', (ids) => ({ act: 'reply.edit', replyId: ids.replyId, body: 'Edited by a moderator in the matrix.' })),
  moveReply: moderationAct('reply', 'replyToMove', (ids) => ({ act: 'reply.move', replyId: ids.replyId, toQuestionId: ids.toQuestionId })),
  featureReply: moderationAct('reply', 'replyToFeature', (ids) => ({ act: 'reply.feature', replyId: ids.replyId })),
  unfeatureReply: moderationAct('reply', 'featuredReply', (ids) => ({ act: 'reply.unfeature', replyId: ids.replyId })),
  approveReply: moderationAct('reply', 'pendingReply', (ids) => ({ act: 'reply.approve', replyId: ids.replyId })),
  rejectReply: moderationAct('reply', 'pendingToReject', (ids) => ({ act: 'reply.reject', replyId: ids.replyId, reason: 'Rejected in the matrix' })),
  resolveFlags: moderationAct('reply', 'flaggedReply', (ids) => ({ act: 'flags.resolve', replyId: ids.replyId, outcome: 'dismiss' })),
  pinQuestion: moderationAct('question', 'questionToCurate', (ids) => ({ act: 'question.pin', questionId: ids.questionId })),
  unpinQuestion: moderationAct('question', 'questionToCurate', (ids) => ({ act: 'question.unpin', questionId: ids.questionId })),
  lockQuestion: moderationAct('question', 'questionToCurate', (ids) => ({ act: 'question.lock', questionId: ids.questionId })),
  unlockQuestion: moderationAct('question', 'questionToCurate', (ids) => ({ act: 'question.unlock', questionId: ids.questionId })),
  closeQuestion: moderationAct('question', 'questionToCurate', (ids) => ({ act: 'question.close', questionId: ids.questionId })),
  reopenQuestion: moderationAct('question', 'questionToCurate', (ids) => ({ act: 'question.reopen', questionId: ids.questionId })),
  reorderQuestion: moderationAct('question', 'questionToCurate', (ids) => ({ act: 'question.reorder', questionId: ids.questionId, position: 0 })),
  mergeQuestion: moderationAct('question', 'questionToMerge', (ids) => ({ act: 'question.merge', questionId: ids.questionId, intoQuestionId: ids.intoQuestionId })),
  writeSynthesis: moderationAct('question', 'questionToCurate', (ids) => ({ act: 'question.synthesis', questionId: ids.questionId, body: 'A synthesis from the matrix.' })),
  setQuestionSlowMode: moderationAct('question', 'questionToCurate', (ids) => ({ act: 'question.slow_mode', questionId: ids.questionId, seconds: 30 })),
  // Sends the forum's current setting: a success changes nothing the other cells rely on.
  changeModerationSettings: moderationAct('forum', undefined, (ids) => ({ act: 'forum.settings', forumId: ids.forumId, premoderation: false })),
  silenceMember: moderationAct('forum', 'memberToSilence', (ids) => ({
    act: 'member.silence', forumId: ids.forumId, accountId: ids.accountId, until: new Date(Date.now() + 3600_000).toISOString(),
  })),
  unsilenceMember: moderationAct('forum', 'memberToSilence', (ids) => ({ act: 'member.unsilence', forumId: ids.forumId, accountId: ids.accountId })),
  readModerationQueue: { needs: 'moderate', on: 'forum', ok: 200, call: (ids) => ({ method: 'get', path: `/api/forums/${ids.forumId}/moderation/queue` }) },
  readModerationRecord: { needs: 'moderate', on: 'forum', ok: 200, call: (ids) => ({ method: 'get', path: `/api/forums/${ids.forumId}/moderation/actions` }) },
  readSilences: { needs: 'moderate', on: 'forum', ok: 200, call: (ids) => ({ method: 'get', path: `/api/forums/${ids.forumId}/moderation/silences` }) },
  readRemovals: { needs: 'read', on: 'forum', ok: 200, call: (ids) => ({ method: 'get', path: `/api/forums/${ids.forumId}/moderation/removals` }) },
  readModerationSettings: { needs: 'read', on: 'forum', ok: 200, call: (ids) => ({ method: 'get', path: `/api/forums/${ids.forumId}/moderation/settings` }) },
  // Flagging is taking part, like voting.
  flagReply: { needs: 'participate', on: 'reply', ok: 201, target: 'replyToFlag', call: (ids) => ({ method: 'post', path: `/api/replies/${ids.replyId}/flags`, body: { reason: 'spam' } }) },
} satisfies Record<string, Action>;
type ActionName = keyof typeof ACTIONS;

/** A moderator's act (needs: moderate; an archived forum refuses it) on the cell's own target. */
function moderationAct(on: Resource, target: keyof CellTargets | undefined, body: (ids: Ids) => object): Action {
  return { needs: 'moderate', on, ok: 200, refusedWhenArchived: true, target, call: (ids) => ({ method: 'post', path: '/api/moderation/acts', body: body(ids) }) };
}

const current = (w: MatrixWorld, forumId: number) => {
  const f = w.forums.find((x) => x.id === forumId);
  return f ? { visibility: f.visibility, state: f.state } : { state: 'open' };
};

const NOT_FOUND: Record<Exclude<Resource, 'catalogue'>, string> = {
  forum: 'forum_not_found',
  question: 'question_not_found',
  reply: 'reply_not_found',
};

// ---------------------------------------------------------------------------
// The rule
// ---------------------------------------------------------------------------

interface Outcome {
  status: number;
  code?: string;
  /** Catalogue actions: whether the forum appears in the list. */
  listed?: boolean;
}

/** Who the caller is in the forum, as the rules see it. */
function standing(caller: Caller, visibility: ForumVisibility) {
  // An expired or revoked sign-in is no sign-in: the request is anonymous (though the person is a member).
  const signedIn = !['anonymous', 'expiredSession', 'revokedSession'].includes(caller);
  const moderates = caller === 'moderator' || caller === 'admin';
  const removed = caller === 'removedMember';
  const activeMember = caller === 'member';
  const reads =
    moderates ||
    visibility === 'public' ||
    (visibility === 'members' && signedIn && !removed) ||
    (visibility === 'invite_only' && activeMember);
  return { signedIn, moderates, removed, reads };
}

/**
 * The expected answer of one cell, from issue 3:
 * - public forums are read by anyone, members-only forums by anyone signed
 *   in (except a removed member), invite-only ones by their members; moderators
 *   and admins read everything; a forum one can't read answers 404 (nothing leaks);
 * - writes need a sign-in (401), and so does the member list, which only the
 *   forum's active members and moderators (and admins) see (403 not_member);
 * - moderators' actions (questions, invitations, removals, forum changes,
 *   changing others' replies, and every moderation act of issue 7: hide,
 *   delete, edit, move, feature, approve, reject, resolve flags, pin, lock,
 *   close, reorder, merge, synthesis, slow mode, settings, silencing; the
 *   queue, the record, the silenced list) need the forum's moderator or an
 *   admin (403 not_moderator); an archived forum refuses the acts (409);
 *   a moderator of another forum is nobody here;
 * - the moderation rules and the public removal summary are read like the forum;
 *   flagging a reply is taking part, like voting;
 * - taking part (reply, vote, changing one's own reply) needs an open forum
 *   (409 forum_closed / forum_archived) and not being removed (403 removed);
 *   public and members-only forums are joined implicitly.
 * Decisions the code documents and the matrix follows: moderators may still
 * take part in a closed forum (not an archived one); moderators may post
 * questions in a closed forum; an archived forum still lets moderators invite,
 * remove members and change the forum (to reopen it); the forum's state is
 * checked before the caller's membership (a removed member gets 409 in a
 * closed forum, 403 in an open one).
 */
function expectedOutcome(caller: Caller, actionName: ActionName, visibility: ForumVisibility, state: ForumState): Outcome {
  const action: Action = ACTIONS[actionName];
  const who = standing(caller, visibility);
  if (action.needs === 'nothing') return { status: 200, listed: who.reads };
  if (!who.reads) return { status: 404, code: NOT_FOUND[action.on as Exclude<Resource, 'catalogue'>] };
  if (action.needs === 'read') return { status: 200 };
  if (!who.signedIn) return { status: 401, code: 'unauthenticated' };
  if (action.needs === 'member') return who.moderates || caller === 'member' ? { status: action.ok } : { status: 403, code: 'not_member' };

  if (action.needs === 'moderate') {
    if (!who.moderates) return { status: 403, code: action.notModerator ?? 'not_moderator' };
    if (state === 'archived' && action.refusedWhenArchived) return { status: 409, code: 'forum_archived' };
    return { status: action.ok };
  }
  // participate
  if (state === 'archived') return { status: 409, code: 'forum_archived' };
  if (state === 'closed' && !who.moderates) return { status: 409, code: 'forum_closed' };
  if (who.removed) return { status: 403, code: 'removed' };
  return { status: action.ok };
}

const describeOutcome = (o: Outcome) =>
  `${o.status}${o.code ? ` ${o.code}` : ''}${o.listed === undefined ? '' : o.listed ? ', forum listed' : ', forum not listed'}`;

// ---------------------------------------------------------------------------
// The cells
// ---------------------------------------------------------------------------

describe('authorization matrix (issue 3)', () => {
  let t: TestApp;
  let world: MatrixWorld;

  beforeAll(async () => {
    t = await startTestApp();
    world = await buildWorld(t);
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  const send = (caller: Caller, call: Call) => {
    const req = request(t.url)[call.method](call.path).set(world.people[caller].headers);
    return call.body ? req.send(call.body) : req;
  };

  /** The answer for ids that exist nowhere, per caller and action (what an invisible thing must look like). */
  const nonexistentAnswers = new Map<string, { status: number; body: unknown }>();
  async function nonexistentAnswer(caller: Caller, actionName: ActionName) {
    const key = `${caller}/${actionName}`;
    if (!nonexistentAnswers.has(key)) {
      const res = await send(caller, ACTIONS[actionName].call(NONEXISTENT, world));
      nonexistentAnswers.set(key, { status: res.status, body: res.body });
    }
    return nonexistentAnswers.get(key)!;
  }

  const REPLY_TARGETS: (keyof CellTargets)[] = ['ownReplyToEdit', 'ownReplyToDelete', 'othersReplyToEdit', 'othersReplyToDelete', 'replyToVoteFor', ...MODERATION_REPLY_TARGETS];

  function idsFor(forum: MatrixForum, caller: Caller, action: Action): Ids {
    const targets = forum.targets[caller];
    const replyTarget = action.target && REPLY_TARGETS.includes(action.target) ? (action.target as (typeof REPLY_TARGETS)[number]) : undefined;
    const accountTarget = action.target === 'memberToRemove' || action.target === 'memberToSilence' ? action.target : undefined;
    const questionTarget = action.target === 'questionToCurate' || action.target === 'questionToMerge' ? action.target : undefined;
    return {
      forumId: forum.id,
      questionId: questionTarget ? targets[questionTarget] : forum.questionId,
      replyId: replyTarget ? (targets[replyTarget] as string) : forum.memberReplyId,
      accountId: accountTarget ? targets[accountTarget] : NONEXISTENT.accountId,
      invitationId: action.target === 'invitationToRevoke' ? targets.invitationToRevoke : NONEXISTENT.invitationId,
      intoQuestionId: targets.questionToCurate,
      toQuestionId: forum.otherQuestionId,
    };
  }

  /** Ids of the matrix forums in a catalogue answer. */
  function listedForumIds(actionName: ActionName, body: unknown): number[] {
    const ids = (forums: { id: number }[]) => forums.map((f) => f.id);
    switch (actionName) {
      case 'readSession': return ids((body as { forums: { id: number }[] }).forums);
      case 'listSessionForums': return ids(body as { id: number }[]);
      case 'listForums': return ids((body as { items: { id: number }[] }).items);
      case 'searchReplies': return (body as { groups: { items: { forum: { id: number } }[] }[] }).groups[0]!.items.map((hit) => hit.forum.id);
      default: throw new Error(`${actionName} is not a catalogue action`);
    }
  }

  for (const caller of CALLERS) {
    describe(caller, () => {
      for (const visibility of VISIBILITIES) {
        for (const state of STATES) {
          describe(`${visibility} ${state} forum`, () => {
            for (const actionName of Object.keys(ACTIONS) as ActionName[]) {
              const expected = expectedOutcome(caller, actionName, visibility, state);
              it(`${actionName} → ${describeOutcome(expected)}`, async () => {
                const forum = world.forum(visibility, state);
                const action: Action = ACTIONS[actionName];
                const res = await send(caller, action.call(idsFor(forum, caller, action), world));
                try {
                  expect({ status: res.status, code: res.status >= 400 ? res.body.code : undefined }).toEqual({ status: expected.status, code: expected.code });
                  if (expected.listed !== undefined) {
                    if (actionName === 'listSessions') {
                      // The session list shows counts, not forums: the count is of the forums the caller may read.
                      const item = (res.body.items as { id: number; forumCount: number }[]).find((s) => s.id === world.sessionId);
                      const readable = world.forums.filter((f) => standing(caller, f.visibility).reads).length;
                      expect(item?.forumCount).toBe(readable);
                    } else {
                      expect(listedForumIds(actionName, res.body).includes(forum.id)).toBe(expected.listed);
                    }
                  }
                  if (expected.status === 404) {
                    // Exactly what an id that exists nowhere gets: nothing tells an invisible forum from no forum.
                    expect({ status: res.status, body: res.body }).toEqual(await nonexistentAnswer(caller, actionName));
                  }
                } finally {
                  // Taking part joins public and members-only forums implicitly; keep these callers what they were.
                  if (action.needs === 'participate' && ['nonMember', 'otherModerator', 'admin'].includes(caller)) {
                    await t.dataSource.query(`DELETE FROM forum_membership WHERE forum_id = $1 AND account_id = $2`, [forum.id, world.people[caller].id]);
                  }
                }
              });
            }
          });
        }
      }
    });
  }

  // -------------------------------------------------------------------------
  // The world is what the cells assume (so no cell passes for a wrong reason)
  // -------------------------------------------------------------------------

  describe('the callers', () => {
    it('are signed in, or not, as the matrix says', async () => {
      for (const caller of CALLERS) {
        const res = await send(caller, { method: 'get', path: '/api/auth/me' });
        expect({ caller, status: res.status }).toEqual({ caller, status: standing(caller, 'public').signedIn ? 200 : 401 });
      }
    });

    it('hold the memberships the matrix says: the expired and revoked people are active members of every forum', async () => {
      const rows: { account_id: string; role: string; state: string; n: number }[] = await t.dataSource.query(
        `SELECT account_id, role, state, count(*)::int AS n FROM forum_membership WHERE forum_id = ANY($1) GROUP BY 1, 2, 3`,
        [world.forums.map((f) => f.id)],
      );
      const of = (caller: Caller) => rows.filter((r) => r.account_id === world.people[caller].id).map(({ role, state, n }) => ({ role, state, n }));
      expect(of('member')).toEqual([{ role: 'member', state: 'active', n: 9 }]);
      expect(of('expiredSession')).toEqual([{ role: 'member', state: 'active', n: 9 }]);
      expect(of('revokedSession')).toEqual([{ role: 'member', state: 'active', n: 9 }]);
      expect(of('moderator')).toEqual([{ role: 'moderator', state: 'active', n: 9 }]);
      expect(of('removedMember')).toEqual([{ role: 'member', state: 'removed', n: 9 }]);
      expect(of('nonMember')).toEqual([]);
      expect(of('otherModerator')).toEqual([]);
      expect(of('admin')).toEqual([]);
    });

    it('include a real moderator of another forum: they moderate their own forum', async () => {
      await send('otherModerator', { method: 'get', path: `/api/forums/${world.homeForumId}` }).expect(200);
      await send('otherModerator', { method: 'post', path: `/api/forums/${world.homeForumId}/invitations`, body: {} }).expect(201);
      await send('otherModerator', { method: 'post', path: `/api/forums/${world.homeForumId}/questions`, body: { title: 'At home' } }).expect(201);
      // ... and the forum is invisible to everyone else who isn't an admin.
      await send('moderator', { method: 'get', path: `/api/forums/${world.homeForumId}` }).expect(404);
      await send('admin', { method: 'get', path: `/api/forums/${world.homeForumId}` }).expect(200);
    });
  });

  // -------------------------------------------------------------------------
  // Locked and closed questions (in a public open forum)
  // -------------------------------------------------------------------------

  describe('locked and closed questions', () => {
    type FlagAction = 'reply' | 'editOwnReply' | 'vote';
    const FLAG_CALLERS = ['member', 'moderator'] as const;

    /**
     * A closed question takes no new replies from anyone (a moderator reopens
     * it first); a locked one takes them from moderators only. Authors can't
     * change their replies in either; moderators can. Votes add no text, so
     * both allow them. (The rules of RepliesService, from issue 3's "a locked
     * question refuses new replies".)
     */
    function expectedOnQuestion(caller: (typeof FLAG_CALLERS)[number], action: FlagAction, flag: 'locked' | 'closed'): Outcome {
      if (action === 'vote') return { status: 200 };
      const moderates = caller === 'moderator';
      if (flag === 'closed' && (action === 'reply' || !moderates)) return { status: 409, code: 'question_closed' };
      if (flag === 'locked' && !moderates) return { status: 409, code: 'question_locked' };
      return { status: action === 'reply' ? 201 : 200 };
    }

    const flagged = {} as Record<'locked' | 'closed', { questionId: number; own: Record<string, string>; toVoteFor: Record<string, string> }>;
    beforeAll(async () => {
      const forum = world.forum('public', 'open');
      for (const flag of ['locked', 'closed'] as const) {
        const question = await newQuestion(t, forum.id, { [flag]: true });
        const by = (caller: Caller) => ({ forumId: forum.id, questionId: question.id, authorId: world.people[caller].id! });
        const [memberOwn, moderatorOwn, forMember, forModerator] = await insertReplies(t, [by('member'), by('moderator'), by('moderator'), by('member')]);
        flagged[flag] = { questionId: question.id, own: { member: memberOwn, moderator: moderatorOwn }, toVoteFor: { member: forMember, moderator: forModerator } };
      }
    });

    for (const flag of ['locked', 'closed'] as const) {
      for (const caller of FLAG_CALLERS) {
        for (const action of ['reply', 'editOwnReply', 'vote'] as const) {
          const expected = expectedOnQuestion(caller, action, flag);
          it(`${caller} ${action} on a ${flag} question → ${describeOutcome(expected)}`, async () => {
            const q = flagged[flag];
            const call: Call =
              action === 'reply' ? { method: 'post', path: `/api/questions/${q.questionId}/replies`, body: { body: 'On a flagged question.' } }
              : action === 'editOwnReply' ? { method: 'patch', path: `/api/replies/${q.own[caller]}`, body: { body: 'Edited on a flagged question.' } }
              : { method: 'put', path: `/api/replies/${q.toVoteFor[caller]}/vote` };
            const res = await send(caller, call);
            expect({ status: res.status, code: res.status >= 400 ? res.body.code : undefined }).toEqual({ status: expected.status, code: expected.code });
          });
        }
      }
    }
  });

  // -------------------------------------------------------------------------
  // Beyond the cells
  // -------------------------------------------------------------------------

  describe('removal and invisibility', () => {
    it('takes an invite-only forum from a removed member at once: the next read is a 404 like a nonexistent forum', async () => {
      const forum = world.forum('invite_only', 'open');
      const person = await createAccount(t);
      await addMember(t, forum.id, person.id, 'member');
      const headers = { Cookie: await sessionCookie(t, person.email, person.password) };
      const as = (call: Call) => {
        const req = request(t.url)[call.method](call.path).set(headers);
        return call.body ? req.send(call.body) : req;
      };
      await as({ method: 'get', path: `/api/forums/${forum.id}` }).expect(200);
      await as({ method: 'get', path: `/api/questions/${forum.questionId}/replies` }).expect(200);

      await send('moderator', { method: 'delete', path: `/api/forums/${forum.id}/members/${person.id}` }).expect(204);

      const nowhere = await as({ method: 'get', path: `/api/forums/${NONEXISTENT.forumId}` }).expect(404);
      const gone = await as({ method: 'get', path: `/api/forums/${forum.id}` }).expect(404);
      expect(gone.body).toEqual(nowhere.body);
      const noQuestion = await as({ method: 'get', path: `/api/questions/${NONEXISTENT.questionId}/replies` }).expect(404);
      expect((await as({ method: 'get', path: `/api/questions/${forum.questionId}/replies` }).expect(404)).body).toEqual(noQuestion.body);
      expect((await as({ method: 'post', path: `/api/questions/${forum.questionId}/replies`, body: { body: 'Still here?' } }).expect(404)).body).toEqual(noQuestion.body);
      const listed = await as({ method: 'get', path: `/api/forums?sessionId=${world.sessionId}` }).expect(200);
      expect(listed.body.items.map((f: { id: number }) => f.id)).not.toContain(forum.id);
    });

    it('answers ids of invisible forums, questions and replies exactly like ids that exist nowhere', async () => {
      const forum = world.forum('invite_only', 'open');
      const hiddenQuestion = await newQuestion(t, forum.id);
      for (const caller of ['anonymous', 'nonMember', 'otherModerator', 'removedMember', 'expiredSession'] as const) {
        for (const [real, nowhere] of [
          [`/api/forums/${forum.id}`, `/api/forums/${NONEXISTENT.forumId}`],
          [`/api/forums/${forum.id}/questions`, `/api/forums/${NONEXISTENT.forumId}/questions`],
          [`/api/forums/${forum.id}/members`, `/api/forums/${NONEXISTENT.forumId}/members`],
          [`/api/forums/${forum.id}/invitations`, `/api/forums/${NONEXISTENT.forumId}/invitations`],
          [`/api/questions/${hiddenQuestion.id}`, `/api/questions/${NONEXISTENT.questionId}`],
          [`/api/questions/${forum.questionId}/replies`, `/api/questions/${NONEXISTENT.questionId}/replies`],
          [`/api/replies/${forum.moderatorReplyId}`, `/api/replies/${NONEXISTENT.replyId}`],
          [`/api/replies/${forum.moderatorReplyId}/replies`, `/api/replies/${NONEXISTENT.replyId}/replies`],
          [`/api/replies/${forum.moderatorReplyId}/revisions`, `/api/replies/${NONEXISTENT.replyId}/revisions`],
        ]) {
          const a = await send(caller, { method: 'get', path: real });
          const b = await send(caller, { method: 'get', path: nowhere });
          expect({ caller, real, status: a.status, body: a.body }).toEqual({ caller, real, status: 404, body: b.body });
        }
      }
    });
  });
});
