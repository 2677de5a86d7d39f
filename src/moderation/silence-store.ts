import { sql } from 'kysely';
import type { EntityManager } from 'typeorm';
import { affectedBy, db, rowsOf } from '../database/typed-sql.js';

/** The writes of members silenced in a forum (issue 11): forum_silence is written here and nowhere else, in the caller's transaction. */

/** Silences a member until a time; silencing again replaces the time, the reason and who did it, as of now. */
export async function silenceMember(
  m: EntityManager,
  silence: { forumId: number; accountId: string; until: string; reason: string | null; silencedBy: string },
): Promise<void> {
  await affectedBy(
    m,
    db
      .insertInto('forum_silence')
      .values({ forum_id: silence.forumId, account_id: silence.accountId, until: silence.until, reason: silence.reason, silenced_by: silence.silencedBy })
      .onConflict((oc) =>
        oc.columns(['forum_id', 'account_id']).doUpdateSet({
          until: (eb) => eb.ref('excluded.until'),
          reason: (eb) => eb.ref('excluded.reason'),
          silenced_by: (eb) => eb.ref('excluded.silenced_by'),
          created_at: sql<Date>`now()`,
        }),
      ),
  );
}

/** Lifts a member's silence; returns until when it was to last, or null if they weren't silenced. */
export async function unsilenceMember(m: EntityManager, forumId: number, accountId: string): Promise<Date | null> {
  const [removed] = await rowsOf(m, db.deleteFrom('forum_silence').where('forum_id', '=', forumId).where('account_id', '=', accountId).returning('until'));
  return removed?.until ?? null;
}
