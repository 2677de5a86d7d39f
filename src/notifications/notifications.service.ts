import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import type { MaybeActor } from '../auth/actor.js';
import { signedInId } from './signed-in.js';
import { badRequest } from '../common/app-exception.js';
import { namedQuery } from '../common/named-query.js';
import { affectedBy, db, rowsOf } from '../database/typed-sql.js';
import { ForumAccessService } from '../forums/forum-access.service.js';
import { DomainEvents } from '../events/domain-events.js';
import type { ServerMessages } from '../protocol/socket-messages.js';
import type { MarkReadDto, NotificationQuery } from './dto/notification-input.dto.js';
import type { NotificationGroupView, NotificationKind, NotificationPage, NotificationView, UnreadCount } from './dto/notification.views.js';

/** A notification to store: what happened, for whom, and the event it comes from. */
export interface NotificationDraft {
  accountId: string;
  kind: NotificationKind;
  /** Names the causing event (e.g. `forum:12:seq:340`): one notification per event and recipient. */
  eventKey: string;
  forumId: number;
  questionId: number | null;
  replyId: string | null;
  actorId: string | null;
  data: Record<string, unknown>;
}

interface NotificationRow {
  id: string;
  account_id: string;
  kind: NotificationKind;
  forum_id: number;
  question_id: number | null;
  reply_id: string | null;
  actor_id: string | null;
  actor_name: string | null;
  data: Record<string, unknown>;
  created_at: Date;
  read_at: Date | null;
}

const COLUMNS = `n.id, n.account_id, n.kind, n.forum_id, n.question_id, n.reply_id, n.actor_id, a.display_name AS actor_name, n.data, n.created_at, n.read_at`;

function linkOf(n: { forumId: number; questionId: number | null; replyId: string | null }): string {
  if (n.questionId === null) return `/forums/${n.forumId}`;
  return `/forums/${n.forumId}/questions/${n.questionId}${n.replyId ? `#reply-${n.replyId}` : ''}`;
}

function toView(r: NotificationRow): NotificationView {
  const base = { forumId: r.forum_id, questionId: r.question_id, replyId: r.reply_id === null ? null : String(r.reply_id) };
  return {
    id: String(r.id),
    kind: r.kind,
    ...base,
    actor: r.actor_id ? { id: r.actor_id, displayName: r.actor_name ?? '' } : null,
    data: r.data,
    link: r.kind === 'moderation_queue' ? `/forums/${r.forum_id}/moderation` : linkOf(base),
    createdAt: r.created_at,
    readAt: r.read_at,
  };
}

const WHY = 'Sign in to see your notifications.';

