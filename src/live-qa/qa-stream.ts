import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { sql } from 'kysely';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { transactionRetryingDeadlocks } from '../database/transaction.js';
import { affectedBy, db } from '../database/typed-sql.js';
import { DomainEvents } from '../events/domain-events.js';
import { EventFanout } from '../events/event-fanout.js';
import { EventLog, schedulePruning } from '../events/event-log.js';
import type { EventAudience, StreamEventDraft } from '../events/forum-event.js';
import type { QaEventPayloads, QaEventType } from '../protocol/qa-event-types.js';
import { rooms } from '../events/rooms.js';
import type { AgoraSocket } from '../events/socket-types.js';
import type { PollResultsView } from './polls/poll-results.js';

/**
 * A session's live Q&A is its own event stream (tables qa_event and
 * qa_event_seq, rooms `qa:S`, messages `qa.events`), delivered by the same
 * machinery as forums (EventLog, EventFanout): ordered, gap-free, replayed
 * after reconnect, filtered by audience live and on replay. Its audience is
 * not a forum's: anyone may follow it, guests included, and a session may
 * have no forum at all.
 *
 * Vote counts are not in this log (see QaVoteBroadcaster): logging each
 * vote would make every voter of a session queue on its one sequence row.
 */
export type { QaEventType } from '../protocol/qa-event-types.js';

/** What a socket following a Q&A may see: moderators get pending questions and askers of anonymous ones. */
export interface QaSubscription {
  questionId: null;
  moderator: boolean;
}

/** Where events carry a LiveQuestionView: question.* `question`, question.merged `into`, qa.updated `qa.highlighted`. */
const QUESTION_PATHS = [['question'], ['into'], ['qa', 'highlighted']];

@Injectable()
export class QaEventLog extends EventLog<QaEventType> {
  constructor(dataSource: DataSource, config: AppConfig) {
    super(dataSource, config, { events: 'qa_event', seq: 'qa_event_seq', key: 'session_id' });
  }

  /**
   * The log keeps no text a replay must not hand out again: a withdrawn
   * question's is dropped from every event (its asker reads it over HTTP);
   * a dismissed one's from the events attendees get, while the events of
   * moderators and the asker (who may read it) keep it. The update saying
   * so carries no text either, so the client keeps what it had.
   */
  protected override async beforeAppend(manager: EntityManager, sessionId: number, drafts: StreamEventDraft<QaEventType>[]): Promise<void> {
    for (const d of drafts) {
      const question = (d.payload as { question?: { id?: unknown; state?: unknown } | null }).question;
      if (d.type !== 'question.updated' || typeof question?.id !== 'number') continue;
      const forEveryone = question.state === 'withdrawn';
      const forAttendees = question.state === 'dismissed' && (d.audience?.kind ?? 'readers') === 'readers';
      if (!forEveryone && !forAttendees) continue;
      await this.redactQuestion(manager, sessionId, question.id, forEveryone);
      d.payload = { ...d.payload, question: { ...question, body: null } };
    }
  }

  /** Replaces a question's text by null in the session's earlier events (all of them, or only the attendees'). */
  private async redactQuestion(manager: EntityManager, sessionId: number, questionId: number, allAudiences: boolean): Promise<void> {
    for (const path of QUESTION_PATHS) {
      const update = db
        .updateTable('qa_event')
        .set({ payload: sql`jsonb_set(payload, ${path}::text[] || '{body}'::text[], 'null')` })
        .where('session_id', '=', sessionId)
        .where(sql<boolean>`(payload #>> (${path}::text[] || '{id}'::text[])) = ${questionId}::text`);
      await affectedBy(manager, allAudiences ? update : update.where('audience', '=', 'readers'));
    }
  }
}

@Injectable()
export class QaFanout extends EventFanout<QaSubscription, QaEventType> implements OnModuleDestroy {
  constructor(
    log: QaEventLog,
    private readonly dataSource: DataSource,
  ) {
    super(
      log,
      {
        room: rooms.qa,
        moderatorsRoom: rooms.qaModerators,
        accountRoom: rooms.account,
        narrow: null,
        eventsMessage: 'qa.events',
        leftMessage: 'qa.left',
        keyField: 'sessionId',
        interServerEvent: 'agora:qa-events',
        subsField: 'qaSubs',
      },
      'QaFanout',
    );
  }

