import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { DataSource } from 'typeorm';
import type { MaybeActor } from '../auth/actor.js';
import { liveQuestionSelect, toLiveQuestionView, type LiveQuestionRow, type LiveQuestionView } from './live-qa.views.js';
import { loadQaContext, requireQaModerator } from './qa-access.js';
import type { LiveQuestionState } from './qa-policy.js';
import { pollEntries, readResults, type PollResultsView, type PollRow } from './polls/poll-results.js';

interface ExportedPoll {
  poll: PollRow;
  results: PollResultsView;
}

export interface QaExport {
  filename: string;
  contentType: string;
  body: string;
}

const SECTIONS: [LiveQuestionState, string][] = [
  ['answered', 'Answered live'],
  ['approved', 'Open (not answered)'],
  ['archived', 'Archived (carried over to the forum, or set aside)'],
  ['pending', 'Awaiting approval'],
  ['dismissed', 'Dismissed'],
  ['merged', 'Merged into another question'],
  ['withdrawn', 'Withdrawn by the asker'],
];

/**
 * The Q&A of a session as CSV or Markdown, for moderators: every question
 * with its state, votes and times. Anonymous askers stay anonymous in the
 * file (files travel further than the moderators' screen).
 */
@Injectable()
export class QaExportService {
  constructor(private readonly dataSource: DataSource) {}

  /** `part`: the questions (default) or, for CSV, the polls (one row per option, rating value, word or text); Markdown has both. */
  async export(actor: MaybeActor, sessionIdOrSlug: string, format: 'csv' | 'md', part: 'questions' | 'polls' = 'questions'): Promise<QaExport> {
    const context = await loadQaContext(this.dataSource.manager, actor, sessionIdOrSlug);
    requireQaModerator(actor, context);
    const rows: LiveQuestionRow[] = await this.dataSource.query(`${liveQuestionSelect()} WHERE q.session_id = $1 ORDER BY q.created_at, q.id`, [context.session.id]);
    const questions = rows.map((r) => toLiveQuestionView(r, { moderator: true, accountId: null }));
    const pollRows: PollRow[] = await this.dataSource.query(`SELECT * FROM live_poll WHERE session_id = $1 ORDER BY id`, [context.session.id]);
    const polls: ExportedPoll[] = [];
    for (const poll of pollRows) polls.push({ poll, results: await readResults(this.dataSource.manager, poll, true) });
    const base = `qa-${context.session.slug}`;
    if (format === 'csv' && part === 'polls') {
      return { filename: `${base}-polls.csv`, contentType: 'text/csv; charset=utf-8', body: pollsCsv(polls) };
    }
    if (format === 'csv') {
      return { filename: `${base}.csv`, contentType: 'text/csv; charset=utf-8', body: toCsv(questions) };
    }
    return { filename: `${base}.md`, contentType: 'text/markdown; charset=utf-8', body: markdownOf(context.session.title, questions) + pollsMarkdown(polls) };
  }
}

const CSV_HEADER = ['id', 'state', 'votes', 'question', 'asker', 'anonymous', 'asked_at', 'answered_at', 'answered_live_at', 'merged_into', 'dismiss_reason', 'forum_question_id', 'edited_by_moderator'];

const askerName = (q: LiveQuestionView) => (q.anonymous ? 'anonymous' : (q.asker?.displayName ?? ''));

/**
 * RFC 4180 (every cell quoted, CRLF). Cells a spreadsheet would run as a
 * formula (= + - @ tab CR) get a leading apostrophe: an attendee's question
 * must not become a formula in a moderator's sheet.
 */
const csv = (rows: unknown[][], columns: string[]): string =>
  stringify(rows, {
    header: true,
    columns,
    quoted: true,
    record_delimiter: 'windows',
    escape_formulas: true,
    cast: { date: (d) => d.toISOString(), boolean: (b) => String(b) },
  });

const toCsv = (questions: LiveQuestionView[]): string => csv(questions.map(csvRow), CSV_HEADER);

const POLLS_CSV_HEADER = ['poll_id', 'kind', 'prompt', 'state', 'answers', 'entry', 'count'];

/** One row per option, rating value, word-cloud entry or open-text answer (all of them: moderators export). */
const pollsCsv = (polls: ExportedPoll[]): string =>
  csv(polls.flatMap(({ poll, results }) => pollEntries(results).map((e) => [poll.id, poll.kind, poll.prompt, poll.state, results.total, e.entry, e.count])), POLLS_CSV_HEADER);

function pollsMarkdown(polls: ExportedPoll[]): string {
  if (!polls.length) return '';
  const lines = ['', '## Polls'];
  for (const { poll, results } of polls) {
    lines.push('', `### ${md(poll.prompt)}`, '', `_${poll.kind.replace('_', ' ')} · ${poll.state} · ${results.total} answer${results.total === 1 ? '' : 's'}_`, '');
    for (const e of pollEntries(results)) lines.push(`- ${md(e.entry)}: ${e.count}`);
  }
  return lines.join('\n') + '\n';
}

function csvRow(q: LiveQuestionView): unknown[] {
  return [
    q.id, q.state, q.voteCount, q.body, askerName(q), q.anonymous, q.createdAt, q.answeredAt, q.answeredOffset,
    q.mergedIntoId, q.dismissReason, q.carriedOver?.questionId ?? null, q.editedByModerator,
  ];
}

/** Markdown-escaped text on one line. */
const md = (text: string) => text.replace(/\s+/g, ' ').replace(/([\\`*_[\]<>#|])/g, '\\$1');

function markdownOf(title: string, questions: LiveQuestionView[]): string {
  const lines = [`# Live Q&A: ${md(title)}`, '', `${questions.length} question(s), exported ${new Date().toISOString()}.`];
  for (const [state, heading] of SECTIONS) {
    const list = questions.filter((q) => q.state === state);
    if (!list.length) continue;
    lines.push('', `## ${heading}`, '');
    for (const q of [...list].sort((a, b) => b.voteCount - a.voteCount || a.id - b.id)) {
      const facts = [`${q.voteCount} vote${q.voteCount === 1 ? '' : 's'}`, `asked by ${md(askerName(q))} at ${q.createdAt.toISOString()}`];
      if (q.answeredOffset) facts.push(`answered live at ${q.answeredOffset}`);
      if (q.carriedOver) facts.push(`carried over to forum ${q.carriedOver.forumId} as question ${q.carriedOver.questionId}`);
      if (q.mergedIntoId) facts.push(`merged into #${q.mergedIntoId}`);
      if (q.dismissReason) facts.push(`reason: ${md(q.dismissReason)}`);
      lines.push(`- **#${q.id}** ${md(q.body)}  `, `  _${facts.join(' · ')}_`);
    }
  }
  return lines.join('\n') + '\n';
}
