import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { ForumState, ForumVisibility } from '../../src/forums/forum.entity.js';
import { encodeSegment } from '../../src/discussions/reply-path.js';
import type { TestApp } from './app.js';
import { addMember, newForum, newQuestion, newSession } from './fixtures.js';
import { createAccount } from './people.js';

/**
 * The world of the authorization matrix (test/authorization-matrix.e2e-spec.ts),
 * built once: one session with a forum per visibility x state, the callers
 * signed in once each, and for every (forum, caller) its own fresh targets for
 * the writes that would change something (a reply to edit, one to delete, one
 * to vote for, a member to remove, an invitation to revoke), so cells don't depend on each other's order.
 */

export const VISIBILITIES = ['public', 'members', 'invite_only'] as const satisfies readonly ForumVisibility[];
export const STATES = ['open', 'closed', 'archived'] as const satisfies readonly ForumState[];

export const CALLERS = [
  'anonymous',
  'nonMember', // signed in, no membership in the forum
  'member',
  'otherModerator', // moderator of another forum only, acting on these forums by id
  'moderator',
  'admin',
  'removedMember',
  'expiredSession', // an active member of every forum whose sign-in has expired
  'revokedSession', // an active member of every forum who signed out
] as const;
export type Caller = (typeof CALLERS)[number];

/** Ids that exist nowhere (within the columns' ranges), for "same answer as nonexistent" checks. */
export const NONEXISTENT = {
  forumId: 2_147_483_000, questionId: 2_147_483_000, replyId: '999999999999', accountId: randomUUID(), invitationId: 2_147_483_000,
  intoQuestionId: 2_147_483_001, toQuestionId: 2_147_483_002,
};

/** Targets of moderation acts (issue 7), each a reply in the state its act needs. */
export const MODERATION_REPLY_TARGETS = [
  'replyToHide', 'hiddenReply', 'replyToRemove', 'replyToEditAsModerator', 'replyToMove', 'replyToFeature', 'featuredReply',
  'pendingReply', 'pendingToReject', 'flaggedReply', 'replyToFlag',
] as const;
type ModerationReplyTarget = (typeof MODERATION_REPLY_TARGETS)[number];

export interface CellTargets {
  ownReplyToEdit: string;
  ownReplyToDelete: string;
  othersReplyToEdit: string;
  othersReplyToDelete: string;
  replyToVoteFor: string;
  /** An active member of the forum, for the "remove a member" cell. */
  memberToRemove: string;
  /** A pending invitation link of the forum, for the "revoke an invitation" cell. */
  invitationToRevoke: number;
  /** Moderation acts: replies (by someone other than the caller) in the state each act needs. */
  replyToHide: string;
  hiddenReply: string;
  replyToRemove: string;
  replyToEditAsModerator: string;
  replyToMove: string;
  replyToFeature: string;
  featuredReply: string;
  pendingReply: string;
  pendingToReject: string;
  /** A reply with one open flag. */
  flaggedReply: string;
  replyToFlag: string;
  /** A question of the caller's own to pin, lock, close, reorder, write a synthesis for, merge into. */
  questionToCurate: number;
  /** A question to merge into questionToCurate. */
  questionToMerge: number;
  /** An account (not a member) to silence. */
  memberToSilence: string;
}

export interface MatrixForum {
  id: number;
  visibility: ForumVisibility;
  state: ForumState;
  questionId: number;
  /** Another question of the forum (where moved replies go). */
  otherQuestionId: number;
  /** A reply by the member and one by the moderator (the read targets). */
  memberReplyId: string;
  moderatorReplyId: string;
  targets: Record<Caller, CellTargets>;
}

interface MatrixPerson {
  /** null for the anonymous caller. */
  id: string | null;
  /** What every request of this caller carries (the session cookie, or nothing). */
  headers: Record<string, string>;
}

export interface MatrixWorld {
  sessionId: number;
  /** A word only this session's title has (for GET /api/sessions?q=), and each forum's member reply (for GET /api/search). */
  sessionTag: string;
  forums: MatrixForum[];
  /** The forum the other moderator moderates (on another session). */
  homeForumId: number;
  people: Record<Caller, MatrixPerson>;
  forum(visibility: ForumVisibility, state: ForumState): MatrixForum;
}

