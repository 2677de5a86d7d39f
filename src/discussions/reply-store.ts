import { sql, type Expression } from 'kysely';
import { randomInt } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { affectedBy, db, rowsOf } from '../database/typed-sql.js';
import type { ReplyState } from './reply.entity.js';
import { withAuthorOf, type ReplyRow, type StoredReply } from './reply-queries.js';
import { countsAsChild, countsAsReply, isAuthorOnly } from './reply-visibility.js';

/**
 * The writes of a thread's replies (issue 11): reply, reply_revision,
 * reply_vote and thread_counter are written here and nowhere else. Each
 * function runs in the caller's transaction and keeps the counts that
 * follow from it exact there: the question's reply count (counter shards),
 * the parent's childCount, a reply's vote count.
 */

/** thread_counter has 16 rows per question (CHECK shard BETWEEN 0 AND 15). */
const COUNTER_SHARDS = 16;

/** A reply's language: the detected one, else its author's. */
const languageOf = (detected: string | null, authorId: Expression<string> | string) =>
  sql<string>`coalesce(${detected}::text, (SELECT language FROM account WHERE id = ${authorId}))`;

/** RETURNING * of a reply, with the state as the views type it. */
const stored = (row: object) => row as StoredReply;

/** Moves a question's reply count by `delta` on a random shard (readers sum the shards, so one may go below zero). */
async function addToThreadCounter(m: EntityManager, questionId: number, forumId: number, delta: number): Promise<void> {
  if (delta === 0) return;
  await affectedBy(m, counterShift(questionId, forumId, delta));
}

const counterShift = (questionId: number, forumId: number, delta: number) =>
  db
    .insertInto('thread_counter')
    .values({ question_id: questionId, shard: randomInt(COUNTER_SHARDS), forum_id: forumId, reply_count: delta })
    .onConflict((oc) => oc.columns(['question_id', 'shard']).doUpdateSet({ reply_count: sql`thread_counter.reply_count + EXCLUDED.reply_count` }));

async function addToChildCount(m: EntityManager, replyId: string, delta: number): Promise<void> {
  await affectedBy(m, db.updateTable('reply').set({ child_count: sql`child_count + ${delta}` }).where('id', '=', replyId));
}

export interface NewReply {
  /** Taken from the sequence beforehand (the path needs it). */
  id: string;
  questionId: number;
  forumId: number;
  parent: { id: string; path: string } | null;
  path: string;
  depth: number;
  authorId: string;
  authorName: string;
  bodySource: string;
  bodyHtml: string;
  clientId: string | null;
  state: ReplyState;
  detectedLanguage: string | null;
}

/**
 * Stores a new reply with its counter shard and its parent's child count (a
 * pending reply counts in neither until approved), in one statement
 * (data-modifying CTEs always run to completion). The parent update
 * re-checks that it wasn't deleted or moved meanwhile (it waits for a
 * concurrent delete's row lock, then sees its result): `parent_ok` false
 * says it was, and the caller rolls back.
 */
export async function insertReply(m: EntityManager, reply: NewReply): Promise<ReplyRow & { parent_ok: boolean }> {
  const parentId = reply.parent?.id ?? null;
  const [row] = await rowsOf(
    m,
    db
      .with('inserted', (qb) =>
        qb
          .insertInto('reply')
          .values({
            id: reply.id, question_id: reply.questionId, forum_id: reply.forumId, parent_id: parentId, path: reply.path, depth: reply.depth,
            author_id: reply.authorId, body_source: reply.bodySource, body_html: reply.bodyHtml, client_id: reply.clientId, state: reply.state,
            language: languageOf(reply.detectedLanguage, reply.authorId),
          })
          .returningAll(),
      )
      .with('counted', () => counterShift(reply.questionId, reply.forumId, countsAsReply(reply.state) ? 1 : 0))
      .with('parent', (qb) =>
        qb
          .updateTable('reply')
          .set({ child_count: sql`child_count + ${countsAsChild(reply.state) ? 1 : 0}` })
          .where('id', '=', parentId)
          .where('state', '<>', 'deleted')
          .where('question_id', '=', reply.questionId)
          .where('path', '=', reply.parent?.path ?? null)
          .returning('id'),
      )
      .selectFrom('inserted as i')
      .innerJoin('account as a', 'a.id', 'i.author_id')
      .selectAll('i')
      .select([
        sql<string>`${reply.authorName}::text`.as('author_name'),
        'a.organisation as author_organisation',
        'a.avatar_updated_at as author_avatar_at',
        sql<boolean>`(${parentId}::bigint IS NULL OR EXISTS (SELECT 1 FROM parent))`.as('parent_ok'),
      ]),
  );
  return row as unknown as ReplyRow & { parent_ok: boolean };
}

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
  const [updated] = await rowsOf(
    m,
    db
      .updateTable('reply')
      .set({
        state: to, state_reason: fields.reason ?? null, hidden_by_flags: fields.hiddenByFlags ?? false, withheld,
        deleted_at: to === 'deleted' ? sql<Date>`COALESCE(deleted_at, now())` : null,
      })
      .where('id', '=', reply.id)
      .returningAll(),
  );
  await addToThreadCounter(m, reply.question_id, reply.forum_id, Number(countsAsReply(to)) - Number(countsAsReply(reply.state)));
  const childDelta = Number(countsAsChild(to, withheld)) - Number(countsAsChild(reply.state, reply.withheld));
  if (reply.parent_id && childDelta !== 0) await addToChildCount(m, reply.parent_id, childDelta);
  return withAuthorOf(stored(updated!), reply);
}

