import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { isGuest, type MaybeActor } from '../auth/actor.js';
import { AppException, notFound, unauthenticated } from '../common/app-exception.js';
import { isIntId } from '../common/id.pipe.js';
import { preparedQuery } from '../common/named-query.js';
import { batchedRead } from '../database/batched-reads.js';
import { ForumMembership } from './forum-membership.entity.js';
import { Forum } from './forum.entity.js';
import { canModerate, canRead, participationRefusal, type ParticipationRefusal } from './forum-policy.js';
import { joinUnlessKnown } from './membership-store.js';

/** A forum as one caller sees it. */
export interface ForumAccess {
  forum: Forum;
  membership: ForumMembership | null;
  canModerate: boolean;
  /** Why the caller may not reply or vote here, or null when they may. */
  participationRefusal: ParticipationRefusal | null;
}

/**
 * What participating() reads, for a write that reads it in the same
 * statement as its own rows (one round trip instead of three): FROM-clause
 * joins on a forum id and the caller's account id parameter (the membership
 * locked FOR SHARE, as participating() locks it), and their columns. The
 * forum is joined as `pf`; pass the row to participatingWith().
 */
export const PARTICIPATION_SQL = {
  joins: (forumIdSql: string, accountParam: string) => `LEFT JOIN forum pf ON pf.id = ${forumIdSql}
    LEFT JOIN LATERAL (SELECT role, state, created_at, updated_at FROM forum_membership
                        WHERE forum_id = ${forumIdSql} AND account_id = ${accountParam}::uuid FOR SHARE) pm ON true`,
  columns: `pf.id AS pf_id, pf.session_id AS pf_session_id, pf.slug AS pf_slug, pf.title AS pf_title, pf.description AS pf_description,
    pf.visibility AS pf_visibility, pf.state AS pf_state, pf.member_questions AS pf_member_questions, pf.created_at AS pf_created_at,
    pf.updated_at AS pf_updated_at, pm.role AS pm_role, pm.state AS pm_state, pm.created_at AS pm_created_at, pm.updated_at AS pm_updated_at`,
};

/** A row holding PARTICIPATION_SQL's columns. */
export interface ParticipationRow {
  pf_id: number | null;
  pf_session_id: number;
  pf_slug: string;
  pf_title: string;
  pf_description: string;
  pf_visibility: Forum['visibility'];
  pf_state: Forum['state'];
  pf_member_questions: boolean;
  pf_created_at: Date;
  pf_updated_at: Date;
  pm_role: ForumMembership['role'] | null;
  pm_state: ForumMembership['state'] | null;
  pm_created_at: Date;
  pm_updated_at: Date;
}

/** describe()'s statement: the forum and, for a signed-in caller, their membership, as PARTICIPATION_SQL's columns. */
const DESCRIBE_SQL = `SELECT ${PARTICIPATION_SQL.columns}
  FROM forum pf LEFT JOIN forum_membership pm ON pm.forum_id = pf.id AND pm.account_id = :accountId::uuid
 WHERE pf.id = :forumId`;

/** DESCRIBE_SQL for several (forum, account) pairs at once; `k` is the pair's place in the lists, from 1. */
const DESCRIBE_MANY_SQL = `SELECT k.k, ${PARTICIPATION_SQL.columns}
  FROM unnest(:forumIds::int[], :accountIds::uuid[]) WITH ORDINALITY AS k(forum_id, account_id, k)
  JOIN forum pf ON pf.id = k.forum_id
  LEFT JOIN forum_membership pm ON pm.forum_id = pf.id AND pm.account_id = k.account_id`;

/** The forum and the caller's membership held in a row of PARTICIPATION_SQL's columns. */
function rowParts(actor: MaybeActor, forumId: number, row: ParticipationRow): { forum: Forum | null; membership: ForumMembership | null } {
  const forum = row.pf_id === null ? null : Object.assign(new Forum(), {
    id: row.pf_id, sessionId: row.pf_session_id, slug: row.pf_slug, title: row.pf_title, description: row.pf_description,
    visibility: row.pf_visibility, state: row.pf_state, memberQuestions: row.pf_member_questions, createdAt: row.pf_created_at, updatedAt: row.pf_updated_at,
  });
  const membership = row.pm_state === null || !actor ? null : Object.assign(new ForumMembership(), {
    forumId, accountId: actor.accountId, role: row.pm_role!, state: row.pm_state, createdAt: row.pm_created_at, updatedAt: row.pm_updated_at,
  });
  return { forum, membership };
}

/** Status and message for each refusal (exported so views can explain "why can't I post" the same way). */
export const REFUSALS: Record<ParticipationRefusal, [HttpStatus, string]> = {
  unauthenticated: [HttpStatus.UNAUTHORIZED, 'Sign in to take part in this forum.'],
  removed: [HttpStatus.FORBIDDEN, 'A moderator has removed you from this forum, so you can no longer post in it.'],
  not_invited: [HttpStatus.FORBIDDEN, 'This forum is by invitation only. Ask a moderator for an invitation.'],
  forum_closed: [HttpStatus.CONFLICT, 'This forum is closed to new posts. You can still read it.'],
  forum_archived: [HttpStatus.CONFLICT, 'This forum is archived and read-only.'],
};

