import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { isGuest, type Actor, type MaybeActor } from '../auth/actor.js';
import { LoginSessionsService, type ClientInfo } from '../auth/login-sessions.service.js';
import { insertGuestAccount } from '../auth/accounts.js';
import { randomInt } from 'node:crypto';
import { conflict, forbidden, notFound } from '../common/app-exception.js';
import { AppConfig } from '../config/app-config.js';
import { MarkdownService } from '../discussions/markdown.service.js';
import { ForumEventsService } from '../events/forum-events.service.js';
import { READERS } from '../events/forum-event.js';
import type { UpdateQaDto } from './dto/live-qa-input.dto.js';
import { handOver, handOverPreview, planHandOver } from './hand-over.js';
import { liveQuestionSelect, toLiveQuestionView, type HandOverPreview, type HandOverResult, type LiveQuestionRow, type QaActionView, type QaSettingsView, type QaView } from './live-qa.views.js';
import { loadQaContext, requireQaModerator, type LiveQaRow, type QaContext } from './qa-access.js';
import { askingLimits, askRefusal, ASK_REFUSALS, MAX_QUESTION_LENGTH, type PendingChoice } from './qa-policy.js';
import { QaEvents, type RecordQaEvent } from './qa-stream.js';
import type { Session } from '../sessions/session.entity.js';
import { updateSession } from '../sessions/session-store.js';
import { QA_ACTS, recordQaAct } from '../audit/audit-record.js';
import { changeQaSettings, createQa, setJoinCode, setQaState } from './live-qa-store.js';

/** Join codes avoid letters and digits that read alike on a projector (0/O, 1/I/L). */
const JOIN_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A guest's sign-in lasts this long: a session's Q&A, not a membership. */
const GUEST_TTL_MS = 12 * 60 * 60_000;

const SETTINGS = ['premoderation', 'allowGuests', 'slowModeSeconds'] as const;
const COLUMN: Record<(typeof SETTINGS)[number], 'premoderation' | 'allow_guests' | 'slow_mode_seconds'> = { premoderation: 'premoderation', allowGuests: 'allow_guests', slowModeSeconds: 'slow_mode_seconds' };

/**
 * A session's live Q&A as a whole: what it is now (for each viewer), its
 * settings and state (moderators), the session's state (live / ended: ending
 * hands the open questions over to the forum), guests joining by name, and
 * the record of moderators' acts.
 */