/** Replaces a reply's text (locked by the caller), keeping the previous one in its history. Returns the updated row with its author's name. */
export async function reviseReply(
  m: EntityManager,
  reply: ReplyRow,
  change: { bodySource: string; bodyHtml: string; editedBy: string; byModerator: boolean; detectedLanguage: string | null },
): Promise<ReplyRow> {
  await affectedBy(
    m,
    db.insertInto('reply_revision').values({ reply_id: reply.id, body_source: reply.body_source, edited_by: change.editedBy, by_moderator: change.byModerator }),
  );
  const [updated] = await rowsOf(
    m,
    db
      .updateTable('reply')
      .set({
        body_source: change.bodySource, body_html: change.bodyHtml, edited_at: sql<Date>`now()`, edited_by_moderator: change.byModerator,
        language: languageOf(change.detectedLanguage, sql.ref<string>('author_id')),
      })
      .where('id', '=', reply.id)
      .returningAll(),
  );
  return withAuthorOf(stored(updated!), reply);
}

/**
 * Adds (`on`) or takes back a member's vote; the reply's count moves only
 * when a vote row really was added or removed. `changed` false: it already
 * was so. `voteCount` null: the reply is no longer visible (a delete that
 * committed after the caller read it), and the caller refuses.
 */
export async function setVote(m: EntityManager, replyId: string, accountId: string, on: boolean): Promise<{ changed: boolean; voteCount: number | null }> {
  const changed = await rowsOf(
    m,
    on
      ? db.insertInto('reply_vote').values({ reply_id: replyId, account_id: accountId }).onConflict((oc) => oc.doNothing()).returning('reply_id')
      : db.deleteFrom('reply_vote').where('reply_id', '=', replyId).where('account_id', '=', accountId).returning('reply_id'),
  );
  if (changed.length === 0) {
    const [current] = await rowsOf(m, db.selectFrom('reply').select('vote_count').where('id', '=', replyId));
    return { changed: false, voteCount: current!.vote_count };
  }
  const [updated] = await rowsOf(
    m,
    db
      .updateTable('reply')
      .set({ vote_count: sql`vote_count + ${on ? 1 : -1}` })
      .where('id', '=', replyId)
      .where('state', '=', 'visible')
      .returning('vote_count'),
  );
  return { changed: true, voteCount: updated?.vote_count ?? null };
}

/** Features a reply (or stops); returns the updated row with its author's name. */
export async function setFeatured(m: EntityManager, reply: ReplyRow, on: boolean): Promise<ReplyRow> {
  const [updated] = await rowsOf(
    m,
    db
      .updateTable('reply')
      .set({ featured_at: on ? sql<Date>`now()` : null })
      .where('id', '=', reply.id)
      .returningAll(),
  );
  return withAuthorOf(stored(updated!), reply);
}

/**
 * A merge: every reply of `sourceId` moves to `targetId` with its path
 * unchanged, and the source's reply count with them (its counter rows go).
 * Returns the replies moved (id and path), in no particular order.
 */
export async function moveAllReplies(m: EntityManager, sourceId: number, targetId: number, forumId: number): Promise<{ id: string; path: string }[]> {
  const moved = await rowsOf(m, db.updateTable('reply').set({ question_id: targetId }).where('question_id', '=', sourceId).returning(['id', 'path']));
  const [{ n }] = (await rowsOf(
    m,
    db
      .with('gone', (qb) => qb.deleteFrom('thread_counter').where('question_id', '=', sourceId).returning('reply_count'))
      .selectFrom('gone')
      .select(sql<number>`COALESCE(sum(reply_count), 0)::int`.as('n')),
  )) as [{ n: number }];
  await addToThreadCounter(m, targetId, forumId, n);
  return moved;
}

/**
 * Moves a reply and its subtree (`[path, upperBound)` of its question, locked
 * by the caller) to another question, at the first level or under `parent`:
 * each path is re-rooted under the new parent's path and each depth shifted,
 * both questions' counts move by the subtree's visible replies, and both
 * parents' childCount by the reply if it counted. The ids moved are this
 * statement's (a reply that committed under the subtree after the caller's
 * lock is moved, and named, too). Returns them with their new paths.
 */
export async function moveSubtree(
  m: EntityManager,
  reply: Pick<ReplyRow, 'id' | 'question_id' | 'forum_id' | 'parent_id' | 'path' | 'state' | 'withheld'>,
  upperBound: string,
  to: { questionId: number; parent: Pick<ReplyRow, 'id' | 'path'> | null },
  shift: { depth: number; visibleReplies: number },
): Promise<{ id: string; path: string }[]> {
  const { parent } = to;
  const moved = await rowsOf(
    m,
    db
      .updateTable('reply')
      .set({
        question_id: to.questionId,
        path: sql`${parent?.path ?? ''} || substr(path, ${reply.path.length - 7})`,
        depth: sql`depth + ${shift.depth}`,
        parent_id: sql`CASE WHEN id = ${reply.id} THEN ${parent?.id ?? null}::bigint ELSE parent_id END`,
      })
      .where('question_id', '=', reply.question_id)
      .where('path', '>=', reply.path)
      .where('path', '<', upperBound)
      .returning(['id', 'path']),
  );
  await addToThreadCounter(m, reply.question_id, reply.forum_id, -shift.visibleReplies);
  await addToThreadCounter(m, to.questionId, reply.forum_id, shift.visibleReplies);
  if (countsAsChild(reply.state, reply.withheld)) {
    if (reply.parent_id) await addToChildCount(m, reply.parent_id, -1);
    if (parent) await addToChildCount(m, parent.id, 1);
  }
  return moved;
}
