import { sql } from 'kysely';
import type { EntityManager } from 'typeorm';
import { db, rowsOf } from '../database/typed-sql.js';
import type { FlagRow } from './flag-queries.js';

/** The writes of members' flags on replies (issue 11): reply_flag is written here and nowhere else, in the caller's transaction. */

/** A member's flag on a reply; null if they had flagged it already (reply_flag_once_key). */
export async function insertFlag(
  m: EntityManager,
  flag: { replyId: string; forumId: number; accountId: string; reason: string; note: string | null },
): Promise<FlagRow | null> {
  const [row] = await rowsOf(
    m,
    db
      .insertInto('reply_flag')
      .values({ reply_id: flag.replyId, forum_id: flag.forumId, account_id: flag.accountId, reason: flag.reason, note: flag.note })
      .onConflict((oc) => oc.constraint('reply_flag_once_key').doNothing())
      .returningAll(),
  );
  return (row as FlagRow | undefined) ?? null;
}

/** Settles flags (locked by the caller) as a moderator decided; returns them as they are now. */
export async function resolveFlagRows(m: EntityManager, ids: string[], state: 'upheld' | 'dismissed', moderatorId: string): Promise<FlagRow[]> {
  const rows = await rowsOf(
    m,
    db
      .updateTable('reply_flag')
      .set({ state, resolved_at: sql<Date>`now()`, resolved_by: moderatorId })
      .where('id', '=', sql<string>`ANY(${ids}::bigint[])`)
      .returningAll(),
  );
  return rows as FlagRow[];
}