/** Signs in through the real endpoint and returns the Cookie header that carries the session. */
export async function sessionCookie(t: TestApp, email: string, password: string): Promise<string> {
  const res = await request(t.url).post('/api/auth/sign-in').send({ email, password });
  if (res.status !== 200) throw new Error(`sign-in of ${email} got ${res.status}: ${JSON.stringify(res.body)}`);
  const raw = res.headers['set-cookie'] as unknown as string[] | string | undefined;
  const cookie = (Array.isArray(raw) ? raw : [raw ?? '']).find((c) => c.startsWith('agora_session='));
  if (!cookie) throw new Error(`sign-in of ${email} set no session cookie`);
  return cookie.split(';')[0];
}

/** Accounts that never sign in (removal targets): no Argon2 hash needed, the hash can't match any password. */
async function plainAccounts(t: TestApp, n: number): Promise<string[]> {
  const rows: { id: string }[] = await t.dataSource.query(
    `INSERT INTO account (email, display_name, password_hash)
     SELECT 'matrix-target-' || $1 || '-' || i || '@example.org', 'Matrix target ' || i, '!not-a-hash'
       FROM generate_series(1, $2::int) AS i RETURNING id`,
    [randomUUID().slice(0, 8), n],
  );
  return rows.map((r) => r.id);
}

/** Replies written straight into the database (first level, with their reply counter), ids in input order. */
export async function insertReplies(t: TestApp, replies: { forumId: number; questionId: number; authorId: string }[]): Promise<string[]> {
  const ids: { id: string }[] = await t.dataSource.query(
    `SELECT nextval(pg_get_serial_sequence('reply', 'id'))::text AS id FROM generate_series(1, $1::int)`,
    [replies.length],
  );
  await t.dataSource.query(
    `INSERT INTO reply (id, question_id, forum_id, path, depth, author_id, body_source, body_html)
     SELECT id, question_id, forum_id, path, 1, author_id, 'A reply in the matrix.', '<p>A reply in the matrix.</p>'
       FROM unnest($1::bigint[], $2::int[], $3::int[], $4::text[], $5::uuid[]) AS r (id, question_id, forum_id, path, author_id)`,
    [ids.map((r) => r.id), replies.map((r) => r.questionId), replies.map((r) => r.forumId), ids.map((r) => encodeSegment(r.id)), replies.map((r) => r.authorId)],
  );
  await t.dataSource.query(
    `INSERT INTO thread_counter (question_id, shard, forum_id, reply_count)
     SELECT question_id, 0, forum_id, count(*) FROM unnest($1::int[], $2::int[]) AS r (question_id, forum_id) GROUP BY question_id, forum_id
     ON CONFLICT (question_id, shard) DO UPDATE SET reply_count = thread_counter.reply_count + EXCLUDED.reply_count`,
    [replies.map((r) => r.questionId), replies.map((r) => r.forumId)],
  );
  return ids.map((r) => r.id);
}

