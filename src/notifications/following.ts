import { sql, type AliasableExpression, type ExpressionBuilder, type OnConflictDatabase, type OnConflictTables } from 'kysely';
import type { EntityManager } from 'typeorm';
import type { DB } from '../database/schema.js';
import { affectedBy, db } from '../database/typed-sql.js';

export type FollowLevel = 'watching' | 'normal' | 'muted';
export const FOLLOW_LEVELS: FollowLevel[] = ['watching', 'normal', 'muted'];

/**
 * The following table's SQL (this feature alone writes it). A thread's own
 * level wins over its forum's; with neither, a member is at `normal`: told
 * only of what concerns them.
 */

/** Sets a level, replacing any earlier one (what a member chose). */
export async function setLevel(m: EntityManager, accountId: string, forumId: number, questionId: number | null, level: FollowLevel): Promise<void> {
  const insert = db.insertInto('following');
  await affectedBy(
    m,
    questionId === null
      ? insert
          .values({ account_id: accountId, forum_id: forumId, level })
          .onConflict((oc) => oc.columns(['account_id', 'forum_id']).where('question_id', 'is', null).doUpdateSet(levelChosen))
      : insert
          .values({ account_id: accountId, forum_id: forumId, question_id: questionId, level })
          .onConflict((oc) => oc.columns(['account_id', 'question_id']).where('question_id', 'is not', null).doUpdateSet(levelChosen)),
  );
}

const levelChosen = (eb: ExpressionBuilder<OnConflictDatabase<DB, 'following'>, OnConflictTables<'following'>>) => ({
  level: eb.ref('excluded.level'),
  updated_at: sql<Date>`now()`,
});

/** Sets a level only where the member has none yet (taking part never overrides a choice, e.g. muted). */
export async function setLevelIfNone(m: EntityManager, accountId: string, forumId: number, questionId: number | null, level: FollowLevel): Promise<void> {
  await affectedBy(m, questionId === null ? forumLevelIfNone(accountId, forumId, level) : threadLevelIfNone(accountId, forumId, questionId, level));
}

const forumLevelIfNone = (accountId: string, forumId: number, level: FollowLevel) =>
  db
    .insertInto('following')
    .values({ account_id: accountId, forum_id: forumId, level })
    .onConflict((oc) => oc.columns(['account_id', 'forum_id']).where('question_id', 'is', null).doNothing());

const threadLevelIfNone = (accountId: string, forumId: number, questionId: number, level: FollowLevel) =>
  db
    .insertInto('following')
    .values({ account_id: accountId, forum_id: forumId, question_id: questionId, level })
    .onConflict((oc) => oc.columns(['account_id', 'question_id']).where('question_id', 'is not', null).doNothing());

/**
 * setLevelIfNone on a thread and on its forum in one statement (taking part
 * in a thread: watching it, and the forum at normal, unless chosen already).
 */
export async function setThreadAndForumLevelsIfNone(
  m: EntityManager, accountId: string, forumId: number, questionId: number, threadLevel: FollowLevel, forumLevel: FollowLevel,
): Promise<void> {
  await affectedBy(
    m,
    db
      .with('thread', () => threadLevelIfNone(accountId, forumId, questionId, threadLevel))
      .insertInto('following')
      .values({ account_id: accountId, forum_id: forumId, level: forumLevel })
      .onConflict((oc) => oc.columns(['account_id', 'forum_id']).where('question_id', 'is', null).doNothing()),
  );
}

/** Sets a forum level for each of `accounts` (a query of account ids) who has none there yet, in one statement. */
export async function setForumLevelIfNoneFor(m: EntityManager, forumId: number, level: FollowLevel, accounts: AliasableExpression<{ id: string }>): Promise<void> {
  await affectedBy(
    m,
    db
      .insertInto('following')
      .columns(['account_id', 'forum_id', 'level'])
      .expression((eb) => eb.selectFrom(accounts.as('a')).select(['a.id', eb.val(forumId).as('forum_id'), eb.val(level).as('level')]))
      .onConflict((oc) => oc.columns(['account_id', 'forum_id']).where('question_id', 'is', null).doNothing()),
  );
}

/** A member's levels for a forum and (optionally) one of its threads. */
export async function levelsOf(m: EntityManager, accountId: string, forumId: number, questionId: number | null): Promise<{ forum: FollowLevel | null; question: FollowLevel | null }> {
  const rows: { question_id: number | null; level: FollowLevel }[] = await m.query(
    `SELECT question_id, level FROM following
      WHERE account_id = $1 AND forum_id = $2 AND (question_id IS NULL OR question_id = $3)`,
    [accountId, forumId, questionId],
  );
  return {
    forum: rows.find((r) => r.question_id === null)?.level ?? null,
    question: questionId === null ? null : (rows.find((r) => r.question_id === questionId)?.level ?? null),
  };
}

/** Everyone's effective level in one thread, for those who set one there or on its forum. */
export async function threadLevels(m: EntityManager, forumId: number, questionId: number): Promise<Map<string, FollowLevel>> {
  const rows: { account_id: string; level: FollowLevel }[] = await m.query(
    `SELECT DISTINCT ON (account_id) account_id, level FROM following
      WHERE (question_id = $2) OR (question_id IS NULL AND forum_id = $1)
      ORDER BY account_id, question_id NULLS LAST`,
    [forumId, questionId],
  );
  return new Map(rows.map((r) => [r.account_id, r.level]));
}

/** Everyone's level on a forum (its own row only: a new question has no thread rows yet). */
export async function forumLevels(m: EntityManager, forumId: number): Promise<Map<string, FollowLevel>> {
  const rows: { account_id: string; level: FollowLevel }[] = await m.query(
    `SELECT account_id, level FROM following WHERE forum_id = $1 AND question_id IS NULL`,
    [forumId],
  );
  return new Map(rows.map((r) => [r.account_id, r.level]));
}
