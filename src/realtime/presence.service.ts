import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { isGuest } from '../auth/actor.js';
import { randomUUID } from 'node:crypto';
import { forumIdOfRoom, rooms } from '../events/rooms.js';
import type { AgoraServer, AgoraSocket, PresenceSnapshot, PresenceView, TypingView } from '../events/socket-types.js';

interface ForumPresence {
  /** Up to MAX_NAMES [accountId, displayName] pairs. */
  members: [string, string][];
  memberCount: number;
  anonymous: number;
}

interface TypingState {
  forumId: number;
  questionId: number;
  sentAt: number;
}

const MAX_NAMES = 100;
/** Presence sent to clients at most this often per forum. */
const NOTIFY_MS = 1_000;
/** Each instance re-announces its presence this often; silence for EXPIRE_MS means it is gone. */
const HEARTBEAT_MS = 10_000;
const EXPIRE_MS = 30_000;
const TYPING_TTL_MS = 6_000;
/** A socket's "typing" is re-broadcast at most this often per thread. */
const TYPING_REFRESH_MS = 2_000;

/**
 * Who follows a forum right now, and who is typing in a thread.
 *
 * Presence is counted from this instance's own rooms; with several
 * instances each one announces its counts to the others through the
 * adapter (on change and every few seconds), and forgets an instance that
 * has been silent for EXPIRE_MS. Signed-in people are listed by name (to
 * signed-in receivers); anonymous ones are only counted. A person open on
 * two instances at once counts twice (rare behind sticky sessions).
 */
@Injectable()
export class PresenceService implements OnModuleDestroy {
  private readonly uid = randomUUID();
  private server: AgoraServer | null = null;
  private clustered = false;
  private readonly remote = new Map<string, { seenAt: number; forums: Map<number, ForumPresence> }>();
  /** Forums whose local presence changed since the last announcement. */
  private readonly changedHere = new Set<number>();
  /** Forums whose clients should hear the presence again. */
  private readonly toNotify = new Set<number>();
  private readonly lastNotified = new Map<number, string>();
  private readonly typing = new WeakMap<AgoraSocket, Map<string, TypingState>>();
  private flushTimer: NodeJS.Timeout | null = null;
  private timers: NodeJS.Timeout[] = [];
  private closing = false;

  attach(server: AgoraServer, clustered: boolean): void {
    this.server = server;
    this.clustered = clustered;
    if (!clustered) return;
    server.on('agora:presence', (snapshot) => this.receive(snapshot));
    server.on('agora:presence-hello', ({ from }) => from !== this.uid && this.announce(true));
    server.serverSideEmit('agora:presence-hello', { from: this.uid });
    this.timers.push(setInterval(() => this.announce(true), HEARTBEAT_MS), setInterval(() => this.expire(), EXPIRE_MS / 3));
    for (const t of this.timers) t.unref();
  }

  onModuleDestroy(): void {
    this.closing = true;
    for (const t of this.timers) clearInterval(t);
    if (this.flushTimer) clearTimeout(this.flushTimer);
  }

  /** Someone started or stopped following a forum on this instance. */
  changed(forumId: number): void {
    this.changedHere.add(forumId);
    this.toNotify.add(forumId);
    this.scheduleFlush();
  }

  /** A socket stopped following a forum: its typing there ends, and presence changes. */
  left(socket: AgoraSocket, forumId: number): void {
    const states = this.typing.get(socket);
    if (states) {
      for (const [key, state] of states) {
        if (state.forumId !== forumId) continue;
        states.delete(key);
        if (Date.now() - state.sentAt < TYPING_TTL_MS) this.broadcastTyping(socket, state.forumId, state.questionId, false);
      }
    }
    this.changed(forumId);
  }

  /** The presence of a forum as a receiver sees it (names only for signed-in receivers). */
  view(forumId: number, anonymousReceiver: boolean): PresenceView {
    const parts = [this.local(forumId), ...[...this.remote.values()].map((r) => r.forums.get(forumId)).filter((p): p is ForumPresence => !!p)];
    const names = new Map<string, string>();
    let capped = false;
    let summed = 0;
    let anonymous = 0;
    for (const p of parts) {
      for (const [id, name] of p.members) names.set(id, name);
      capped ||= p.members.length < p.memberCount;
      summed += p.memberCount;
      anonymous += p.anonymous;
    }
    const memberCount = capped ? summed : names.size;
    const members = anonymousReceiver
      ? []
      : [...names].map(([id, displayName]) => ({ id, displayName })).sort((a, b) => a.displayName.localeCompare(b.displayName)).slice(0, MAX_NAMES);
    return { forumId, count: memberCount + anonymous, anonymous, members };
  }

