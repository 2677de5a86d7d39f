import { randomUUID } from 'node:crypto';
import type { ForumRole, MembershipState } from '../../src/forums/forum-membership.entity.js';
import type { ForumState, ForumVisibility } from '../../src/forums/forum.entity.js';
import type { TestApp } from './app.js';

/**
 * Test data for forums, written straight into the database (the sessions and
 * forums APIs are tested on their own): a session, a forum on it, a
 * membership, a question.
 */

const tag = () => randomUUID().slice(0, 8);

export async function newSession(t: TestApp, opts: { title?: string } = {}): Promise<{ id: number; slug: string }> {
  const slug = `test-session-${tag()}`;
  const [row] = await t.dataSource.query(
    `INSERT INTO session (slug, kind, title, summary, organiser) VALUES ($1, 'webinar', $2, 'A test session.', 'Test Learning Hub') RETURNING id`,
    [slug, opts.title ?? `Test session ${slug}`],
  );
  return { id: row.id, slug };
}

export interface NewForum {
  id: number;
  sessionId: number;
  slug: string;
}

/** A forum (on a new session unless one is given); default public and open. */
export async function newForum(
  t: TestApp,
  opts: { visibility?: ForumVisibility; state?: ForumState; sessionId?: number; title?: string } = {},
): Promise<NewForum> {
  const sessionId = opts.sessionId ?? (await newSession(t)).id;
  const slug = `test-forum-${tag()}`;
  const [row] = await t.dataSource.query(
    `INSERT INTO forum (session_id, slug, title, visibility, state) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [sessionId, slug, opts.title ?? `Forum ${slug}`, opts.visibility ?? 'public', opts.state ?? 'open'],
  );
  return { id: row.id, sessionId, slug };
}

export async function setForumState(t: TestApp, forumId: number, state: ForumState): Promise<void> {
  await t.dataSource.query(`UPDATE forum SET state = $2 WHERE id = $1`, [forumId, state]);
}

/** Makes (or changes) a membership; `state: 'removed'` for a removed member. */
export async function addMember(
  t: TestApp,
  forumId: number,
  accountId: string,
  role: ForumRole = 'member',
  state: MembershipState = 'active',
): Promise<void> {
  await t.dataSource.query(
    `INSERT INTO forum_membership (forum_id, account_id, role, state) VALUES ($1, $2, $3, $4)
     ON CONFLICT (forum_id, account_id) DO UPDATE SET role = EXCLUDED.role, state = EXCLUDED.state, updated_at = now()`,
    [forumId, accountId, role, state],
  );
}

/** A question at the end of the forum's list, written directly (the API path is tested in discussions.e2e-spec). */
export async function newQuestion(
  t: TestApp,
  forumId: number,
  opts: { title?: string; locked?: boolean; closed?: boolean; pinned?: boolean } = {},
): Promise<{ id: number }> {
  const [row] = await t.dataSource.query(
    `INSERT INTO question (forum_id, position, title, locked, closed, pinned)
     VALUES ($1, (SELECT COALESCE(max(position), -1) + 1 FROM question WHERE forum_id = $1), $2, $3, $4, $5) RETURNING id`,
    [forumId, opts.title ?? `Question ${tag()}`, opts.locked ?? false, opts.closed ?? false, opts.pinned ?? false],
  );
  return { id: row.id };
}

export async function setQuestionFlags(t: TestApp, questionId: number, flags: { locked?: boolean; closed?: boolean }): Promise<void> {
  await t.dataSource.query(
    `UPDATE question SET locked = COALESCE($2, locked), closed = COALESCE($3, closed) WHERE id = $1`,
    [questionId, flags.locked ?? null, flags.closed ?? null],
  );
}
