import { Logger } from '@nestjs/common';
import { eventsFilled, fanoutLag } from '../metrics/metrics.js';
import type { EventLog, ReplayResult, ReplayViewer } from './event-log.js';
import { audienceIncludes, toEventView, type StreamEvent } from './forum-event.js';
import type { AgoraServer, AgoraSocket } from './socket-types.js';

/** How far this instance has delivered a stream's events to its own sockets. */
interface StreamState {
  lastEmitted: number;
  /** The last delivered event that changed who may read or moderate the stream (or, for a new stream, its starting point). */
  lastAccessSeq: number;
}

/** What every subscription to a stream records about the socket's view of it. */
export interface StreamSubscription {
  /** Narrowed to one thread (forums only), or null. */
  questionId: number | null;
  moderator: boolean;
}

/** When the subscriber's access was checked, and how to check it again. */
export interface AccessCheck<S extends StreamSubscription = StreamSubscription> {
  /** The stream's position read before the check. */
  checkedAt: number;
  /** Checks access again (throws if the stream is no longer readable). */
  recheck: () => Promise<S>;
}

export interface SubscribeResult {
  /** The stream's position the socket is now at: replayed up to here, live after. */
  seq: number;
  resync: boolean;
  replayed: number;
}

/**
 * The names one kind of stream uses on the wire. Forums: room `forum:F`,
 * messages `forum.events` / `forum.left` keyed by `forumId`; live Q&A:
 * `qa:S`, `qa.events` / `qa.left` keyed by `sessionId`.
 */
export interface StreamSpec {
  /** Room of every socket following the stream; its sub-rooms are `<room>:…`. */
  room: (id: number) => string;
  moderatorsRoom: (id: number) => string;
  accountRoom: (accountId: string) => string;
  /** Thread narrowing (forums): the room of narrowed sockets, and of one thread's followers. */
  narrow: { room: (id: number) => string; question: (id: number, questionId: number) => string } | null;
  eventsMessage: string;
  leftMessage: string;
  /** The field naming the stream in client messages. */
  keyField: string;
  /** The inter-instance message carrying committed events. */
  interServerEvent: string;
  /** Which of the socket's subscription maps (socket.data) holds this kind. */
  subsField: 'subs' | 'qaSubs';
}

export type LeaveReason = 'removed' | 'access_lost' | 'resync';

/** A socket waiting for its stream's queue to join it. */
interface PendingJoin<S extends StreamSubscription, T extends string> {
  socket: AgoraSocket;
  checked: S;
  lastSeq: number | null;
  access: AccessCheck<S>;
  early: ReplayResult<T> | null;
  resolve: (r: SubscribeResult) => void;
  reject: (e: unknown) => void;
}

/** Replays waiting for one stream's next read. */
interface ReplayBatch<T extends string> {
  waiting: { lastSeq: number; viewer: ReplayViewer; resolve: (r: ReplayResult<T>) => void; reject: (e: unknown) => void }[];
}

const REPLAY_BATCH = 100;
const CATCH_UP_PAGE = 500;
/** How often each instance checks Postgres for events it hasn't heard of (a lost inter-instance message, a publisher that died after commit). */
const SWEEP_MS = 2_000;

type Emitter = { emit: (event: string, message: unknown) => unknown };
/** Socket.IO types emit() per known message name; stream kinds choose their names at run time. */
const emitTo = (target: unknown, event: string, message: unknown) => (target as Emitter).emit(event, message);

/**
 * Delivers a kind of stream's events (a forum's, a live Q&A's) to this
 * instance's sockets: in sequence order, each once, replay and live
 * seamlessly joined. Subclasses name the stream (StreamSpec) and add what
 * their kind needs (forums: access changes, presence).
 *
 * Each instance keeps, per stream its sockets follow, the last sequence
 * number it delivered, and does all delivery work for that stream in one
 * queue. Events come from local writes and from other instances (through
 * the adapter); a gap (an event that overtook another, or a lost message)
 * is filled from Postgres: when seq N+1 is committed, N already is. A
 * periodic sweep catches up streams whose newest event never arrived.
 * Subscribing takes the same queue, so a joining socket gets its replay
 * and then exactly the live events after it.
 */