export async function buildWorld(t: TestApp): Promise<MatrixWorld> {
  const sessionTag = `matrix${randomUUID().slice(0, 8)}`;
  const session = await newSession(t, { title: `Authorization ${sessionTag}` });

  // People: real accounts, each signed in once through the real endpoint.
  const signedInCallers = CALLERS.filter((c) => c !== 'anonymous');
  const people = { anonymous: { id: null, headers: {} } } as Record<Caller, MatrixPerson>;
  await Promise.all(
    signedInCallers.map(async (caller) => {
      const account = await createAccount(t, { role: caller === 'admin' ? 'admin' : 'member', displayName: `Matrix ${caller}` });
      people[caller] = { id: account.id, headers: { Cookie: await sessionCookie(t, account.email, account.password) } };
    }),
  );
  await t.dataSource.query(`UPDATE login_session SET expires_at = now() - interval '1 minute' WHERE account_id = $1`, [people.expiredSession.id]);
  const signOut = await request(t.url).post('/api/auth/sign-out').set(people.revokedSession.headers);
  if (signOut.status >= 300) throw new Error(`sign-out got ${signOut.status}`);

  const home = await newForum(t, { visibility: 'invite_only' });
  await addMember(t, home.id, people.otherModerator.id!, 'moderator');

  const forums: MatrixForum[] = [];
  const removable = await plainAccounts(t, 2 * VISIBILITIES.length * STATES.length * CALLERS.length);
  for (const visibility of VISIBILITIES) {
    for (const state of STATES) {
      const forum = await newForum(t, { sessionId: session.id, visibility, state, title: `Matrix ${visibility} ${state}` });
      await addMember(t, forum.id, people.moderator.id!, 'moderator');
      for (const caller of ['member', 'expiredSession', 'revokedSession'] as const) await addMember(t, forum.id, people[caller].id!, 'member');
      await addMember(t, forum.id, people.removedMember.id!, 'member', 'removed');
      const question = await newQuestion(t, forum.id, { title: `Matrix question (${visibility}, ${state})` });

      // Per caller: own replies (the member's, for the anonymous caller, who has none), and
      // another person's (the member's; the moderator's when the caller is the member).
      const write = (authorId: string) => ({ forumId: forum.id, questionId: question.id, authorId });
      const member = people.member.id!;
      const moderator = people.moderator.id!;
      const plan = CALLERS.flatMap((caller) => {
        const own = people[caller].id ?? member;
        const other = caller === 'member' ? moderator : member;
        return [write(own), write(own), write(other), write(other), write(other), ...MODERATION_REPLY_TARGETS.map(() => write(other))];
      });
      const [memberReplyId, moderatorReplyId, ...ids] = await insertReplies(t, [write(member), write(moderator), ...plan]);
      // The one reply of this forum that search finds by the session's tag (GET /api/search).
      await t.dataSource.query(`UPDATE reply SET body_source = body_source || ' ' || $2 WHERE id = $1`, [memberReplyId, sessionTag]);
      // One pending link invitation per caller (only the hash of a token nobody holds).
      const invitations: { id: number }[] = await t.dataSource.query(
        `INSERT INTO invitation (forum_id, token_hash, expires_at, max_uses)
         SELECT $1, encode(sha256(convert_to(gen_random_uuid()::text, 'UTF8')), 'hex'), now() + interval '1 day', 10
           FROM generate_series(1, $2::int) RETURNING id`,
        [forum.id, CALLERS.length],
      );
      // Per caller: a question to curate and one to merge into it; and one more question where moved replies go.
      const questions: { id: number }[] = await t.dataSource.query(
        `INSERT INTO question (forum_id, position, title)
         SELECT $1, (SELECT max(position) FROM question WHERE forum_id = $1) + g, 'Matrix curation ' || g FROM generate_series(1, $2::int) g
         RETURNING id`,
        [forum.id, 2 * CALLERS.length + 1],
      );
      const perCaller = 5 + MODERATION_REPLY_TARGETS.length;
      const targets = {} as Record<Caller, CellTargets>;
      CALLERS.forEach((caller, i) => {
        const mine = ids.slice(i * perCaller, (i + 1) * perCaller);
        const [ownReplyToEdit, ownReplyToDelete, othersReplyToEdit, othersReplyToDelete, replyToVoteFor] = mine;
        const moderation = Object.fromEntries(MODERATION_REPLY_TARGETS.map((name, j) => [name, mine[5 + j]])) as Record<ModerationReplyTarget, string>;
        targets[caller] = {
          ownReplyToEdit, ownReplyToDelete, othersReplyToEdit, othersReplyToDelete, replyToVoteFor, ...moderation,
          memberToRemove: removable.pop()!, memberToSilence: removable.pop()!, invitationToRevoke: invitations[i].id,
          questionToCurate: questions[2 * i].id, questionToMerge: questions[2 * i + 1].id,
        };
      });
      const all = (name: ModerationReplyTarget) => CALLERS.map((c) => targets[c][name]);
      await t.dataSource.query(`UPDATE reply SET state = 'hidden', state_reason = 'Hidden for the matrix' WHERE id = ANY($1::bigint[])`, [all('hiddenReply')]);
      await t.dataSource.query(`UPDATE reply SET featured_at = now() WHERE id = ANY($1::bigint[])`, [all('featuredReply')]);
      await t.dataSource.query(`UPDATE reply SET state = 'pending' WHERE id = ANY($1::bigint[])`, [[...all('pendingReply'), ...all('pendingToReject')]]);
      await t.dataSource.query(
        `INSERT INTO reply_flag (reply_id, forum_id, account_id, reason) SELECT unnest($1::bigint[]), $2, $3, 'spam'`,
        [all('flaggedReply'), forum.id, people.revokedSession.id],
      );
      await t.dataSource.query(
        `INSERT INTO forum_membership (forum_id, account_id, role, state) SELECT $1, unnest($2::uuid[]), 'member', 'active'`,
        [forum.id, CALLERS.map((c) => targets[c].memberToRemove)],
      );
      forums.push({ id: forum.id, visibility, state, questionId: question.id, otherQuestionId: questions.at(-1)!.id, memberReplyId, moderatorReplyId, targets });
    }
  }
  return {
    sessionId: session.id,
    sessionTag,
    forums,
    homeForumId: home.id,
    people,
    forum: (visibility, state) => forums.find((f) => f.visibility === visibility && f.state === state)!,
  };
}
