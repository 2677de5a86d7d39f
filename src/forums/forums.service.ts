import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import type { MaybeActor } from '../auth/actor.js';
import { AppException, badRequest, conflict, unauthenticated } from '../common/app-exception.js';
import { decodeCursor, encodeCursor, isPositiveInt } from '../common/cursor.js';
import { namedQuery } from '../common/named-query.js';
import { ForumEventsService } from '../events/forum-events.service.js';
import type { ForumEvent } from '../events/forum-event.js';
import { findSession, slugify } from '../sessions/session-lookup.js';
import type { CreateForumDto, ListForumsQuery, UpdateForumDto } from './dto/forum-input.dto.js';
import type { ForumListItem, ForumPage, ForumSummaryView, ForumView } from './dto/forum.view.js';
import { ForumAccessService, REFUSALS } from './forum-access.service.js';
import { FORUM_SUMMARY_COLUMNS, toForumSummary, type ForumSummaryRow } from './forum-queries.js';
import type { Forum } from './forum.entity.js';
import { createForum, updateForum } from './forum-store.js';
import { joinUnlessKnown } from './membership-store.js';

interface ForumWithSessionRow extends ForumSummaryRow {
  created_at: Date;
  updated_at: Date;
  session_ref_id: number;
  session_ref_slug: string;
  session_ref_title: string;
  session_ref_state: string;
}

const WITH_SESSION = `${FORUM_SUMMARY_COLUMNS}, f.created_at, f.updated_at,
  s.id AS session_ref_id, s.slug AS session_ref_slug, s.title AS session_ref_title, s.state AS session_ref_state`;

const slugTaken = () => conflict('forum_slug_taken', 'Another forum of this session already uses this slug. Choose another one.');

const sessionRef = (r: ForumWithSessionRow) => ({ id: r.session_ref_id, slug: r.session_ref_slug, title: r.session_ref_title, state: r.session_ref_state });

