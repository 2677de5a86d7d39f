import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { PUBLIC_QUESTION_SQL } from './qa-policy.js';
import { Coalescer } from './coalescer.js';
import { QaFanout } from './qa-stream.js';

export interface VoteCounts {
  /** Database time of the read: of two counts of a question, the one with the newer asOf is the newer count. */
  asOf: string;
  counts: { questionId: number; voteCount: number }[];
}

/** A question's votes: the sum of its counter shards (at most 16 rows; live-question-store.ts writes them). */
export const VOTE_SUM = (alias: string) => `COALESCE((SELECT sum(c.votes) FROM live_question_counter c WHERE c.question_id = ${alias}.id), 0)`;

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
  private readonly pending: Coalescer<number>;

  constructor(
    private readonly dataSource: DataSource,
    config: AppConfig,
    fanout: QaFanout,
  ) {
    this.pending = new Coalescer(new Logger('QaVotes'), 'vote counts', () => config.QA_VOTE_BROADCAST_MS, async (sessionId, ids) => {
      const { asOf, counts } = await this.countsOf(ids);
      fanout.broadcastVotes(sessionId, asOf, counts);
    });
  }

  /** A question's votes changed (call after commit). */
  changed(sessionId: number, questionId: number): void {
    this.pending.add(sessionId, questionId);
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
    this.pending.close();
  }
}
