import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor, MaybeActor } from '../auth/actor.js';
import { conflict, forbidden, unauthenticated } from '../common/app-exception.js';
import { AppConfig } from '../config/app-config.js';
import { MODERATORS, READERS, type EventAudience } from '../events/forum-event.js';
import { RateLimited } from '../common/messages.js';
import type { AskQuestionDto, EditQuestionDto, ListLiveQuestionsQuery, ModerateDto } from './dto/live-qa-input.dto.js';
import { liveQuestionSelect, toLiveQuestionView, type LiveQuestionRow, type LiveQuestionView, type QuestionViewer, type VoteResult } from './live-qa.views.js';
import { liveQuestionNotFound, loadQaContext, moderatesQa, requireAsker, requireQaModerator, type LiveQaRow } from './qa-access.js';
import { askerMayChange, askingLimits, askWaitMs, ASK_REFUSALS, isPublicState, MERGE_TARGET_STATES, PUBLIC_QUESTION_SQL, transitionAllowed, votable, type LiveQuestionState } from './qa-policy.js';
import { QaEventLog, QaEvents, type RecordQaEvent } from './qa-stream.js';
import { QaVoteBroadcaster } from './qa-votes.js';
import { recordQaAct } from '../audit/audit-record.js';
import { clearHighlightIf, setHighlighted } from './live-qa-store.js';
import { insertLiveQuestion, mergeQuestion, reviseQuestionBody, setQuestionState, setVote } from './live-question-store.js';

/** Who sees an event about a question: everyone if it is or was public, else its moderators and asker. */
const audienceOf = (row: Pick<LiveQuestionRow, 'asker_id' | 'forum_question_id'>, ...states: LiveQuestionState[]): EventAudience =>
  states.some((state) => isPublicState(state, row.forum_question_id !== null)) ? READERS : { kind: 'moderators_and_account', accountId: row.asker_id };

const PAST: Record<string, string> = {
  approve: 'approved', dismiss: 'dismissed', highlight: 'highlighted', unhighlight: 'unhighlighted', answer: 'marked answered',
  archive: 'archived', merge: 'merged', edit: 'edited',
};

/**
 * Live questions of a session's Q&A: listing, asking (with the asking
 * limits), editing and withdrawing one's own, votes (one row per person and
 * question, counted on sharded counters), and the moderators' acts, each
 * recorded in the audit record in the act's own transaction. HTTP and socket
 * handlers call these same methods.
 */
