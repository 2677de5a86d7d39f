import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import type { EventAudience, EventDraft, ForumEvent, ForumEventType } from './forum-event.js';

interface EventRow {
  forum_id: number;
  seq: string;
  type: string;
  question_id: number | null;
  payload: Record<string, unknown>;
  audience: 'readers' | 'moderators' | 'moderators_and_account';
  audience_account_id: string | null;
  created_at: Date;
}

const COLUMNS = 'forum_id, seq, type, question_id, payload, audience, audience_account_id, created_at';

function toEvent(row: EventRow): ForumEvent {
  const audience: EventAudience =
    row.audience === 'moderators_and_account' ? { kind: row.audience, accountId: row.audience_account_id! } : { kind: row.audience };
  return {
    forumId: row.forum_id,
    seq: Number(row.seq),
    type: row.type as ForumEventType,
    questionId: row.question_id,
    payload: row.payload,
    audience,
    at: row.created_at.toISOString(),
  };
}

/** What a reader may replay: their view of the forum now. */
export interface ReplayViewer {
  moderator: boolean;
  accountId: string | null;
  /** Narrowed to one thread: its events plus forum-wide ones. */
  questionId: number | null;
}

export type ReplayResult =
  /** The events after `lastSeq` this viewer may see, in order, and the forum's position they bring the client to. */
  | { resync: false; position: number; events: ForumEvent[] }
  /** The gap can't be replayed (pruned, too long, or a position this database never had): reload the forum. */
  | { resync: true; position: number };

/**
 * The SQL of the forum event log (tables forum_event and forum_event_seq).
 * Sequence numbers per forum are gap-free and increase in commit order:
 * they are taken by the last statement of the writing transaction, under
 * the forum's forum_event_seq row lock.
 */
