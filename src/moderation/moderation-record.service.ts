import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MaybeActor } from '../auth/actor.js';
import { unauthenticated } from '../common/app-exception.js';
import { decodePageCursor, encodeCursor, isIdText } from '../common/cursor.js';
import { namedQuery } from '../common/named-query.js';
import type { PageQuery } from '../discussions/dto/thread-query.dto.js';
import { ForumAccessService } from '../forums/forum-access.service.js';
import type { ModerationActionPage, RemovalSummary } from './dto/moderation.views.js';
import type { ActionsQuery, MyActionsQuery } from './dto/record-query.dto.js';
import { FORUM_ACTS } from '../audit/audit-record.js';
import { ACTION_COLUMNS, ACTION_JOINS, toActionView, type ActionRow } from './moderation-acts.js';

/** Acts that took something out of view: the public summary lists them (what kind and why, never the text or names). */
const REMOVAL_ACTS = ['reply.hide', 'reply.delete', 'flag.uphold'];
/** ...but not the deletion of a reply readers never saw (pending or rejected): nothing left their view. */
const REMOVED_FROM_VIEW = `act = ANY($2::text[]) AND NOT (act = 'reply.delete' AND before->>'state' IN ('pending', 'rejected'))`;

const afterId = (query: PageQuery) => decodePageCursor<[string]>(query, [isIdText])?.[0] ?? null;

/**
 * Reading the record: moderators and admins list and filter a forum's acts;
 * authors see the acts that touched their own contributions; anyone who can
 * read a forum sees the summary of its removals. Newest first, keyset on id.
 */
@Injectable()
export class ModerationRecordService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly forumAccess: ForumAccessService,
  ) {}

  async list(actor: MaybeActor, forumId: number, query: ActionsQuery): Promise<ModerationActionPage> {
    await this.forumAccess.moderating(actor, forumId);
    const where = ['ma.forum_id = :forumId'];
    const params: Record<string, unknown> = { forumId, limit: query.limit + 1 };
    const add = (condition: string, values: Record<string, unknown>) => {
      where.push(condition);
      Object.assign(params, values);
    };
    if (query.act) add('ma.act IN (:...acts)', { acts: query.act });
    if (query.actorId) add('ma.actor_id = :actorId', { actorId: query.actorId });
    if (query.targetKind) add('ma.target_kind = :targetKind', { targetKind: query.targetKind });
    if (query.targetId) add('ma.target_id = :targetId', { targetId: query.targetId });
    if (query.questionId) add('ma.question_id = :questionId', { questionId: query.questionId });
    if (query.since) add('ma.created_at >= :since', { since: query.since });
    if (query.until) add('ma.created_at < :until', { until: query.until });
    const after = afterId(query);
    if (after) add('ma.id < :after', { after });
    return this.page(`SELECT ${ACTION_COLUMNS} FROM ${FORUM_ACTS} ma ${ACTION_JOINS} WHERE ${where.join(' AND ')} ORDER BY ma.id DESC LIMIT :limit`, params, query);
  }

  /** Acts on the caller's own replies, questions or account, in forums they can still read. */
  async mine(actor: MaybeActor, query: MyActionsQuery): Promise<ModerationActionPage> {
    if (!actor) throw unauthenticated('Sign in to see what moderators did with your contributions.');
    const readable = this.forumAccess.readableForumsCondition(actor);
    const params: Record<string, unknown> = { ...readable.params, me: actor.accountId, limit: query.limit + 1 };
    const where = ['ma.target_author_id = :me', `EXISTS (SELECT 1 FROM forum f WHERE f.id = ma.forum_id AND ${readable.sql})`];
    if (query.forumId) {
      where.push('ma.forum_id = :forumId');
      params.forumId = query.forumId;
    }
    const after = afterId(query);
    if (after) {
      where.push('ma.id < :after');
      params.after = after;
    }
    return this.page(`SELECT ${ACTION_COLUMNS} FROM ${FORUM_ACTS} ma ${ACTION_JOINS} WHERE ${where.join(' AND ')} ORDER BY ma.id DESC LIMIT :limit`, params, query);
  }

  async removals(actor: MaybeActor, forumId: number, query: PageQuery): Promise<RemovalSummary> {
    await this.forumAccess.readable(actor, forumId);
    const totals: { act: string; count: number }[] = await this.dataSource.query(
      `SELECT act, count(*)::int AS count FROM ${FORUM_ACTS} ma WHERE forum_id = $1 AND ${REMOVED_FROM_VIEW} GROUP BY act ORDER BY act`,
      [forumId, REMOVAL_ACTS],
    );
    const params: unknown[] = [forumId, REMOVAL_ACTS, query.limit + 1];
    const after = afterId(query);
    const before = after ? `AND id < $${params.push(after)}` : '';
    const rows: { id: string; act: string; target_kind: string; question_id: number | null; reason: string | null; created_at: Date }[] =
      await this.dataSource.query(
        `SELECT id, act, target_kind, question_id, reason, created_at FROM ${FORUM_ACTS} ma
          WHERE forum_id = $1 AND ${REMOVED_FROM_VIEW} ${before} ORDER BY id DESC LIMIT $3`,
        params,
      );
    const page = rows.slice(0, query.limit);
    return {
      totals,
      items: page.map((r) => ({ id: String(r.id), act: r.act, targetKind: r.target_kind, questionId: r.question_id, reason: r.reason, createdAt: r.created_at })),
      nextCursor: rows.length > query.limit ? encodeCursor([String(page.at(-1)!.id)]) : null,
    };
  }

  private async page(sql: string, params: Record<string, unknown>, query: PageQuery): Promise<ModerationActionPage> {
    const rows = await namedQuery<ActionRow>(this.dataSource.manager, sql, params);
    const page = rows.slice(0, query.limit);
    return { items: page.map(toActionView), nextCursor: rows.length > query.limit ? encodeCursor([String(page.at(-1)!.id)]) : null };
  }
}
