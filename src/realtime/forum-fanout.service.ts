import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { ForumMembership } from '../forums/forum-membership.entity.js';
import { canModerate, canRead, participationRefusal } from '../forums/forum-policy.js';
import { Forum } from '../forums/forum.entity.js';
import { ForumEventLog, type ReplayResult, type ReplayViewer } from './forum-event-log.js';
import { ACCESS_EVENT_TYPES, audienceIncludes, toEventView, type ForumEvent } from './forum-event.js';
import { PresenceService } from './presence.service.js';
import { rooms } from './rooms.js';
import type { AgoraServer, AgoraSocket, ForumSubscription } from './socket-types.js';

/** How far this instance has delivered a forum's events to its own sockets. */
interface ForumStream {
  lastEmitted: number;
  /** The last delivered event that changed who may read or moderate the forum (or, for a new stream, its starting point). */
  lastAccessSeq: number;
}

/** When the subscriber's access was checked, and how to check it again. */
export interface AccessCheck {
  /** The forum's position read before the check. */
  checkedAt: number;
  /** Checks access again (throws if the forum is no longer readable). */
  recheck: () => Promise<ForumSubscription>;
}

export interface SubscribeResult {
  /** The forum's position the socket is now at: replayed up to here, live after. */
  seq: number;
  resync: boolean;
  replayed: number;
}

const REPLAY_BATCH = 100;

const viewerOf = (socket: AgoraSocket, sub: ForumSubscription): ReplayViewer => ({
  moderator: sub.moderator,
  accountId: socket.data.actor?.accountId ?? null,
  questionId: sub.questionId,
});
const CATCH_UP_PAGE = 500;
/** How often each instance checks Postgres for events it hasn't heard of (a lost inter-instance message, a publisher that died after commit). */
const SWEEP_MS = 2_000;

/**
 * Delivers forum events to this instance's sockets: in sequence order, each
 * once, replay and live seamlessly joined.
 *
 * Each instance keeps, per forum its sockets follow, the last sequence number
 * it delivered, and does all delivery work for that forum in one queue.
 * Events come from local writes and from other instances (through the
 * adapter); a gap (an event that overtook another, or a lost message) is
 * filled from Postgres: when seq N+1 is committed, N already is. A periodic
 * sweep catches up forums whose newest event never arrived. Subscribing
 * takes the same queue, so a joining socket gets its replay and then exactly
 * the live events after it.
 */
@Injectable()
export class ForumFanout implements OnModuleDestroy {
  private readonly logger = new Logger('ForumFanout');
  private server: AgoraServer | null = null;
  private clustered = false;
  private readonly streams = new Map<number, ForumStream>();
  private readonly queues = new Map<number, Promise<unknown>>();
  private sweepTimer: NodeJS.Timeout | null = null;
  private closing = false;

  constructor(
    private readonly log: ForumEventLog,
    private readonly dataSource: DataSource,
    private readonly presence: PresenceService,
  ) {}

  attach(server: AgoraServer, clustered: boolean): void {
    this.server = server;
    this.clustered = clustered;
    server.on('agora:events', (events) => this.receive(events));
    server.on('agora:kick', ({ forumId, accountId }) => void this.kickLocal(forumId, accountId, 'removed'));
    this.sweepTimer = setInterval(() => void this.sweep(), SWEEP_MS);
    this.sweepTimer.unref();
  }

  onModuleDestroy(): void {
    this.closing = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
  }

  /** Committed events from a write on this instance: deliver here and tell the other instances. */
  publish(events: ForumEvent[]): void {
    if (!this.server || this.closing) return;
    if (this.clustered) this.server.serverSideEmit('agora:events', events);
    this.receive(events);
  }

  /** Takes a member's sockets out of a forum on every instance at once (call after the removal commits). */
  memberRemoved(forumId: number, accountId: string): void {
    if (!this.server) return;
    if (this.clustered) this.server.serverSideEmit('agora:kick', { forumId, accountId });
    void this.kickLocal(forumId, accountId, 'removed');
  }

  /**
   * Joins a socket to a forum's rooms, after sending it what it missed since
   * `lastSeq` (null: nothing to replay, just go live). The caller has checked
   * access and decided `sub`.
   */
  async subscribe(socket: AgoraSocket, forumId: number, checked: ForumSubscription, lastSeq: number | null, access: AccessCheck): Promise<SubscribeResult> {
    // The bulk of a replay is read outside the forum's queue, so many sockets reconnecting at once read in parallel.
    const early = lastSeq === null ? null : await this.log.replay(forumId, lastSeq, viewerOf(socket, checked));
    return this.enqueue(forumId, async () => {
      try {
        return await this.join(socket, forumId, checked, lastSeq, access, early);
      } finally {
        // A socket that didn't join (gone, or refused on the re-check) leaves no stream behind.
        if (!socket.data.subs[forumId]) this.dropStreamIfIdle(forumId);
      }
    });
  }

