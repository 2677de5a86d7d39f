import { Injectable } from '@nestjs/common';
import type * as Protocol from '../../protocol/views.js';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor, MaybeActor } from '../../auth/actor.js';
import { badRequest, conflict, notFound, unauthenticated } from '../../common/app-exception.js';
import { MODERATORS, READERS } from '../../events/forum-event.js';
import { loadQaContext, moderatesQa, requireAsker, requireQaModerator, type LiveQaRow } from '../qa-access.js';
import { ASK_REFUSALS } from '../qa-policy.js';
import { QaEvents } from '../qa-stream.js';
import type { AnswerPollDto, CreatePollDto, PollActDto } from './dto/poll-input.dto.js';
import { ACT_KIND, answerProblem, foldWord, POLL_TRANSITIONS } from './poll-policy.js';
import { PollResultsBroadcaster, readResults, resultsPublic, type PollResultsView, type PollRow } from './poll-results.js';
import { recordQaAct } from '../../audit/audit-record.js';
import { createQa, setOnScreenPoll } from '../live-qa-store.js';
import { insertPoll, removeWord, reviewAnswer, saveAnswer, setPollState, setResultsHidden } from './poll-store.js';

/** The protocol's poll shapes, with times as the server holds them. */
export type PollView = Protocol.PollView<Date>;
export type PollReadView = Protocol.PollReadView<Date>;
export type PollAnswerView = Protocol.PollAnswerView<Date>;

const PAST: Record<PollActDto['action'], string> = {
  launch: 'launched', close: 'closed', reveal: 'revealed', hide: 'hidden', show: 'shown on the presenter screen', unshow: 'taken off the presenter screen',
  remove_word: 'edited', approve_text: 'moderated', reject_text: 'moderated',
};

const pollNotFound = () => notFound('The poll', 'poll_not_found');

export function toPollView(row: PollRow, onScreenPollId: number | null): PollView {
  return {
    id: row.id,
    sessionId: row.session_id,
    kind: row.kind,
    prompt: row.prompt,
    options: row.options,
    state: row.state,
    resultsHidden: row.results_hidden,
    liveQuestionId: row.live_question_id,
    onScreen: onScreenPollId === row.id,
    launchedAt: row.launched_at,
    closedAt: row.closed_at,
    createdAt: row.created_at,
    handedOverQuestionId: row.handed_over_question_id,
  };
}

/**
 * Live polls of a session's Q&A: moderators prepare them (drafts only they
 * see), launch, close, reveal or hide the results, put one on the presenter
 * screen, and curate word clouds and open text; attendees (guests included)
 * answer once per poll and may change their answer while it is open. Acts
 * are recorded in the audit record and on the Q&A's event stream (poll.*);
 * answers are not logged: results reach screens coalesced, like vote
 * counts. HTTP and socket handlers call these same methods.
 */
