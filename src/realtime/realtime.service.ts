import { Injectable } from '@nestjs/common';
import { DomainEvents } from '../events/domain-events.js';
import { ForumFanout } from './forum-fanout.service.js';
import { rooms } from '../events/rooms.js';
import type { AgoraServer, ServerToClientEvents } from '../events/socket-types.js';

/**
 * What other features' domain events mean for the sockets (a sign-in ended,
 * notifications changed), and a member's removal. Each call reaches the person's
 * sockets on every instance (through the adapter) at once. Before the
 * gateway is up (CLI commands, early boot) they do nothing.
 */
@Injectable()
export class RealtimeService {
  private server: AgoraServer | null = null;

  constructor(
    private readonly fanout: ForumFanout,
    domainEvents: DomainEvents,
  ) {
    // The features announce these after commit; they don't know the socket layer exists.
    domainEvents.on('signIn.ended', ({ sessionId }) => this.signedOut(sessionId));
    domainEvents.on('account.signedOut', ({ accountId, keepSessionId }) => this.accountSignedOut(accountId, keepSessionId));
    domainEvents.on('notifications.changed', ({ accountId, change }) => this.toAccount(accountId, change));
  }

  /** Called by the gateway once the Socket.IO server exists. */
  attach(server: AgoraServer): void {
    this.server = server;
  }

  /** Ids of the sockets in a room, on every instance (diagnostics and tests; rooms are named by `rooms` in rooms.ts). */
  async socketsIn(room: string): Promise<string[]> {
    if (!this.server) return [];
    const sockets = await this.server.in(room).fetchSockets();
    return sockets.map((s) => s.id);
  }

  /** Sends a message to every socket of one account, on every instance (its per-account room). */
  private toAccount(accountId: string, message: Parameters<ServerToClientEvents['notifications.changed']>[0]): void {
    this.server?.to(rooms.account(accountId)).emit('notifications.changed', message);
  }

  /** One sign-in (cookie session or API token) ended: its sockets are told, then disconnected. */
  private signedOut(sessionId: string): void {
    if (!this.server) return;
    this.server.to(rooms.login(sessionId)).emit('session.ended', {});
    this.server.in(rooms.login(sessionId)).disconnectSockets(true);
  }

  /** Every sign-in of an account ended (password change), except `keepSessionId` if given. */
  private accountSignedOut(accountId: string, keepSessionId: string | null = null): void {
    if (!this.server) return;
    const except = keepSessionId ? [rooms.login(keepSessionId)] : [];
    this.server.to(rooms.account(accountId)).except(except).emit('session.ended', {});
    this.server.in(rooms.account(accountId)).except(except).disconnectSockets(true);
  }

  /**
   * A member was removed from a forum: their sockets leave its rooms now.
   * (Recording a `membership.removed` event in the removal's transaction
   * does this too, in order with the forum's other events; this call is
   * the immediate path.)
   */
  memberRemoved(forumId: number, accountId: string): void {
    this.fanout.memberRemoved(forumId, accountId);
  }
}
