import { HttpStatus, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { sql } from 'kysely';
import { DataSource, type EntityManager } from 'typeorm';
import escapeHtml from 'escape-html';
import { isGuest, type MaybeActor } from './actor.js';
import { AppException, unauthenticated } from '../common/app-exception.js';
import { AppConfig } from '../config/app-config.js';
import { PublicLinks } from '../config/public-links.js';
import { JobQueue, type Job } from '../database/job-queue.js';
import { db, rowsOf } from '../database/typed-sql.js';
import { MailTransport } from '../mail/mail-transport.service.js';
import type { Language } from './account.entity.js';
import { markEmailVerified } from './accounts.js';
import { newSecret, secretId } from './tokens.js';

const LINK_TTL_HOURS = 24;
/** Verification mails per account per hour. */
const MAX_PER_HOUR = 3;
/** The job queue of sign-up confirmation mails (one job per new account, queued in the sign-up's transaction). */
const SIGN_UP_MAIL = 'mail-verification';

const TEXTS: Record<Language, { subject: string; body: string; ignore: string }> = {
  en: { subject: 'Confirm your email address for Agora', body: 'To confirm that this address is yours, open this link within a day:', ignore: 'If you did not ask for this, ignore this mail.' },
  es: { subject: 'Confirma tu dirección de correo en Agora', body: 'Para confirmar que esta dirección es tuya, abre este enlace antes de un día:', ignore: 'Si no lo pediste, ignora este correo.' },
  fr: { subject: 'Confirmez votre adresse e-mail pour Agora', body: 'Pour confirmer que cette adresse est la vôtre, ouvrez ce lien dans la journée :', ignore: 'Si vous n’avez rien demandé, ignorez ce courriel.' },
};

export const VERIFICATION_SENT = { message: 'We have sent a link to your address. It works once, for a day.' };

const invalidToken = () =>
  new AppException(HttpStatus.BAD_REQUEST, 'invalid_verification_token', 'This confirmation link is not valid any more (used, expired or mistyped). Ask for a new one.', [
    { field: 'token', message: 'token is not a valid address confirmation link' },
  ]);

/**
 * Address verification: a mailed link (single use, a day, three mails an
 * hour per account) proves the account holds its address. Only a verified
 * address is trusted for addressed invitations without their link. Signing
 * up mails the first link, by a job queued in the sign-up's transaction.
 */
@Injectable()
export class EmailVerificationService implements OnApplicationBootstrap {
  private readonly logger = new Logger('EmailVerification');
  private queue: Promise<void> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly mail: MailTransport,
    private readonly jobs: JobQueue,
    private readonly links: PublicLinks,
  ) {}

  onApplicationBootstrap(): void {
    void this.ready()
      .then(() => this.jobs.work<{ accountId: string }>(SIGN_UP_MAIL, { batchSize: 4, pollingIntervalSeconds: 0.5 }, (job) => this.runSignUpJob(job)))
      .catch((error: Error) => this.logger.error(`Sign-up confirmation mail jobs did not start: ${error.message}`));
  }

  /** Declares the sign-up mails' queue (retries with backoff), once per process; call before the sign-up's transaction. */
  ready(): Promise<void> {
    this.queue ??= this.jobs.define(SIGN_UP_MAIL, {
      retryLimit: this.config.MAIL_RETRY_LIMIT, retryDelay: this.config.MAIL_RETRY_DELAY_SECONDS, retryBackoff: true,
    }).catch((error: unknown) => {
      this.queue = null;
      throw error;
    });
    return this.queue;
  }

  /** A new account: its confirmation mail is queued in the sign-up's transaction (sent once it commits). */
  async queueForNewAccount(m: EntityManager, accountId: string): Promise<void> {
    await this.jobs.sendIn(m, SIGN_UP_MAIL, { accountId });
  }

  private async runSignUpJob(job: Job<{ accountId: string }> & { retryCount: number; retryLimit: number }): Promise<void> {
    try {
      await this.sendLink(job.data.accountId);
    } catch (error) {
      if (job.retryCount < job.retryLimit) throw error;
      const [row]: { email: string }[] = await this.dataSource.query(`SELECT email FROM account WHERE id = $1`, [job.data.accountId]);
      await this.mail.recordFailure({ accountId: job.data.accountId, to: row?.email ?? '', kind: 'email_verification', error, attempts: job.retryCount + 1 });
    }
  }

  /** Mails the caller a confirmation link (after the answer; over the hourly limit, silently nothing). */
  async request(actor: MaybeActor): Promise<typeof VERIFICATION_SENT> {
    if (!actor || isGuest(actor)) throw unauthenticated('Sign in to confirm your email address.');
    const accountId = actor.accountId;
    setImmediate(() => void this.sendLink(accountId).catch((e: Error) => this.logger.warn(`An address confirmation mail failed: ${e.message}`)));
    return VERIFICATION_SENT;
  }

  private async sendLink(accountId: string): Promise<void> {
    const token = newSecret();
    const [row]: { email: string; language: Language }[] = await this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`email-verification:${accountId}`]);
      return rowsOf(
        m,
        db
          .insertInto('email_verification')
          .columns(['account_id', 'email', 'token_hash', 'expires_at'])
          .expression((eb) =>
            eb
              .selectFrom('account as a')
              .select(['a.id', 'a.email', eb.val(secretId(token)).as('token_hash'), sql<Date>`now() + make_interval(hours => ${LINK_TTL_HOURS})`.as('expires_at')])
              .where('a.id', '=', accountId)
              .where(
                (w) =>
                  w(
                    w.selectFrom('email_verification').select((c) => c.fn.countAll().as('n')).where('account_id', '=', accountId).where('created_at', '>', sql<Date>`now() - interval '1 hour'`),
                    '<',
                    MAX_PER_HOUR,
                  ),
              ),
          )
          .returning((eb) => ['email', eb.selectFrom('account').select('language').where('id', '=', accountId).as('language')]),
      ) as Promise<{ email: string; language: Language }[]>;
    });
    if (!row) return;
    const text = TEXTS[row.language] ?? TEXTS.en;
    const link = this.links.to('/verify-email', { token });
    await this.mail.send({
      to: row.email, kind: 'email_verification', subject: text.subject,
      text: `${text.body}\n${link}\n\n${text.ignore}`,
      html: `<!doctype html><html lang="${row.language}"><body><p>${escapeHtml(text.body)}<br><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p><p>${escapeHtml(text.ignore)}</p></body></html>`,
    });
  }

  /** Marks the address verified with a link's token (once; signed out too: the link is the proof). */
  async confirm(token: string): Promise<{ emailVerified: true }> {
    await this.dataSource.transaction(async (m) => {
      const [row] = await rowsOf(
        m,
        db
          .updateTable('email_verification')
          .set({ used_at: sql<Date>`now()` })
          .where('token_hash', '=', secretId(token))
          .where('used_at', 'is', null)
          .where('expires_at', '>', sql<Date>`now()`)
          .returning(['account_id', 'email']),
      );
      if (!row) throw invalidToken();
      // The link proves the address it was sent to, only while the account still has it.
      if (!(await markEmailVerified(m, row.account_id, row.email))) throw invalidToken();
    });
    return { emailVerified: true };
  }
}
