import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { Coalescer } from '../coalescer.js';
import { QaFanout } from '../qa-stream.js';
import type { PollKind, PollState } from './poll-policy.js';
import type { PollResultsView } from '../../protocol/views.js';

/** A poll's results at `asOf` (the protocol's shape: src/protocol/views.ts). */
export type { PollResultsView };

/** A poll as stored. */
export interface PollRow {
  id: number;
  session_id: number;
  kind: PollKind;
  prompt: string;
  options: string[];
  state: PollState;
  results_hidden: boolean;
  live_question_id: number | null;
  launched_at: Date | null;
  closed_at: Date | null;
  handed_over_question_id: number | null;
  created_at: Date;
}

const MAX_WORDS = 100;
const MAX_TEXTS = 500;

interface ResultsRow {
  as_of: Date;
  total: string;
  choices: { choice: number; count: number }[];
  ratings: { value: number; count: number }[];
  words: { key: string; word: string; count: number }[];
  texts: { answerId: number; text: string; review: 'pending' | 'approved' | 'rejected' }[];
}

/** Results of one poll, for moderators (every open-text answer) or attendees (approved ones); one statement, one snapshot. */
export async function readResults(m: EntityManager, poll: PollRow, forModerators: boolean): Promise<PollResultsView> {
  const [row]: ResultsRow[] = await m.query(
    `SELECT statement_timestamp() AS as_of,
            (SELECT count(*) FROM live_poll_answer WHERE poll_id = $1) AS total,
            (SELECT COALESCE(json_agg(json_build_object('choice', c, 'count', n)), '[]') FROM
               (SELECT c, count(*) AS n FROM live_poll_answer a, unnest(a.choices) c WHERE a.poll_id = $1 GROUP BY c) x) AS choices,
            (SELECT COALESCE(json_agg(json_build_object('value', rating, 'count', n)), '[]') FROM
               (SELECT rating, count(*) AS n FROM live_poll_answer WHERE poll_id = $1 AND rating IS NOT NULL GROUP BY rating) x) AS ratings,
            (SELECT COALESCE(json_agg(json_build_object('key', word_key, 'word', word, 'count', n) ORDER BY n DESC, word_key), '[]') FROM
               (SELECT word_key, mode() WITHIN GROUP (ORDER BY text) AS word, count(*) AS n FROM live_poll_answer a
                 WHERE a.poll_id = $1 AND a.word_key IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM live_poll_removed_word r WHERE r.poll_id = a.poll_id AND r.word_key = a.word_key)
                 GROUP BY word_key ORDER BY n DESC, word_key LIMIT ${MAX_WORDS}) x) AS words,
            (SELECT COALESCE(json_agg(json_build_object('answerId', id, 'text', text, 'review', review) ORDER BY id), '[]') FROM
               (SELECT id, text, review FROM live_poll_answer WHERE poll_id = $1 AND review IS NOT NULL AND ($2 OR review = 'approved')
                 ORDER BY id LIMIT ${MAX_TEXTS}) x) AS texts`,
    [poll.id, forModerators],
  );
  const base = { pollId: poll.id, asOf: row.as_of.toISOString(), kind: poll.kind, total: Number(row.total) };
  switch (poll.kind) {
    case 'single':
    case 'multiple': {
      const byChoice = new Map(row.choices.map((c) => [c.choice, Number(c.count)]));
      return { ...base, options: poll.options.map((label, index) => ({ index, label, count: byChoice.get(index) ?? 0 })) };
    }
    case 'rating': {
      const byValue = new Map(row.ratings.map((r) => [r.value, Number(r.count)]));
      const ratings = [1, 2, 3, 4, 5].map((value) => ({ value, count: byValue.get(value) ?? 0 }));
      const n = ratings.reduce((s, r) => s + r.count, 0);
      return { ...base, ratings, average: n ? Math.round((ratings.reduce((s, r) => s + r.value * r.count, 0) / n) * 100) / 100 : null };
    }
    case 'word_cloud':
      return { ...base, words: row.words.map((w) => ({ key: w.key, word: w.word, count: Number(w.count) })) };
    case 'open_text':
      return { ...base, texts: row.texts.map((t) => (forModerators ? { answerId: Number(t.answerId), text: t.text, review: t.review } : { answerId: Number(t.answerId), text: t.text })) };
  }
}

/** The results as (entry, count) lines, for the export and the hand-over's summary; open text counts 1 per approved answer. */
export function pollEntries(results: PollResultsView): { entry: string; count: number }[] {
  if (results.options) return results.options.map((o) => ({ entry: o.label, count: o.count }));
  if (results.ratings) return [...results.ratings.map((r) => ({ entry: `${r.value} of 5`, count: r.count })), ...(results.average !== null ? [{ entry: 'average', count: results.average! }] : [])];
  if (results.words) return results.words.map((w) => ({ entry: w.word, count: w.count }));
  return (results.texts ?? []).filter((t) => t.review === undefined || t.review === 'approved').map((t) => ({ entry: t.text, count: 1 }));
}

/** Attendees see a poll's results once it was launched, unless they are hidden until revealed. */
export const resultsPublic = (poll: Pick<PollRow, 'state' | 'results_hidden'>) => poll.state !== 'draft' && !poll.results_hidden;

/**
 * Sends poll results to a Q&A's screens the way vote counts go: polls that
 * changed are collected per session for QA_VOTE_BROADCAST_MS, then read
 * once and broadcast (`qa.poll_results`) to every instance, the moderators'
 * view to moderators and, when the results are public, the attendees' view
 * to everyone else.
 */
@Injectable()
export class PollResultsBroadcaster implements OnModuleDestroy {
  private readonly pending: Coalescer<number>;

  constructor(dataSource: DataSource, config: AppConfig, fanout: QaFanout) {
    this.pending = new Coalescer(new Logger('PollResults'), 'poll results', () => config.QA_VOTE_BROADCAST_MS, async (sessionId, ids) => {
      const polls: PollRow[] = await dataSource.query(`SELECT * FROM live_poll WHERE id = ANY($1::int[]) AND session_id = $2 ORDER BY id`, [ids, sessionId]);
      const moderators: PollResultsView[] = [];
      const attendees: PollResultsView[] = [];
      for (const poll of polls) {
        moderators.push(await readResults(dataSource.manager, poll, true));
        if (resultsPublic(poll)) attendees.push(poll.kind === 'open_text' ? await readResults(dataSource.manager, poll, false) : moderators.at(-1)!);
      }
      fanout.broadcastPollResults(sessionId, moderators, attendees);
    });
  }

  /** A poll's answers (or what attendees may see of them) changed (call after commit). */
  changed(sessionId: number, pollId: number): void {
    this.pending.add(sessionId, pollId);
  }

  onModuleDestroy(): void {
    this.pending.close();
  }
}