export abstract class EventFanout<S extends StreamSubscription, T extends string = string> {
  protected readonly logger: Logger;
  protected server: AgoraServer | null = null;
  protected clustered = false;
  private readonly streams = new Map<number, StreamState>();
  private readonly queues = new Map<number, Promise<unknown>>();
  private readonly replayBatches = new Map<number, ReplayBatch<T>>();
  private readonly joinBatches = new Map<number, PendingJoin<S, T>[]>();
  private sweepTimer: NodeJS.Timeout | null = null;
  protected closing = false;

  protected constructor(
    protected readonly log: EventLog<T>,
    protected readonly spec: StreamSpec,
    name: string,
  ) {
    this.logger = new Logger(name);
  }

  attach(server: AgoraServer, clustered: boolean): void {
    this.server = server;
    this.clustered = clustered;
    (server as unknown as { on: (event: string, listener: (events: StreamEvent<T>[]) => void) => void }).on(this.spec.interServerEvent, (events) =>
      this.receive(events),
    );
    this.sweepTimer = setInterval(() => void this.sweep(), SWEEP_MS);
    this.sweepTimer.unref();
  }

  onModuleDestroy(): void {
    this.closing = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
  }

  /** Committed events from a write on this instance: deliver here and tell the other instances. */
  publish(events: StreamEvent<T>[]): void {
    if (!this.server || this.closing || !events.length) return;
    if (this.clustered) (this.server.serverSideEmit as (event: string, events: unknown) => boolean)(this.spec.interServerEvent, events);
    this.receive(events);
  }

  /** The socket's subscriptions of this kind, by stream id. */
  protected subsOf(socket: AgoraSocket): Record<number, S> {
    const data = socket.data as unknown as Record<string, Record<number, S> | undefined>;
    return (data[this.spec.subsField] ??= {});
  }

  // ---- hooks for the stream kind ----------------------------------------------

  /** Extra rooms a subscribing socket joins (forums: anonymous visitors' room). */
  protected extraRooms(_socket: AgoraSocket, _id: number, _sub: S): string[] {
    return [];
  }
  /** After a socket joined or left a stream (forums: presence). */
  protected joined(_id: number): void {}
  protected left(_socket: AgoraSocket, _id: number): void {}
  /** Events that change who may read or moderate; applied before anything later is delivered. */
  protected isAccessEvent(_e: StreamEvent<T>): boolean {
    return false;
  }
  protected async applyAccessChange(_e: StreamEvent<T>): Promise<void> {}
  /** Before an event for moderators (and one account) is filtered: a kind may re-check who still moderates. */
  protected async refreshModerators(_id: number, _candidates: AgoraSocket[]): Promise<void> {}

  // ---- subscribing ------------------------------------------------------------

  /**
   * Joins a socket to a stream's rooms, after sending it what it missed
   * since `lastSeq` (null: nothing to replay, just go live). The caller has
   * checked access and decided `sub`.
   */
  async subscribe(socket: AgoraSocket, id: number, checked: S, lastSeq: number | null, access: AccessCheck<S>): Promise<SubscribeResult> {
    // The bulk of a replay is read outside the stream's queue, one read for all the sockets reconnecting at once.
    const early = lastSeq === null ? null : await this.batchedReplay(id, lastSeq, this.viewerOf(socket, checked));
    return new Promise((resolve, reject) => {
      let pending = this.joinBatches.get(id);
      if (!pending) {
        this.joinBatches.set(id, (pending = []));
        void this.enqueue(id, () => this.joinAll(id)).catch((error) => this.failed(id, error));
      }
      pending.push({ socket, checked, lastSeq, access, early, resolve, reject });
    });
  }

