import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MaybeActor } from '../auth/actor.js';
import { notFound } from '../common/app-exception.js';
import { MODERATORS } from '../events/forum-event.js';
import { ForumEventsService } from '../events/forum-events.service.js';
import { findSession, requireAdmin } from '../sessions/session-lookup.js';
import type { SessionModeratorView } from './dto/session-moderator.view.js';
import { addSessionModerator, removeSessionModerator } from './membership-store.js';

/**
 * Session organisers (a learning hub, a training institute): admins make a
 * person moderator of every forum of a session, present and future (forums
 * created later get the session's moderators too, see ForumsService.create).
 */
@Injectable()
export class SessionModeratorsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: ForumEventsService,
  ) {}

  /** Public, like the organiser's name: who organises the session. */
  async list(_actor: MaybeActor, sessionIdOrSlug: string): Promise<SessionModeratorView[]> {
    const session = await findSession(this.dataSource.manager, sessionIdOrSlug);
    const rows: { account_id: string; display_name: string; organisation: string | null; created_at: Date }[] = await this.dataSource.query(
      `SELECT sm.account_id, a.display_name, a.organisation, sm.created_at
       FROM session_moderator sm JOIN account a ON a.id = sm.account_id
       WHERE sm.session_id = $1 ORDER BY sm.created_at, sm.account_id`,
      [session.id],
    );
    return rows.map((r) => ({ accountId: r.account_id, displayName: r.display_name, organisation: r.organisation, since: r.created_at }));
  }

  /** Makes the person moderator of every forum of the session (admins); re-admits them where they were removed. */
  async add(actor: MaybeActor, sessionIdOrSlug: string, accountId: string): Promise<SessionModeratorView[]> {
    requireAdmin(actor, "appoint a session's moderators");
    // Each forum's role change is recorded as an event (like MembershipsService.setRole), so the person's
    // sockets gain the moderators' view at once, on every instance.
    const sessionId = await this.events.runAndPublish(async (m, record) => {
      const session = await findSession(m, sessionIdOrSlug);
      const [account] = await m.query(`SELECT id FROM account WHERE id = $1`, [accountId]);
      if (!account) throw notFound('The account', 'account_not_found');
      const forumIds = await addSessionModerator(m, session.id, accountId);
      for (const forumId of forumIds) record(forumId, 'membership.changed', { accountId, role: 'moderator', state: 'active' }, { audience: MODERATORS });
      return session.id;
    });
    return this.list(actor, String(sessionId));
  }

  /**
   * Ends the person's role as organiser (admins): they become plain members
   * of the session's forums where they were moderators (a per-forum
   * moderator role given separately is not told apart, and ends too).
   */
  async remove(actor: MaybeActor, sessionIdOrSlug: string, accountId: string): Promise<void> {
    requireAdmin(actor, "change a session's moderators");
    // One membership.changed event per forum where they were moderator: their sockets leave the moderators' room at once.
    await this.events.runAndPublish(async (m, record) => {
      const session = await findSession(m, sessionIdOrSlug);
      const forumIds = await removeSessionModerator(m, session.id, accountId);
      for (const forumId of forumIds) record(forumId, 'membership.changed', { accountId, role: 'member', state: 'active' }, { audience: MODERATORS });
    });
  }
}