/**
 * The one place that decides who may see, take part in, or moderate a
 * forum. A forum the caller can't see is reported as not found, so its
 * existence doesn't leak.
 */
@Injectable()
export class ForumAccessService {
  constructor(private readonly dataSource: DataSource) {}

  private readonly describeNow = batchedRead<{ forumId: number; accountId: string | null }, ParticipationRow | undefined>(async (keys) => {
    const rows = await preparedQuery<ParticipationRow & { k: number }>(this.dataSource.manager, DESCRIBE_MANY_SQL, {
      forumIds: keys.map((k) => k.forumId),
      accountIds: keys.map((k) => k.accountId),
    });
    const byKey = new Map(rows.map((r) => [Number(r.k), r]));
    return keys.map((_, i) => byKey.get(i + 1));
  });

  async describe(actor: MaybeActor, forumId: number, manager?: EntityManager): Promise<ForumAccess | null> {
    // One prepared statement for the forum and the caller's membership: every
    // read and every replaying socket asks this, so a round trip saved counts.
    // Outside a transaction, the reads asked at the same moment go as one.
    // No such forum; and an id PostgreSQL can't hold would fail the whole batch it went in.
    if (!isIntId(forumId)) return null;
    const key = { forumId, accountId: actor?.accountId ?? null };
    const row = manager?.queryRunner ? (await preparedQuery<ParticipationRow>(manager, DESCRIBE_SQL, key))[0] : await this.describeNow(key);
    if (!row) return null;
    const { forum, membership } = rowParts(actor, forumId, row);
    return this.view(forum!, actor, membership);
  }

  private view(forum: Forum, actor: MaybeActor, membership: ForumMembership | null): ForumAccess | null {
    if (!canRead(forum, actor, membership)) return null;
    return {
      forum,
      membership,
      canModerate: canModerate(actor, membership),
      participationRefusal: participationRefusal(forum, actor, membership),
    };
  }

  /**
   * The caller's membership row; with `lock`, held (FOR SHARE) until the
   * transaction ends, so a removal (an UPDATE of that row) either waits for
   * the write under way or is seen by it.
   */
  private membership(manager: EntityManager, forumId: number, accountId: string, lock = false): Promise<ForumMembership | null> {
    return manager.findOne(ForumMembership, { where: { forumId, accountId }, ...(lock ? { lock: { mode: 'pessimistic_read' as const } } : {}) });
  }

  /**
   * Which of these accounts may read the forum now (the same rule as
   * canRead, applied to each): for telling people about something in it,
   * e.g. a notification or a mail, checked again at the moment it goes out.
   */
  async readersAmong(forumId: number, accountIds: string[], manager: EntityManager = this.dataSource.manager): Promise<Set<string>> {
    const ids = [...new Set(accountIds)];
    if (!ids.length) return new Set();
    // One statement: the forum's visibility with each account and its membership (no forum: no rows, no readers).
    const rows: {
      visibility: Forum['visibility']; state: Forum['state'];
      id: string; role: 'member' | 'admin'; guest_session_id: number | null; m_role: ForumMembership['role'] | null; m_state: ForumMembership['state'] | null;
    }[] = await manager.query(
      `SELECT f.visibility, f.state, a.id, a.role, a.guest_session_id, m.role AS m_role, m.state AS m_state
         FROM forum f JOIN account a ON a.id = ANY($2::uuid[])
         LEFT JOIN forum_membership m ON m.forum_id = f.id AND m.account_id = a.id
        WHERE f.id = $1`,
      [forumId, ids],
    );
    const readers = rows.filter((r) =>
      canRead(r, { accountId: r.id, displayName: '', role: r.role, sessionId: '', guestSessionId: r.guest_session_id ?? undefined }, r.m_state ? { role: r.m_role!, state: r.m_state } : null),
    );
    return new Set(readers.map((r) => r.id));
  }

  /** The forum if the caller may read it; otherwise 404. */
  async readable(actor: MaybeActor, forumId: number, manager?: EntityManager): Promise<ForumAccess> {
    const access = await this.describe(actor, forumId, manager);
    if (!access) throw notFound('The forum', 'forum_not_found');
    return access;
  }

  /**
   * The forum if the caller may post and vote in it. Call inside the write's
   * transaction: a signed-in person joins a public or members-only forum
   * implicitly, in that same transaction.
   */
  async participating(actor: MaybeActor, forumId: number, manager: EntityManager): Promise<ForumAccess> {
    const forum = await manager.findOneBy(Forum, { id: forumId });
    const lockedMembership = () => (forum && actor ? this.membership(manager, forumId, actor.accountId, true) : Promise.resolve(null));
    let membership = await lockedMembership();
    if (forum && actor && !membership && canRead(forum, actor, null) && !participationRefusal(forum, actor, null)) {
      await joinUnlessKnown(manager, forumId, actor.accountId, 'member');
      // The row just joined, or a removal that got there first: locked either way.
      membership = await lockedMembership();
    }
    return this.participationOf(forum, actor, membership);
  }

