import { sql } from 'kysely';
import type { EntityManager } from 'typeorm';
import { affectedBy, db, rowsOf } from '../database/typed-sql.js';
import type { ForumRole } from './forum-membership.entity.js';

/**
 * Who is in a forum (forum_membership) and who organises a session
 * (session_moderator): the writes of both tables (issue 11), and nowhere
 * else. A removal is a state, never a deletion (only leaving deletes an
 * active membership), so a removed person can't rejoin a public forum by
 * posting.
 */

/** An active membership with this role, unless the person already has one (active or removed). */
export async function joinUnlessKnown(m: EntityManager, forumId: number, accountId: string, role: ForumRole): Promise<void> {
  await affectedBy(
    m,
    db
      .insertInto('forum_membership')
      .values({ forum_id: forumId, account_id: accountId, role, state: 'active' })
      .onConflict((oc) => oc.doNothing()),
  );
}

/** Makes the person an active member with this role, re-admitting them if they were removed. */
export async function setMember(m: EntityManager, forumId: number, accountId: string, role: ForumRole): Promise<void> {
  await affectedBy(
    m,
    db
      .insertInto('forum_membership')
      .values({ forum_id: forumId, account_id: accountId, role, state: 'active' })
      .onConflict((oc) => oc.columns(['forum_id', 'account_id']).doUpdateSet({ role: (eb) => eb.ref('excluded.role'), state: 'active', updated_at: sql<Date>`now()` })),
  );
}

/** Admits the person (an invitation accepted): a new member, or an earlier membership active again with its role. */
export async function admitMember(m: EntityManager, forumId: number, accountId: string): Promise<void> {
  await affectedBy(
    m,
    db
      .insertInto('forum_membership')
      .values({ forum_id: forumId, account_id: accountId, role: 'member', state: 'active' })
      .onConflict((oc) => oc.columns(['forum_id', 'account_id']).doUpdateSet({ state: 'active', updated_at: sql<Date>`now()` })),
  );
}

/** Removes the person (or bars one who never joined): a removed plain member. */
export async function removeMember(m: EntityManager, forumId: number, accountId: string): Promise<void> {
  await affectedBy(
    m,
    db
      .insertInto('forum_membership')
      .values({ forum_id: forumId, account_id: accountId, role: 'member', state: 'removed' })
      .onConflict((oc) => oc.columns(['forum_id', 'account_id']).doUpdateSet({ role: 'member', state: 'removed', updated_at: sql<Date>`now()` })),
  );
}

/** The person leaves: an active membership is deleted; a removal stays. */
export async function leave(m: EntityManager, forumId: number, accountId: string): Promise<void> {
  await affectedBy(
    m,
    db.deleteFrom('forum_membership').where('forum_id', '=', forumId).where('account_id', '=', accountId).where('state', '=', 'active'),
  );
}

/** The session's moderators become moderators of a new forum of it (where they have no membership yet). */
export async function addSessionModerators(m: EntityManager, forumId: number, sessionId: number): Promise<void> {
  await affectedBy(
    m,
    db
      .insertInto('forum_membership')
      .columns(['forum_id', 'account_id', 'role', 'state'])
      .expression(
        db
          .selectFrom('session_moderator')
          .select([sql<number>`${forumId}`.as('forum_id'), 'account_id', sql.lit('moderator').as('role'), sql.lit('active').as('state')])
          .where('session_id', '=', sessionId),
      )
      .onConflict((oc) => oc.doNothing()),
  );
}

/**
 * Makes the person an organiser of the session: moderator of each of its
 * forums (re-admitted where they were removed), and of those created later.
 * Returns the forums, in id order.
 */
export async function addSessionModerator(m: EntityManager, sessionId: number, accountId: string): Promise<number[]> {
  await affectedBy(m, db.insertInto('session_moderator').values({ session_id: sessionId, account_id: accountId }).onConflict((oc) => oc.doNothing()));
  const rows = await rowsOf(
    m,
    db
      .insertInto('forum_membership')
      .columns(['forum_id', 'account_id', 'role', 'state'])
      .expression(
        db
          .selectFrom('forum as f')
          .select(['f.id', sql<string>`${accountId}`.as('account_id'), sql.lit('moderator').as('role'), sql.lit('active').as('state')])
          .where('f.session_id', '=', sessionId)
          .orderBy('f.id'),
      )
      .onConflict((oc) => oc.columns(['forum_id', 'account_id']).doUpdateSet({ role: 'moderator', state: 'active', updated_at: sql<Date>`now()` }))
      .returning('forum_id'),
  );
  return rows.map((r) => r.forum_id);
}

/**
 * Ends the person's role as the session's organiser: plain members of the
 * session's forums where they were moderators. Returns those forums.
 */
export async function removeSessionModerator(m: EntityManager, sessionId: number, accountId: string): Promise<number[]> {
  await affectedBy(m, db.deleteFrom('session_moderator').where('session_id', '=', sessionId).where('account_id', '=', accountId));
  const rows = await rowsOf(
    m,
    db
      .updateTable('forum_membership')
      .set({ role: 'member', updated_at: sql<Date>`now()` })
      .where('account_id', '=', accountId)
      .where('role', '=', 'moderator')
      .where('forum_id', 'in', db.selectFrom('forum').select('id').where('session_id', '=', sessionId))
      .returning('forum_id'),
  );
  return rows.map((r) => r.forum_id);
}
