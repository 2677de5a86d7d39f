import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { Account } from '../auth/account.entity.js';
import { AppConfig } from '../config/app-config.js';
import { PublicLinks } from '../config/public-links.js';
import { JobQueue, type Job } from '../database/job-queue.js';
import { ForumAccessService } from '../forums/forum-access.service.js';
import type { NotificationView } from '../notifications/dto/notification.views.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { DomainEvents } from '../events/domain-events.js';
import { MAIL_KIND_OF, renderNotificationMail, type MailKind } from './mail-render.js';
import { MailPreferencesService, type MailPreference } from './mail-preferences.service.js';
import { MailTransport } from './mail-transport.service.js';

const NOTIFY = 'mail-notify';
/** Members per digest batch: their notifications, addresses and access are loaded together, just before their mails go. */
const DIGEST_BATCH = 200;
const DIGEST = { daily: 'mail-digest-daily', weekly: 'mail-digest-weekly' } as const;
type Mode = 'immediate' | 'daily' | 'weekly';

export interface SendOutcome {
  mailed: number;
  dropped: number;
}

/**
 * Mails notifications. A new notification queues one job per member
 * (pg-boss, policy `short` keyed by the member: while one waits, more
 * notifications join it), which runs MAIL_COALESCE_SECONDS later, so a busy
 * thread makes one mail, not fifty. Digests run on pg-boss schedules. At
 * send time each notification's forum is checked again: nothing is mailed
 * that the member can no longer read. A failed send is retried with
 * backoff (MAIL_RETRY_LIMIT), then recorded in mail_failure.
 */