/** Forums attached to sessions: listing, reading as the caller, creating and changing them. */
@Injectable()
export class ForumsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly forumAccess: ForumAccessService,
    private readonly events: ForumEventsService,
  ) {}

  /** The forums of one session that the caller may see. */
  async listForSession(actor: MaybeActor, sessionIdOrSlug: string): Promise<ForumSummaryView[]> {
    const session = await findSession(this.dataSource.manager, sessionIdOrSlug);
    const readable = this.forumAccess.readableForumsCondition(actor);
    const rows = await namedQuery<ForumSummaryRow>(
      this.dataSource.manager,
      `SELECT ${FORUM_SUMMARY_COLUMNS} FROM forum f WHERE f.session_id = :sessionId AND ${readable.sql} ORDER BY f.id`,
      { ...readable.params, sessionId: session.id },
    );
    return rows.map(toForumSummary);
  }

  /** Every forum the caller may see (optionally only their own), oldest first; keyset-paginated. */
  async list(actor: MaybeActor, query: ListForumsQuery): Promise<ForumPage> {
    if (query.mine && !actor) throw unauthenticated('Sign in to list the forums you belong to.');
    const limit = query.limit ?? 50;
    const readable = this.forumAccess.readableForumsCondition(actor);
    const where = [readable.sql];
    const params: Record<string, unknown> = { ...readable.params, pageSize: limit + 1 };
    if (query.sessionId !== undefined) { where.push('f.session_id = :sessionId'); params.sessionId = query.sessionId; }
    if (query.visibility) { where.push('f.visibility = :visibility'); params.visibility = query.visibility; }
    if (query.state) { where.push('f.state = :forumState'); params.forumState = query.state; }
    if (query.mine) {
      where.push(`EXISTS (SELECT 1 FROM forum_membership mine WHERE mine.forum_id = f.id AND mine.account_id = :me AND mine.state = 'active')`);
      params.me = actor!.accountId;
    }
    if (query.cursor) {
      const [afterId] = decodeCursor<[number]>(query.cursor, [isPositiveInt]);
      where.push('f.id > :afterId');
      params.afterId = afterId;
    }
    const rows = await namedQuery<ForumWithSessionRow>(
      this.dataSource.manager,
      `SELECT ${WITH_SESSION} FROM forum f JOIN session s ON s.id = f.session_id
       WHERE ${where.join(' AND ')} ORDER BY f.id LIMIT :pageSize`,
      params,
    );
    const page = rows.slice(0, limit);
    const items: ForumListItem[] = page.map((r) => ({ ...toForumSummary(r), session: sessionRef(r) }));
    return { items, nextCursor: rows.length > limit ? encodeCursor([page.at(-1)!.id]) : null };
  }

  /** One forum as the caller sees it, with their standing in it; 404 if they can't see it. */
  async get(actor: MaybeActor, forumId: number, manager: EntityManager = this.dataSource.manager): Promise<ForumView> {
    const access = await this.forumAccess.readable(actor, forumId, manager);
    const [row] = await manager.query(
      `SELECT ${WITH_SESSION} FROM forum f JOIN session s ON s.id = f.session_id WHERE f.id = $1`,
      [forumId],
    ) as ForumWithSessionRow[];
    const refusal = access.participationRefusal;
    return {
      ...toForumSummary(row),
      session: sessionRef(row),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      memberQuestions: access.forum.memberQuestions,
      viewer: {
        role: access.membership?.role ?? null,
        membershipState: access.membership?.state ?? null,
        isAdmin: actor?.role === 'admin',
        canModerate: access.canModerate,
        canPost: refusal === null,
        postRefusal: refusal ? { code: refusal, message: REFUSALS[refusal][1] } : null,
      },
    };
  }

  /**
   * Adds a forum to a session. Allowed to admins, the session's moderators
   * (organisers), and moderators of another forum of the same session. The
   * session's moderators, and the creator unless an admin, moderate it.
   */
  async create(actor: MaybeActor, sessionIdOrSlug: string, dto: CreateForumDto): Promise<ForumView> {
    if (!actor) throw unauthenticated('Sign in as an admin or a moderator of this session to add a forum to it.');
    const forumId = await this.write(async (m) => {
      const session = await findSession(m, sessionIdOrSlug);
      if (actor.role !== 'admin' && !(await this.moderatesSession(m, session.id, actor.accountId))) {
        throw new AppException(HttpStatus.FORBIDDEN, 'not_session_moderator', "Only admins and the moderators of this session's forums can add a forum to it.");
      }
      const slug = dto.slug ?? (await this.freeSlug(m, session.id, slugify(dto.title, 'forum')));
      await this.assertSlugFree(m, session.id, slug);
      const { id } = await createForum(m, { sessionId: session.id, slug, title: dto.title, description: dto.description ?? '', visibility: dto.visibility, state: dto.state ?? 'open' });
      if (actor.role !== 'admin') await joinUnlessKnown(m, id, actor.accountId, 'moderator');
      return id;
    });
    return this.get(actor, forumId);
  }

  /** Changes a forum's title, slug, description, visibility or state (its moderators and admins). Takes effect at once. */
  async update(actor: MaybeActor, forumId: number, dto: UpdateForumDto): Promise<ForumView> {
    const cleared = (['title', 'slug', 'visibility', 'state'] as const).filter((k) => dto[k] === null);
    if (cleared.length) {
      const details = cleared.map((field) => ({ field, message: `${field} cannot be cleared` }));
      throw badRequest('validation_failed', `Invalid input: ${details.map((d) => d.message).join('; ')}.`, details);
    }
    let event: ForumEvent | null = null;
    await this.write(async (m) => {
      const { forum } = await this.forumAccess.moderating(actor, forumId, m);
      if (dto.slug && dto.slug !== forum.slug) await this.assertSlugFree(m, forum.sessionId, dto.slug);
      const changes: Partial<Pick<Forum, 'title' | 'slug' | 'description' | 'visibility' | 'state'>> = {};
      if (dto.title !== undefined) changes.title = dto.title;
      if (dto.slug !== undefined) changes.slug = dto.slug;
      if (dto.description !== undefined) changes.description = dto.description ?? '';
      if (dto.visibility !== undefined) changes.visibility = dto.visibility;
      if (dto.state !== undefined) changes.state = dto.state;
      if (Object.keys(changes).length) await updateForum(m, forumId, changes);
      // Followers hear of it live (last statement: it takes the forum's event sequence); those who can no longer read it are dropped first.
      if (Object.keys(changes).length) event = await this.events.record(m, forumId, 'forum.updated', { forum: { id: forumId, ...changes } });
    });
    if (event) this.events.publish([event]);
    return this.get(actor, forumId);
  }

  /** A session moderator, or an active moderator of one of the session's forums. */
  private async moderatesSession(m: EntityManager, sessionId: number, accountId: string): Promise<boolean> {
    const [row] = await m.query(
      `SELECT EXISTS (SELECT 1 FROM session_moderator WHERE session_id = $1 AND account_id = $2)
           OR EXISTS (SELECT 1 FROM forum_membership fm JOIN forum f ON f.id = fm.forum_id
                      WHERE f.session_id = $1 AND fm.account_id = $2 AND fm.role = 'moderator' AND fm.state = 'active') AS ok`,
      [sessionId, accountId],
    );
    return row.ok === true;
  }

  private async freeSlug(m: EntityManager, sessionId: number, base: string): Promise<string> {
    const rows: { slug: string }[] = await m.query(`SELECT slug FROM forum WHERE session_id = $1`, [sessionId]);
    const taken = new Set(rows.map((r) => r.slug));
    if (!taken.has(base)) return base;
    for (let n = 2; ; n++) {
      const candidate = `${base.slice(0, 120 - String(n).length - 1)}-${n}`;
      if (!taken.has(candidate)) return candidate;
    }
  }

  private async assertSlugFree(m: EntityManager, sessionId: number, slug: string): Promise<void> {
    const [taken] = await m.query(`SELECT 1 FROM forum WHERE session_id = $1 AND slug = $2`, [sessionId, slug]);
    if (taken) throw slugTaken();
  }

  /** Runs a write in one transaction; a slug taken meanwhile (unique violation) is a 409 too. */
  private async write<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      if (error instanceof QueryFailedError && (error as { code?: string }).code === '23505' && /forum_session_id_slug_key/.test(String((error as { constraint?: string }).constraint))) {
        throw slugTaken();
      }
      throw error;
    }
  }
}
