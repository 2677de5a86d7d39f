import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { affectedBy, db } from '../database/typed-sql.js';
import { isDatabaseUnavailable } from '../database/unavailable.js';
import { mentionedAccountIds } from '../discussions/mentions.js';
import { findQuestionTitle, findReplyContext } from '../discussions/reply-queries.js';
import { DomainEvents, type DomainEventMap } from '../events/domain-events.js';
import { EventLog } from '../events/event-log.js';
import { ForumEventLog } from '../events/forum-event-log.js';
import type { ForumEvent, StreamEvent } from '../events/forum-event.js';
import type { NotificationKind } from './dto/notification.views.js';
import { forumLevels, setForumLevelIfNoneFor, setLevelIfNone, setThreadAndForumLevelsIfNone, threadLevels, type FollowLevel } from './following.js';
import { NotificationsService, type NotificationDraft } from './notifications.service.js';

/** The parts of a reply view the triggers read from an event's payload. */
interface ReplyPayload {
  id: string;
  questionId: number;
  forumId: number;
  state: string;
  stateReason: string | null;
  author: { id: string; displayName: string };
}

/** When one person would be told twice of one reply, the most specific reason wins. */
const PRIORITY: NotificationKind[] = ['mention', 'reply_to_reply', 'reply_to_question', 'watched_reply'];

/** The event logs the notifier reads: forums' and live Q&A sessions'. */
type Stream = 'forum' | 'qa';
/** Each log's per-stream sequence table (its position) and the stream's key column there. */
const SEQ_TABLES: Record<Stream, { seq: string; key: string }> = {
  forum: { seq: 'forum_event_seq', key: 'forum_id' },
  qa: { seq: 'qa_event_seq', key: 'session_id' },
};

/** How often every instance looks for events no notifier handled (a crash after commit, another instance's). */
const CATCH_UP_MS = 5_000;
const BATCH = 200;
/** Invitation acceptances older than this are not caught up (their inviter has long moved on). */
const INVITATION_DAYS = 7;
/** How late an accept's commit may come after its accepted_at (its transaction's start): read again that far back. */
const LATE_COMMIT_MS = 60_000;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * What notifies whom. Reads the durable event logs (forum and live Q&A
 * events) after their writes committed and turns events into
 * notifications, outside the writes' transactions. Its place per stream is
 * kept in notification_cursor: a committed event is handled even if the
 * process died before hearing of it (caught up at start and every few
 * seconds), and each event's key makes handling it twice store nothing.
 * Taking part also sets following: replying or asking watches the thread,
 * and the forum goes to normal, unless the member chose otherwise.
 */
