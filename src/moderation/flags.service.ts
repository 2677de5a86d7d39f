import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MaybeActor } from '../auth/actor.js';
import { conflict, forbidden, unauthenticated } from '../common/app-exception.js';
import { decodePageCursor, encodeCursor, isIdText, isTimestamp, sqlTimestampKey } from '../common/cursor.js';
import { AppConfig } from '../config/app-config.js';
import { hiddenAs, replyDeleted, replyNotFound } from '../discussions/discussion-errors.js';
import type { QuestionView } from '../discussions/dto/discussion.views.js';
import { QuestionsService } from '../discussions/questions.service.js';
import { findReply, replyColumns, toReplyView, type ReplyRow } from '../discussions/reply-queries.js';
import { canSeeReply } from '../discussions/reply-visibility.js';
import { ForumAccessService } from '../forums/forum-access.service.js';
import { MODERATORS } from '../events/forum-event.js';
import { ForumEventsService } from '../events/forum-events.service.js';
import type { CreateFlagDto, MyFlagsQuery, QueueQuery } from './dto/flag-input.dto.js';
import { FLAG_REASONS, type FlagReason, type MyFlagPage, type MyFlagView, type QueueItem, type QueuePage } from './dto/moderation.views.js';
import { toMyFlagView, type FlagRow } from './flag-queries.js';
import { insertFlag } from './flag-store.js';
import { ModerationActs } from './moderation-acts.js';
import { queueChanged, ReplyActsService } from './reply-acts.service.js';

/** Shown in the place of a reply the flag threshold hid. */
const HIDDEN_BY_FLAGS_REASON = 'Hidden after several members flagged it; a moderator will review it.';

type QueueKind = 'flags' | 'pending' | 'question';
const isQueueKind = (v: unknown): v is QueueKind => v === 'flags' || v === 'pending' || v === 'question';

/**
 * Members flag replies; moderators work through the queue. A member flags a
 * reply once (reply_flag_once_key); when the forum's threshold of distinct
 * members is reached the reply is hidden pending review, recorded as the
 * system's act. Resolving flags is a moderator's act (ReplyActsService).
 */