  private async join(
    socket: AgoraSocket,
    forumId: number,
    checked: ForumSubscription,
    lastSeq: number | null,
    access: AccessCheck,
    early: ReplayResult | null,
  ): Promise<SubscribeResult> {
    const stream = await this.openStream(forumId);
    // Access changed since it was checked (a removal whose kick this socket, not yet in the room, missed): check again.
    const sub = stream.lastAccessSeq > access.checkedAt ? await access.recheck() : checked;
    const sameView = sub.moderator === checked.moderator;
    let resync = false;
    const events: ForumEvent[] = [];
    if (early?.resync) {
      resync = true;
    } else if (early && lastSeq !== null) {
      // The client has seen events this instance hasn't delivered yet: deliver them first, so they aren't sent twice.
      if (lastSeq > stream.lastEmitted) await this.catchUp(forumId, stream, lastSeq);
      // The early read still applies if the view didn't change; the rest, up to what this instance has delivered, is read now.
      if (sameView) events.push(...early.events.filter((e) => e.seq <= stream.lastEmitted));
      const from = sameView ? Math.max(early.position, lastSeq) : lastSeq;
      if (from < stream.lastEmitted) {
        const rest = await this.log.replay(forumId, from, viewerOf(socket, sub), stream.lastEmitted);
        if (rest.resync) resync = true;
        else events.push(...rest.events);
      }
    }
    if (socket.disconnected) return { seq: stream.lastEmitted, resync, replayed: 0 };
    this.leaveRooms(socket, forumId);
    socket.data.subs[forumId] = sub;
    const joined = [rooms.forum(forumId)];
    if (sub.questionId !== null) joined.push(rooms.narrow(forumId), rooms.question(forumId, sub.questionId));
    if (sub.moderator) joined.push(rooms.moderators(forumId));
    if (!socket.data.actor) joined.push(rooms.anonymous(forumId));
    await socket.join(joined);
    if (!resync) {
      for (let i = 0; i < events.length; i += REPLAY_BATCH) {
        socket.emit('forum.events', { forumId, events: events.slice(i, i + REPLAY_BATCH).map(toEventView) });
      }
    }
    this.presence.changed(forumId);
    return { seq: stream.lastEmitted, resync, replayed: resync ? 0 : events.length };
  }

  /** Stops following a forum (no-op if the socket doesn't). */
  unsubscribe(socket: AgoraSocket, forumId: number): void {
    if (!socket.data.subs[forumId]) return;
    this.leaveRooms(socket, forumId);
    this.presence.left(socket, forumId);
    this.dropStreamIfIdle(forumId);
  }

  /** A socket went away: socket.io has already taken it out of its rooms. */
  disconnected(socket: AgoraSocket): void {
    for (const key of Object.keys(socket.data.subs ?? {})) {
      const forumId = Number(key);
      this.presence.left(socket, forumId);
      this.dropStreamIfIdle(forumId);
    }
    socket.data.subs = {};
  }

  // ---- delivery -----------------------------------------------------------

  private receive(events: ForumEvent[]): void {
    const byForum = new Map<number, ForumEvent[]>();
    for (const e of events) byForum.set(e.forumId, [...(byForum.get(e.forumId) ?? []), e]);
    for (const [forumId, list] of byForum) {
      if (!this.streams.has(forumId)) continue; // nobody here follows it
      void this.enqueue(forumId, () => this.deliver(forumId, list)).catch((error) => this.failed(forumId, error));
    }
  }

  private async deliver(forumId: number, events: ForumEvent[]): Promise<void> {
    const stream = this.streams.get(forumId);
    if (!stream) return;
    const fresh = events.filter((e) => e.seq > stream.lastEmitted).sort((a, b) => a.seq - b.seq);
    if (!fresh.length) return;
    if (fresh.every((e, i) => e.seq === stream.lastEmitted + 1 + i)) {
      for (const e of fresh) await this.emit(stream, e);
    } else {
      await this.catchUp(forumId, stream, fresh[fresh.length - 1].seq);
    }
  }

  /** Delivers every event up to `upTo` that this instance hasn't, reading them from Postgres. */
  private async catchUp(forumId: number, stream: ForumStream, upTo: number): Promise<void> {
    while (stream.lastEmitted < upTo) {
      const page = await this.log.range(forumId, stream.lastEmitted, upTo, CATCH_UP_PAGE);
      if (!page.length || page[0].seq !== stream.lastEmitted + 1) {
        // Retention dropped events this instance never delivered (it was cut off for that long):
        // its sockets can't be brought up to date event by event, so they are told to subscribe again and reload.
        this.logger.warn(`Forum ${forumId}: events ${stream.lastEmitted + 1}..${page[0]?.seq ?? upTo} are no longer in the log; asking its sockets to resync.`);
        for (const socket of this.localSockets(rooms.forum(forumId))) this.leave(socket, forumId, 'resync');
        stream.lastEmitted = upTo;
        return;
      }
      for (const e of page) await this.emit(stream, e);
    }
  }

