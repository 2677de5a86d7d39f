import { HttpStatus } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppException } from '../common/app-exception.js';
import type { ReplyState } from '../discussions/reply.entity.js';

/**
 * What a forum's moderators set on who may post how often, applied to every
 * new reply (HTTP and sockets go through RepliesService.createReply):
 * silenced members can't post, slow mode and the hourly limit pace people,
 * and pre-moderation holds replies for approval. Moderators and admins are
 * exempt from all of it.
 */

export interface PostingContext {
  forumId: number;
  questionId: number;
  questionSlowModeSeconds: number | null;
  authorId: string;
  canModerate: boolean;
}

export interface ForumRules {
  silenced_until: Date | null;
  premoderation: boolean;
  premoderate_first_replies: number;
  slow_mode_seconds: number | null;
  max_replies_per_hour: number | null;
}

const silencedUntil = (forumIdSql: string, accountIdSql: string) =>
  `(SELECT until FROM forum_silence s WHERE s.forum_id = ${forumIdSql} AND s.account_id = ${accountIdSql} AND s.until > now())`;
const SILENCED_UNTIL = silencedUntil('$1', '$2');

/**
 * The columns checkPostingRules reads, for a write that reads them with its
 * own rows: on forum alias `forumAlias`, the author's id in `authorParam`
 * (a uuid parameter). Prefixed `rule_`; pass the row to postingRulesOf().
 */
export const postingRulesColumns = (forumAlias: string, authorParam: string) =>
  `${silencedUntil(`${forumAlias}.id`, `${authorParam}::uuid`)} AS rule_silenced_until, ${forumAlias}.premoderation AS rule_premoderation,
   ${forumAlias}.premoderate_first_replies AS rule_premoderate_first_replies, ${forumAlias}.slow_mode_seconds AS rule_slow_mode_seconds,
   ${forumAlias}.max_replies_per_hour AS rule_max_replies_per_hour`;

export const postingRulesOf = (row: { [K in keyof ForumRules as `rule_${K}`]: ForumRules[K] }): ForumRules => ({
  silenced_until: row.rule_silenced_until, premoderation: row.rule_premoderation, premoderate_first_replies: row.rule_premoderate_first_replies,
  slow_mode_seconds: row.rule_slow_mode_seconds, max_replies_per_hour: row.rule_max_replies_per_hour,
});

/** 403 while the member is silenced in the forum; the message and details say until when. */
export async function assertNotSilenced(m: EntityManager, forumId: number, accountId: string): Promise<void> {
  const [row]: { until: Date | null }[] = await m.query(`SELECT ${SILENCED_UNTIL} AS until`, [forumId, accountId]);
  if (row.until) throw silenced(row.until);
}

function silenced(untilTime: Date): AppException {
  const until = untilTime.toISOString();
  return new AppException(
    HttpStatus.FORBIDDEN,
    'silenced',
    `A moderator has silenced you in this forum until ${until.replace('T', ' ').slice(0, 16)} UTC; you can read it, and post again after that.`,
    [{ field: 'until', message: until }],
  );
}

/**
 * Checks the forum's rules for a new reply and returns the state it is
 * stored in: 'pending' under pre-moderation, otherwise 'visible'. Call inside
 * the reply's transaction: concurrent posts of one person in one forum queue
 * on an advisory lock, so two can't both slip under a limit. `known`: the
 * rules as the write already read them (postingRulesColumns), in this transaction.
 */
export async function checkPostingRules(m: EntityManager, p: PostingContext, known?: ForumRules): Promise<Extract<ReplyState, 'visible' | 'pending'>> {
  if (p.canModerate) return 'visible';
  // One read for the common case (no rule set): the forum's rules and whether the author is silenced.
  const [rules]: ForumRules[] = known ? [known] : await m.query(
    `SELECT ${SILENCED_UNTIL} AS silenced_until, premoderation, premoderate_first_replies, slow_mode_seconds, max_replies_per_hour
       FROM forum WHERE id = $1`,
    [p.forumId, p.authorId],
  );
  if (rules.silenced_until) throw silenced(rules.silenced_until);
  if (p.questionSlowModeSeconds !== null || rules.slow_mode_seconds !== null || rules.max_replies_per_hour !== null) {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`posting:${p.forumId}:${p.authorId}`]);
    await assertPace(m, p, rules);
  }
  if (rules.premoderation) return 'pending';
  if (rules.premoderate_first_replies > 0) {
    const [{ n }]: { n: number }[] = await m.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM reply WHERE forum_id = $1 AND author_id = $2 AND state = 'visible' LIMIT $3) r`,
      [p.forumId, p.authorId, rules.premoderate_first_replies],
    );
    if (n < rules.premoderate_first_replies) return 'pending';
  }
  return 'visible';
}

/** 429 slow_mode when the person posted too recently (question or forum slow mode) or too often this hour. */
async function assertPace(m: EntityManager, p: PostingContext, rules: ForumRules): Promise<void> {
  // The earliest time each rule lets the next reply in; clock_timestamp() (not the transaction's start) is "now".
  const [row]: { retry_at: Date | null; now: Date }[] = await m.query(
    `SELECT GREATEST(
              (SELECT max(created_at) + make_interval(secs => $3) FROM reply WHERE question_id = $1 AND author_id = $2),
              (SELECT max(created_at) + make_interval(secs => $5) FROM reply WHERE forum_id = $4 AND author_id = $2),
              (SELECT min(created_at) + interval '1 hour' FROM (
                 SELECT created_at FROM reply WHERE forum_id = $4 AND author_id = $2 AND created_at > clock_timestamp() - interval '1 hour'
                  ORDER BY created_at DESC LIMIT $6) recent
                HAVING count(*) >= $6)
            ) AS retry_at,
            clock_timestamp() AS now`,
    [p.questionId, p.authorId, p.questionSlowModeSeconds, p.forumId, rules.slow_mode_seconds, rules.max_replies_per_hour],
  );
  if (!row.retry_at || row.retry_at <= row.now) return;
  const seconds = Math.ceil((row.retry_at.getTime() - row.now.getTime()) / 1000);
  throw new AppException(
    HttpStatus.TOO_MANY_REQUESTS,
    'slow_mode',
    `Slow mode is on here: you can post again in ${seconds} s.`,
    [{ field: 'retryAt', message: row.retry_at.toISOString() }],
  );
}