@Injectable()
export class LiveQaService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly events: QaEvents,
    private readonly sessions: LoginSessionsService,
    private readonly markdown: MarkdownService,
    private readonly forumEvents: ForumEventsService,
  ) {}

  async get(actor: MaybeActor, sessionIdOrSlug: string): Promise<QaView> {
    const m = this.dataSource.manager;
    const context = await loadQaContext(m, actor, sessionIdOrSlug);
    return this.view(m, actor, context);
  }

  /**
   * Opens or closes the Q&A, changes its settings, or the session's state
   * (moderators). The first change creates the Q&A (closed unless opened).
   * Setting the session live opens it; ending the session closes it and
   * hands its open questions over, all in one transaction.
   */
  async update(actor: MaybeActor, sessionIdOrSlug: string, dto: UpdateQaDto): Promise<QaView> {
    await this.events.write(async (m, record, afterCommit) => {
      const context = await loadQaContext(m, actor, sessionIdOrSlug, true);
      requireQaModerator(actor, context);
      const moderator = actor as Actor;
      const sessionId = context.session.id;
      const act = (action: string, before: unknown, after: unknown) => recordQaAct(m, { sessionId, actorId: moderator.accountId, action, before, after });
      let qa = context.qa;
      if (!qa) {
        qa = await createQa(m, sessionId);
      }
      const settings = SETTINGS.filter((k) => dto[k] !== undefined && dto[k] !== (qa as unknown as Record<string, unknown>)[COLUMN[k]]);
      if (settings.length) {
        const before = Object.fromEntries(settings.map((k) => [k, (qa as unknown as Record<string, unknown>)[COLUMN[k]]]));
        const after = Object.fromEntries(settings.map((k) => [k, dto[k]]));
        await changeQaSettings(m, sessionId, Object.fromEntries(settings.map((k) => [COLUMN[k], dto[k]])));
        await act('settings', before, after);
      }
      let state = dto.state ?? (context.qa ? qa!.state : undefined);
      if (dto.sessionState && dto.sessionState !== context.session.state) {
        await updateSession(m, sessionId, { state: dto.sessionState });
        await act('session_state', { state: context.session.state }, { state: dto.sessionState });
        if (dto.sessionState === 'live') state = 'open';
        if (dto.sessionState === 'ended') state = 'closed';
      }
      if (state && state !== qa!.state) {
        await setQaState(m, sessionId, state);
        await act(state === 'open' ? 'open' : 'close', { state: qa!.state }, { state });
      }
      if (dto.sessionState === 'ended' && context.session.state !== 'ended') {
        const [locked]: LiveQaRow[] = await m.query(`SELECT * FROM live_qa WHERE session_id = $1`, [sessionId]);
        const session = { ...context.session, state: 'ended' as const };
        await handOver(m, { markdown: this.markdown, forumEvents: this.forumEvents }, moderator, session, locked, record, afterCommit, dto.pending);
      }
      await this.recordUpdated(m, record, sessionId);
    });
    return this.get(actor, sessionIdOrSlug);
  }

  /**
   * The session was set ended outside the Q&A (the catalogue's PATCH, by an
   * admin), inside that write's transaction, which holds the session row:
   * the Q&A closes and hands over in the same transaction. Returns what to
   * run after the commit (publishing the events).
   */
  async sessionEnded(m: EntityManager, actor: Actor, session: Session): Promise<() => void> {
    const { publish } = await this.events.within(m, async (tx, record, afterCommit) => {
      const [qa]: LiveQaRow[] = await tx.query(`SELECT * FROM live_qa WHERE session_id = $1 FOR UPDATE`, [session.id]);
      if (!qa) return;
      if (qa.state === 'open') {
        await setQaState(tx, session.id, 'closed');
        await recordQaAct(tx, { sessionId: session.id, actorId: actor.accountId, action: 'close', before: { state: 'open' }, after: { state: 'closed' } });
      }
      await handOver(tx, { markdown: this.markdown, forumEvents: this.forumEvents }, actor, session, qa, record, afterCommit);
      await this.recordUpdated(tx, record, session.id);
    });
    return publish;
  }

  /**
   * What handing over would do now (moderators), read as the hand-over
   * reads it: the questions it carries, the pending ones and what becomes of
   * them, the polls whose results travel and where, the forum it goes to.
   */
  async handOverPreview(actor: MaybeActor, sessionIdOrSlug: string, pending: PendingChoice = 'keep'): Promise<HandOverPreview> {
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const context = await loadQaContext(m, actor, sessionIdOrSlug);
      requireQaModerator(actor, context);
      if (!context.qa) throw conflict('qa_not_open', 'This session has no Q&A yet, so there is nothing to hand over.');
      return handOverPreview(await planHandOver(m, context.session, context.qa, pending));
    });
  }

  /** Hands the open questions (and poll results) over now (moderators); a second call creates nothing more. */
  async handOver(actor: MaybeActor, sessionIdOrSlug: string, pending: PendingChoice = 'keep'): Promise<HandOverResult> {
    return this.events.write(async (m, record, afterCommit) => {
      const context = await loadQaContext(m, actor, sessionIdOrSlug, true);
      requireQaModerator(actor, context);
      if (!context.qa) throw conflict('qa_not_open', 'This session has no Q&A yet, so there is nothing to hand over.');
      const result = await handOver(m, { markdown: this.markdown, forumEvents: this.forumEvents }, actor as Actor, context.session, context.qa, record, afterCommit, pending);
      await this.recordUpdated(m, record, context.session.id);
      return result;
    });
  }

  /**
   * Joins the Q&A as a guest with a name: a guest account (no email, no
   * password) and a browser sign-in valid for GUEST_TTL_MS, which counts
   * only in this session's Q&A. Only when the moderators allow guests.
   */
  async joinAsGuest(actor: MaybeActor, sessionIdOrSlug: string, displayName: string, client: ClientInfo) {
    if (actor) throw conflict('already_signed_in', isGuest(actor) ? 'You have already joined as a guest.' : 'You are signed in; take part with your account.');
    return this.dataSource.transaction(async (m) => {
      const context = await loadQaContext(m, null, sessionIdOrSlug);
      if (!context.qa?.allow_guests) throw forbidden('guests_not_allowed', 'The moderators of this Q&A have not opened it to guests. Sign in to take part.');
      if (context.qa.state !== 'open') throw conflict('qa_not_open', ASK_REFUSALS.qa_not_open);
      const account = await insertGuestAccount(m, context.session.id, displayName);
      const issued = await this.sessions.issue(m, account.id, 'cookie', client, { ttlMs: GUEST_TTL_MS });
      return {
        secret: issued.secret,
        expiresAt: issued.expiresAt,
        view: { account: { id: account.id, displayName: account.display_name, guest: true, sessionId: context.session.id }, expiresAt: issued.expiresAt },
      };
    });
  }

  /**
   * The presenter screen's short join code (moderators): made once, six
   * letters and digits without look-alikes, so `/j/CODE` can be typed from
   * a projector; the same code afterwards.
   */
  async joinCode(actor: MaybeActor, sessionIdOrSlug: string): Promise<{ code: string; path: string }> {
    const code = await this.events.write(async (m, record) => {
      const context = await loadQaContext(m, actor, sessionIdOrSlug, true);
      requireQaModerator(actor, context);
      if (context.qa?.join_code) return context.qa.join_code;
      if (!context.qa) await createQa(m, context.session.id);
      for (;;) {
        const candidate = Array.from({ length: 6 }, () => JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)]).join('');
        const [taken] = await m.query(`SELECT 1 FROM live_qa WHERE join_code = $1`, [candidate]);
        if (taken) continue;
        await setJoinCode(m, context.session.id, candidate);
        await this.recordUpdated(m, record, context.session.id);
        return candidate;
      }
    });
    return { code, path: `/j/${code}` };
  }

  /** The session a join code opens (anyone: the code is on the screen for everyone); case-insensitive. */
  async findByJoinCode(code: string): Promise<{ sessionId: number; sessionSlug: string }> {
    const [row]: { id: number; slug: string }[] = await this.dataSource.query(
      `SELECT s.id, s.slug FROM live_qa qa JOIN session s ON s.id = qa.session_id WHERE qa.join_code = upper($1)`,
      [code],
    );
    if (!row) throw notFound('The join code', 'join_code_not_found');
    return { sessionId: row.id, sessionSlug: row.slug };
  }

  /** The record of moderators' acts, newest first (moderators). */
  async actions(actor: MaybeActor, sessionIdOrSlug: string): Promise<{ items: QaActionView[] }> {
    const context = await loadQaContext(this.dataSource.manager, actor, sessionIdOrSlug);
    requireQaModerator(actor, context);
    const rows: { id: string; question_id: number | null; action: string; actor_id: string | null; display_name: string | null; before: unknown; after: unknown; reason: string | null; created_at: Date }[] =
      await this.dataSource.query(
        `SELECT x.id, x.question_id, x.action, x.actor_id, a.display_name, x.before, x.after, x.reason, x.created_at
           FROM ${QA_ACTS} x LEFT JOIN account a ON a.id = x.actor_id
          WHERE x.session_id = $1 ORDER BY x.id DESC LIMIT 500`,
        [context.session.id],
      );
    return {
      items: rows.map((r) => ({
        id: Number(r.id),
        questionId: r.question_id,
        action: r.action,
        actor: r.actor_id ? { id: r.actor_id, displayName: r.display_name ?? '' } : null,
        before: r.before,
        after: r.after,
        reason: r.reason,
        at: r.created_at,
      })),
    };
  }

  private async recordUpdated(m: EntityManager, record: RecordQaEvent, sessionId: number): Promise<void> {
    const context = await loadQaContext(m, null, sessionId);
    record(sessionId, 'qa.updated', { qa: await this.settingsView(m, context) }, { audience: READERS });
  }

  private async settingsView(m: EntityManager, context: QaContext): Promise<QaSettingsView> {
    const { session, qa } = context;
    let highlighted = null;
    if (qa?.highlighted_question_id) {
      const [row]: LiveQuestionRow[] = await m.query(`${liveQuestionSelect()} WHERE q.id = $1`, [qa.highlighted_question_id]);
      if (row) highlighted = toLiveQuestionView(row, null);
    }
    const [forum]: { id: number; slug: string; title: string }[] = qa?.hand_over_forum_id
      ? await m.query(`SELECT id, slug, title FROM forum WHERE id = $1`, [qa.hand_over_forum_id])
      : [];
    return {
      sessionId: session.id,
      sessionSlug: session.slug,
      sessionTitle: session.title,
      sessionState: session.state,
      state: qa?.state ?? 'not_open',
      premoderation: qa?.premoderation ?? false,
      allowGuests: qa?.allow_guests ?? false,
      slowModeSeconds: qa?.slow_mode_seconds ?? 0,
      startedAt: qa?.started_at ?? null,
      highlightedQuestionId: qa?.highlighted_question_id ?? null,
      highlighted,
      handedOverAt: qa?.handed_over_at ?? null,
      handOverForum: forum ?? null,
      onScreenPollId: qa?.on_screen_poll_id ?? null,
      joinCode: qa?.join_code ?? null,
    };
  }

  private async view(m: EntityManager, actor: MaybeActor, context: QaContext): Promise<QaView> {
    const qa = context.qa;
    const refusal = askRefusal(qa ? { state: qa.state, allowGuests: qa.allow_guests, sessionId: qa.session_id } : null, actor, context.moderator);
    const limits = askingLimits(this.config, isGuest(actor), qa?.slow_mode_seconds ?? 0);
    return {
      ...(await this.settingsView(m, context)),
      limits: { maxBodyLength: MAX_QUESTION_LENGTH, ...limits },
      viewer: {
        accountId: actor?.accountId ?? null,
        displayName: actor?.displayName ?? null,
        guest: isGuest(actor),
        canModerate: context.moderator,
        canAsk: refusal === null,
        askRefusal: refusal ? { code: refusal, message: ASK_REFUSALS[refusal] } : null,
      },
    };
  }
}
