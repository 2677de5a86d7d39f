import type { ForumErrorCode } from '../protocol/error-codes.js';
import { HttpStatus, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { isGuest, type MaybeActor } from '../auth/actor.js';
import { newSecret, secretId } from '../auth/tokens.js';
import { AppException, badRequest, conflict, forbidden, notFound, unauthenticated } from '../common/app-exception.js';
import { decodeCursor, encodeCursor, isPositiveInt } from '../common/cursor.js';
import { namedQuery } from '../common/named-query.js';
import type {
  AcceptedInvitation, CreateInvitationDto, CreatedInvitation, InvitationPage, InvitationStatus, InvitationView, ListInvitationsQuery, ReceivedInvitation,
} from './dto/invitation.dto.js';
import type { Language } from '../auth/account.entity.js';
import { AppConfig } from '../config/app-config.js';
import { PublicLinks } from '../config/public-links.js';
import { JobQueue, type Job } from '../database/job-queue.js';
import { MailTransport } from '../mail/mail-transport.service.js';
import { DomainEvents, type DomainEventMap } from '../events/domain-events.js';
import { invitationMail } from './invitation-mail.js';
import { ForumAccessService } from './forum-access.service.js';
import { createInvitation, recordAcceptance, revokeInvitation, spendUse } from './invitation-store.js';
import { admitMember } from './membership-store.js';
import type { ForumState, ForumVisibility } from './forum.entity.js';
import { ForumsService } from './forums.service.js';

const DEFAULT_HOURS = 7 * 24;
const DEFAULT_LINK_USES = 10;
/** The job queue of invitation mails (one job per addressed invitation, queued in its transaction). */
const INVITATION_MAIL = 'mail-invitation';

interface InvitationMailJob {
  invitationId: number;
  email: string;
  /** The link's secret: only its hash is kept on the invitation, so the job carries it to the mail. */
  token: string;
}

const STATUS_SQL = `CASE WHEN i.revoked_at IS NOT NULL THEN 'revoked'
  WHEN i.expires_at <= now() THEN 'expired'
  WHEN i.use_count >= i.max_uses THEN 'used_up'
  ELSE 'pending' END`;

interface InvitationRow {
  id: number;
  forum_id: number;
  email: string | null;
  status: InvitationStatus;
  expires_at: Date;
  max_uses: number;
  use_count: number;
  revoked_at: Date | null;
  created_at: Date;
  created_by: string | null;
  creator_name: string | null;
}

interface ReceivedRow {
  id: number;
  status: InvitationStatus;
  expires_at: Date;
  forum_id: number;
  session_id: number;
  forum_slug: string;
  forum_title: string;
  forum_description: string;
  forum_visibility: ForumVisibility;
  forum_state: ForumState;
  session_title: string;
  creator_name: string | null;
}

const INVITATION_COLUMNS = `i.id, i.forum_id, i.email, ${STATUS_SQL} AS status, i.expires_at, i.max_uses, i.use_count,
  i.revoked_at, i.created_at, i.created_by, creator.display_name AS creator_name`;

const RECEIVED_COLUMNS = `i.id, ${STATUS_SQL} AS status, i.expires_at, f.id AS forum_id, f.session_id, f.slug AS forum_slug,
  f.title AS forum_title, f.description AS forum_description, f.visibility AS forum_visibility, f.state AS forum_state,
  s.title AS session_title, creator.display_name AS creator_name`;

const RECEIVED_FROM = `invitation i JOIN forum f ON f.id = i.forum_id JOIN session s ON s.id = f.session_id
  LEFT JOIN account creator ON creator.id = i.created_by`;

const gone = (code: ForumErrorCode, message: string) => new AppException(HttpStatus.GONE, code, message);
const REVOKED = () => gone('invitation_revoked', 'This invitation was withdrawn by a moderator. Ask them for a new one.');
const EXPIRED = () => gone('invitation_expired', 'This invitation has expired. Ask a moderator of the forum for a new one.');
const USED_UP = () => conflict('invitation_used_up', 'This invitation link has been used as many times as allowed. Ask a moderator for a new one.');

/**
 * Invitations to a forum. Every invitation is a secret token (shown once to
 * the moderator who creates it, as a link to pass on), usable until it
 * expires. An addressed invitation (with an email) is also mailed to that
 * address, is used once, and only by the signed-in account with that email;
 * an open link is usable a limited number of times by anyone who holds it.
 * Accepting makes the caller a member, spending one use atomically in the
 * same transaction as the membership. An unverified email alone never admits
 * anybody (the token is needed); an account that verified its address may
 * also accept an invitation addressed to it without the link.
 *
 * A person a moderator removed is re-admitted only by an addressed
 * invitation created after the removal (a moderator's explicit intent); an
 * open link, which may be circulating, never brings them back.
 */
@Injectable()
export class InvitationsService implements OnApplicationBootstrap {
  constructor(
    private readonly dataSource: DataSource,
    private readonly forumAccess: ForumAccessService,
    private readonly forums: ForumsService,
    private readonly domainEvents: DomainEvents,
    private readonly mail: MailTransport,
    private readonly config: AppConfig,
    private readonly jobs: JobQueue,
    private readonly links: PublicLinks,
  ) {}

  private readonly logger = new Logger('Invitations');
  private mailQueue: Promise<void> | null = null;

  onApplicationBootstrap(): void {
    void this.mailQueueReady()
      .then(() => this.jobs.work<InvitationMailJob>(INVITATION_MAIL, { batchSize: 4, pollingIntervalSeconds: 0.5 }, (job) => this.runMailJob(job)))
      .catch((error: Error) => this.logger.error(`Invitation mail jobs did not start: ${error.message}`));
  }

  /** Declares the invitation mails' queue (retries with backoff), once per process. */
  private mailQueueReady(): Promise<void> {
    this.mailQueue ??= this.jobs.define(INVITATION_MAIL, {
      retryLimit: this.config.MAIL_RETRY_LIMIT, retryDelay: this.config.MAIL_RETRY_DELAY_SECONDS, retryBackoff: true,
    }).catch((error: unknown) => {
      this.mailQueue = null;
      throw error;
    });
    return this.mailQueue;
  }

  async create(actor: MaybeActor, forumId: number, dto: CreateInvitationDto): Promise<CreatedInvitation> {
    if (dto.email !== undefined && dto.maxUses !== undefined && dto.maxUses !== 1) {
      const message = 'maxUses applies to invitation links; an email invitation is used once';
      throw badRequest('validation_failed', `Invalid input: ${message}.`, [{ field: 'maxUses', message }]);
    }
    // Every invitation is a secret token: an email invitation is a single-use link addressed to that email,
    // mailed there by a job queued in the same transaction. Matching on an unverified email alone is not enough.
    const token = newSecret();
    if (dto.email !== undefined) await this.mailQueueReady();
    const id = await this.dataSource.transaction(async (m) => {
      await this.forumAccess.moderating(actor, forumId, m);
      if (dto.email !== undefined) {
        const [member] = await m.query(
          `SELECT 1 FROM forum_membership fm JOIN account a ON a.id = fm.account_id
           WHERE fm.forum_id = $1 AND lower(a.email) = $2 AND fm.state = 'active'`,
          [forumId, dto.email],
        );
        if (member) throw conflict('already_member', 'The person with this email is already a member of this forum.');
      }
      const invitationId = await createInvitation(m, {
        forumId,
        createdBy: actor!.accountId,
        email: dto.email ?? null,
        tokenHash: secretId(token),
        expiresInHours: dto.expiresInHours ?? DEFAULT_HOURS,
        maxUses: dto.email !== undefined ? 1 : (dto.maxUses ?? DEFAULT_LINK_USES),
      });
      if (dto.email !== undefined) await this.jobs.sendIn(m, INVITATION_MAIL, { invitationId, email: dto.email, token } satisfies InvitationMailJob);
      return invitationId;
    });
    const invitation = await this.one(this.dataSource.manager, forumId, id);
    return { invitation, token, url: `/invite/${token}` };
  }

  /** Sends one invitation mail; a failed send is retried with backoff, and after the last retry recorded. */
  private async runMailJob(job: Job<InvitationMailJob> & { retryCount: number; retryLimit: number }): Promise<void> {
    const { invitationId, email, token } = job.data;
    try {
      await this.mailInvitation(invitationId, email, token);
    } catch (error) {
      if (job.retryCount < job.retryLimit) throw error;
      await this.mail.recordFailure({ accountId: null, to: email, kind: 'invitation', error, attempts: job.retryCount + 1 });
    }
  }

  private async mailInvitation(invitationId: number, email: string, token: string): Promise<void> {
    const [row]: { forum_title: string; inviter: string | null; language: Language | null }[] = await this.dataSource.query(
      `SELECT f.title AS forum_title, creator.display_name AS inviter,
              (SELECT language FROM account WHERE lower(email) = lower($2) LIMIT 1) AS language
         FROM invitation i JOIN forum f ON f.id = i.forum_id LEFT JOIN account creator ON creator.id = i.created_by
        WHERE i.id = $1`,
      [invitationId, email],
    );
    if (!row) return;
    const link = this.links.to(`/invite/${token}`);
    await this.mail.send(invitationMail(email, row.language ?? 'en', row.inviter ?? 'A moderator', row.forum_title, link));
  }

  /** Pending invitations addressed to the caller's verified address (an unverified one lists nothing). */
  async mine(actor: MaybeActor): Promise<ReceivedInvitation[]> {
    if (!actor || isGuest(actor)) throw unauthenticated('Sign in to see the invitations addressed to you.');
    const rows: ReceivedRow[] = await this.dataSource.query(
      `SELECT ${RECEIVED_COLUMNS} FROM ${RECEIVED_FROM} JOIN account me ON me.id = $1 AND me.email_verified_at IS NOT NULL AND lower(me.email) = lower(i.email)
        WHERE ${STATUS_SQL} = 'pending' ORDER BY i.id DESC LIMIT 50`,
      [actor.accountId],
    );
    return rows.map(toReceived);
  }

  /** The forum's invitations, newest first (moderators). */
  async list(actor: MaybeActor, forumId: number, query: ListInvitationsQuery): Promise<InvitationPage> {
    await this.forumAccess.moderating(actor, forumId);
    const limit = query.limit ?? 50;
    const where = ['i.forum_id = :forumId'];
    const params: Record<string, unknown> = { forumId, pageSize: limit + 1 };
    if (query.status) { where.push(`${STATUS_SQL} = :status`); params.status = query.status; }
    if (query.cursor) {
      const [beforeId] = decodeCursor<[number]>(query.cursor, [isPositiveInt]);
      where.push('i.id < :beforeId');
      params.beforeId = beforeId;
    }
    const rows = await namedQuery<InvitationRow>(
      this.dataSource.manager,
      `SELECT ${INVITATION_COLUMNS} FROM invitation i LEFT JOIN account creator ON creator.id = i.created_by
       WHERE ${where.join(' AND ')} ORDER BY i.id DESC LIMIT :pageSize`,
      params,
    );
    const page = rows.slice(0, limit);
    return { items: page.map(toView), nextCursor: rows.length > limit ? encodeCursor([page.at(-1)!.id]) : null };
  }

  /** Withdraws an invitation at once (moderators); revoking twice keeps the first time. */
  async revoke(actor: MaybeActor, forumId: number, invitationId: number): Promise<InvitationView> {
    return this.dataSource.transaction(async (m) => {
      await this.forumAccess.moderating(actor, forumId, m);
      if (!(await revokeInvitation(m, forumId, invitationId))) throw notFound('The invitation', 'invitation_not_found');
      return this.one(m, forumId, invitationId);
    });
  }

  /** What an invitation link leads to, so the holder can decide (and sign in) before accepting. */
  async preview(_actor: MaybeActor, token: string): Promise<ReceivedInvitation> {
    const [row]: ReceivedRow[] = await this.dataSource.query(`SELECT ${RECEIVED_COLUMNS} FROM ${RECEIVED_FROM} WHERE i.token_hash = $1`, [secretId(token)]);
    if (!row) throw notFound('The invitation', 'invitation_not_found');
    return toReceived(row);
  }

  /** Accepts an invitation by its token; one addressed to an email needs the caller signed in with that email. */
  async acceptToken(actor: MaybeActor, token: string): Promise<AcceptedInvitation> {
    return this.accept(actor, (m) => m.query(`SELECT ${ACCEPT_COLUMNS} FROM invitation WHERE token_hash = $1`, [secretId(token)]));
  }

  /**
   * Accepts an invitation addressed to the caller's email without its link:
   * only once the account has verified that address (a verified address is
   * trusted; an unverified one is not).
   */
  async acceptAddressed(actor: MaybeActor, invitationId: number): Promise<AcceptedInvitation> {
    return this.accept(actor, (m) => m.query(`SELECT ${ACCEPT_COLUMNS} FROM invitation WHERE id = $1 AND email IS NOT NULL`, [invitationId]), true);
  }

  private async accept(actor: MaybeActor, find: (m: EntityManager) => Promise<AcceptRow[]>, byVerifiedEmail = false): Promise<AcceptedInvitation> {
    // Guests of a live Q&A have no standing in forums (forum-policy.ts): they sign up first, like anonymous visitors.
    if (!actor || isGuest(actor)) throw unauthenticated('Sign in (or create an account) to accept this invitation.');
    const { forumId, alreadyMember, accepted } = await this.dataSource.transaction(async (m): Promise<{ forumId: number; alreadyMember: boolean; accepted?: DomainEventMap['invitation.accepted'] }> => {
      const [inv] = await find(m);
      if (!inv) throw notFound('The invitation', 'invitation_not_found');
      if (inv.email !== null) {
        // Defence in depth: the token was passed to one person; only the account with that email may use it.
        const [me] = await m.query(`SELECT lower(email) = lower($2) AS addressee, email_verified_at IS NOT NULL AS verified FROM account WHERE id = $1`, [actor.accountId, inv.email]) as { addressee: boolean; verified: boolean }[];
        if (!me?.addressee) {
          throw forbidden('invitation_for_someone_else', 'This invitation is addressed to another email address. Sign in with the account it was sent to, or ask a moderator for an invitation of your own.');
        }
        if (byVerifiedEmail && !me.verified) {
          throw forbidden('email_not_verified', 'Confirm your email address first (we mail you a link), or open the invitation link you received.');
        }
      }
      if (inv.revoked_at) throw REVOKED();
      if (inv.expired) throw EXPIRED();
      // invited_since: the invitation was made after the membership last changed (e.g. after a removal).
      const [membership] = await m.query(
        `SELECT fm.state, i.created_at > fm.updated_at AS invited_since
         FROM forum_membership fm, invitation i
         WHERE fm.forum_id = $1 AND fm.account_id = $2 AND i.id = $3 FOR UPDATE OF fm`,
        [inv.forum_id, actor.accountId, inv.id],
      ) as { state: string; invited_since: boolean }[];
      if (membership?.state === 'active') return { forumId: inv.forum_id, alreadyMember: true };
      if (membership?.state === 'removed' && !(inv.email !== null && membership.invited_since)) {
        throw forbidden('removed', "A moderator removed you from this forum, and this invitation can't bring you back. Ask a moderator to invite you again, addressed to your email.");
      }
      // One use per person: accepting again (say, after leaving) spends nothing.
      if (await recordAcceptance(m, inv.id, actor.accountId)) {
        if (!(await spendUse(m, inv.id))) {
          const [now] = await m.query(`SELECT ${ACCEPT_COLUMNS} FROM invitation WHERE id = $1`, [inv.id]) as AcceptRow[];
          throw now.revoked_at ? REVOKED() : now.expired ? EXPIRED() : USED_UP();
        }
      }
      await admitMember(m, inv.forum_id, actor.accountId);
      return {
        forumId: inv.forum_id,
        alreadyMember: false,
        accepted: { invitationId: inv.id, forumId: inv.forum_id, accountId: actor.accountId, invitedBy: inv.created_by },
      };
    });
    if (accepted) this.domainEvents.emit('invitation.accepted', accepted);
    return { alreadyMember, forum: await this.forums.get(actor, forumId) };
  }

  private async one(m: EntityManager, forumId: number, id: number): Promise<InvitationView> {
    const [row] = await m.query(
      `SELECT ${INVITATION_COLUMNS} FROM invitation i LEFT JOIN account creator ON creator.id = i.created_by WHERE i.id = $1 AND i.forum_id = $2`,
      [id, forumId],
    );
    return toView(row as InvitationRow);
  }
}

interface AcceptRow {
  id: number;
  forum_id: number;
  email: string | null;
  created_by: string | null;
  revoked_at: Date | null;
  expired: boolean;
}
const ACCEPT_COLUMNS = `id, forum_id, email, created_by, revoked_at, expires_at <= now() AS expired`;

function toView(r: InvitationRow): InvitationView {
  return {
    id: r.id,
    forumId: r.forum_id,
    kind: r.email === null ? 'link' : 'email',
    email: r.email,
    status: r.status,
    expiresAt: r.expires_at,
    maxUses: r.max_uses,
    useCount: r.use_count,
    revokedAt: r.revoked_at,
    createdAt: r.created_at,
    createdBy: r.created_by ? { id: r.created_by, displayName: r.creator_name ?? '' } : null,
  };
}

function toReceived(r: ReceivedRow): ReceivedInvitation {
  return {
    id: r.id,
    status: r.status,
    expiresAt: r.expires_at,
    forum: {
      id: r.forum_id,
      sessionId: r.session_id,
      slug: r.forum_slug,
      title: r.forum_title,
      description: r.forum_description,
      visibility: r.forum_visibility,
      state: r.forum_state,
    },
    sessionTitle: r.session_title,
    invitedBy: r.creator_name,
  };
}

declare module '../events/domain-events.js' {
  interface DomainEventMap {
    /** Someone joined a forum through an invitation (after commit). */
    'invitation.accepted': { invitationId: number; forumId: number; accountId: string; invitedBy: string | null };
  }
}