@Injectable()
export class LiveQuestionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly events: QaEvents,
    private readonly log: QaEventLog,
    private readonly votes: QaVoteBroadcaster,
  ) {}

  /**
   * The questions the caller may see, popular (most votes first) or recent.
   * `seq` is the Q&A stream's position read before the list: subscribing
   * with `lastSeq: seq` replays whatever changed since.
   */
  async list(actor: MaybeActor, sessionIdOrSlug: string, query: ListLiveQuestionsQuery): Promise<{ items: LiveQuestionView[]; seq: number; countsAsOf: string }> {
    const m = this.dataSource.manager;
    const context = await loadQaContext(m, actor, sessionIdOrSlug);
    const seq = await this.log.position(context.session.id);
    const params: unknown[] = [context.session.id];
    const viewer = actor ? `$${params.push(actor.accountId)}` : undefined;
    const where = ['q.session_id = $1'];
    if (query.state) where.push(`q.state = $${params.push(query.state)}`);
    if (!context.moderator) {
      where.push(viewer ? `(${PUBLIC_QUESTION_SQL} OR (q.asker_id = ${viewer}::uuid AND q.state <> 'merged'))` : PUBLIC_QUESTION_SQL);
    } else if (!query.state) {
      where.push(`q.state NOT IN ('merged', 'withdrawn')`);
    }
    const order = query.sort === 'recent' ? 'q.created_at DESC, q.id DESC' : 'vote_count DESC, q.id';
    const rows: (LiveQuestionRow & { as_of: Date })[] = await m.query(
      `SELECT * FROM (${liveQuestionSelect(viewer, ', statement_timestamp() AS as_of')} WHERE ${where.join(' AND ')}) q
        ORDER BY ${order} LIMIT 1000`,
      params,
    );
    const viewerOf: QuestionViewer = { moderator: context.moderator, accountId: actor?.accountId ?? null };
    return {
      items: rows.map((r) => toLiveQuestionView(r, viewerOf)),
      seq,
      countsAsOf: (rows[0]?.as_of ?? new Date()).toISOString(),
    };
  }

  /** One question as the caller may see it (404 if they may not). */
  async get(actor: MaybeActor, questionId: number, manager: EntityManager = this.dataSource.manager): Promise<LiveQuestionView> {
    const row = await this.load(manager, questionId, actor?.accountId);
    if (!row) throw liveQuestionNotFound();
    const moderator = await moderatesQa(manager, actor, row.session_id);
    if (!isPublicState(row.state, row.forum_question_id !== null) && !moderator && row.asker_id !== actor?.accountId) throw liveQuestionNotFound();
    return toLiveQuestionView(row, { moderator, accountId: actor?.accountId ?? null });
  }

  /**
   * Asks a question: approved at once, or pending when the moderators
   * pre-moderate. Limited per person (guests harder, slow mode) unless the
   * asker moderates; a retry with the same clientId returns the first one.
   */
  async ask(actor: MaybeActor, sessionIdOrSlug: string, dto: AskQuestionDto): Promise<LiveQuestionView> {
    if (!actor) throw unauthenticated(ASK_REFUSALS.unauthenticated);
    const id = await this.events.write(async (m, record) => {
      const context = await loadQaContext(m, actor, sessionIdOrSlug);
      // Held until commit, in the order moderator acts and hand-overs lock (session, then Q&A), in shared modes so askers
      // don't wait for each other: closing or a hand-over waits for this question, or this question sees the Q&A closed.
      await m.query(`SELECT 1 FROM session WHERE id = $1 FOR KEY SHARE`, [context.session.id]);
      const [qa]: LiveQaRow[] = await m.query(`SELECT * FROM live_qa WHERE session_id = $1 FOR SHARE`, [context.session.id]);
      requireAsker(actor, qa ?? null, context.moderator);
      // One ask at a time per person and session: the limits and the clientId check below can't be raced.
      await m.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [qa.session_id, actor.accountId]);
      if (dto.clientId) {
        const [earlier] = await m.query(`SELECT id FROM live_question WHERE asker_id = $1 AND client_id = $2`, [actor.accountId, dto.clientId]);
        if (earlier) return earlier.id as number;
      }
      if (!context.moderator) await this.enforceAskingLimits(m, actor, qa);
      const state: LiveQuestionState = qa.premoderation && !context.moderator ? 'pending' : 'approved';
      const id = await insertLiveQuestion(m, {
        sessionId: qa.session_id, askerId: actor.accountId, anonymous: dto.anonymous ?? false, body: dto.body, state, clientId: dto.clientId ?? null,
      });
      const row = (await this.load(m, id))!;
      record(qa.session_id, 'question.asked', { question: toLiveQuestionView(row, null) }, { questionId: id, audience: audienceOf(row, state) });
      this.recordAnonymousAsker(record, row);
      return id;
    });
    return this.get(actor, id);
  }

  /** The asker changes their question's text (until it is answered). */
  async edit(actor: MaybeActor, questionId: number, dto: EditQuestionDto): Promise<LiveQuestionView> {
    await this.askerChange(actor, questionId, async (m, row) => {
      await reviseQuestionBody(m, row, dto.body, actor!.accountId, false);
      return row.state;
    });
    return this.get(actor, questionId);
  }

  /** The asker takes their question back (until it is answered). */
  async withdraw(actor: MaybeActor, questionId: number): Promise<LiveQuestionView> {
    await this.askerChange(actor, questionId, async (m, row, record) => {
      await setQuestionState(m, row.id, 'withdrawn');
      await this.clearHighlightOf(m, record, row);
      return 'withdrawn';
    });
    return this.get(actor, questionId);
  }

  private async askerChange(
    actor: MaybeActor,
    questionId: number,
    change: (m: EntityManager, row: LiveQuestionRow, record: RecordQaEvent) => Promise<LiveQuestionState>,
  ): Promise<void> {
    if (!actor) throw unauthenticated(ASK_REFUSALS.unauthenticated);
    await this.events.write(async (m, record) => {
      const [found]: { session_id: number }[] = await m.query(`SELECT session_id FROM live_question WHERE id = $1`, [questionId]);
      if (!found) throw liveQuestionNotFound();
      // Session and Q&A first, then the question: the order moderator acts and hand-overs lock in, so the two can't deadlock.
      const context = await loadQaContext(m, actor, found.session_id, true);
      const row = await this.lockAndLoad(m, questionId);
      if (row.asker_id !== actor.accountId) {
        if (isPublicState(row.state, row.forum_question_id !== null) || context.moderator) throw forbidden('not_asker', 'Only the person who asked can change or withdraw this question; moderators use their own actions.');
        throw liveQuestionNotFound();
      }
      requireAsker(actor, context.qa, context.moderator);
      if (!askerMayChange(row.state)) throw conflict('not_editable', `This question is ${row.state} and can no longer be changed or withdrawn.`);
      const after = await change(m, row, record);
      const updated = (await this.load(m, row.id))!;
      record(row.session_id, 'question.updated', { question: toLiveQuestionView(updated, null) }, { questionId: row.id, audience: audienceOf(row, row.state, after) });
    });
  }

  /**
   * Adds (`on`) or takes back the caller's vote; both are idempotent. The
   * vote row is unique per person and question; the count moves on one of
   * the question's 16 counter shards. The question row is held FOR KEY
   * SHARE, so voters don't block each other but a merge or hand-over of the
   * question (FOR UPDATE) waits for them, and they see its outcome.
   */
  async vote(actor: MaybeActor, questionId: number, on: boolean): Promise<VoteResult> {
    if (!actor) throw unauthenticated(ASK_REFUSALS.unauthenticated);
    const { sessionId, changed, counted } = await this.dataSource.transaction(async (m) => {
      const [q]: (Pick<LiveQuestionRow, 'session_id' | 'state' | 'asker_id'> & Pick<LiveQaRow, 'allow_guests'> & { qa_state: LiveQaRow['state']; public_now: boolean })[] = await m.query(
        `SELECT q.session_id, q.state, q.asker_id, qa.state AS qa_state, qa.allow_guests, ${PUBLIC_QUESTION_SQL} AS public_now
           FROM live_question q JOIN live_qa qa ON qa.session_id = q.session_id
          WHERE q.id = $1 FOR KEY SHARE OF q`,
        [questionId],
      );
      if (!q) throw liveQuestionNotFound();
      const publicNow = q.public_now;
      // Being a moderator matters only for a hidden question or a closed Q&A: only then is it looked up.
      const moderator = publicNow && q.qa_state === 'open' ? false : await moderatesQa(m, actor, q.session_id);
      if (!publicNow && !moderator && q.asker_id !== actor.accountId) throw liveQuestionNotFound();
      requireAsker(actor, { state: q.qa_state, allow_guests: q.allow_guests, session_id: q.session_id }, moderator);
      if (!votable(q.state)) throw conflict('not_votable', `This question is ${q.state}; only approved questions take votes.`);
      const changed = await setVote(m, questionId, actor.accountId, on);
      // Read in the same transaction (no second connection): this vote plus every one committed before.
      return { sessionId: q.session_id, changed, counted: await this.votes.countsOf([questionId], m) };
    });
    if (changed) this.votes.changed(sessionId, questionId);
    return { questionId, voteCount: counted.counts[0]?.voteCount ?? 0, viewerVoted: on, asOf: counted.asOf };
  }

  /**
   * A moderator's act on a question (approve, dismiss, highlight,
   * unhighlight, answer, archive, merge, edit), recorded with who, when,
   * before and after in the same transaction. Moderator acts of a session
   * are serialised on its Q&A row, which also makes "one highlighted
   * question per session" a plain column.
   */
  async moderate(actor: MaybeActor, questionId: number, dto: ModerateDto): Promise<{ question: LiveQuestionView; into?: LiveQuestionView }> {
    const result = await this.events.write(async (m, record) => {
      const [found]: { session_id: number }[] = await m.query(`SELECT session_id FROM live_question WHERE id = $1`, [questionId]);
      if (!found) throw liveQuestionNotFound();
      const context = await loadQaContext(m, actor, found.session_id, true);
      requireQaModerator(actor, context);
      const qa = context.qa!;
      const moderator = actor as Actor;
      // Both questions of a merge are locked in id order, so two crossing merges can't deadlock.
      const lockIds = dto.action === 'merge' && dto.intoId !== undefined ? [questionId, dto.intoId].sort((a, b) => a - b) : [questionId];
      await m.query(`SELECT id FROM live_question WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE`, [lockIds]);
      const row = (await this.load(m, questionId))!;
      if (!transitionAllowed(dto.action, row.state)) {
        throw conflict('invalid_transition', `This question is ${row.state}, so it can't be ${PAST[dto.action]}.`);
      }
      const before = snapshot(row);
      const sessionId = row.session_id;
      let into: LiveQuestionRow | null = null;
      let reason: string | null = null;
      let highlightChange: { questionId: number | null; previousId: number | null } | null = null;
      switch (dto.action) {
        case 'approve':
          await setQuestionState(m, row.id, 'approved');
          break;
        case 'dismiss':
          reason = dto.reason || null;
          await setQuestionState(m, row.id, 'dismissed', reason);
          break;
        case 'highlight':
          await setHighlighted(m, sessionId, row.id);
          highlightChange = { questionId: row.id, previousId: qa.highlighted_question_id };
          break;
        case 'unhighlight':
          break; // below: clears it if it is this question
        case 'answer':
          await setQuestionState(m, row.id, 'answered');
          break;
        case 'archive':
          await setQuestionState(m, row.id, 'archived');
          break;
        case 'merge':
          into = await this.merge(m, row, dto.intoId!);
          break;
        case 'edit':
          await reviseQuestionBody(m, row, dto.body!, moderator.accountId, true);
          break;
      }
      // Only an approved question stays on screen.
      if (dto.action !== 'highlight' && dto.action !== 'edit' && dto.action !== 'approve') highlightChange = await this.clearHighlightOf(m, null, row);
      const after = (await this.load(m, row.id))!;
      await recordQaAct(m, {
        sessionId, questionId: row.id, actorId: moderator.accountId, action: dto.action, before, after: { ...snapshot(after), ...(into ? { mergedIntoId: into.id } : {}) }, reason,
      });

      const audience = audienceOf(row, row.state, after.state);
      // Only moderators and the asker get a hidden question's events: they may read the dismiss reason.
      const question = toLiveQuestionView(after, null, { withReason: audience.kind !== 'readers' });
      if (dto.action === 'merge') {
        const target = (await this.load(m, into!.id))!;
        record(sessionId, 'question.merged', { question, into: toLiveQuestionView(target, null) }, { questionId: row.id, audience });
        record(sessionId, 'question.updated', { question: toLiveQuestionView(target, null) }, { questionId: target.id, audience: READERS });
        into = target;
      } else if (dto.action !== 'highlight' && dto.action !== 'unhighlight') {
        record(sessionId, 'question.updated', { question }, { questionId: row.id, audience });
        // Attendees who saw it learn it was dismissed (their events lose its text: QaEventLog); the asker and
        // the moderators also hear why, and keep the text, which they may still read.
        if (dto.action === 'dismiss' && audience.kind === 'readers') {
          record(sessionId, 'question.updated', { question: toLiveQuestionView(after, null, { withReason: true }) }, {
            questionId: row.id,
            audience: { kind: 'moderators_and_account', accountId: row.asker_id },
          });
        }
      }
      if (highlightChange) {
        const shown = highlightChange.questionId === null ? null : toLiveQuestionView(after, null);
        record(sessionId, 'question.highlighted', { ...highlightChange, question: shown }, { audience: READERS });
      }
      return { sessionId, intoId: into?.id ?? null };
    });
    if (result.intoId !== null) this.votes.changed(result.sessionId, result.intoId);
    return {
      question: await this.get(actor, questionId),
      ...(result.intoId !== null ? { into: await this.get(actor, result.intoId) } : {}),
    };
  }

  /**
   * Merges `source` into `intoId`: the votes of people who hadn't voted for
   * the target are added to it (a person who voted for both counts once),
   * questions earlier merged into the source follow it, and the askers stay
   * attached (their questions point at the target).
   */
  private async merge(m: EntityManager, source: LiveQuestionRow, intoId: number): Promise<LiveQuestionRow> {
    const target = await this.load(m, intoId);
    if (!target || target.session_id !== source.session_id) {
      throw conflict('merge_target_invalid', 'Merge into a question of the same session (intoId).');
    }
    if (target.id === source.id || !MERGE_TARGET_STATES.includes(target.state)) {
      throw conflict('merge_target_invalid', `A question can only be merged into another approved or answered question; question ${intoId} is ${target.state}.`);
    }
    await mergeQuestion(m, source.id, target.id);
    return target;
  }

  /** Takes a question off screen if it is the highlighted one; records the change when `record` is given. */
  private async clearHighlightOf(m: EntityManager, record: RecordQaEvent | null, row: LiveQuestionRow): Promise<{ questionId: null; previousId: number } | null> {
    if (!(await clearHighlightIf(m, row.session_id, row.id))) return null;
    const change = { questionId: null, previousId: row.id };
    record?.(row.session_id, 'question.highlighted', { ...change, question: null }, { audience: READERS });
    return change;
  }

  /** Moderators learn who asked an anonymous question (attendees' payloads never carry it). */
  recordAnonymousAsker(record: RecordQaEvent, row: LiveQuestionRow): void {
    if (!row.anonymous) return;
    record(row.session_id, 'question.asker', { questionId: row.id, asker: { id: row.asker_id, displayName: row.asker_name, guest: row.asker_guest } }, {
      questionId: row.id,
      audience: MODERATORS,
    });
  }

  /**
   * Per person and session: at most N questions per window (guests fewer),
   * and the slow-mode gap between two. The caller holds the per-person
   * advisory lock, so two questions sent at once can't both slip through.
   */
  private async enforceAskingLimits(m: EntityManager, actor: Actor, qa: LiveQaRow): Promise<void> {
    const limits = askingLimits(this.config, actor.guestSessionId !== undefined, qa.slow_mode_seconds);
    const lookBack = Math.max(limits.windowSeconds, limits.minIntervalSeconds);
    const [row]: { now_ms: number; recent: number[] | null }[] = await m.query(
      `SELECT extract(epoch FROM clock_timestamp()) * 1000 AS now_ms,
              (SELECT array_agg(extract(epoch FROM created_at) * 1000 ORDER BY created_at) FROM live_question
                WHERE session_id = $1 AND asker_id = $2 AND created_at > clock_timestamp() - make_interval(secs => $3)) AS recent`,
      [qa.session_id, actor.accountId, lookBack],
    );
    const wait = askWaitMs(limits, (row.recent ?? []).map(Number), Number(row.now_ms));
    if (wait > 0) throw new RateLimited(wait, 'asking questions');
  }

  /** A question with its counts, or null. */
  async load(m: EntityManager, questionId: number, viewerId?: string): Promise<LiveQuestionRow | null> {
    const params: unknown[] = [questionId];
    const viewer = viewerId ? `$${params.push(viewerId)}` : undefined;
    const [row]: LiveQuestionRow[] = await m.query(`${liveQuestionSelect(viewer)} WHERE q.id = $1`, params);
    return row ?? null;
  }

  private async lockAndLoad(m: EntityManager, questionId: number): Promise<LiveQuestionRow> {
    const [locked] = await m.query(`SELECT id FROM live_question WHERE id = $1 FOR UPDATE`, [questionId]);
    if (!locked) throw liveQuestionNotFound();
    return (await this.load(m, questionId))!;
  }
}

/** What an act changed, for the action record. */
function snapshot(row: LiveQuestionRow): Record<string, unknown> {
  return { state: row.state, body: row.body, highlighted: row.highlighted, voteCount: Number(row.vote_count), dismissReason: row.dismiss_reason };
}
