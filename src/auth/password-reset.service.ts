import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import escapeHtml from 'escape-html';
import { AppException } from '../common/app-exception.js';
import { PublicLinks } from '../config/public-links.js';
import { MailTransport } from '../mail/mail-transport.service.js';
import { DomainEvents } from '../events/domain-events.js';
import { affectedBy, db, rowsOf } from '../database/typed-sql.js';
import type { Language } from './account.entity.js';
import { findAccountByEmail, setPasswordHash } from './accounts.js';
import { LoginSessionsService } from './login-sessions.service.js';
import { hashPassword } from './passwords.js';
import { newSecret, secretId } from './tokens.js';

const LINK_TTL_MINUTES = 60;
/** Reset mails per account per hour: enough to retry, too few to flood someone's inbox. */
const MAX_PER_HOUR = 3;

const TEXTS: Record<Language, { subject: string; body: (link: string) => string; ignore: string }> = {
  en: { subject: 'Reset your Agora password', body: (l) => `To choose a new password, open this link within an hour:\n${l}`, ignore: 'If you did not ask for this, ignore this mail: your password stays as it is.' },
  es: { subject: 'Restablece tu contraseña de Agora', body: (l) => `Para elegir una contraseña nueva, abre este enlace antes de una hora:\n${l}`, ignore: 'Si no lo pediste, ignora este correo: tu contraseña no cambia.' },
  fr: { subject: 'Réinitialisez votre mot de passe Agora', body: (l) => `Pour choisir un nouveau mot de passe, ouvrez ce lien dans l’heure :\n${l}`, ignore: 'Si vous n’avez rien demandé, ignorez ce courriel : votre mot de passe ne change pas.' },
};

export const RESET_REQUESTED = {
  message: 'If an account has this address, we have sent it a link to choose a new password. The link works once, for an hour.',
};

const invalidToken = () =>
  new AppException(HttpStatus.BAD_REQUEST, 'invalid_reset_token', 'This password reset link is not valid any more (used, expired or mistyped). Ask for a new one.', [
    { field: 'token', message: 'token is not a valid password reset link' },
  ]);

/**
 * Password reset by mail: single use, expiring after an hour, at most three
 * a hour per account, and the same answer whether or not the address has an
 * account (the mail goes out after the answer, so timing says nothing either).
 */
@Injectable()
export class PasswordResetService {
  private readonly logger = new Logger('PasswordReset');

  constructor(
    private readonly dataSource: DataSource,
    private readonly links: PublicLinks,
    private readonly mail: MailTransport,
    private readonly sessions: LoginSessionsService,
    private readonly domainEvents: DomainEvents,
  ) {}

  async request(email: string): Promise<typeof RESET_REQUESTED> {
    setImmediate(() => void this.sendLink(email).catch((e: Error) => this.logger.warn(`A password reset mail failed: ${e.message}`)));
    return RESET_REQUESTED;
  }

  private async sendLink(email: string): Promise<void> {
    const account = await findAccountByEmail(this.dataSource.manager, email);
    if (!account) return;
    const token = newSecret();
    const [row] = await this.dataSource.transaction(async (m) => {
      // One request of the account at a time, so the hourly limit holds under a burst.
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`password-reset:${account.id}`]);
      return rowsOf(
        m,
        db
          .insertInto('password_reset')
          .columns(['account_id', 'token_hash', 'expires_at'])
          .expression(
            db
              .selectNoFrom((eb) => [eb.val(account.id).as('account_id'), eb.val(secretId(token)).as('token_hash'), sql<Date>`now() + make_interval(mins => ${LINK_TTL_MINUTES})`.as('expires_at')])
              .where(
                (w) =>
                  w(
                    w.selectFrom('password_reset').select((c) => c.fn.countAll().as('n')).where('account_id', '=', account.id).where('created_at', '>', sql<Date>`now() - interval '1 hour'`),
                    '<',
                    MAX_PER_HOUR,
                  ),
              ),
          )
          .returning('id'),
      );
    });
    if (!row) return; // rate limited: the answer was the same
    const text = TEXTS[account.language] ?? TEXTS.en;
    const link = this.links.to('/reset-password', { token });
    await this.mail.send({
      to: account.email, kind: 'password_reset', subject: text.subject,
      text: `${text.body(link)}\n\n${text.ignore}`,
      html: `<!doctype html><html lang="${account.language}"><body><p>${escapeHtml(text.body('')).trim()}<br><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p><p>${escapeHtml(text.ignore)}</p></body></html>`,
    });
  }

  /** Sets the new password with a link's token (once), and ends every sign-in of the account. */
  async confirm(token: string, password: string): Promise<{ reset: true }> {
    const passwordHash = await hashPassword(password);
    const accountId = await this.dataSource.transaction(async (m) => {
      const [row] = await rowsOf(
        m,
        db
          .updateTable('password_reset')
          .set({ used_at: sql<Date>`now()` })
          .where('token_hash', '=', secretId(token))
          .where('used_at', 'is', null)
          .where('expires_at', '>', sql<Date>`now()`)
          .returning('account_id'),
      );
      if (!row) throw invalidToken();
      await setPasswordHash(m, row.account_id, passwordHash);
      // Other links of the account die with this one.
      await affectedBy(m, db.updateTable('password_reset').set({ used_at: sql<Date>`now()` }).where('account_id', '=', row.account_id).where('used_at', 'is', null));
      await this.sessions.endAllOf(m, row.account_id, null);
      return row.account_id;
    });
    this.domainEvents.emit('account.signedOut', { accountId, keepSessionId: null });
    return { reset: true };
  }
}