  /**
   * Joins every socket waiting to subscribe to a stream, in one task of its
   * queue (so no live event comes between a replay and the join), then sends
   * the replays: sockets that missed the same events, as the same viewers,
   * get them in one broadcast, encoded once for all of them.
   */
  private async joinAll(id: number): Promise<void> {
    const joins = this.joinBatches.get(id) ?? [];
    this.joinBatches.delete(id);
    const replays = new Map<string, { sockets: AgoraSocket[]; events: StreamEvent<T>[] }>();
    const done: (() => void)[] = [];
    for (const j of joins) {
      try {
        const { result, events } = await this.join(j.socket, id, j.checked, j.lastSeq, j.access, j.early);
        if (events.length) {
          const key = events.map((e) => e.seq).join(',');
          const group = replays.get(key) ?? { sockets: [], events };
          group.sockets.push(j.socket);
          replays.set(key, group);
        }
        done.push(() => j.resolve(result));
      } catch (error) {
        j.reject(error);
      } finally {
        // A socket that didn't join (gone, or refused on the re-check) leaves no stream behind.
        if (!this.subsOf(j.socket)[id]) this.dropStreamIfIdle(id);
      }
    }
    const server = this.server;
    try {
      for (const { sockets, events } of replays.values()) {
        for (let i = 0; i < events.length; i += REPLAY_BATCH) {
          const message = { [this.spec.keyField]: id, events: events.slice(i, i + REPLAY_BATCH).map(toEventView) };
          if (sockets.length === 1 || !server) for (const s of sockets) emitTo(s, this.spec.eventsMessage, message);
          else emitTo(server.local.to(sockets.map((s) => s.id)), this.spec.eventsMessage, message);
        }
      }
    } finally {
      // Each ack goes after its socket's replay.
      for (const resolve of done) resolve();
    }
  }

  /**
   * Replays asked for one stream while its previous read is running (or in
   * the same turn of the event loop) are read together: a thousand sockets
   * back from the same drop cost a few reads, not a thousand.
   */
  private batchedReplay(id: number, lastSeq: number, viewer: ReplayViewer): Promise<ReplayResult<T>> {
    return new Promise((resolve, reject) => {
      const ask = { lastSeq, viewer, resolve, reject };
      // A batch in the map is already being read (or about to be): join it.
      const batch = this.replayBatches.get(id);
      if (batch) return void batch.waiting.push(ask);
      const fresh: ReplayBatch<T> = { waiting: [ask] };
      this.replayBatches.set(id, fresh);
      setImmediate(() => void this.readReplays(id, fresh));
    });
  }

  private async readReplays(id: number, batch: ReplayBatch<T>): Promise<void> {
    while (batch.waiting.length) {
      const asks = batch.waiting.splice(0);
      try {
        const results = await this.log.replayMany(id, asks);
        asks.forEach((ask, i) => ask.resolve(results[i]!));
      } catch (error) {
        for (const ask of asks) ask.reject(error);
      }
    }
    this.replayBatches.delete(id);
  }

  private viewerOf(socket: AgoraSocket, sub: S): ReplayViewer {
    return { moderator: sub.moderator, accountId: socket.data.actor?.accountId ?? null, questionId: sub.questionId };
  }

  /** Joins one socket to the stream's rooms; answers its ack and the replay it is owed (sent by joinAll). */
  private async join(
    socket: AgoraSocket,
    id: number,
    checked: S,
    lastSeq: number | null,
    access: AccessCheck<S>,
    early: ReplayResult<T> | null,
  ): Promise<{ result: SubscribeResult; events: StreamEvent<T>[] }> {
    const stream = await this.openStream(id);
    // Access changed since it was checked (a removal whose kick this socket, not yet in the room, missed): check again.
    const sub = stream.lastAccessSeq > access.checkedAt ? await access.recheck() : checked;
    const sameView = sub.moderator === checked.moderator;
    let resync = false;
    const events: StreamEvent<T>[] = [];
    if (early?.resync) {
      resync = true;
    } else if (early && lastSeq !== null) {
      // The client has seen events this instance hasn't delivered yet: deliver them first, so they aren't sent twice.
      if (lastSeq > stream.lastEmitted) await this.catchUp(id, stream, lastSeq);
      // The early read still applies if the view didn't change; the rest, up to what this instance has delivered, is read now.
      if (sameView) events.push(...early.events.filter((e) => e.seq <= stream.lastEmitted));
      const from = sameView ? Math.max(early.position, lastSeq) : lastSeq;
      if (from < stream.lastEmitted) {
        const rest = await this.log.replay(id, from, this.viewerOf(socket, sub), stream.lastEmitted);
        if (rest.resync) resync = true;
        else events.push(...rest.events);
      }
    }
    if (socket.disconnected) return { result: { seq: stream.lastEmitted, resync, replayed: 0 }, events: [] };
    this.leaveRooms(socket, id);
    this.subsOf(socket)[id] = sub;
    const joined = [this.spec.room(id)];
    if (sub.questionId !== null && this.spec.narrow) joined.push(this.spec.narrow.room(id), this.spec.narrow.question(id, sub.questionId));
    if (sub.moderator) joined.push(this.spec.moderatorsRoom(id));
    joined.push(...this.extraRooms(socket, id, sub));
    await socket.join(joined);
    this.joined(id);
    return { result: { seq: stream.lastEmitted, resync, replayed: resync ? 0 : events.length }, events: resync ? [] : events };
  }