/**
 * The notification table (only this feature writes it): storing, the live
 * push to the recipient's sockets, the notification centre's reads.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly forumAccess: ForumAccessService,
    private readonly domainEvents: DomainEvents,
  ) {}

  /**
   * Stores notifications (each event once per recipient: a second delivery
   * of the same event stores nothing) for those who can read their forum now,
   * then pushes each new one to its recipient's sockets with their unread count.
   */
  async deliver(drafts: NotificationDraft[]): Promise<NotificationView[]> {
    if (!drafts.length) return [];
    const allowed: NotificationDraft[] = [];
    for (const forumId of new Set(drafts.map((d) => d.forumId))) {
      const ofForum = drafts.filter((d) => d.forumId === forumId);
      const readers = await this.forumAccess.readersAmong(forumId, ofForum.map((d) => d.accountId));
      allowed.push(...ofForum.filter((d) => readers.has(d.accountId)));
    }
    if (!allowed.length) return [];
    const items = allowed.map((d) => ({
      account_id: d.accountId, kind: d.kind, event_key: d.eventKey, forum_id: d.forumId, question_id: d.questionId,
      reply_id: d.replyId, actor_id: d.actorId, data: d.data,
    }));
    // One JSON parameter however many there are (a forum's whole membership can be told at once).
    const drafted = sql<(typeof items)[number]>`jsonb_to_recordset(${JSON.stringify(items)}::jsonb)`.as<'e'>(
      sql`e(account_id uuid, kind text, event_key text, forum_id integer, question_id integer, reply_id bigint, actor_id uuid, data jsonb)`,
    );
    const rows = (await rowsOf(
      this.dataSource.manager,
      db
        .with('n', (qb) =>
          qb
            .insertInto('notification')
            .columns(['account_id', 'kind', 'event_key', 'forum_id', 'question_id', 'reply_id', 'actor_id', 'data'])
            .expression((eb) =>
              eb.selectFrom(drafted).select(['e.account_id', 'e.kind', 'e.event_key', 'e.forum_id', 'e.question_id', 'e.reply_id', 'e.actor_id', 'e.data']),
            )
            .onConflict((oc) => oc.columns(['account_id', 'event_key']).doNothing())
            .returningAll(),
        )
        .selectFrom('n')
        .leftJoin('account as a', 'a.id', 'n.actor_id')
        .select(['n.id', 'n.account_id', 'n.kind', 'n.forum_id', 'n.question_id', 'n.reply_id', 'n.actor_id', 'a.display_name as actor_name', 'n.data', 'n.created_at', 'n.read_at']),
    )) as NotificationRow[];
    if (!rows.length) return [];
    const unread = await this.unreadCounts(rows.map((r) => r.account_id));
    const views = rows.map(toView);
    rows.forEach((r, i) => this.domainEvents.emit('notifications.changed', { accountId: r.account_id, change: { notification: { ...views[i] }, unread: unread.get(r.account_id) ?? 0 } }));
    this.domainEvents.emit('notifications.stored', { accountIds: [...new Set(rows.map((r) => r.account_id))] });
    return views;
  }

  /** A member's notifications not mailed yet and still unread (read in the app: no mail needed), oldest first. */
  async pendingMail(accountId: string, limit = 200): Promise<NotificationView[]> {
    const rows: NotificationRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM notification n LEFT JOIN account a ON a.id = n.actor_id
        WHERE n.account_id = $1 AND n.mailed_at IS NULL AND n.read_at IS NULL ORDER BY n.id LIMIT $2`,
      [accountId, limit],
    );
    return rows.map(toView);
  }

  /** Several members' notifications not mailed yet and still unread, oldest first, at most `limit` each, in one query (digests). */
  async pendingMailOf(accountIds: string[], limit = 200): Promise<Map<string, NotificationView[]>> {
    const byAccount = new Map<string, NotificationView[]>(accountIds.map((id) => [id, []]));
    if (!accountIds.length) return byAccount;
    const rows: NotificationRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM unnest($1::uuid[]) AS me(id)
         CROSS JOIN LATERAL (SELECT * FROM notification WHERE account_id = me.id AND mailed_at IS NULL AND read_at IS NULL ORDER BY id LIMIT $2) n
         LEFT JOIN account a ON a.id = n.actor_id
        ORDER BY n.account_id, n.id`,
      [[...new Set(accountIds)], limit],
    );
    for (const r of rows) byAccount.get(r.account_id)?.push(toView(r));
    return byAccount;
  }

  /** Members with notifications waiting for mail, after `afterId` in id order (for digests, a page at a time). */
  async accountsWithPendingMail(accountIds: string[] | null, after: string | null, limit: number): Promise<string[]> {
    const rows: { account_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT account_id FROM notification
        WHERE mailed_at IS NULL AND read_at IS NULL AND ($1::uuid[] IS NULL OR account_id = ANY($1::uuid[])) AND ($2::uuid IS NULL OR account_id > $2::uuid)
        ORDER BY account_id LIMIT $3`,
      [accountIds, after, limit],
    );
    return rows.map((r) => r.account_id);
  }

  /** Mailed, digested, or dropped at send time: not to be mailed again. */
  async markMailed(ids: string[]): Promise<void> {
    if (!ids.length) return;
    await affectedBy(
      this.dataSource.manager,
      db
        .updateTable('notification')
        .set({ mailed_at: sql<Date>`now()` })
        .where((eb) => eb('id', '=', eb.fn.any(sql<string[]>`${ids}::bigint[]`)))
        .where('mailed_at', 'is', null),
    );
  }

  private async unreadCounts(accountIds: string[]): Promise<Map<string, number>> {
    const rows: { account_id: string; unread: number }[] = await this.dataSource.query(
      `SELECT account_id, count(*)::int AS unread FROM notification WHERE account_id = ANY($1::uuid[]) AND read_at IS NULL GROUP BY account_id`,
      [[...new Set(accountIds)]],
    );
    return new Map(rows.map((r) => [r.account_id, r.unread]));
  }

  /** Unread notifications in forums the caller can still read. */
  async unreadCount(actor: MaybeActor): Promise<UnreadCount> {
    const accountId = signedInId(actor, WHY);
    const readable = this.forumAccess.readableForumsCondition(actor);
    const [row] = await namedQuery<{ unread: number }>(
      this.dataSource.manager,
      `SELECT count(*)::int AS unread FROM notification n JOIN forum f ON f.id = n.forum_id
        WHERE n.account_id = :me AND n.read_at IS NULL AND ${readable.sql}`,
      { ...readable.params, me: accountId },
    );
    return { unread: row.unread };
  }

  /** The caller's notifications, newest first, a page at a time, grouped by thread within the page. */
  async list(actor: MaybeActor, query: NotificationQuery): Promise<NotificationPage> {
    const accountId = signedInId(actor, WHY);
    const limit = query.limit ?? 50;
    const readable = this.forumAccess.readableForumsCondition(actor);
    const rows = await namedQuery<NotificationRow>(
      this.dataSource.manager,
      `SELECT ${COLUMNS} FROM notification n JOIN forum f ON f.id = n.forum_id LEFT JOIN account a ON a.id = n.actor_id
        WHERE n.account_id = :me AND ${readable.sql}
          AND (:unreadOnly::boolean IS FALSE OR n.read_at IS NULL)
          AND (:before::bigint IS NULL OR n.id < :before::bigint)
        ORDER BY n.id DESC LIMIT :limit`,
      { ...readable.params, me: accountId, unreadOnly: query.unread === 'true', before: query.before ?? null, limit: limit + 1 },
    );
    const page = rows.slice(0, limit).map(toView);
    const groups = new Map<string, NotificationGroupView>();
    for (const n of page) {
      const key = n.questionId === null ? `n:${n.id}` : `q:${n.questionId}`;
      const group = groups.get(key) ?? {
        forumId: n.forumId, questionId: n.questionId, questionTitle: (n.data.questionTitle as string | undefined) ?? null,
        count: 0, unread: 0, kinds: {}, latestAt: n.createdAt, items: [],
      };
      group.count += 1;
      if (!n.readAt) group.unread += 1;
      group.kinds[n.kind] = (group.kinds[n.kind] ?? 0) + 1;
      group.items.push(n);
      groups.set(key, group);
    }
    return {
      groups: [...groups.values()],
      unread: (await this.unreadCount(actor)).unread,
      nextCursor: rows.length > limit ? page[page.length - 1].id : null,
    };
  }

  /** Marks notifications read (given ones, a thread's, or all); the caller's other devices hear the new count. */
  async markRead(actor: MaybeActor, dto: MarkReadDto): Promise<UnreadCount> {
    const accountId = signedInId(actor, WHY);
    if (!dto.ids?.length && dto.questionId === undefined && dto.all !== true) {
      throw badRequest('validation_failed', 'Invalid input: say which notifications to mark read (ids, questionId or all: true).', [
        { field: 'ids', message: 'give ids, questionId or all' },
      ]);
    }
    await affectedBy(
      this.dataSource.manager,
      db
        .updateTable('notification')
        .set({ read_at: sql<Date>`now()` })
        .where('account_id', '=', accountId)
        .where('read_at', 'is', null)
        .where((eb) =>
          eb.or([
            sql<boolean>`${dto.all === true}::boolean`,
            eb('id', '=', eb.fn.any(sql<string[]>`${dto.ids ?? []}::bigint[]`)),
            eb('question_id', '=', sql<number>`${dto.questionId ?? null}::integer`),
          ]),
        ),
    );
    const count = await this.unreadCount(actor);
    this.domainEvents.emit('notifications.changed', { accountId, change: { unread: count.unread } });
    return count;
  }

  /** Opening a thread reads its notifications (called by read positions). */
  async threadOpened(actor: MaybeActor, questionId: number): Promise<void> {
    const accountId = signedInId(actor, WHY);
    const changed = await affectedBy(
      this.dataSource.manager,
      db.updateTable('notification').set({ read_at: sql<Date>`now()` }).where('account_id', '=', accountId).where('question_id', '=', questionId).where('read_at', 'is', null),
    );
    if (changed) this.domainEvents.emit('notifications.changed', { accountId, change: { unread: (await this.unreadCount(actor)).unread } });
  }
}

declare module '../events/domain-events.js' {
  interface DomainEventMap {
    /** New notifications were stored for these members (src/mail mails them). */
    'notifications.stored': { accountIds: string[] };
    /** A member's notifications or unread count changed: their open pages hear it (the gateway sends it to their sockets). */
    'notifications.changed': { accountId: string; change: ServerMessages['notifications.changed'] };
  }
}
