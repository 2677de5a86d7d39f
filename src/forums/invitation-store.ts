import { sql } from 'kysely';
import type { EntityManager } from 'typeorm';
import { db, rowsOf } from '../database/typed-sql.js';

/**
 * The writes of invitations and their acceptances (issue 11), and nowhere
 * else: an invitation keeps its secret only as a hash, and its uses are spent
 * one per person, atomically with the guard that there is one left.
 */

export interface NewInvitation {
  forumId: number;
  createdBy: string;
  email: string | null;
  tokenHash: string;
  expiresInHours: number;
  maxUses: number;
}

/** Creates an invitation, usable from now for the hours given; returns its id. */
export async function createInvitation(m: EntityManager, inv: NewInvitation): Promise<number> {
  const [row] = await rowsOf(
    m,
    db
      .insertInto('invitation')
      .values({
        forum_id: inv.forumId,
        created_by: inv.createdBy,
        email: inv.email,
        token_hash: inv.tokenHash,
        expires_at: sql<Date>`now() + make_interval(hours => ${inv.expiresInHours})`,
        max_uses: inv.maxUses,
      })
      .returning('id'),
  );
  return row.id;
}

/** Withdraws the forum's invitation (revoking twice keeps the first time); false if the forum has no such invitation. */
export async function revokeInvitation(m: EntityManager, forumId: number, invitationId: number): Promise<boolean> {
  const rows = await rowsOf(
    m,
    db
      .updateTable('invitation')
      .set({ revoked_at: sql<Date>`COALESCE(revoked_at, now())` })
      .where('id', '=', invitationId)
      .where('forum_id', '=', forumId)
      .returning('id'),
  );
  return rows.length > 0;
}

/** Notes that the person accepted the invitation; false if they had already (one use per person). */
export async function recordAcceptance(m: EntityManager, invitationId: number, accountId: string): Promise<boolean> {
  const rows = await rowsOf(
    m,
    db
      .insertInto('invitation_acceptance')
      .values({ invitation_id: invitationId, account_id: accountId })
      .onConflict((oc) => oc.doNothing())
      .returning('invitation_id'),
  );
  return rows.length > 0;
}

/**
 * Spends one use of the invitation if it is still usable (not revoked,
 * expired or used up): the guard and the increment in one statement, so
 * concurrent accepts of the last use can't both win. False if none was spent.
 */
export async function spendUse(m: EntityManager, invitationId: number): Promise<boolean> {
  const rows = await rowsOf(
    m,
    db
      .updateTable('invitation')
      .set({ use_count: sql<number>`use_count + 1` })
      .where('id', '=', invitationId)
      .whereRef('use_count', '<', 'max_uses')
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', sql<Date>`now()`)
      .returning('id'),
  );
  return rows.length > 0;
}
