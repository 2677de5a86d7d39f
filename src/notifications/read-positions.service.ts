import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import type { MaybeActor } from '../auth/actor.js';
import { signedInId } from './signed-in.js';
import { notFound } from '../common/app-exception.js';
import { namedQuery } from '../common/named-query.js';
import { affectedBy, db } from '../database/typed-sql.js';
import { findQuestionState } from '../discussions/reply-queries.js';
import { ForumAccessService } from '../forums/forum-access.service.js';
import type { ForumUnreadView, SessionActivityView, ThreadUnreadView } from './dto/unread.views.js';
import { NotificationsService } from './notifications.service.js';

const WHY = 'Sign in to keep your place in threads.';

/**
 * What a member has read: the newest reply seen per thread (thread_read) and
 * the last visit per forum (forum_visit); both tables are this feature's.
 * Reply ids grow with time, so "newer than what I saw" is an id comparison.
 */
@Injectable()
export class ReadPositionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly forumAccess: ForumAccessService,
    private readonly notifications: NotificationsService,
  ) {}

  private async readableQuestion(actor: MaybeActor, questionId: number): Promise<{ forumId: number }> {
    const question = await findQuestionState(this.dataSource.manager, questionId);
    if (!question || !(await this.forumAccess.describe(actor, question.forum_id))) throw notFound('The question', 'question_not_found');
    return { forumId: question.forum_id };
  }

  /** Where the member stands in a thread: how many visible replies by others are new, and the first of them in tree order. */
  async thread(actor: MaybeActor, questionId: number): Promise<ThreadUnreadView> {
    const accountId = signedInId(actor, WHY);
    await this.readableQuestion(actor, questionId);
    const [row]: { last_read: string | null; unread: number; first_unread: string | null }[] = await this.dataSource.query(
      `WITH pos AS (SELECT last_read_reply_id FROM thread_read WHERE account_id = $1 AND question_id = $2)
       SELECT (SELECT last_read_reply_id FROM pos) AS last_read,
              (SELECT count(*)::int FROM reply r, pos WHERE r.question_id = $2 AND r.id > pos.last_read_reply_id AND r.state = 'visible' AND r.author_id <> $1) AS unread,
              (SELECT r.id FROM reply r, pos WHERE r.question_id = $2 AND r.id > pos.last_read_reply_id AND r.state = 'visible' AND r.author_id <> $1
                ORDER BY r.path LIMIT 1) AS first_unread`,
      [accountId, questionId],
    );
    return {
      questionId,
      lastReadReplyId: row.last_read === null ? null : String(row.last_read),
      unread: row.unread,
      firstUnreadReplyId: row.first_unread === null ? null : String(row.first_unread),
    };
  }

  /**
   * The member has seen the thread up to this reply (never moves back).
   * Reading a thread also reads its notifications.
   */
  async markThreadRead(actor: MaybeActor, questionId: number, replyId: string): Promise<ThreadUnreadView> {
    const accountId = signedInId(actor, WHY);
    const { forumId } = await this.readableQuestion(actor, questionId);
    await affectedBy(
      this.dataSource.manager,
      db
        .insertInto('thread_read')
        .values({ account_id: accountId, question_id: questionId, forum_id: forumId, last_read_reply_id: replyId })
        .onConflict((oc) =>
          oc.columns(['account_id', 'question_id']).doUpdateSet((eb) => ({
            last_read_reply_id: sql<string>`GREATEST(${eb.ref('thread_read.last_read_reply_id')}, ${eb.ref('excluded.last_read_reply_id')})`,
            read_at: sql<Date>`now()`,
          })),
        ),
    );
    await this.notifications.threadOpened(actor, questionId);
    return this.thread(actor, questionId);
  }

  /** Per question of a forum: new replies since the member last read the thread, and whether the question is new since their last visit. */
  async forum(actor: MaybeActor, forumId: number): Promise<ForumUnreadView> {
    const accountId = signedInId(actor, WHY);
    await this.forumAccess.readable(actor, forumId);
    const rows: { question_id: number; last_read: string | null; new_replies: number; is_new: boolean; visited_at: Date | null }[] = await this.dataSource.query(
      `SELECT q.id AS question_id, t.last_read_reply_id AS last_read, v.visited_at,
              CASE WHEN t.last_read_reply_id IS NULL THEN 0 ELSE
                (SELECT count(*)::int FROM reply r WHERE r.question_id = q.id AND r.id > t.last_read_reply_id AND r.state = 'visible' AND r.author_id <> $1)
              END AS new_replies,
              (t.last_read_reply_id IS NULL AND v.visited_at IS NOT NULL AND q.created_at > v.visited_at) AS is_new
         FROM question q
         LEFT JOIN thread_read t ON t.account_id = $1 AND t.question_id = q.id
         LEFT JOIN forum_visit v ON v.account_id = $1 AND v.forum_id = q.forum_id
        WHERE q.forum_id = $2
        ORDER BY q.position`,
      [accountId, forumId],
    );
    return {
      forumId,
      lastVisitAt: rows[0]?.visited_at ?? (await this.lastVisit(accountId, forumId)),
      questions: rows.map((r) => ({ questionId: r.question_id, read: r.last_read !== null, newReplies: r.new_replies, isNew: r.is_new })),
    };
  }

  private async lastVisit(accountId: string, forumId: number): Promise<Date | null> {
    const [row]: { visited_at: Date }[] = await this.dataSource.query(`SELECT visited_at FROM forum_visit WHERE account_id = $1 AND forum_id = $2`, [accountId, forumId]);
    return row?.visited_at ?? null;
  }

  /** Records a visit to the forum page (its questions stop being "new"); returns the state as it was before the visit. */
  async visitForum(actor: MaybeActor, forumId: number): Promise<ForumUnreadView> {
    const before = await this.forum(actor, forumId);
    await affectedBy(
      this.dataSource.manager,
      db
        .insertInto('forum_visit')
        .values({ account_id: actor!.accountId, forum_id: forumId })
        .onConflict((oc) => oc.columns(['account_id', 'forum_id']).doUpdateSet({ visited_at: sql<Date>`now()` })),
    );
    return before;
  }

  /**
   * Sessions whose followed forums (watching or normal, still readable) had a
   * new visible reply or question since the member's last visit there.
   */
  async activity(actor: MaybeActor): Promise<SessionActivityView> {
    const accountId = signedInId(actor, WHY);
    const readable = this.forumAccess.readableForumsCondition(actor);
    const rows = await namedQuery<{ session_id: number; forum_id: number }>(
      this.dataSource.manager,
      `SELECT f.session_id, f.id AS forum_id
         FROM following fo
         JOIN forum f ON f.id = fo.forum_id
         LEFT JOIN forum_visit v ON v.account_id = fo.account_id AND v.forum_id = f.id
        WHERE fo.account_id = :me AND fo.question_id IS NULL AND fo.level <> 'muted' AND ${readable.sql}
          AND (EXISTS (SELECT 1 FROM reply r WHERE r.forum_id = f.id AND r.state = 'visible' AND r.author_id <> :me
                        AND r.created_at > COALESCE(v.visited_at, fo.updated_at))
               OR EXISTS (SELECT 1 FROM question q WHERE q.forum_id = f.id AND q.created_at > COALESCE(v.visited_at, fo.updated_at)
                           AND q.author_id IS DISTINCT FROM :me))
        ORDER BY f.session_id, f.id`,
      { ...readable.params, me: accountId },
    );
    const sessions = new Map<number, number[]>();
    for (const r of rows) sessions.set(r.session_id, [...(sessions.get(r.session_id) ?? []), r.forum_id]);
    return { sessions: [...sessions].map(([sessionId, forumIds]) => ({ sessionId, forumIds })) };
  }
}
