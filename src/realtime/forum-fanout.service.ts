import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { isGuest } from '../auth/actor.js';
import { DomainEvents } from '../events/domain-events.js';
import { DataSource, In } from 'typeorm';
import { ForumMembership } from '../forums/forum-membership.entity.js';
import { canModerate, canRead, participationRefusal } from '../forums/forum-policy.js';
import { Forum } from '../forums/forum.entity.js';
import { EventFanout } from '../events/event-fanout.js';
import { ForumEventLog } from '../events/forum-event-log.js';
import { ACCESS_EVENT_TYPES, type ForumEvent, type ForumEventType } from '../events/forum-event.js';
import { PresenceService } from './presence.service.js';
import { rooms } from '../events/rooms.js';
import type { AgoraServer, AgoraSocket, ForumSubscription } from '../events/socket-types.js';

/**
 * Delivers forum events to this instance's sockets (see EventFanout for
 * ordering, replay and catch-up), and applies what is particular to forums:
 * access changes (a member removed, a forum made invite-only, a moderator
 * appointed) re-checked before later events, kicks, presence.
 */
@Injectable()
export class ForumFanout extends EventFanout<ForumSubscription, ForumEventType> implements OnModuleDestroy {
  constructor(
    log: ForumEventLog,
    private readonly dataSource: DataSource,
    private readonly presence: PresenceService,
    domainEvents: DomainEvents,
  ) {
    super(
      log,
      {
        room: rooms.forum,
        moderatorsRoom: rooms.moderators,
        accountRoom: rooms.account,
        narrow: { room: rooms.narrow, question: rooms.question },
        eventsMessage: 'forum.events',
        leftMessage: 'forum.left',
        keyField: 'forumId',
        interServerEvent: 'agora:events',
        subsField: 'subs',
      },
      'ForumFanout',
    );
    // Forum writes publish after commit; their events reach this instance's sockets from here.
    domainEvents.on('forum.events', (events) => this.publish(events));
  }

  override attach(server: AgoraServer, clustered: boolean): void {
    super.attach(server, clustered);
    server.on('agora:kick', ({ forumId, accountId }) => void this.kickLocal(forumId, accountId, 'removed'));
  }

  /** Takes a member's sockets out of a forum on every instance at once (call after the removal commits). */
  memberRemoved(forumId: number, accountId: string): void {
    if (!this.server) return;
    if (this.clustered) this.server.serverSideEmit('agora:kick', { forumId, accountId });
    void this.kickLocal(forumId, accountId, 'removed');
  }

  protected override extraRooms(socket: AgoraSocket, forumId: number): string[] {
    // Guests of a live Q&A are anonymous visitors in forums (forum-policy.ts): no names in presence either.
    return socket.data.actor && !isGuest(socket.data.actor) ? [] : [rooms.anonymous(forumId)];
  }

  protected override joined(forumId: number): void {
    this.presence.changed(forumId);
  }

  protected override left(socket: AgoraSocket, forumId: number): void {
    this.presence.left(socket, forumId);
  }

  protected override isAccessEvent(e: ForumEvent): boolean {
    return ACCESS_EVENT_TYPES.has(e.type);
  }

  /**
   * Re-applies the forum's access rule to the local sockets an event
   * concerns: a removed member, or everyone when the forum itself changed
   * (e.g. became invite-only). Unreadable now: out of the forum's rooms.
   * Moderator status gained or lost: into or out of the moderators' room.
   */
  protected override async applyAccessChange(e: ForumEvent): Promise<void> {
    const forumId = e.streamId;
    const accountId = typeof e.payload.accountId === 'string' ? e.payload.accountId : null;
    const targets =
      e.type === 'forum.updated'
        ? this.localSockets(rooms.forum(forumId))
        : accountId
          ? this.localSockets(rooms.account(accountId)).filter((s) => s.data.subs[forumId])
          : [];
    if (!targets.length) return;
    if (e.type === 'membership.removed') {
      for (const socket of targets) this.leave(socket, forumId, 'removed');
      return;
    }
    const forum = await this.dataSource.manager.findOneBy(Forum, { id: forumId });
    const accountIds = [...new Set(targets.map((s) => s.data.actor?.accountId).filter((id): id is string => !!id))];
    const memberships = accountIds.length ? await this.dataSource.manager.findBy(ForumMembership, { forumId, accountId: In(accountIds) }) : [];
    const byAccount = new Map(memberships.map((m) => [m.accountId, m]));
    for (const socket of targets) {
      const actor = socket.data.actor;
      const membership = actor ? (byAccount.get(actor.accountId) ?? null) : null;
      const sub = socket.data.subs[forumId];
      if (!sub) continue;
      if (!forum || !canRead(forum, actor, membership)) {
        this.leave(socket, forumId, 'access_lost');
        continue;
      }
      const moderator = canModerate(actor, membership);
      sub.canPost = participationRefusal(forum, actor, membership) === null;
      if (moderator !== sub.moderator) {
        sub.moderator = moderator;
        if (moderator) void socket.join(rooms.moderators(forumId));
        else void socket.leave(rooms.moderators(forumId));
      }
    }
  }

  private async kickLocal(forumId: number, accountId: string, reason: 'removed'): Promise<void> {
    for (const socket of this.localSockets(rooms.account(accountId))) {
      if (socket.data.subs[forumId]) this.leave(socket, forumId, reason);
    }
  }
}