  /**
   * participating(), from the forum and locked membership the caller read
   * with PARTICIPATION_SQL in the write's transaction. Someone about to join
   * implicitly goes the whole way through participating() (it inserts).
   */
  async participatingWith(actor: MaybeActor, forumId: number, row: ParticipationRow, manager: EntityManager): Promise<ForumAccess> {
    const { forum, membership } = rowParts(actor, forumId, row);
    if (forum && actor && !membership && canRead(forum, actor, null) && !participationRefusal(forum, actor, null)) return this.participating(actor, forumId, manager);
    return this.participationOf(forum, actor, membership);
  }

  private participationOf(forum: Forum | null, actor: MaybeActor, membership: ForumMembership | null): ForumAccess {
    const access = forum ? this.view(forum, actor, membership) : null;
    if (!access) throw notFound('The forum', 'forum_not_found');
    this.refuseUnlessParticipating(access.participationRefusal);
    return access;
  }

  private refuseUnlessParticipating(refusal: ParticipationRefusal | null): void {
    if (!refusal) return;
    const [status, message] = REFUSALS[refusal];
    throw refusal === 'unauthenticated' ? unauthenticated(message) : new AppException(status, refusal, message);
  }

  /** The forum if the caller moderates it (or is an admin); 404 if they can't see it, 403 if they only read it. */
  async moderating(actor: MaybeActor, forumId: number, manager?: EntityManager): Promise<ForumAccess> {
    const access = await this.readable(actor, forumId, manager);
    if (!actor) throw unauthenticated('Sign in as a moderator of this forum to do this.');
    if (!access.canModerate) {
      throw new AppException(HttpStatus.FORBIDDEN, 'not_moderator', 'Only the moderators of this forum can do this.');
    }
    return access;
  }

  /**
   * SQL condition (on alias `f`) selecting the forums that signing in would
   * show this caller: members-only forums, for visitors who aren't signed in
   * (their existence is no secret: any account may read them).
   */
  forumsShownBySigningInCondition(actor: MaybeActor): string {
    return !actor || isGuest(actor) ? `f.visibility = 'members'` : 'FALSE';
  }

  /**
   * SQL condition (on alias `f`) selecting the forums the caller may read,
   * for list queries. Parameters are named `:actorId` and `:isAdmin`.
   */
  readableForumsCondition(actor: MaybeActor): { sql: string; params: Record<string, unknown> } {
    if (!actor || isGuest(actor)) return { sql: `f.visibility = 'public'`, params: {} };
    if (actor.role === 'admin') return { sql: 'TRUE', params: {} };
    return {
      sql: `(f.visibility = 'public'
        OR (f.visibility = 'members' AND NOT EXISTS (SELECT 1 FROM forum_membership m WHERE m.forum_id = f.id AND m.account_id = :actorId AND m.state = 'removed'))
        OR EXISTS (SELECT 1 FROM forum_membership m WHERE m.forum_id = f.id AND m.account_id = :actorId AND m.state = 'active'))`,
      params: { actorId: actor.accountId },
    };
  }

  /**
   * The forums the caller may read and those they moderate, as a query of one row with two
   * `int[]` columns, `readable` and `moderated` (readableForumsCondition and
   * moderatedForumsCondition evaluated once per forum rather than once per row), for a CTE of a
   * statement over many rows of many forums such as search: `forum_id = ANY(ids)` is an
   * index-friendly condition. Read in the statement's own snapshot, the ids are exact.
   * null: admins, who read and moderate every forum. `only`: a placeholder (such as `:forum`) of one
   * forum to narrow both lists to.
   */
  forumIdsQuery(actor: MaybeActor, only?: string): { sql: string; params: Record<string, unknown> } | null {
    if (actor && !isGuest(actor) && actor.role === 'admin') return null;
    const readable = this.readableForumsCondition(actor);
    const moderated = this.moderatedForumsCondition(actor);
    // Moderated forums are readable ones (moderating needs an active membership), so one pass over the readable forums.
    return {
      sql: `SELECT coalesce(array_agg(f.id), '{}') AS readable,
                   coalesce(array_agg(f.id) FILTER (WHERE ${moderated.sql}), '{}') AS moderated
              FROM forum f WHERE ${readable.sql}${only ? ` AND f.id = ${only}` : ''}`,
      params: { ...readable.params, ...moderated.params },
    };
  }

  /**
   * SQL condition (on alias `f`) that the caller moderates the forum, as
   * canModerate in forum-policy.ts, for queries spanning forums. Parameter `:actorId`.
   */
  moderatedForumsCondition(actor: MaybeActor): { sql: string; params: Record<string, unknown> } {
    if (!actor || isGuest(actor)) return { sql: 'FALSE', params: {} };
    if (actor.role === 'admin') return { sql: 'TRUE', params: {} };
    return {
      sql: `EXISTS (SELECT 1 FROM forum_membership mm WHERE mm.forum_id = f.id AND mm.account_id = :actorId AND mm.state = 'active' AND mm.role = 'moderator')`,
      params: { actorId: actor.accountId },
    };
  }
}
