import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor, MaybeActor } from '../auth/actor.js';
import { conflict, type AppException } from '../common/app-exception.js';
import { hiddenAs } from '../discussions/discussion-errors.js';
import { ForumAccessService, type ForumAccess } from '../forums/forum-access.service.js';
import { MODERATORS } from '../events/forum-event.js';
import { ForumEventsService, type RecordEvent } from '../events/forum-events.service.js';
import type { ActTargetKind, ModerationActionView } from './dto/moderation.views.js';
import { FORUM_ACTS, recordForumActs, type ForumAct } from '../audit/audit-record.js';

/** Every act the record holds (the AuditRecord migration's CHECK lists the same). */
export const MODERATION_ACTS = [
  'reply.hide', 'reply.unhide', 'reply.delete', 'reply.edit', 'reply.move', 'reply.feature', 'reply.unfeature',
  'reply.approve', 'reply.reject', 'flag.uphold', 'flag.dismiss',
  'question.pin', 'question.unpin', 'question.lock', 'question.unlock', 'question.close', 'question.reopen',
  'question.reorder', 'question.merge', 'question.synthesis', 'question.slow_mode', 'question.edit',
  'forum.settings', 'member.silence', 'member.unsilence', 'question.approve', 'question.reject',
] as const;
export type ModerationActName = (typeof MODERATION_ACTS)[number];

/** One row for the record, as an act describes it (the audit record's forum act, with the names typed). */
export interface ActRecord extends ForumAct {
  act: ModerationActName;
  targetKind: ActTargetKind;
}

/** What an act's work gets: the transaction, its event recorder, and the checked access. */
export interface ActContext {
  m: EntityManager;
  record: RecordEvent;
  access: ForumAccess;
  actor: Actor;
  forumId: number;
}

/** Where an act lands: the forum whose moderators may do it, and the "not found" its target answers when hidden. */
export interface ActTarget {
  forumId: number;
  notFound: () => AppException;
}

export interface ActionRow {
  id: string;
  forum_id: number;
  actor_id: string | null;
  actor_name: string | null;
  act: string;
  target_kind: ActTargetKind;
  target_id: string;
  question_id: number | null;
  target_author_id: string | null;
  target_author_name: string | null;
  reason: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  created_at: Date;
}

/** Columns of a record row view, on `ma` with its actor `aa` and target author `ta` joined. */
export const ACTION_COLUMNS = `ma.id, ma.forum_id, ma.actor_id, aa.display_name AS actor_name, ma.act, ma.target_kind, ma.target_id, ma.question_id,
  ma.target_author_id, ta.display_name AS target_author_name, ma.reason, ma.before, ma.after, ma.created_at`;
export const ACTION_JOINS = `LEFT JOIN account aa ON aa.id = ma.actor_id LEFT JOIN account ta ON ta.id = ma.target_author_id`;

export function toActionView(row: ActionRow): ModerationActionView {
  return {
    id: String(row.id),
    forumId: row.forum_id,
    act: row.act,
    actor: row.actor_id ? { id: row.actor_id, displayName: row.actor_name ?? '' } : null,
    targetKind: row.target_kind,
    targetId: row.target_id,
    questionId: row.question_id,
    targetAuthor: row.target_author_id ? { id: row.target_author_id, displayName: row.target_author_name ?? '' } : null,
    reason: row.reason,
    before: row.before,
    after: row.after,
    createdAt: row.created_at,
  };
}

const forumArchived = () => conflict('forum_archived', 'This forum is archived and read-only.');

/**
 * The one helper every moderator's act goes through (as NodeBB's): in one
 * transaction it checks that the caller moderates the target's forum, does
 * the act, writes its rows to the record and queues the events; the events
 * are published after commit. HTTP and the socket's `moderation.act` both
 * end here, so the rule is checked once.
 */
@Injectable()
export class ModerationActs {
  constructor(
    private readonly forumAccess: ForumAccessService,
    private readonly events: ForumEventsService,
  ) {}

  /**
   * Runs an act: `locate` finds the target's forum (inside the transaction),
   * then the caller must moderate it (404 when they can't read it, as for a
   * target that doesn't exist; 401; 403 not_moderator; 409 in an archived
   * forum); `work` acts and returns what to record (nothing: a no-op).
   */
  async run<T>(
    actor: MaybeActor,
    locate: (m: EntityManager) => Promise<ActTarget>,
    work: (ctx: ActContext) => Promise<{ result: T; records: ActRecord[] }>,
  ): Promise<{ result: T; actions: ModerationActionView[] }> {
    return this.events.runAndPublish(async (m, record) => {
      const target = await locate(m);
      const access = await hiddenAs(target.notFound, this.forumAccess.moderating(actor, target.forumId, m));
      if (access.forum.state === 'archived') throw forumArchived();
      const { result, records } = await work({ m, record, access, actor: actor!, forumId: target.forumId });
      const actions = await this.write(m, actor?.accountId ?? null, target.forumId, records);
      for (const action of actions) record(target.forumId, 'moderation.action', { action }, { questionId: action.questionId, audience: MODERATORS });
      return { result, actions };
    });
  }

  /**
   * Writes record rows in the caller's transaction and returns them as views.
   * For writes that checked the moderator's privilege themselves (a moderator
   * editing someone's reply through PATCH /replies/:id, the flag threshold);
   * the caller then queues their `moderation.action` events.
   */
  async write(m: EntityManager, actorId: string | null, forumId: number, records: ActRecord[]): Promise<ModerationActionView[]> {
    const ids = await recordForumActs(m, forumId, actorId, records);
    if (ids.length === 0) return [];
    const rows: ActionRow[] = await m.query(`SELECT ${ACTION_COLUMNS} FROM ${FORUM_ACTS} ma ${ACTION_JOINS} WHERE ma.id = ANY($1::bigint[]) ORDER BY ma.id`, [ids]);
    return rows.map(toActionView);
  }
}
