import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor, MaybeActor } from '../auth/actor.js';
import { AppException, forbidden, notFound, unauthenticated } from '../common/app-exception.js';
import { decodeCursor, encodeCursor, isTimestamp, isUuid, sqlTimestampKey } from '../common/cursor.js';
import { namedQuery } from '../common/named-query.js';
import type { ListMembersQuery, MemberPage, MemberView, MembershipView, SetMemberDto } from './dto/membership.dto.js';
import { MODERATORS } from '../events/forum-event.js';
import { ForumEventsService } from '../events/forum-events.service.js';
import { ForumAccessService } from './forum-access.service.js';
import type { ForumRole, MembershipState } from './forum-membership.entity.js';
import { ForumMembership } from './forum-membership.entity.js';
import { leave, removeMember, setMember } from './membership-store.js';

interface MemberRow {
  account_id: string;
  display_name: string;
  organisation: string | null;
  email: string;
  role: ForumRole;
  state: MembershipState;
  created_at: Date;
  updated_at: Date;
  rank: number;
  created_key: string;
}

const isRank = (v: unknown): v is number => v === 0 || v === 1;

/**
 * Who is in a forum and with which role. Moderators add members and
 * moderators and remove members; only admins demote or remove a moderator
 * (a moderator may step down or leave). Removal is a state, not a deletion,
 * so a removed person can't rejoin a public forum by posting; it takes effect
 * at once because ForumAccessService reads the membership on every call.
 */
