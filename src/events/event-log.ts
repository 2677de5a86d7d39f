import type { Logger } from '@nestjs/common';
import { sql, type Kysely } from 'kysely';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { isIntId } from '../common/id.pipe.js';
import { batchedRead } from '../database/batched-reads.js';
import { affectedBy, db, rowsOf } from '../database/typed-sql.js';
import { audienceIncludes, type EventAudience, type StreamEvent, type StreamEventDraft } from './forum-event.js';

/** Queues an event of the current write on a stream (stream id: a forum's or a session's). */
export type RecordStreamEvent<T extends string> = (
  streamId: number,
  type: T,
  payload: object,
  options?: { questionId?: number | null; audience?: EventAudience },
) => void;

interface EventRow {
  stream_id: number;
  seq: string;
  type: string;
  question_id: number | null;
  payload: Record<string, unknown>;
  audience: 'readers' | 'moderators' | 'moderators_and_account';
  audience_account_id: string | null;
  created_at: Date;
}

/**
 * The two logs have the same columns under their own table and key names, so
 * their statements are built over the names the owner hands in (EventLogTables),
 * without the row types.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tables are named at run time
const logDb = db as unknown as Kysely<any>;

/** Where one kind of stream keeps its log: the events table, the per-stream sequence table, and the stream's key column in both. */
export interface EventLogTables {
  events: 'forum_event' | 'qa_event';
  seq: 'forum_event_seq' | 'qa_event_seq';
  key: 'forum_id' | 'session_id';
}

function toEvent<T extends string>(row: EventRow): StreamEvent<T> {
  const audience: EventAudience =
    row.audience === 'moderators_and_account' ? { kind: row.audience, accountId: row.audience_account_id! } : { kind: row.audience };
  return {
    streamId: row.stream_id,
    seq: Number(row.seq),
    type: row.type as T,
    questionId: row.question_id,
    payload: row.payload,
    audience,
    at: row.created_at.toISOString(),
  };
}

/** What a reader may replay: their view of the stream now. */
export interface ReplayViewer {
  moderator: boolean;
  accountId: string | null;
  /** Narrowed to one thread: its events plus stream-wide ones. */
  questionId: number | null;
}

export type ReplayResult<T extends string = string> =
  /** The events after `lastSeq` this viewer may see, in order, and the stream's position they bring the client to. */
  | { resync: false; position: number; events: StreamEvent<T>[] }
  /** The gap can't be replayed (pruned, too long, or a position this database never had): reload. */
  | { resync: true; position: number };

/**
 * The SQL of an event log: a forum's (forum_event, forum_event_seq) or a
 * session's live Q&A (qa_event, qa_event_seq); same columns, keyed by the
 * stream's id. Sequence numbers per stream are gap-free and increase in
 * commit order: they are taken by the last statement of the writing
 * transaction, under the stream's sequence row lock.
 */
export class EventLog<T extends string = string> {
  private readonly cols: string;

  constructor(
    protected readonly dataSource: DataSource,
    private readonly config: AppConfig,
    protected readonly tables: EventLogTables,
  ) {
    this.cols = `${tables.key} AS stream_id, seq, type, question_id, payload, audience, audience_account_id, created_at`;
  }

  /**
   * Appends drafts to their streams' logs in one statement per stream
   * (streams in id order, so two multi-stream writes can't deadlock). Call it
   * as the last statement of the transaction: it takes the sequence lock.
   */
  async append(manager: EntityManager, drafts: StreamEventDraft<T>[]): Promise<StreamEvent<T>[]> {
    const { events: table, seq: seqTable, key } = this.tables;
    const byStream = new Map<number, StreamEventDraft<T>[]>();
    for (const d of drafts) byStream.set(d.streamId, [...(byStream.get(d.streamId) ?? []), d]);
    const events: StreamEvent<T>[] = [];
    for (const streamId of [...byStream.keys()].sort((a, b) => a - b)) {
      const list = byStream.get(streamId)!;
      await this.beforeAppend(manager, streamId, list);
      // A JSON round trip, so live events carry exactly what a replay will read back.
      const items = list.map((d, i) => ({
        ord: i + 1,
        type: d.type,
        question_id: d.questionId ?? null,
        payload: JSON.parse(JSON.stringify(d.payload)) as Record<string, unknown>,
        audience: d.audience?.kind ?? 'readers',
        audience_account_id: d.audience?.kind === 'moderators_and_account' ? d.audience.accountId : null,
      }));
      const drafted = sql`jsonb_to_recordset(${JSON.stringify(items)}::jsonb)`.as(
        sql`e(ord integer, type text, question_id integer, payload jsonb, audience text, audience_account_id uuid)`,
      );
      const rows: { seq: string; created_at: Date }[] = await rowsOf(
        manager,
        logDb
          .with('s', (qb) =>
            qb
              .insertInto(seqTable)
              .values({ [key]: streamId, last_seq: list.length })
              .onConflict((oc) => oc.column(key).doUpdateSet({ last_seq: sql`${sql.ref(`${seqTable}.last_seq`)} + excluded.last_seq` }))
              .returning('last_seq'),
          )
          .insertInto(table)
          .columns([key, 'seq', 'type', 'question_id', 'payload', 'audience', 'audience_account_id'])
          .expression((eb) =>
            eb
              .selectFrom(['s', drafted])
              .select([eb.val(streamId).as(key), sql`s.last_seq - ${list.length} + e.ord`.as('seq'), 'e.type', 'e.question_id', 'e.payload', 'e.audience', 'e.audience_account_id'])
              .orderBy('e.ord'),
          )
          .returning(['seq', 'created_at']),
      );
      const seqs = rows.map((r) => ({ seq: Number(r.seq), at: r.created_at.toISOString() })).sort((a, b) => a.seq - b.seq);
      items.forEach((item, i) =>
        events.push({
          streamId,
          seq: seqs[i].seq,
          type: item.type,
          questionId: item.question_id,
          payload: item.payload,
          audience: list[i].audience ?? { kind: 'readers' },
          at: seqs[i].at,
        }),
      );
    }
    return events;
  }