  /** Stops following a stream (no-op if the socket doesn't). */
  unsubscribe(socket: AgoraSocket, id: number): void {
    if (!this.subsOf(socket)[id]) return;
    this.leaveRooms(socket, id);
    this.left(socket, id);
    this.dropStreamIfIdle(id);
  }

  /** A socket went away: socket.io has already taken it out of its rooms. */
  disconnected(socket: AgoraSocket): void {
    const subs = this.subsOf(socket);
    for (const key of Object.keys(subs)) {
      const id = Number(key);
      this.left(socket, id);
      this.dropStreamIfIdle(id);
    }
    (socket.data as unknown as Record<string, unknown>)[this.spec.subsField] = {};
  }

  // ---- delivery -----------------------------------------------------------

  private receive(events: StreamEvent<T>[]): void {
    const byStream = new Map<number, StreamEvent<T>[]>();
    for (const e of events) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
    for (const [id, list] of byStream) {
      if (!this.streams.has(id)) continue; // nobody here follows it
      void this.enqueue(id, () => this.deliver(id, list)).catch((error) => this.failed(id, error));
    }
  }

  private async deliver(id: number, events: StreamEvent<T>[]): Promise<void> {
    const stream = this.streams.get(id);
    if (!stream) return;
    const fresh = events.filter((e) => e.seq > stream.lastEmitted).sort((a, b) => a.seq - b.seq);
    if (!fresh.length) return;
    if (fresh.every((e, i) => e.seq === stream.lastEmitted + 1 + i)) {
      for (const e of fresh) await this.emit(stream, e);
    } else {
      await this.catchUp(id, stream, fresh[fresh.length - 1].seq);
    }
  }

  /** Delivers every event up to `upTo` that this instance hasn't, reading them from Postgres. */
  private async catchUp(id: number, stream: StreamState, upTo: number): Promise<void> {
    const kind = this.kind;
    while (stream.lastEmitted < upTo) {
      const page = await this.log.range(id, stream.lastEmitted, upTo, CATCH_UP_PAGE);
      if (!page.length || page[0].seq !== stream.lastEmitted + 1) {
        // Retention dropped events this instance never delivered (it was cut off for that long):
        // its sockets can't be brought up to date event by event, so they are told to subscribe again and reload.
        this.logger.warn(`Stream ${id}: events ${stream.lastEmitted + 1}..${page[0]?.seq ?? upTo} are no longer in the log; asking its sockets to resync.`);
        for (const socket of this.localSockets(this.spec.room(id))) this.leave(socket, id, 'resync');
        stream.lastEmitted = upTo;
        return;
      }
      eventsFilled.inc({ kind }, page.length);
      for (const e of page) await this.emit(stream, e);
    }
  }