@Injectable()
export class NotificationTriggers implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Notifications');
  private readonly logs: Record<Stream, Pick<EventLog, 'range'>>;
  private readonly unsubscribe: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Events whose handling failed, by stream, stream id and seq: attempts so far, and when to try again. */
  private readonly failures = new Map<string, { attempts: number; retryAt: number }>();
  /** Where the invitations' catch-up reads on from (the start of time at start-up: the whole last week). */
  private invitationsAfter: { at: Date; invitationId: number; accountId: string } = { at: new Date(0), invitationId: 0, accountId: NIL_UUID };

  constructor(
    private readonly dataSource: DataSource,
    private readonly domainEvents: DomainEvents,
    private readonly notifications: NotificationsService,
    forumLog: ForumEventLog,
    private readonly config: AppConfig,
  ) {
    // The live Q&A's log is read through the shared EventLog over its tables (read only; live-qa owns them).
    this.logs = { forum: forumLog, qa: new EventLog(dataSource, config, { events: 'qa_event', seq: 'qa_event_seq', key: 'session_id' }) };
  }

  private queue: Promise<void> = Promise.resolve();

  onApplicationBootstrap(): void {
    this.start();
  }

  /** Shutting down: hear nothing more, and finish what is under way (what isn't done is caught up at the next start). */
  async onModuleDestroy(): Promise<void> {
    this.stop();
    await this.queue;
  }

  /** Hears of committed events, and catches up with what was committed while no notifier ran, then every few seconds. */
  start(): void {
    if (this.timer) return;
    this.unsubscribe.push(
      this.domainEvents.on('forum.events', (events) => this.catchUp('forum', events.map((e) => e.streamId))),
      this.domainEvents.on('qa.events', (events) => this.catchUp('qa', events.map((e) => e.streamId))),
      this.domainEvents.on('invitation.accepted', (event) => this.inTurn(() => this.onInvitationAccepted(event))),
    );
    const tick = () => void this.catchUpAll().catch((error: unknown) => this.logger.warn(`Catching up with events failed: ${error instanceof Error ? error.message : String(error)}`));
    tick();
    this.timer = setInterval(tick, CATCH_UP_MS);
    this.timer.unref();
  }

  /** Stops hearing of events (shutdown; tests simulate a notifier that died after the write committed). */
  stop(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * One piece of work after another, in the order they were heard here: a
   * member's notifications then arrive in the order things happened (and a
   * later one is a sentinel for an earlier one that notified nobody).
   */
  private inTurn(work: () => Promise<void>): Promise<void> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Resolves once every event heard so far has been handled (tests, benchmark). */
  settled(): Promise<void> {
    return this.queue;
  }

  /** Handles what the streams' logs hold past the notifier's cursor. */
  catchUp(stream: Stream, streamIds: number[]): Promise<void> {
    return this.inTurn(async () => {
      for (const id of new Set(streamIds)) await this.drain(stream, id);
    });
  }

  /** Every stream whose log is ahead of the notifier's cursor. */
  catchUpAll(): Promise<void> {
    return this.inTurn(async () => {
      for (const stream of ['forum', 'qa'] as const) {
        const { seq, key } = SEQ_TABLES[stream];
        const rows: { id: number }[] = await this.dataSource.query(
          `SELECT s.${key} AS id FROM ${seq} s
             LEFT JOIN notification_cursor c ON c.stream = $1 AND c.stream_id = s.${key}
            WHERE s.last_seq > COALESCE(c.last_seq, 0) ORDER BY s.${key}`,
          [stream],
        );
        for (const { id } of rows) await this.drain(stream, id);
      }
      await this.catchUpInvitations();
    });
  }

  /**
   * Invitation acceptances of the last week whose inviter has no notification
   * of them (the accept committed but no notifier heard it), at most BATCH a
   * pass. Each pass reads on from where the last one ended (less a minute, for
   * accepts that committed late), so those that notify nobody (the inviter
   * can no longer read the forum) are not read again and again.
   */
  private async catchUpInvitations(): Promise<void> {
    const rows: (DomainEventMap['invitation.accepted'] & { acceptedAt: Date; now: Date })[] = await this.dataSource.query(
      `SELECT ia.invitation_id AS "invitationId", ia.account_id AS "accountId", i.forum_id AS "forumId", i.created_by AS "invitedBy",
              ia.accepted_at AS "acceptedAt", now() AS now
         FROM invitation_acceptance ia JOIN invitation i ON i.id = ia.invitation_id
        WHERE ia.accepted_at > now() - interval '${INVITATION_DAYS} days'
          AND (ia.accepted_at, ia.invitation_id, ia.account_id) > ($1::timestamptz, $2::integer, $3::uuid)
          AND i.created_by IS NOT NULL AND i.created_by <> ia.account_id
          AND NOT EXISTS (SELECT 1 FROM notification n
                           WHERE n.account_id = i.created_by AND n.event_key = 'invitation:' || ia.invitation_id || ':' || ia.account_id)
        ORDER BY ia.accepted_at, ia.invitation_id, ia.account_id LIMIT ${BATCH}`,
      [this.invitationsAfter.at, this.invitationsAfter.invitationId, this.invitationsAfter.accountId],
    );
    for (const row of rows) await this.onInvitationAccepted(row);
    const last = rows.at(-1);
    this.invitationsAfter = last && rows.length === BATCH
      ? { at: last.acceptedAt, invitationId: last.invitationId, accountId: last.accountId }
      : { at: new Date((rows[0]?.now ?? (await this.dbNow())).getTime() - LATE_COMMIT_MS), invitationId: 0, accountId: NIL_UUID };
  }

  private async dbNow(): Promise<Date> {
    const [{ now }]: { now: Date }[] = await this.dataSource.query(`SELECT now() AS now`);
    return now;
  }

  private async drain(stream: Stream, streamId: number): Promise<void> {
    const log = this.logs[stream];
    const { seq, key } = SEQ_TABLES[stream];
    for (;;) {
      // One read: the notifier's place in the stream and the stream's position (as log.position reads it).
      const [row]: { after: string; position: string }[] = await this.dataSource.query(
        `SELECT COALESCE((SELECT last_seq FROM notification_cursor WHERE stream = $1 AND stream_id = $2), 0) AS after,
                COALESCE((SELECT last_seq FROM ${seq} WHERE ${key} = $2), 0) AS position`,
        [stream, streamId],
      );
      const after = Number(row.after);
      const position = Number(row.position);
      if (after >= position) return;
      const events = await log.range(streamId, after, position, BATCH);
      for (const e of events) {
        // A failed event waits for its retry, and holds back the later ones of its stream (their order matters) until then.
        if (!(await this.handle(stream, e))) return;
        await this.advance(stream, streamId, e.seq);
      }
      // Pruned past the cursor (nothing left to read up to the position): move on.
      if (!events.length) await this.advance(stream, streamId, position);
    }
  }

  /**
   * Handles one event. A failure is retried at a later catch-up after a
   * growing wait (false: not done yet); after NOTIFIER_ATTEMPTS it is
   * recorded in notification_dead_letter and counts as done, so the stream
   * goes on. While the database is unreachable the event waits without
   * counting attempts (an outage would otherwise dead-letter every event).
   */
  private async handle(stream: Stream, e: StreamEvent): Promise<boolean> {
    const key = `${stream}:${e.streamId}:${e.seq}`;
    const failed = this.failures.get(key);
    if (failed && failed.retryAt > Date.now()) return false;
    try {
      if (stream === 'forum') await this.onForumEvents([e as ForumEvent]);
      else await this.onQaEvents([e]);
      this.failures.delete(key);
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const what = `${stream} ${e.streamId} event ${e.seq} (${e.type})`;
      // An outage is not the event's fault: it waits for the database without using up its attempts.
      if (isDatabaseUnavailable(error)) {
        this.failures.set(key, { attempts: failed?.attempts ?? 0, retryAt: Date.now() + this.config.NOTIFIER_RETRY_DELAY_MS });
        this.logger.warn(`Notifying of ${what} waits for the database (not counted as an attempt): ${message}`);
        return false;
      }
      const attempts = (failed?.attempts ?? 0) + 1;
      if (attempts < this.config.NOTIFIER_ATTEMPTS) {
        const wait = this.config.NOTIFIER_RETRY_DELAY_MS * 2 ** (attempts - 1);
        this.failures.set(key, { attempts, retryAt: Date.now() + wait });
        this.logger.warn(`Notifying of ${what} failed (attempt ${attempts} of ${this.config.NOTIFIER_ATTEMPTS}; again in ${wait} ms): ${message}`);
        return false;
      }
      this.failures.set(key, { attempts, retryAt: 0 });
      await affectedBy(
        this.dataSource.manager,
        db
          .insertInto('notification_dead_letter')
          .values({ stream, stream_id: e.streamId, seq: e.seq, event_type: e.type, error: message, attempts })
          .onConflict((oc) =>
            oc.columns(['stream', 'stream_id', 'seq']).doUpdateSet((eb) => ({
              error: eb.ref('excluded.error'),
              attempts: sql<number>`${eb.ref('notification_dead_letter.attempts')} + ${eb.ref('excluded.attempts')}`,
              created_at: sql<Date>`now()`,
            })),
          ),
      );
      this.failures.delete(key);
      this.logger.error(`Gave up notifying of ${what} after ${attempts} attempts (recorded in notification_dead_letter; its stream goes on): ${message}`);
      return true;
    }
  }

  private async advance(stream: Stream, streamId: number, seq: number): Promise<void> {
    await affectedBy(
      this.dataSource.manager,
      db
        .insertInto('notification_cursor')
        .values({ stream, stream_id: streamId, last_seq: seq })
        .onConflict((oc) =>
          oc.columns(['stream', 'stream_id']).doUpdateSet((eb) => ({
            last_seq: sql<string>`GREATEST(${eb.ref('notification_cursor.last_seq')}, ${eb.ref('excluded.last_seq')})`,
            updated_at: sql<Date>`now()`,
          })),
        ),
    );
  }

  /** Handles forum events in order (a reply's notifications before those of its approval). Exposed for the benchmark. */
  async onForumEvents(events: ForumEvent[]): Promise<void> {
    for (const event of events) {
      const drafts = await this.draftsFor(event);
      await this.notifications.deliver(drafts);
    }
  }

  private async draftsFor(e: ForumEvent): Promise<NotificationDraft[]> {
    const key = `forum:${e.streamId}:${e.seq}`;
    const reply = (e.payload as { reply?: ReplyPayload }).reply;
    switch (e.type) {
      case 'reply.created':
        if (!reply) return [];
        await this.tookPart(reply.author.id, reply.forumId, reply.questionId);
        return reply.state === 'visible' ? this.newReply(key, reply) : [];
      case 'reply.approved':
        if (!reply) return [];
        return [...(await this.aboutMyReply(key, reply, 'reply_approved', {})), ...(await this.newReply(key, reply))];
      case 'reply.featured':
        return reply ? this.aboutMyReply(key, reply, 'reply_featured', {}) : [];
      case 'reply.hidden':
        return reply ? this.aboutMyReply(key, reply, 'reply_hidden', { reason: reply.stateReason }) : [];
      case 'flag.resolved':
        return this.flagResolved(key, e);
      case 'question.created':
        return this.newQuestion(key, e);
      case 'moderation.queue':
        return this.queueGrew(key, e);
      default:
        return [];
    }
  }

  /** Replying watches the thread and puts the forum at normal, unless the member set a level there already. */
  private async tookPart(accountId: string, forumId: number, questionId: number | null): Promise<void> {
    const m = this.dataSource.manager;
    if (questionId !== null) await setThreadAndForumLevelsIfNone(m, accountId, forumId, questionId, 'watching', 'normal');
    else await setLevelIfNone(m, accountId, forumId, null, 'normal');
  }

  private async newReply(key: string, reply: ReplyPayload): Promise<NotificationDraft[]> {
    const ctx = await findReplyContext(this.dataSource.manager, reply.id);
    if (!ctx || ctx.reply.state !== 'visible') return [];
    const levels = await threadLevels(this.dataSource.manager, reply.forumId, reply.questionId);
    const reasons = new Map<string, NotificationKind>();
    const give = (accountId: string | null, kind: NotificationKind) => {
      if (!accountId || accountId === reply.author.id || levels.get(accountId) === 'muted') return;
      const had = reasons.get(accountId);
      if (!had || PRIORITY.indexOf(kind) < PRIORITY.indexOf(had)) reasons.set(accountId, kind);
    };
    for (const [accountId, level] of levels) if (level === 'watching') give(accountId, 'watched_reply');
    give(ctx.questionAuthorId, 'reply_to_question');
    give(ctx.parentAuthorId, 'reply_to_reply');
    for (const accountId of mentionedAccountIds(ctx.reply.body_source)) give(accountId, 'mention');
    return [...reasons].map(([accountId, kind]) => ({
      accountId, kind, eventKey: key, forumId: reply.forumId, questionId: reply.questionId, replyId: reply.id,
      actorId: reply.author.id, data: { questionTitle: ctx.questionTitle },
    }));
  }

  /** A moderator's act on someone's reply, told to its author (whatever their following: it is about them). */
  private async aboutMyReply(key: string, reply: ReplyPayload, kind: NotificationKind, data: Record<string, unknown>): Promise<NotificationDraft[]> {
    const title = await findQuestionTitle(this.dataSource.manager, reply.questionId);
    return [{
      accountId: reply.author.id, kind, eventKey: `${key}:author`, forumId: reply.forumId, questionId: reply.questionId, replyId: reply.id,
      actorId: null, data: { ...data, questionTitle: title },
    }];
  }

  private async flagResolved(key: string, e: ForumEvent): Promise<NotificationDraft[]> {
    const flag = (e.payload as { flag?: { id: string; replyId: string; questionId: number; forumId: number; state: string; reason: string } }).flag;
    if (!flag || e.audience.kind !== 'moderators_and_account') return [];
    const title = await findQuestionTitle(this.dataSource.manager, flag.questionId);
    return [{
      accountId: e.audience.accountId, kind: 'flag_resolved', eventKey: key, forumId: flag.forumId, questionId: flag.questionId, replyId: flag.replyId,
      actorId: null, data: { outcome: flag.state, flagReason: flag.reason, questionTitle: title },
    }];
  }

  /**
   * A new item in a forum's moderation queue tells its moderators, batched:
   * one who still has an unread queue notification of that forum is not told
   * again (one per forum per burst, until they read it).
   */
  private async queueGrew(key: string, e: ForumEvent): Promise<NotificationDraft[]> {
    const p = e.payload as { replyId?: string; questionId?: number; kind?: string; change?: string };
    if (p.change !== 'added') return [];
    const rows: { account_id: string }[] = await this.dataSource.query(
      `SELECT fm.account_id FROM forum_membership fm
        WHERE fm.forum_id = $1 AND fm.role = 'moderator' AND fm.state = 'active'
          AND NOT EXISTS (SELECT 1 FROM notification n WHERE n.account_id = fm.account_id AND n.forum_id = $1
                           AND n.kind = 'moderation_queue' AND n.read_at IS NULL)`,
      [e.streamId],
    );
    return rows.map((r) => ({
      accountId: r.account_id, kind: 'moderation_queue' as const, eventKey: key, forumId: e.streamId, questionId: null, replyId: null,
      actorId: null, data: { queue: p.kind ?? null },
    }));
  }

  private async newQuestion(key: string, e: ForumEvent): Promise<NotificationDraft[]> {
    const question = (e.payload as { question?: { id: number; forumId: number; title: string; author: { id: string } | null } }).question;
    if (!question) return [];
    const authorId = question.author?.id ?? null;
    if (authorId) await this.tookPart(authorId, question.forumId, question.id);
    const levels: Map<string, FollowLevel> = await forumLevels(this.dataSource.manager, question.forumId);
    return [...levels]
      .filter(([accountId, level]) => level === 'watching' && accountId !== authorId)
      .map(([accountId]) => ({
        accountId, kind: 'watched_question' as const, eventKey: key, forumId: question.forumId, questionId: question.id, replyId: null,
        actorId: authorId, data: { questionTitle: question.title },
      }));
  }

  /** A live question carried over into the forum: its asker hears where it went, and watches the new thread (its first replies notify them). */
  async onQaEvents(events: StreamEvent[]): Promise<void> {
    for (const e of events) {
      if (e.type === 'qa.handed_over') await this.attendeesFollow(e);
      if (e.type !== 'question.carried_over' || e.audience.kind !== 'moderators_and_account') continue;
      const p = e.payload as { questionId: number; forumId: number; forumQuestionId: number };
      const askerId = e.audience.accountId;
      await setLevelIfNone(this.dataSource.manager, askerId, p.forumId, p.forumQuestionId, 'watching');
      const title = await findQuestionTitle(this.dataSource.manager, p.forumQuestionId);
      await this.notifications.deliver([{
        accountId: askerId, kind: 'live_question_handed_over', eventKey: `qa:${e.streamId}:${e.seq}`, forumId: p.forumId,
        questionId: p.forumQuestionId, replyId: null, actorId: null, data: { liveQuestionId: p.questionId, sessionId: e.streamId, questionTitle: title },
      }]);
    }
  }

  /** Who asked or voted in a live Q&A follows (normal) the forum its hand-over fed, unless they chose a level there. */
  private async attendeesFollow(e: StreamEvent): Promise<void> {
    const forumId = (e.payload as { forum?: { id?: number } }).forum?.id;
    if (typeof forumId !== 'number') return;
    const attendees = db
      .selectFrom('live_question')
      .select('asker_id as id')
      .where('session_id', '=', e.streamId)
      .union(db.selectFrom('live_question_vote as v').innerJoin('live_question as q', 'q.id', 'v.question_id').select('v.voter_id as id').where('q.session_id', '=', e.streamId));
    await setForumLevelIfNoneFor(this.dataSource.manager, forumId, 'normal', attendees);
  }

  private async onInvitationAccepted(event: DomainEventMap['invitation.accepted']): Promise<void> {
    if (!event.invitedBy || event.invitedBy === event.accountId) return;
    await this.notifications.deliver([{
      accountId: event.invitedBy, kind: 'invitation_accepted', eventKey: `invitation:${event.invitationId}:${event.accountId}`,
      forumId: event.forumId, questionId: null, replyId: null, actorId: event.accountId, data: { invitationId: event.invitationId },
    }]);
  }
}