@Injectable()
export class FlagsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly forumAccess: ForumAccessService,
    private readonly events: ForumEventsService,
    private readonly acts: ModerationActs,
    private readonly replyActs: ReplyActsService,
    private readonly config: AppConfig,
    private readonly questions: QuestionsService,
  ) {}

  async flag(actor: MaybeActor, replyId: string, dto: CreateFlagDto): Promise<MyFlagView> {
    return this.events.runAndPublish(async (m, record) => {
      // The reply's row lock queues flags of one reply, so the threshold is crossed exactly once.
      const reply = await findReply(m, replyId, { lock: true });
      if (!reply) throw replyNotFound();
      const access = await hiddenAs(replyNotFound, this.forumAccess.participating(actor, reply.forum_id, m));
      const flagger = actor!;
      if (!canSeeReply({ canModerate: access.canModerate, accountId: flagger.accountId }, reply)) throw replyNotFound();
      if (reply.author_id === flagger.accountId) throw forbidden('own_reply', 'You can\'t flag your own reply; edit or delete it instead.');
      if (reply.state === 'deleted') throw replyDeleted();
      if (reply.state !== 'visible' && reply.state !== 'hidden') throw conflict('reply_not_visible', 'This reply is not visible to members, so it can\'t be flagged.');
      const flag = await insertFlag(m, { replyId: reply.id, forumId: reply.forum_id, accountId: flagger.accountId, reason: dto.reason, note: dto.note ?? null });
      if (!flag) throw conflict('already_flagged', 'You have already flagged this reply; the moderators will review it.');
      const [{ open, threshold }]: { open: number; threshold: number | null }[] = await m.query(
        `SELECT (SELECT count(*)::int FROM reply_flag WHERE reply_id = $1 AND state = 'open') AS open,
                (SELECT flag_threshold FROM forum WHERE id = $2) AS threshold`,
        [reply.id, reply.forum_id],
      );
      queueChanged(record, reply, 'flags', open === 1 ? 'added' : 'updated');
      const limit = threshold ?? this.config.FLAG_THRESHOLD;
      if (reply.state === 'visible' && open >= limit) {
        const hidden = await this.replyActs.hideIn(m, record, reply.forum_id, reply, HIDDEN_BY_FLAGS_REASON, true);
        const actions = await this.acts.write(m, null, reply.forum_id, [{
          act: 'reply.hide', targetKind: 'reply', targetId: reply.id, questionId: reply.question_id, targetAuthorId: reply.author_id,
          reason: `Flagged by ${open} members (the forum's threshold is ${limit}).`,
          before: { state: reply.state, stateReason: reply.state_reason }, after: { state: hidden.state, stateReason: hidden.state_reason },
        }]);
        for (const action of actions) record(reply.forum_id, 'moderation.action', { action }, { questionId: reply.question_id, audience: MODERATORS });
      }
      return toMyFlagView({ ...flag, question_id: reply.question_id });
    });
  }

  /** The caller's flags, newest first, with what became of them. */
  async myFlags(actor: MaybeActor, query: MyFlagsQuery): Promise<MyFlagPage> {
    if (!actor) throw unauthenticated('Sign in to see your flags.');
    const params: unknown[] = [actor.accountId, query.limit + 1, query.forumId ?? null];
    const [beforeId] = decodePageCursor<[string]>(query, [isIdText]) ?? [];
    const before = beforeId ? `AND f.id < $${params.push(beforeId)}` : '';
    const rows: (FlagRow & { question_id: number })[] = await this.dataSource.query(
      `SELECT f.*, r.question_id FROM reply_flag f JOIN reply r ON r.id = f.reply_id
        WHERE f.account_id = $1 AND ($3::int IS NULL OR f.forum_id = $3) ${before}
        ORDER BY f.id DESC LIMIT $2`,
      params,
    );
    const page = rows.slice(0, query.limit);
    return { items: page.map(toMyFlagView), nextCursor: rows.length > query.limit ? encodeCursor([String(page.at(-1)!.id)]) : null };
  }

  /**
   * The moderators' queue of a forum, oldest first: replies with open flags
   * (since their first open flag) and replies awaiting approval (since they
   * were posted). Keyset on (since, reply id, kind).
   */
  async queue(actor: MaybeActor, forumId: number, query: QueueQuery): Promise<QueuePage> {
    await this.forumAccess.moderating(actor, forumId);
    const params: unknown[] = [forumId, query.limit + 1, query.kind];
    let after = '';
    const key = decodePageCursor<[string, string, QueueKind]>(query, [isTimestamp, isIdText, isQueueKind]);
    if (key) {
      const [since, id, kind] = key;
      after = `WHERE (q.since, q.reply_id, q.kind) > ($${params.push(since)}::timestamptz, $${params.push(id)}::bigint, $${params.push(kind)}::text)`;
    }
    const entries: { kind: QueueKind; since: Date; since_key: string; reply_id: string }[] = await this.dataSource.query(
      `SELECT q.kind, q.since, ${sqlTimestampKey('q.since')} AS since_key, q.reply_id::text AS reply_id FROM (
         SELECT 'flags'::text AS kind, min(f.created_at) AS since, f.reply_id FROM reply_flag f
          WHERE f.forum_id = $1 AND f.state = 'open' AND $3 IN ('all', 'flags') GROUP BY f.reply_id
         UNION ALL
         SELECT 'pending'::text, r.created_at, r.id FROM reply r WHERE r.forum_id = $1 AND r.state = 'pending' AND $3 IN ('all', 'pending')
         UNION ALL
         SELECT 'question'::text, pq.created_at, pq.id FROM question pq WHERE pq.forum_id = $1 AND pq.state = 'proposed' AND $3 IN ('all', 'question')
       ) q ${after}
       ORDER BY q.since, q.reply_id, q.kind LIMIT $2`,
      params,
    );
    const page = entries.slice(0, query.limit);
    const ids = page.filter((e) => e.kind !== 'question').map((e) => e.reply_id);
    const proposals = new Map<string, QuestionView>();
    for (const e of page) if (e.kind === 'question') proposals.set(e.reply_id, await this.questions.viewIn(this.dataSource.manager, Number(e.reply_id)));
    const replies: ReplyRow[] = ids.length
      ? await this.dataSource.query(`SELECT ${replyColumns()} FROM reply r JOIN account a ON a.id = r.author_id WHERE r.id = ANY($1::bigint[])`, [ids])
      : [];
    const flags: { id: string; reply_id: string; reason: FlagReason; note: string | null; account_id: string; display_name: string; created_at: Date }[] =
      ids.length
        ? await this.dataSource.query(
            `SELECT f.id, f.reply_id, f.reason, f.note, f.account_id, a.display_name, f.created_at
               FROM reply_flag f JOIN account a ON a.id = f.account_id
              WHERE f.reply_id = ANY($1::bigint[]) AND f.state = 'open' ORDER BY f.id`,
            [ids],
          )
        : [];
    const byId = new Map(replies.map((r) => [String(r.id), r]));
    const items: QueueItem[] = page.map((e) => {
      if (e.kind === 'question') return { kind: 'question', since: e.since, question: proposals.get(e.reply_id)! };
      const reply = toReplyView(byId.get(e.reply_id)!, { withSource: true, canModerate: true });
      if (e.kind === 'pending') return { kind: 'pending', since: e.since, reply };
      const own = flags.filter((f) => String(f.reply_id) === e.reply_id);
      const counts = Object.fromEntries(FLAG_REASONS.map((r) => [r, own.filter((f) => f.reason === r).length])) as Record<FlagReason, number>;
      return {
        kind: 'flags', since: e.since, reply, counts,
        flags: own.map((f) => ({ id: String(f.id), reason: f.reason, note: f.note, by: { id: f.account_id, displayName: f.display_name }, createdAt: f.created_at })),
      };
    });
    const last = page.at(-1);
    return { items, nextCursor: entries.length > query.limit && last ? encodeCursor([last.since_key, last.reply_id, last.kind]) : null };
  }
}