  private async emit(stream: StreamState, e: StreamEvent<T>): Promise<void> {
    const server = this.server!;
    const id = e.streamId;
    // Access changes are applied before anything later is delivered.
    if (this.isAccessEvent(e)) {
      await this.applyAccessChange(e);
      stream.lastAccessSeq = e.seq;
    }
    const message = { [this.spec.keyField]: id, events: [toEventView(e)] };
    const narrow = this.spec.narrow;
    if (e.audience.kind === 'readers') {
      if (e.questionId === null || !narrow) {
        emitTo(server.local.to(this.spec.room(id)), this.spec.eventsMessage, message);
      } else {
        emitTo(server.local.to(this.spec.room(id)).except(narrow.room(id)), this.spec.eventsMessage, message);
        emitTo(server.local.to(narrow.question(id, e.questionId)), this.spec.eventsMessage, message);
      }
    } else {
      // Few receivers (moderators, one author): filtered socket by socket.
      const candidates = new Set(this.localSockets(this.spec.moderatorsRoom(id)));
      if (e.audience.kind === 'moderators_and_account') for (const s of this.localSockets(this.spec.accountRoom(e.audience.accountId))) candidates.add(s);
      await this.refreshModerators(id, [...candidates]);
      for (const socket of candidates) {
        const sub = this.subsOf(socket)[id];
        if (!sub) continue;
        if (sub.questionId !== null && e.questionId !== null && sub.questionId !== e.questionId) continue;
        if (!audienceIncludes(e.audience, { moderator: sub.moderator, accountId: socket.data.actor?.accountId ?? null })) continue;
        emitTo(socket, this.spec.eventsMessage, message);
      }
    }
    stream.lastEmitted = e.seq;
    fanoutLag.observe({ kind: this.kind }, Math.max(0, Date.now() - Date.parse(e.at)) / 1000);
  }

  /** The stream kind in metrics: "forum" or "qa". */
  private get kind(): string {
    return this.spec.eventsMessage.split('.')[0];
  }

  /** Takes a socket out of a stream and tells it why. */
  protected leave(socket: AgoraSocket, id: number, reason: LeaveReason): void {
    if (!this.subsOf(socket)[id]) return;
    this.leaveRooms(socket, id);
    this.left(socket, id);
    emitTo(socket, this.spec.leftMessage, { [this.spec.keyField]: id, reason });
    this.dropStreamIfIdle(id);
  }

  private leaveRooms(socket: AgoraSocket, id: number): void {
    const base = this.spec.room(id);
    for (const room of [...socket.rooms]) if (room === base || room.startsWith(`${base}:`)) void socket.leave(room);
    delete this.subsOf(socket)[id];
  }

  // ---- per-stream queues and streams -----------------------------------------

  /** Runs `task` after every earlier task of the same stream (one stream's deliveries never interleave). */
  private enqueue<R>(id: number, task: () => Promise<R>): Promise<R> {
    const previous = this.queues.get(id) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.catch(() => undefined);
    this.queues.set(id, tail);
    void tail.then(() => {
      if (this.queues.get(id) === tail) this.queues.delete(id);
    });
    return result;
  }

  private async openStream(id: number): Promise<StreamState> {
    let stream = this.streams.get(id);
    if (!stream) {
      const position = await this.log.position(id);
      // This instance hasn't seen the stream's access history: treat it as changed up to here.
      stream = { lastEmitted: position, lastAccessSeq: position };
      this.streams.set(id, stream);
    }
    return stream;
  }

  private dropStreamIfIdle(id: number): void {
    void this.enqueue(id, async () => {
      if (!this.server?.sockets.adapter.rooms.get(this.spec.room(id))?.size) this.streams.delete(id);
    });
  }

  /** Catches up every followed stream whose log is ahead of what this instance delivered. */
  private async sweep(): Promise<void> {
    if (this.closing || !this.streams.size) return;
    try {
      const positions = await this.log.positions([...this.streams.keys()]);
      for (const [id, position] of positions) {
        const stream = this.streams.get(id);
        if (stream && position > stream.lastEmitted) {
          void this.enqueue(id, async () => {
            const current = this.streams.get(id);
            if (current && position > current.lastEmitted) await this.catchUp(id, current, position);
          }).catch((error) => this.failed(id, error));
        }
      }
    } catch (error) {
      if (!this.closing) this.logger.warn(`Sweep failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private failed(id: number, error: unknown): void {
    // The next event or sweep retries from lastEmitted, so nothing is skipped.
    if (!this.closing) this.logger.error(`Delivering stream ${id}'s events failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }

  protected localSockets(room: string): AgoraSocket[] {
    const server = this.server;
    const ids = server?.sockets.adapter.rooms.get(room);
    if (!server || !ids) return [];
    const sockets: AgoraSocket[] = [];
    for (const sid of ids) {
      const socket = server.sockets.sockets.get(sid);
      if (socket) sockets.push(socket);
    }
    return sockets;
  }
}