@Injectable()
export class ForumEventLog {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /**
   * Appends drafts to their forums' logs in one statement per forum (forums
   * in id order, so two multi-forum writes can't deadlock). Call it as the
   * last statement of the transaction: it takes the forum's sequence lock.
   */
  async append(manager: EntityManager, drafts: EventDraft[]): Promise<ForumEvent[]> {
    const byForum = new Map<number, EventDraft[]>();
    for (const d of drafts) byForum.set(d.forumId, [...(byForum.get(d.forumId) ?? []), d]);
    const events: ForumEvent[] = [];
    for (const forumId of [...byForum.keys()].sort((a, b) => a - b)) {
      const list = byForum.get(forumId)!;
      // The log keeps no text of a deleted reply: a later replay must not hand it out again.
      for (const d of list) {
        const replyId = (d.payload as { reply?: { id?: unknown } }).reply?.id;
        if (d.type === 'reply.deleted' && typeof replyId === 'string') await this.redactReply(manager, forumId, replyId);
      }
      // A JSON round trip, so live events carry exactly what a replay will read back.
      const items = list.map((d, i) => ({
        ord: i + 1,
        type: d.type,
        question_id: d.questionId ?? null,
        payload: JSON.parse(JSON.stringify(d.payload)) as Record<string, unknown>,
        audience: d.audience?.kind ?? 'readers',
        audience_account_id: d.audience?.kind === 'moderators_and_account' ? d.audience.accountId : null,
      }));
      const rows: { seq: string; created_at: Date }[] = await manager.query(
        `WITH s AS (
           INSERT INTO forum_event_seq AS s (forum_id, last_seq) VALUES ($1, $2)
           ON CONFLICT (forum_id) DO UPDATE SET last_seq = s.last_seq + EXCLUDED.last_seq
           RETURNING last_seq
         )
         INSERT INTO forum_event (forum_id, seq, type, question_id, payload, audience, audience_account_id)
         SELECT $1, s.last_seq - $2 + e.ord, e.type, e.question_id, e.payload, e.audience, e.audience_account_id
           FROM s, jsonb_to_recordset($3::jsonb)
                AS e(ord integer, type text, question_id integer, payload jsonb, audience text, audience_account_id uuid)
          ORDER BY e.ord
         RETURNING seq, created_at`,
        [forumId, list.length, JSON.stringify(items)],
      );
      const seqs = rows.map((r) => ({ seq: Number(r.seq), at: r.created_at.toISOString() })).sort((a, b) => a.seq - b.seq);
      items.forEach((item, i) =>
        events.push({
          forumId,
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

  /** The forum's last sequence number (0 before its first event). */
  async position(forumId: number, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const [row] = await manager.query(`SELECT last_seq FROM forum_event_seq WHERE forum_id = $1`, [forumId]);
    return row ? Number(row.last_seq) : 0;
  }

  /** Last sequence numbers of several forums (forums without events are left out). */
  async positions(forumIds: number[]): Promise<Map<number, number>> {
    if (!forumIds.length) return new Map();
    const rows: { forum_id: number; last_seq: string }[] = await this.dataSource.query(
      `SELECT forum_id, last_seq FROM forum_event_seq WHERE forum_id = ANY($1::int[])`,
      [forumIds],
    );
    return new Map(rows.map((r) => [r.forum_id, Number(r.last_seq)]));
  }

  /** Every event (all audiences) with after < seq <= upTo, in order, at most `limit`. */
  async range(forumId: number, after: number, upTo: number, limit = 500): Promise<ForumEvent[]> {
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM forum_event WHERE forum_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4`,
      [forumId, after, upTo, limit],
    );
    return rows.map(toEvent);
  }

  /**
   * What a client that last saw `lastSeq` missed, as this viewer may see it
   * now. One consistent snapshot, so pruning can't open a silent hole.
   * `upTo` bounds the read (default: the forum's current position).
   */
  async replay(forumId: number, lastSeq: number, viewer: ReplayViewer, upTo?: number): Promise<ReplayResult> {
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const [pos] = await m.query(
        `SELECT COALESCE((SELECT last_seq FROM forum_event_seq WHERE forum_id = $1), 0) AS last_seq,
                (SELECT min(seq) FROM forum_event WHERE forum_id = $1) AS min_seq`,
        [forumId],
      );
      const position = Math.min(Number(pos.last_seq), upTo ?? Number.MAX_SAFE_INTEGER);
      const oldest = pos.min_seq === null ? null : Number(pos.min_seq);
      if (lastSeq > Number(pos.last_seq)) return { resync: true, position };
      if (lastSeq >= position) return { resync: false, position, events: [] };
      // Everything up to lastSeq + 1 must still be in the log (retention deletes a prefix).
      if (oldest === null || oldest > lastSeq + 1) return { resync: true, position };
      if (position - lastSeq > this.config.REPLAY_MAX_EVENTS) return { resync: true, position };
      const rows: EventRow[] = await m.query(
        `SELECT ${COLUMNS} FROM forum_event
          WHERE forum_id = $1 AND seq > $2 AND seq <= $3
            AND (audience = 'readers' OR $4::boolean
                 OR (audience = 'moderators_and_account' AND audience_account_id = $5::uuid))
            AND ($6::integer IS NULL OR question_id IS NULL OR question_id = $6::integer)
          ORDER BY seq`,
        [forumId, lastSeq, position, viewer.moderator, viewer.accountId, viewer.questionId],
      );
      return { resync: false, position, events: rows.map(toEvent) };
    });
  }

  /**
   * Retention: per forum, drops events older than EVENT_RETENTION_DAYS and
   * all but the last EVENT_RETENTION_COUNT. Always a prefix of the log (up to
   * the newest event that qualifies), so what remains stays gap-free and a
   * replay can tell when a client's gap reaches into what was dropped.
   */
  async prune(): Promise<number> {
    const [, deleted] = (await this.dataSource.query(
      `WITH cut AS (
         SELECT s.forum_id,
                GREATEST(
                  s.last_seq - $2,
                  COALESCE((SELECT max(e.seq) FROM forum_event e
                             WHERE e.forum_id = s.forum_id AND e.created_at < now() - make_interval(days => $1)), 0)
                ) AS through
           FROM forum_event_seq s
       )
       DELETE FROM forum_event e USING cut
        WHERE e.forum_id = cut.forum_id AND e.seq <= cut.through`,
      [this.config.EVENT_RETENTION_DAYS, this.config.EVENT_RETENTION_COUNT],
    )) as [unknown, number];
    return deleted;
  }

  /**
   * Removes a reply's text from the events that carried it (after the reply
   * is deleted or hidden), so a later replay doesn't hand it out again.
   * Call inside the transaction that deletes or hides the reply.
   */
  async redactReply(manager: EntityManager, forumId: number, replyId: string): Promise<void> {
    await manager.query(
      `UPDATE forum_event
          SET payload = jsonb_set(jsonb_set(payload, '{reply,bodyHtml}', 'null'), '{reply,bodySource}', 'null')
        WHERE forum_id = $1 AND payload ? 'reply' AND (payload #>> '{reply,id}') = $2`,
      [forumId, replyId],
    );
  }
}