  /**
   * Runs `work` in the caller's transaction, giving it `record`; what it
   * recorded is appended as the transaction's last statement (it takes the
   * streams' sequence locks). Publish the returned events after commit.
   */
  async recording<R>(manager: EntityManager, work: (record: RecordStreamEvent<T>) => Promise<R>): Promise<{ result: R; events: StreamEvent<T>[] }> {
    const drafts: StreamEventDraft<T>[] = [];
    const result = await work((streamId, type, payload, options = {}) =>
      drafts.push({ streamId, type, payload, questionId: options.questionId ?? null, audience: options.audience }),
    );
    return { result, events: drafts.length ? await this.append(manager, drafts) : [] };
  }

  /** Runs in append() before a stream's drafts are stored (forums redact deleted replies here). */
  protected async beforeAppend(_manager: EntityManager, _streamId: number, _drafts: StreamEventDraft<T>[]): Promise<void> {}

  /** The stream's last sequence number (0 before its first event). */
  async position(streamId: number, manager?: EntityManager): Promise<number> {
    // Outside a transaction, positions asked at the same moment (each subscribing socket asks) are read together.
    // (An id PostgreSQL can't hold has no events, and would fail the whole batch it went in.)
    if (!manager?.queryRunner) return isIntId(streamId) ? this.positionNow(streamId) : 0;
    const [row] = await manager.query(`SELECT last_seq FROM ${this.tables.seq} WHERE ${this.tables.key} = $1`, [streamId]);
    return row ? Number(row.last_seq) : 0;
  }

  private readonly positionNow = batchedRead<number, number>(async (ids) => {
    const positions = await this.positions([...new Set(ids)]);
    return ids.map((id) => positions.get(id) ?? 0);
  });

  /** Last sequence numbers of several streams (streams without events are left out). */
  async positions(streamIds: number[]): Promise<Map<number, number>> {
    if (!streamIds.length) return new Map();
    const { seq, key } = this.tables;
    const rows: { stream_id: number; last_seq: string }[] = await this.dataSource.query(
      `SELECT ${key} AS stream_id, last_seq FROM ${seq} WHERE ${key} = ANY($1::int[])`,
      [streamIds],
    );
    return new Map(rows.map((r) => [r.stream_id, Number(r.last_seq)]));
  }