  private async emit(stream: ForumStream, e: ForumEvent): Promise<void> {
    const server = this.server!;
    const forumId = e.forumId;
    // Access changes are applied before anything later is delivered.
    if (ACCESS_EVENT_TYPES.has(e.type)) {
      await this.applyAccessChange(e);
      stream.lastAccessSeq = e.seq;
    }
    const message = { forumId, events: [toEventView(e)] };
    if (e.audience.kind === 'readers') {
      if (e.questionId === null) {
        server.local.to(rooms.forum(forumId)).emit('forum.events', message);
      } else {
        server.local.to(rooms.forum(forumId)).except(rooms.narrow(forumId)).emit('forum.events', message);
        server.local.to(rooms.question(forumId, e.questionId)).emit('forum.events', message);
      }
    } else {
      // Few receivers (moderators, one author): filtered socket by socket.
      const candidates = new Set(this.localSockets(rooms.moderators(forumId)));
      if (e.audience.kind === 'moderators_and_account') for (const s of this.localSockets(rooms.account(e.audience.accountId))) candidates.add(s);
      for (const socket of candidates) {
        const sub = socket.data.subs[forumId];
        if (!sub) continue;
        if (sub.questionId !== null && e.questionId !== null && sub.questionId !== e.questionId) continue;
        if (!audienceIncludes(e.audience, { moderator: sub.moderator, accountId: socket.data.actor?.accountId ?? null })) continue;
        socket.emit('forum.events', message);
      }
    }
    stream.lastEmitted = e.seq;
  }

  /**
   * Re-applies the forum's access rule to the local sockets an event
   * concerns: a removed member, or everyone when the forum itself changed
   * (e.g. became invite-only). Unreadable now: out of the forum's rooms.
   * Moderator status gained or lost: into or out of the moderators' room.
   */
  private async applyAccessChange(e: ForumEvent): Promise<void> {
    const forumId = e.forumId;
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

  /** Takes a socket out of a forum and tells it why. */
  private leave(socket: AgoraSocket, forumId: number, reason: 'removed' | 'access_lost' | 'resync'): void {
    if (!socket.data.subs[forumId]) return;
    this.leaveRooms(socket, forumId);
    this.presence.left(socket, forumId);
    socket.emit('forum.left', { forumId, reason });
    this.dropStreamIfIdle(forumId);
  }

  private leaveRooms(socket: AgoraSocket, forumId: number): void {
    const base = rooms.forum(forumId);
    for (const room of [...socket.rooms]) if (room === base || room.startsWith(`${base}:`)) void socket.leave(room);
    delete socket.data.subs[forumId];
  }

  // ---- per-forum queues and streams -----------------------------------------

  /** Runs `task` after every earlier task of the same forum (one forum's deliveries never interleave). */
  private enqueue<T>(forumId: number, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(forumId) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.catch(() => undefined);
    this.queues.set(forumId, tail);
    void tail.then(() => {
      if (this.queues.get(forumId) === tail) this.queues.delete(forumId);
    });
    return result;
  }

  private async openStream(forumId: number): Promise<ForumStream> {
    let stream = this.streams.get(forumId);
    if (!stream) {
      const position = await this.log.position(forumId);
      // This instance hasn't seen the forum's access history: treat it as changed up to here.
      stream = { lastEmitted: position, lastAccessSeq: position };
      this.streams.set(forumId, stream);
    }
    return stream;
  }

  private dropStreamIfIdle(forumId: number): void {
    void this.enqueue(forumId, async () => {
      if (!this.server?.sockets.adapter.rooms.get(rooms.forum(forumId))?.size) this.streams.delete(forumId);
    });
  }

  /** Catches up every followed forum whose log is ahead of what this instance delivered. */
  private async sweep(): Promise<void> {
    if (this.closing || !this.streams.size) return;
    try {
      const positions = await this.log.positions([...this.streams.keys()]);
      for (const [forumId, position] of positions) {
        const stream = this.streams.get(forumId);
        if (stream && position > stream.lastEmitted) {
          void this.enqueue(forumId, async () => {
            const current = this.streams.get(forumId);
            if (current && position > current.lastEmitted) await this.catchUp(forumId, current, position);
          }).catch((error) => this.failed(forumId, error));
        }
      }
    } catch (error) {
      if (!this.closing) this.logger.warn(`Sweep failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private failed(forumId: number, error: unknown): void {
    // The next event or sweep retries from lastEmitted, so nothing is skipped.
    if (!this.closing) this.logger.error(`Delivering forum ${forumId}'s events failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }

  private localSockets(room: string): AgoraSocket[] {
    const server = this.server;
    const ids = server?.sockets.adapter.rooms.get(room);
    if (!server || !ids) return [];
    const sockets: AgoraSocket[] = [];
    for (const id of ids) {
      const socket = server.sockets.sockets.get(id);
      if (socket) sockets.push(socket);
    }
    return sockets;
  }
}