  /**
   * Who moderates a session can change while its sockets follow the Q&A
   * (an admin removes a session moderator): before a moderators-only event
   * is delivered, the session's moderators are read again (one query per
   * such event, which are rare: pending questions, askers of anonymous
   * ones), and sockets that lost the role stop getting them at once. A new
   * moderator gets the moderators' view when they next subscribe.
   */
  protected override async refreshModerators(sessionId: number, candidates: AgoraSocket[]): Promise<void> {
    const watched = candidates.filter((s) => this.subsOf(s)[sessionId]?.moderator && s.data.actor?.role !== 'admin');
    if (!watched.length) return;
    const rows: { account_id: string }[] = await this.dataSource.query(`SELECT account_id FROM session_moderator WHERE session_id = $1`, [sessionId]);
    const moderators = new Set(rows.map((r) => r.account_id));
    for (const socket of watched) {
      if (moderators.has(socket.data.actor!.accountId)) continue;
      this.subsOf(socket)[sessionId].moderator = false;
      void socket.leave(rooms.qaModerators(sessionId));
    }
  }

  /** Sends absolute vote counts to every socket following the Q&A, on every instance (not logged, not replayed). */
  broadcastVotes(sessionId: number, asOf: string, counts: { questionId: number; voteCount: number }[]): void {
    if (!this.server || this.closing || !counts.length) return;
    this.server.to(rooms.qa(sessionId)).emit('qa.votes', { sessionId, asOf, counts });
  }

  /** Sends poll results (not logged, not replayed): moderators' view to moderators, attendees' view to the other followers. */
  broadcastPollResults(sessionId: number, moderators: PollResultsView[], attendees: PollResultsView[]): void {
    if (!this.server || this.closing) return;
    if (moderators.length) this.server.to(rooms.qaModerators(sessionId)).emit('qa.poll_results', { sessionId, results: moderators });
    if (attendees.length) this.server.to(rooms.qa(sessionId)).except(rooms.qaModerators(sessionId)).emit('qa.poll_results', { sessionId, results: attendees });
  }
}

/** Queues an event of the current write for a session's Q&A stream. */
/** Queues a Q&A event of the current write, its payload typed by its type (src/protocol/qa-event-types.ts). */
export type RecordQaEvent = <K extends QaEventType>(
  sessionId: number,
  type: K,
  payload: QaEventPayloads[K],
  options?: { questionId?: number | null; audience?: EventAudience },
) => void;

/** A Q&A write: its transaction, how to record events, and work to do once it has committed. */
export type QaWork<T> = (manager: EntityManager, record: RecordQaEvent, afterCommit: (task: () => void) => void) => Promise<T>;

/**
 * How Q&A writes run: in one transaction whose recorded events are appended
 * to the Q&A log as its last statement and published after commit. Extra
 * events of other streams (a hand-over's forum questions) can be handed to
 * `afterCommit` to be published once the transaction has committed.
 */
@Injectable()
export class QaEvents implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('QaEvents');
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly log: QaEventLog,
    private readonly fanout: QaFanout,
    private readonly domainEvents: DomainEvents,
  ) {}

  async write<T>(work: QaWork<T>): Promise<T> {
    const { result, publish } = await transactionRetryingDeadlocks(this.dataSource, this.logger, (m) => this.within(m, work));
    publish();
    return result;
  }

  /**
   * Runs `work` inside the caller's transaction (e.g. the catalogue ending a
   * session) and appends its events last; call `publish` after the commit.
   */
  async within<T>(manager: EntityManager, work: QaWork<T>): Promise<{ result: T; publish: () => void }> {
    const tasks: (() => void)[] = [];
    const { result, events } = await this.log.recording(manager, (record) => work(manager, record, (task) => tasks.push(task)));
    return {
      result,
      publish: () => {
        this.fanout.publish(events);
        if (events.length) this.domainEvents.emit('qa.events', events);
        for (const task of tasks) task();
      },
    };
  }

  onApplicationBootstrap(): void {
    this.timers.push(...schedulePruning(this.log, this.logger, 'live Q&A', 45_000));
  }

  onModuleDestroy(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }
}