  /** Every event (all audiences) with after < seq <= upTo, in order, at most `limit`. */
  async range(streamId: number, after: number, upTo: number, limit = 500): Promise<StreamEvent<T>[]> {
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT ${this.cols} FROM ${this.tables.events} WHERE ${this.tables.key} = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4`,
      [streamId, after, upTo, limit],
    );
    return rows.map((r) => toEvent<T>(r));
  }

  /**
   * What a client that last saw `lastSeq` missed, as this viewer may see it
   * now. One consistent snapshot, so pruning can't open a silent hole.
   * `upTo` bounds the read (default: the stream's current position).
   */
  async replay(streamId: number, lastSeq: number, viewer: ReplayViewer, upTo?: number): Promise<ReplayResult<T>> {
    const { events: table, seq: seqTable, key } = this.tables;
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const [pos] = await m.query(
        `SELECT COALESCE((SELECT last_seq FROM ${seqTable} WHERE ${key} = $1), 0) AS last_seq,
                (SELECT min(seq) FROM ${table} WHERE ${key} = $1) AS min_seq`,
        [streamId],
      );
      const position = Math.min(Number(pos.last_seq), upTo ?? Number.MAX_SAFE_INTEGER);
      const oldest = pos.min_seq === null ? null : Number(pos.min_seq);
      if (lastSeq > Number(pos.last_seq)) return { resync: true, position };
      if (lastSeq >= position) return { resync: false, position, events: [] };
      // Everything up to lastSeq + 1 must still be in the log (retention deletes a prefix).
      if (oldest === null || oldest > lastSeq + 1) return { resync: true, position };
      if (position - lastSeq > this.config.REPLAY_MAX_EVENTS) return { resync: true, position };
      const rows: EventRow[] = await m.query(
        `SELECT ${this.cols} FROM ${table}
          WHERE ${key} = $1 AND seq > $2 AND seq <= $3
            AND (audience = 'readers' OR $4::boolean
                 OR (audience = 'moderators_and_account' AND audience_account_id = $5::uuid))
            AND ($6::integer IS NULL OR question_id IS NULL OR question_id = $6::integer)
          ORDER BY seq`,
        [streamId, lastSeq, position, viewer.moderator, viewer.accountId, viewer.questionId],
      );
      return { resync: false, position, events: rows.map((r) => toEvent<T>(r)) };
    });
  }

  /**
   * replay() for many clients of one stream at once (a crowd reconnecting
   * after a drop): one snapshot read of every event any of them missed, then
   * each one's gap and view applied in memory by the same rules as the SQL
   * in replay(). Answers in the order asked.
   */
  async replayMany(streamId: number, asks: { lastSeq: number; viewer: ReplayViewer }[]): Promise<ReplayResult<T>[]> {
    if (!asks.length) return [];
    const { events: table, seq: seqTable, key } = this.tables;
    const from = Math.min(...asks.map((a) => a.lastSeq));
    const max = this.config.REPLAY_MAX_EVENTS;
    // One statement, so one snapshot: the position, the oldest event kept, and every event anyone asked for (none older than REPLAY_MAX_EVENTS).
    const rows: (Partial<EventRow> & { pos_last_seq: string; pos_min_seq: string | null })[] = await this.dataSource.query(
      `WITH pos AS (SELECT COALESCE((SELECT last_seq FROM ${seqTable} WHERE ${key} = $1), 0) AS last_seq,
                           (SELECT min(seq) FROM ${table} WHERE ${key} = $1) AS min_seq)
       SELECT pos.last_seq AS pos_last_seq, pos.min_seq AS pos_min_seq, e.*
         FROM pos LEFT JOIN LATERAL (
           SELECT ${this.cols} FROM ${table} WHERE ${key} = $1 AND seq > GREATEST($2, pos.last_seq - $3) AND seq <= pos.last_seq
         ) e ON true
        ORDER BY e.seq`,
      [streamId, from, max],
    );
    const position = Number(rows[0].pos_last_seq);
    const oldest = rows[0].pos_min_seq === null ? null : Number(rows[0].pos_min_seq);
    const all = rows.filter((r) => r.seq != null).map((r) => toEvent<T>(r as EventRow));
    return asks.map(({ lastSeq, viewer }): ReplayResult<T> => {
      if (lastSeq > position) return { resync: true, position };
      if (lastSeq >= position) return { resync: false, position, events: [] };
      if (oldest === null || oldest > lastSeq + 1) return { resync: true, position };
      if (position - lastSeq > max) return { resync: true, position };
      const events = all.filter(
        (e) =>
          e.seq > lastSeq &&
          audienceIncludes(e.audience, viewer) &&
          (viewer.questionId === null || e.questionId === null || e.questionId === viewer.questionId),
      );
      return { resync: false, position, events };
    });
  }

  /**
   * Retention: per stream, drops events older than EVENT_RETENTION_DAYS and
   * all but the last EVENT_RETENTION_COUNT. Always a prefix of the log (up to
   * the newest event that qualifies), so what remains stays gap-free and a
   * replay can tell when a client's gap reaches into what was dropped.
   */
  async prune(): Promise<number> {
    const { events: table, seq: seqTable, key } = this.tables;
    const { EVENT_RETENTION_DAYS: days, EVENT_RETENTION_COUNT: count } = this.config;
    return affectedBy(
      this.dataSource.manager,
      logDb
        .with('cut', (qb) =>
          qb.selectFrom(`${seqTable} as s`).select((eb) => [
            `s.${key} as stream_id`,
            sql`GREATEST(s.last_seq - ${count}, ${eb.fn.coalesce(
              eb
                .selectFrom(`${table} as e`)
                .select((m) => m.fn.max('e.seq').as('max'))
                .whereRef(`e.${key}`, '=', `s.${key}`)
                .where('e.created_at', '<', sql`now() - make_interval(days => ${days})`),
              sql`0`,
            )})`.as('through'),
          ]),
        )
        .deleteFrom(`${table} as e`)
        .using('cut')
        .whereRef(`e.${key}`, '=', 'cut.stream_id')
        .whereRef('e.seq', '<=', 'cut.through'),
    );
  }
}

const PRUNE_INTERVAL_MS = 60 * 60_000;

/**
 * Prunes a log past retention soon after start (not during it), then
 * hourly; returns the timers (unref'd) for the owner to clear on shutdown.
 */
export function schedulePruning(log: Pick<EventLog, 'prune'>, logger: Logger, what: string, firstAfterMs: number): NodeJS.Timeout[] {
  const prune = () =>
    log.prune().then(
      (n) => n && logger.log(`Pruned ${n} ${what} event(s) past retention.`),
      (error) => logger.warn(`Pruning ${what} events failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  const timers = [setTimeout(prune, firstAfterMs), setInterval(prune, PRUNE_INTERVAL_MS)];
  for (const timer of timers) timer.unref();
  return timers;
}