@Injectable()
export class MembershipsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly forumAccess: ForumAccessService,
    private readonly events: ForumEventsService,
  ) {}

  /** Members see the active members' names and roles; moderators also see emails, dates and removed people. */
  async list(actor: MaybeActor, forumId: number, query: ListMembersQuery): Promise<MemberPage> {
    const access = await this.forumAccess.readable(actor, forumId);
    if (!actor) throw unauthenticated('Sign in as a member of this forum to see who is in it.');
    const moderator = access.canModerate;
    if (!moderator && access.membership?.state !== 'active') {
      throw forbidden('not_member', 'Only the members of this forum can see who is in it. Join the forum first.');
    }
    const state = query.state ?? 'active';
    if (state === 'removed' && !moderator) throw forbidden('not_moderator', 'Only the moderators of this forum can see who was removed.');
    const limit = query.limit ?? 100;
    const where = ['fm.forum_id = :forumId', 'fm.state = :state'];
    const params: Record<string, unknown> = { forumId, state, pageSize: limit + 1 };
    const rank = `CASE fm.role WHEN 'moderator' THEN 0 ELSE 1 END`;
    if (query.cursor) {
      const [r, c, a] = decodeCursor<[number, string, string]>(query.cursor, [isRank, isTimestamp, isUuid]);
      where.push(`(${rank}, fm.created_at, fm.account_id) > (:afterRank, :afterAt::timestamptz, :afterAccount::uuid)`);
      Object.assign(params, { afterRank: r, afterAt: c, afterAccount: a });
    }
    const rows = await namedQuery<MemberRow>(
      this.dataSource.manager,
      `SELECT fm.account_id, a.display_name, a.organisation, a.email, fm.role, fm.state, fm.created_at, fm.updated_at,
              ${rank} AS rank, ${sqlTimestampKey('fm.created_at')} AS created_key
       FROM forum_membership fm JOIN account a ON a.id = fm.account_id
       WHERE ${where.join(' AND ')}
       ORDER BY ${rank}, fm.created_at, fm.account_id
       LIMIT :pageSize`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => this.toView(r, moderator)),
      nextCursor: rows.length > limit && last ? encodeCursor([last.rank, last.created_key, last.account_id]) : null,
    };
  }

  /** Makes the person a member or moderator (re-admitting them if they were removed). */
  async set(actor: MaybeActor, forumId: number, accountId: string, dto: SetMemberDto): Promise<MemberView> {
    // runAndPublish: the change is recorded as a forum event in this transaction (the person's sockets
    // gain or lose the moderators' view at once, on every instance) and published after commit.
    await this.events.runAndPublish(async (m, record) => {
      await this.forumAccess.moderating(actor, forumId, m);
      const existing = await this.lockTarget(m, forumId, accountId);
      if (existing?.state === 'active' && existing.role === 'moderator' && dto.role === 'member') this.protectModerator(actor!, accountId, 'demote');
      await setMember(m, forumId, accountId, dto.role);
      record(forumId, 'membership.changed', { accountId, role: dto.role, state: 'active' }, { audience: MODERATORS });
    });
    return this.one(forumId, accountId);
  }

  /**
   * Called on yourself: leave the forum (an active membership is deleted; a
   * removal stays). On someone else (moderators): remove them, or bar a
   * person who never joined; they lose access at once.
   */
  async remove(actor: MaybeActor, forumId: number, accountId: string): Promise<void> {
    if (actor && actor.accountId === accountId) {
      await this.events.runAndPublish(async (m, record) => {
        await this.forumAccess.readable(actor, forumId, m);
        await leave(m, forumId, accountId);
        // Their sockets stay only where the forum is still readable to them (not an invitation-only one).
        record(forumId, 'membership.changed', { accountId, role: null, state: null }, { audience: MODERATORS });
      });
      return;
    }
    await this.events.runAndPublish(async (m, record) => {
      await this.forumAccess.moderating(actor, forumId, m);
      const existing = await this.lockTarget(m, forumId, accountId);
      if (existing?.state === 'active' && existing.role === 'moderator') this.protectModerator(actor!, accountId, 'remove');
      await removeMember(m, forumId, accountId);
      // The removed person's sockets leave the forum at once, on every instance, before any later event.
      record(forumId, 'membership.removed', { accountId }, { audience: MODERATORS });
    });
  }

  /** Joins a public or members-only forum explicitly (the same rule as joining by a first post). */
  async join(actor: MaybeActor, forumId: number): Promise<MembershipView> {
    return this.dataSource.transaction(async (m) => {
      await this.forumAccess.participating(actor, forumId, m);
      const membership = await m.findOneBy(ForumMembership, { forumId, accountId: actor!.accountId });
      // An admin or moderator already had a membership (or needs none); report what there is.
      return {
        forumId,
        accountId: actor!.accountId,
        role: membership?.role ?? 'member',
        state: membership?.state ?? 'active',
      };
    });
  }

  private protectModerator(actor: Actor, accountId: string, what: 'demote' | 'remove'): void {
    if (actor.role === 'admin') return;
    if (what === 'demote' && actor.accountId === accountId) return; // stepping down
    throw new AppException(HttpStatus.FORBIDDEN, 'moderator_protected', `Only an admin can ${what} another moderator of this forum.`);
  }

  /** The target account (404 if there is none) and its membership, locked for this transaction. */
  private async lockTarget(m: EntityManager, forumId: number, accountId: string): Promise<{ role: ForumRole; state: MembershipState } | null> {
    const [account] = await m.query(`SELECT id FROM account WHERE id = $1`, [accountId]);
    if (!account) throw notFound('The account', 'account_not_found');
    const [row] = await m.query(
      `SELECT role, state FROM forum_membership WHERE forum_id = $1 AND account_id = $2 FOR UPDATE`,
      [forumId, accountId],
    );
    return row ?? null;
  }

  private async one(forumId: number, accountId: string): Promise<MemberView> {
    const [row] = await this.dataSource.query(
      `SELECT fm.account_id, a.display_name, a.organisation, a.email, fm.role, fm.state, fm.created_at, fm.updated_at
       FROM forum_membership fm JOIN account a ON a.id = fm.account_id WHERE fm.forum_id = $1 AND fm.account_id = $2`,
      [forumId, accountId],
    );
    return this.toView(row as MemberRow, true);
  }

  private toView(r: MemberRow, forModerator: boolean): MemberView {
    const base = { accountId: r.account_id, displayName: r.display_name, organisation: r.organisation, role: r.role, joinedAt: r.created_at };
    return forModerator ? { ...base, state: r.state, email: r.email, updatedAt: r.updated_at } : base;
  }
}