  /**
   * A signed-in socket is typing (or stopped) in a thread of a forum it
   * follows. Others following that thread hear it; repeated "typing" within
   * TYPING_REFRESH_MS is not re-sent.
   */
  setTyping(socket: AgoraSocket, forumId: number, questionId: number, typing: boolean): void {
    let states = this.typing.get(socket);
    if (!states) this.typing.set(socket, (states = new Map()));
    const key = `${forumId}:${questionId}`;
    const state = states.get(key);
    const now = Date.now();
    if (typing) {
      if (state && now - state.sentAt < TYPING_REFRESH_MS) return;
      states.set(key, { forumId, questionId, sentAt: now });
      this.broadcastTyping(socket, forumId, questionId, true);
    } else if (state) {
      states.delete(key);
      if (now - state.sentAt < TYPING_TTL_MS) this.broadcastTyping(socket, forumId, questionId, false);
    }
  }

  private broadcastTyping(socket: AgoraSocket, forumId: number, questionId: number, typing: boolean): void {
    const actor = socket.data.actor;
    if (!this.server || !actor || this.closing) return;
    const view: TypingView = { forumId, questionId, account: { id: actor.accountId, displayName: actor.displayName }, typing, ttlMs: TYPING_TTL_MS };
    // Through the adapter, so followers on every instance hear it; not to the typist's own tabs.
    this.server.to(rooms.forum(forumId)).except([rooms.narrow(forumId), rooms.account(actor.accountId)]).emit('thread.typing', view);
    this.server.to(rooms.question(forumId, questionId)).except(rooms.account(actor.accountId)).emit('thread.typing', view);
  }

  // ---- local counts, announcements, notifications --------------------------

  private local(forumId: number): ForumPresence {
    const server = this.server;
    const ids = server?.sockets.adapter.rooms.get(rooms.forum(forumId));
    const members = new Map<string, string>();
    let anonymous = 0;
    for (const id of ids ?? []) {
      const actor = server!.sockets.sockets.get(id)?.data.actor;
      // Guests of a live Q&A count as anonymous visitors in forums (forum-policy.ts).
      if (actor && !isGuest(actor)) members.set(actor.accountId, actor.displayName);
      else if (actor !== undefined) anonymous += 1;
    }
    return { members: [...members].slice(0, MAX_NAMES), memberCount: members.size, anonymous };
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.closing) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      if (this.clustered && this.changedHere.size) this.announce(false);
      this.changedHere.clear();
      this.notify();
    }, NOTIFY_MS);
    this.flushTimer.unref();
  }

  /** Sends this instance's presence to the others (all forums, or those that changed). */
  private announce(full: boolean): void {
    if (!this.server || this.closing) return;
    const forumIds = full ? this.followedForums() : [...this.changedHere];
    const forums = forumIds.map((forumId) => ({ forumId, ...this.local(forumId) }));
    this.server.serverSideEmit('agora:presence', { from: this.uid, full, forums });
  }

  private receive(snapshot: PresenceSnapshot): void {
    if (snapshot.from === this.uid) return;
    const known = this.remote.get(snapshot.from);
    const forums = snapshot.full || !known ? new Map<number, ForumPresence>() : known.forums;
    if (snapshot.full && known) for (const forumId of known.forums.keys()) this.toNotify.add(forumId);
    for (const { forumId, members, memberCount, anonymous } of snapshot.forums) {
      if (memberCount + anonymous === 0) forums.delete(forumId);
      else forums.set(forumId, { members, memberCount, anonymous });
      this.toNotify.add(forumId);
    }
    this.remote.set(snapshot.from, { seenAt: Date.now(), forums });
    this.scheduleFlush();
  }

  private expire(): void {
    const now = Date.now();
    for (const [uid, r] of this.remote) {
      if (now - r.seenAt <= EXPIRE_MS) continue;
      this.remote.delete(uid);
      for (const forumId of r.forums.keys()) this.toNotify.add(forumId);
    }
    if (this.toNotify.size) this.scheduleFlush();
  }

  /** Tells this instance's followers of each changed forum who is there, if it differs from what they last heard. */
  private notify(): void {
    const server = this.server;
    if (!server) return;
    for (const forumId of this.toNotify) {
      if (!server.sockets.adapter.rooms.get(rooms.forum(forumId))?.size) {
        this.lastNotified.delete(forumId);
        continue;
      }
      const full = this.view(forumId, false);
      const key = JSON.stringify(full);
      if (this.lastNotified.get(forumId) === key) continue;
      this.lastNotified.set(forumId, key);
      server.local.to(rooms.forum(forumId)).except(rooms.anonymous(forumId)).emit('forum.presence', full);
      server.local.to(rooms.anonymous(forumId)).emit('forum.presence', { ...full, members: [] });
    }
    this.toNotify.clear();
  }

  private followedForums(): number[] {
    const ids: number[] = [];
    for (const room of this.server?.sockets.adapter.rooms.keys() ?? []) {
      const forumId = forumIdOfRoom(room);
      if (forumId !== null) ids.push(forumId);
    }
    return ids;
  }
}