@Injectable()
export class NotificationMail implements OnApplicationBootstrap {
  private readonly logger = new Logger('NotificationMail');
  private ready: Promise<void> | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
    private readonly domainEvents: DomainEvents,
    private readonly notifications: NotificationsService,
    private readonly preferences: MailPreferencesService,
    private readonly forumAccess: ForumAccessService,
    private readonly transport: MailTransport,
    private readonly links: PublicLinks,
  ) {}

  onApplicationBootstrap(): void {
    this.domainEvents.on('notifications.stored', ({ accountIds }) => this.queueFor(accountIds));
    this.ready = this.startJobs().catch((error: Error) => this.logger.error(`Mail jobs did not start: ${error.message}`));
  }

  private async startJobs(): Promise<void> {
    const retry = { retryLimit: this.config.MAIL_RETRY_LIMIT, retryDelay: this.config.MAIL_RETRY_DELAY_SECONDS, retryBackoff: true };
    await this.jobs.define(NOTIFY, { policy: 'short', ...retry });
    await this.jobs.work<{ accountId: string }>(NOTIFY, { batchSize: 4, pollingIntervalSeconds: 0.5 }, (job) => this.runNotifyJob(job));
    for (const period of ['daily', 'weekly'] as const) {
      await this.jobs.define(DIGEST[period], { policy: 'singleton' });
      await this.jobs.work(DIGEST[period], { pollingIntervalSeconds: 30 }, () => this.runDigest(period).then(() => undefined));
      await this.jobs.schedule(DIGEST[period], period === 'daily' ? '0 7 * * *' : '0 7 * * 1');
    }
  }

  /** Resolves once the queues are declared and the workers run (tests). */
  async started(): Promise<void> {
    await this.ready;
  }

  private async queueFor(accountIds: string[]): Promise<void> {
    await this.ready;
    const prefs = await this.preferences.of(accountIds);
    for (const accountId of accountIds) {
      if (prefs.get(accountId)?.frequency !== 'immediate') continue;
      await this.jobs.send(NOTIFY, { accountId }, { singletonKey: accountId, startAfter: this.config.MAIL_COALESCE_SECONDS });
    }
  }

  private async runNotifyJob(job: Job<{ accountId: string }> & { retryCount: number; retryLimit: number }): Promise<void> {
    try {
      await this.sendPending(job.data.accountId, 'immediate');
    } catch (error) {
      if (job.retryCount < job.retryLimit) throw error;
      await this.recordFailure(job.data.accountId, 'notifications', error, job.retryCount + 1);
    }
  }

  private async recordFailure(accountId: string, kind: string, error: unknown, attempts: number): Promise<void> {
    const [account] = await this.dataSource.manager.findBy(Account, { id: accountId });
    await this.transport.recordFailure({ accountId, to: account?.email ?? '', kind, error, attempts });
    // Recorded: the notifications stay in the app, but are not mailed again and again.
    await this.notifications.markMailed((await this.notifications.pendingMail(accountId)).map((n) => n.id));
  }

  /**
   * Mails a member what is waiting for them, as one mail, if their
   * preference is `mode`. Returns how many notifications went out and how
   * many were dropped (kind unsubscribed, forum no longer readable).
   */
  async sendPending(accountId: string, mode: Mode, pref?: MailPreference): Promise<SendOutcome> {
    const prefs = pref ? new Map([[accountId, pref]]) : await this.preferences.of([accountId]);
    const [outcome] = await this.sendBatch([accountId], mode, prefs, 1);
    if (outcome.status === 'rejected') throw outcome.reason;
    return outcome.value;
  }

  /**
   * Mails each of these members what waits for them (one mail each, those
   * whose preference is `mode`), `concurrency` mails at a time. What they
   * have waiting, their addresses and which of its forums they can still
   * read are each loaded for the whole batch in one query (per forum, for
   * access), just before the batch's mails go: access is checked again at
   * send time. What was mailed or dropped is marked in one update. A
   * member's failed send leaves their notifications waiting (the outcome
   * says why).
   */
  private async sendBatch(accountIds: string[], mode: Mode, prefs: Map<string, MailPreference>, concurrency: number): Promise<PromiseSettledResult<SendOutcome>[]> {
    const outcomes: PromiseSettledResult<SendOutcome>[] = accountIds.map(() => ({ status: 'fulfilled', value: { mailed: 0, dropped: 0 } }));
    const due = accountIds.filter((id) => prefs.get(id)?.frequency === mode);
    if (!due.length) return outcomes;
    const pending = await this.notifications.pendingMailOf(due);
    const wanted = new Map<string, NotificationView[]>();
    for (const id of due) {
      const muted = prefs.get(id)!.mutedKinds;
      const items = pending.get(id) ?? [];
      if (items.length) wanted.set(id, items.filter((n) => !muted.includes(MAIL_KIND_OF[n.kind]) && !(mode !== 'immediate' && muted.includes('digest'))));
    }
    if (!wanted.size) return outcomes;
    const readable = await this.readableForums(wanted);
    const accounts = new Map((await this.dataSource.manager.findBy(Account, { id: In([...wanted.keys()]) })).map((a) => [a.id, a]));
    const done: string[] = [];
    const sendOne = async (accountId: string): Promise<SendOutcome> => {
      const all = pending.get(accountId)!;
      const keep = wanted.get(accountId)!.filter((n) => readable.get(accountId)?.has(n.forumId));
      const account = accounts.get(accountId);
      if (keep.length && account?.email) {
        const preference = prefs.get(accountId)!;
        const mail = renderNotificationMail(keep, account.language, {
          link: (path) => this.links.to(path),
          unsubscribePage: (kind) => this.unsubscribeLink('page', preference.unsubscribeToken, kind),
        }, mode === 'immediate' ? undefined : mode);
        await this.transport.send({
          to: account.email, subject: mail.subject, text: mail.text, html: mail.html, kind: mail.kind,
          unsubscribeUrl: this.unsubscribeLink('one-click', preference.unsubscribeToken, mail.kind),
        });
      }
      done.push(...all.map((n) => n.id));
      return { mailed: account?.email ? keep.length : 0, dropped: account?.email ? all.length - keep.length : all.length };
    };
    const index = new Map(accountIds.map((id, i) => [id, i]));
    const queue = [...wanted.keys()];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        outcomes[index.get(id)!] = await sendOne(id).then(
          (value) => ({ status: 'fulfilled', value }) as const,
          (reason: unknown) => ({ status: 'rejected', reason }) as const,
        );
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
    } finally {
      await this.notifications.markMailed(done);
    }
    return outcomes;
  }

  /** Per member, which of the forums of their notifications they can read now: one access query per forum for the whole batch. */
  private async readableForums(items: Map<string, NotificationView[]>): Promise<Map<string, Set<number>>> {
    const membersOf = new Map<number, string[]>();
    for (const [accountId, list] of items) {
      for (const forumId of new Set(list.map((n) => n.forumId))) {
        const members = membersOf.get(forumId);
        if (members) members.push(accountId);
        else membersOf.set(forumId, [accountId]);
      }
    }
    const readable = new Map<string, Set<number>>();
    for (const [forumId, accountIds] of membersOf) {
      for (const accountId of await this.forumAccess.readersAmong(forumId, accountIds)) {
        readable.set(accountId, (readable.get(accountId) ?? new Set()).add(forumId));
      }
    }
    return readable;
  }

  unsubscribeLink(which: 'page' | 'one-click', token: string, kind: MailKind | 'all'): string {
    return this.links.to(which === 'page' ? '/unsubscribe' : '/api/mail/unsubscribe', { token, kind });
  }

  /**
   * A digest run: every member on this frequency with notifications waiting
   * gets one mail. Members are taken a page at a time; each page is sent as
   * one batch (its queries shared), a few mails at once.
   */
  async runDigest(period: 'daily' | 'weekly', concurrency = 8): Promise<{ members: number; mails: number }> {
    let after: string | null = null;
    let members = 0;
    let mails = 0;
    for (;;) {
      const page: string[] = await this.notifications.accountsWithPendingMail(null, after, DIGEST_BATCH);
      if (!page.length) break;
      after = page[page.length - 1];
      const prefs = await this.preferences.of(page);
      const due = page.filter((id) => prefs.get(id)?.frequency === period);
      members += due.length;
      const outcomes = await this.sendBatch(due, period, prefs, concurrency);
      for (const [i, o] of outcomes.entries()) {
        if (o.status === 'fulfilled') mails += o.value.mailed ? 1 : 0;
        else await this.recordFailure(due[i], 'digest', o.reason, 1);
      }
    }
    return { members, mails };
  }
}
