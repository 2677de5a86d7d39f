import { HttpStatus } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { isGuest, type MaybeActor } from '../auth/actor.js';
import { AppException, notFound, unauthenticated } from '../common/app-exception.js';
import { findSession } from '../sessions/session-lookup.js';
import type { Session } from '../sessions/session.entity.js';
import { askRefusal, ASK_REFUSALS, type QaState } from './qa-policy.js';

/** A session's Q&A row as stored (null before it was first opened). */
export interface LiveQaRow {
  session_id: number;
  state: QaState;
  premoderation: boolean;
  allow_guests: boolean;
  slow_mode_seconds: number;
  started_at: Date | null;
  highlighted_question_id: number | null;
  handed_over_at: Date | null;
  hand_over_forum_id: number | null;
  /** The poll on the presenter screen. */
  on_screen_poll_id: number | null;
  /** The short join code of the presenter screen (/j/CODE), made on first use. */
  join_code: string | null;
}

/** A session's Q&A as one caller sees it. */
export interface QaContext {
  session: Session;
  qa: LiveQaRow | null;
  moderator: boolean;
}

/**
 * The session and its Q&A, with whether the caller moderates it: admins and
 * the session's moderators (session_moderator); never a guest. With `lock`,
 * the session and Q&A rows are held (FOR UPDATE) until the transaction
 * ends, which serialises a session's moderator acts, state changes and
 * hand-overs.
 */
export async function loadQaContext(manager: EntityManager, actor: MaybeActor, sessionIdOrSlug: string | number, lock = false): Promise<QaContext> {
  const session = await findSession(manager, String(sessionIdOrSlug), lock);
  const [qa]: LiveQaRow[] = await manager.query(`SELECT * FROM live_qa WHERE session_id = $1${lock ? ' FOR UPDATE' : ''}`, [session.id]);
  return { session, qa: qa ?? null, moderator: await moderatesQa(manager, actor, session.id) };
}

export async function moderatesQa(manager: EntityManager, actor: MaybeActor, sessionId: number): Promise<boolean> {
  if (!actor || isGuest(actor)) return false;
  if (actor.role === 'admin') return true;
  const [row] = await manager.query(`SELECT 1 FROM session_moderator WHERE session_id = $1 AND account_id = $2`, [sessionId, actor.accountId]);
  return !!row;
}

export function requireQaModerator(actor: MaybeActor, context: QaContext): void {
  if (!actor) throw unauthenticated("Sign in as a moderator of this session to run its Q&A.");
  if (!context.moderator) throw new AppException(HttpStatus.FORBIDDEN, 'not_qa_moderator', "Only this session's moderators and admins can do this.");
}

/** Throws the refusal (401, 403 or 409) when the caller may not ask or vote. */
export function requireAsker(actor: MaybeActor, row: Pick<LiveQaRow, 'state' | 'allow_guests' | 'session_id'> | null, moderator: boolean): void {
  const qa = row ? { state: row.state, allowGuests: row.allow_guests, sessionId: row.session_id } : null;
  const refusal = askRefusal(qa, actor, moderator);
  if (!refusal) return;
  if (refusal === 'unauthenticated') throw unauthenticated(ASK_REFUSALS.unauthenticated);
  throw new AppException(refusal === 'qa_not_open' ? HttpStatus.CONFLICT : HttpStatus.FORBIDDEN, refusal, ASK_REFUSALS[refusal]);
}

export const liveQuestionNotFound = () => notFound('The live question', 'live_question_not_found');
