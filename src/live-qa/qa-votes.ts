import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { PUBLIC_QUESTION_SQL } from './qa-policy.js';
import { QaFanout } from './qa-stream.js';

export interface VoteCounts {
  /** Database time of the read: of two counts of a question, the one with the newer asOf is the newer count. */
  asOf: string;
  counts: { questionId: number; voteCount: number }[];
}

/** A question's votes: the sum of its counter shards (at most 16 rows). */
export const VOTE_SUM = (alias: string) => `COALESCE((SELECT sum(c.votes) FROM live_question_counter c WHERE c.question_id = ${alias}.id), 0)`;

/**
 * Adds or removes one vote on a question's counter: a random one of its 16
 * shards, so concurrent voters rarely wait on the same row (readers sum them).
 */
export async function bumpVotes(manager: EntityManager, questionId: number, delta: number): Promise<void> {
  if (delta === 0) return;
  await manager.query(
    `INSERT INTO live_question_counter AS c (question_id, shard, votes) VALUES ($1, $2, $3)
     ON CONFLICT (question_id, shard) DO UPDATE SET votes = c.votes + EXCLUDED.votes`,
    [questionId, Math.floor(Math.random() * 16), delta],
  );
}

/**
 * Sends vote counts to a Q&A's screens without logging each vote: changed
 * questions are collected per session for QA_VOTE_BROADCAST_MS, then their
 * absolute counts are read once and broadcast (`qa.votes`) to every
 * instance. Absolute counts with the read's database time make the
 * messages idempotent and ordered per question: a client keeps the newest
 * `asOf` and drops older ones, which two instances may deliver late; any
 * screen can also reload them (subscribe ack, questions list).
 */
@Injectable()
export class QaVoteBroadcaster implements OnModuleDestroy {
  private readonly logger = new Logger('QaVotes');
  private readonly changedBySession = new Map<number, Set<number>>();
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private closing = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly fanout: QaFanout,
  ) {}

  /** A question's votes changed (call after commit). */
  changed(sessionId: number, questionId: number): void {
    if (this.closing) return;
    let changed = this.changedBySession.get(sessionId);
    if (!changed) this.changedBySession.set(sessionId, (changed = new Set()));
    changed.add(questionId);
    if (this.timers.has(sessionId)) return;
    const timer = setTimeout(() => void this.flush(sessionId), this.config.QA_VOTE_BROADCAST_MS);
    timer.unref();
    this.timers.set(sessionId, timer);
  }

  private async flush(sessionId: number): Promise<void> {
    this.timers.delete(sessionId);
    const ids = [...(this.changedBySession.get(sessionId) ?? [])];
    this.changedBySession.delete(sessionId);
    if (!ids.length || this.closing) return;
    try {
      const { asOf, counts } = await this.countsOf(ids);
      this.fanout.broadcastVotes(sessionId, asOf, counts);
    } catch (error) {
      // The next vote, or a reload, brings the counts: they are absolute.
      if (!this.closing) this.logger.warn(`Sending vote counts of session ${sessionId} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Current counts of some questions (those attendees may see). */
  countsOf(questionIds: number[], manager: EntityManager = this.dataSource.manager): Promise<VoteCounts> {
    return this.read(manager, `q.id = ANY($1::int[])`, [questionIds]);
  }

  /** Current counts of every question of a session that attendees may see. */
  countsOfSession(sessionId: number, manager: EntityManager = this.dataSource.manager): Promise<VoteCounts> {
    return this.read(manager, `q.session_id = $1`, [sessionId]);
  }

  private async read(manager: EntityManager, where: string, params: unknown[]): Promise<VoteCounts> {
    const [row]: { as_of: Date; counts: { questionId: number; voteCount: number }[] }[] = await manager.query(
      `SELECT statement_timestamp() AS as_of,
              COALESCE((SELECT json_agg(json_build_object('questionId', q.id, 'voteCount', ${VOTE_SUM('q')}) ORDER BY q.id)
                          FROM live_question q WHERE ${where} AND ${PUBLIC_QUESTION_SQL}), '[]'::json) AS counts`,
      params,
    );
    return { asOf: row.as_of.toISOString(), counts: row.counts.map((c) => ({ questionId: c.questionId, voteCount: Number(c.voteCount) })) };
  }

  onModuleDestroy(): void {
    this.closing = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