@Injectable()
export class PollsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: QaEvents,
    private readonly results: PollResultsBroadcaster,
  ) {}

  /** The session's polls the caller may see (moderators: drafts too), oldest first. */
  async list(actor: MaybeActor, sessionIdOrSlug: string): Promise<{ items: PollReadView[] }> {
    const m = this.dataSource.manager;
    const context = await loadQaContext(m, actor, sessionIdOrSlug);
    const rows: PollRow[] = await m.query(
      `SELECT * FROM live_poll WHERE session_id = $1 ${context.moderator ? '' : `AND state <> 'draft'`} ORDER BY id`,
      [context.session.id],
    );
    const items: PollReadView[] = [];
    for (const row of rows) items.push(await this.readView(m, row, actor, context.moderator, context.qa?.on_screen_poll_id ?? null));
    return { items };
  }

  /** One poll as the caller may see it (a draft: moderators only). */
  async get(actor: MaybeActor, pollId: number): Promise<PollReadView> {
    const m = this.dataSource.manager;
    const row = await this.load(m, pollId);
    const moderator = await moderatesQa(m, actor, row.session_id);
    if (row.state === 'draft' && !moderator) throw pollNotFound();
    const [qa]: Pick<LiveQaRow, 'on_screen_poll_id'>[] = await m.query(`SELECT on_screen_poll_id FROM live_qa WHERE session_id = $1`, [row.session_id]);
    return this.readView(m, row, actor, moderator, qa?.on_screen_poll_id ?? null);
  }

  /** Prepares a poll (a draft; moderators). The session's Q&A is created, closed, if it has none yet. */
  async create(actor: MaybeActor, sessionIdOrSlug: string, dto: CreatePollDto): Promise<PollReadView> {
    const choice = dto.kind === 'single' || dto.kind === 'multiple';
    if (choice && !dto.options) throw badRequest('validation_failed', `A ${dto.kind} choice poll needs options.`, [{ field: 'options', message: 'options must have 2 to 10 choices' }]);
    if (!choice && dto.options) throw badRequest('validation_failed', `A ${dto.kind.replace('_', ' ')} poll has no options.`, [{ field: 'options', message: `a ${dto.kind.replace('_', ' ')} poll takes no options` }]);
    const id = await this.events.write(async (m, record) => {
      const context = await loadQaContext(m, actor, sessionIdOrSlug, true);
      requireQaModerator(actor, context);
      const sessionId = context.session.id;
      if (!context.qa) await createQa(m, sessionId);
      if (dto.liveQuestionId !== undefined) {
        const [q] = await m.query(`SELECT 1 FROM live_question WHERE id = $1 AND session_id = $2`, [dto.liveQuestionId, sessionId]);
        if (!q) throw badRequest('validation_failed', 'liveQuestionId is not a question of this session.', [{ field: 'liveQuestionId', message: 'liveQuestionId must be the id of a live question of this session' }]);
      }
      const row = await insertPoll(m, {
        sessionId, kind: dto.kind, prompt: dto.prompt, options: dto.options ?? [], resultsHidden: dto.resultsHidden ?? false,
        liveQuestionId: dto.liveQuestionId ?? null, createdBy: (actor as Actor).accountId,
      });
      await this.recordAct(m, actor as Actor, row, 'poll_create', null, toPollView(row, null));
      record(sessionId, 'poll.created', { poll: toPollView(row, null) }, { audience: MODERATORS });
      return row.id;
    });
    return this.get(actor, id);
  }

  /**
   * A moderator's act on a poll: launch (draft or closed → open), close,
   * reveal / hide the results, show / unshow it on the presenter screen,
   * remove a word-cloud entry, approve / reject an open-text answer.
   * Serialised with the session's other moderator acts on its Q&A row; the
   * poll row is locked, so closing waits for answers in flight and counts them.
   */
  async act(actor: MaybeActor, pollId: number, dto: PollActDto): Promise<PollReadView> {
    await this.events.write(async (m, record, afterCommit) => {
      const found = await this.load(m, pollId);
      const context = await loadQaContext(m, actor, found.session_id, true);
      requireQaModerator(actor, context);
      const [row]: PollRow[] = await m.query(`SELECT * FROM live_poll WHERE id = $1 FOR UPDATE`, [pollId]);
      if (!POLL_TRANSITIONS[dto.action].includes(row.state)) throw conflict('invalid_transition', `This poll is ${row.state}, so it can't be ${PAST[dto.action]}.`);
      const kind = ACT_KIND[dto.action];
      if (kind && kind !== row.kind) throw conflict('invalid_transition', `Only a ${kind.replace('_', ' ')} poll can be ${PAST[dto.action]} this way.`);
      const sessionId = row.session_id;
      let onScreen = context.qa?.on_screen_poll_id ?? null;
      const before = toPollView(row, onScreen);
      let details: Record<string, unknown> = {};
      switch (dto.action) {
        case 'launch':
          if (context.qa?.state !== 'open') throw conflict('qa_not_open', 'Open the Q&A before launching a poll: attendees answer while it is open.');
          await setPollState(m, row.id, 'open');
          break;
        case 'close':
          await setPollState(m, row.id, 'closed');
          break;
        case 'reveal':
        case 'hide':
          await setResultsHidden(m, row.id, dto.action === 'hide');
          break;
        case 'show':
        case 'unshow':
          if (dto.action === 'unshow' && onScreen !== row.id) break;
          onScreen = dto.action === 'show' ? row.id : null;
          await setOnScreenPoll(m, sessionId, onScreen);
          // The poll it replaces on the screen says so too: screens follow poll.updated's onScreen.
          if (dto.action === 'show' && context.qa?.on_screen_poll_id && context.qa.on_screen_poll_id !== row.id) {
            const [previous]: PollRow[] = await m.query(`SELECT * FROM live_poll WHERE id = $1`, [context.qa.on_screen_poll_id]);
            record(sessionId, 'poll.updated', { poll: toPollView(previous, onScreen) }, { audience: previous.state === 'draft' ? MODERATORS : READERS });
          }
          break;
        case 'remove_word': {
          const word = requireField(dto.word, 'word', 'the entry to remove');
          const key = foldWord(word);
          await removeWord(m, row.id, key, (actor as Actor).accountId);
          details = { word: key };
          break;
        }
        case 'approve_text':
        case 'reject_text': {
          const answerId = requireField(dto.answerId, 'answerId', 'the answer to moderate');
          const review = dto.action === 'approve_text' ? 'approved' : 'rejected';
          if (!(await reviewAnswer(m, row.id, answerId, review))) throw notFound('The answer', 'poll_answer_not_found');
          details = { answerId, review };
          break;
        }
      }
      const [after]: PollRow[] = await m.query(`SELECT * FROM live_poll WHERE id = $1`, [row.id]);
      const view = toPollView(after, onScreen);
      await this.recordAct(m, actor as Actor, after, `poll_${dto.action}`, before, { ...view, ...details });
      // Drafts stay among moderators; launching one tells everyone.
      record(sessionId, 'poll.updated', { poll: view }, { audience: after.state === 'draft' ? MODERATORS : READERS });
      afterCommit(() => this.results.changed(sessionId, row.id));
    });
    return this.get(actor, pollId);
  }

  /**
   * The caller's answer to an open poll: one per attendee (guests of this
   * session included), replaced when they answer again. The poll row is
   * held FOR KEY SHARE, so answerers don't wait for each other but closing
   * the poll waits for them.
   */
  async answer(actor: MaybeActor, pollId: number, dto: AnswerPollDto): Promise<{ answer: PollAnswerView }> {
    if (!actor) throw unauthenticated(ASK_REFUSALS.unauthenticated);
    const { sessionId, answer } = await this.dataSource.transaction(async (m) => {
      const [poll]: (PollRow & Pick<LiveQaRow, 'allow_guests'> & { qa_state: LiveQaRow['state'] })[] = await m.query(
        `SELECT p.*, qa.state AS qa_state, qa.allow_guests FROM live_poll p JOIN live_qa qa ON qa.session_id = p.session_id WHERE p.id = $1 FOR KEY SHARE OF p`,
        [pollId],
      );
      if (!poll) throw pollNotFound();
      const moderator = poll.qa_state === 'open' && poll.state !== 'draft' ? false : await moderatesQa(m, actor, poll.session_id);
      if (poll.state === 'draft' && !moderator) throw pollNotFound();
      requireAsker(actor, { state: poll.qa_state, allow_guests: poll.allow_guests, session_id: poll.session_id }, moderator);
      if (poll.state !== 'open') throw conflict('poll_not_open', poll.state === 'draft' ? 'This poll has not been launched yet.' : 'This poll is closed: answers can no longer change.');
      const problem = answerProblem(poll.kind, poll.options.length, dto);
      if (problem) throw badRequest('validation_failed', `Invalid answer: ${problem.message}.`, [problem]);
      const text = dto.text ?? null;
      const row = await saveAnswer(m, poll.id, actor.accountId, {
        choices: dto.choices ? [...dto.choices].sort((a, b) => a - b) : null, rating: dto.rating ?? null, text,
        wordKey: poll.kind === 'word_cloud' && text ? foldWord(text) : null, review: poll.kind === 'open_text' ? 'pending' : null,
      });
      return { sessionId: poll.session_id, answer: answerView(poll.id, row) };
    });
    this.results.changed(sessionId, pollId);
    return { answer };
  }

  /** Results of every launched poll of a session as this viewer may see them (the subscribe ack). */
  async resultsOfSession(sessionId: number, moderator: boolean, manager: EntityManager = this.dataSource.manager): Promise<PollResultsView[]> {
    const rows: PollRow[] = await manager.query(`SELECT * FROM live_poll WHERE session_id = $1 AND state <> 'draft' ORDER BY id`, [sessionId]);
    const out: PollResultsView[] = [];
    for (const row of rows) if (moderator || resultsPublic(row)) out.push(await readResults(manager, row, moderator));
    return out;
  }

  private async readView(m: EntityManager, row: PollRow, actor: MaybeActor, moderator: boolean, onScreen: number | null): Promise<PollReadView> {
    const results = moderator || resultsPublic(row) ? await readResults(m, row, moderator) : null;
    const [mine] = actor
      ? await m.query(`SELECT choices, rating, text, review, updated_at FROM live_poll_answer WHERE poll_id = $1 AND voter_id = $2`, [row.id, actor.accountId])
      : [];
    return { ...toPollView(row, onScreen), results, viewerAnswer: mine ? answerView(row.id, mine) : null };
  }

  private async load(m: EntityManager, pollId: number): Promise<PollRow> {
    const [row]: PollRow[] = await m.query(`SELECT * FROM live_poll WHERE id = $1`, [pollId]);
    if (!row) throw pollNotFound();
    return row;
  }

  private recordAct(m: EntityManager, actor: Actor, poll: PollRow, action: string, before: unknown, after: unknown): Promise<unknown> {
    return recordQaAct(m, { sessionId: poll.session_id, pollId: poll.id, actorId: actor.accountId, action, before, after });
  }
}

function answerView(pollId: number, row: { choices: number[] | null; rating: number | null; text: string | null; review: PollAnswerView['review']; updated_at: Date }): PollAnswerView {
  return { pollId, choices: row.choices?.map(Number) ?? null, rating: row.rating, text: row.text, review: row.review, updatedAt: row.updated_at };
}

function requireField<T>(value: T | undefined, field: string, what: string): T {
  if (value === undefined) throw badRequest('validation_failed', `${field} is required: ${what}.`, [{ field, message: `${field} is required` }]);
  return value;
}
