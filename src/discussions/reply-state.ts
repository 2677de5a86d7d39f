import type { EntityManager } from 'typeorm';
import type { ReplyState } from './reply.entity.js';
import { addToThreadCounter, returningRows, withAuthorOf, type ReplyRow } from './reply-queries.js';
import { countsAsChild, countsAsReply, isAuthorOnly } from './reply-visibility.js';

/**
 * Moves a reply (locked by the caller) to another state and keeps the counts
 * exact in the same transaction: the question's reply count (visible
 * replies) and the parent's childCount (what readers see in place). Returns
 * the updated row with its author's name.
 */
export async function changeReplyState(
  m: EntityManager,
  reply: ReplyRow,
  to: ReplyState,
  fields: { reason?: string | null; hiddenByFlags?: boolean } = {},
): Promise<ReplyRow> {
  // Deleting a reply readers never saw (pending, rejected) keeps it out of their view.
  const withheld = to === 'deleted' && isAuthorOnly(reply);
  const [updated] = await returningRows<ReplyRow>(
    m,
    `UPDATE reply SET state = $2, state_reason = $3, hidden_by_flags = $4, withheld = $5,
            deleted_at = CASE WHEN $2 = 'deleted' THEN COALESCE(deleted_at, now()) END
      WHERE id = $1 RETURNING *`,
    [reply.id, to, fields.reason ?? null, fields.hiddenByFlags ?? false, withheld],
  );
  await addToThreadCounter(m, reply.question_id, reply.forum_id, Number(countsAsReply(to)) - Number(countsAsReply(reply.state)));
  const childDelta = Number(countsAsChild(to, withheld)) - Number(countsAsChild(reply.state, reply.withheld));
  if (reply.parent_id && childDelta !== 0) await m.query(`UPDATE reply SET child_count = child_count + $2 WHERE id = $1`, [reply.parent_id, childDelta]);
  return withAuthorOf(updated!, reply);
}
