import { Injectable, Logger } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { affectedBy, db } from '../database/typed-sql.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** What sort of mail (a notification kind, `digest`, `password_reset`…), kept with outbox mails. */
  kind: string;
  headers?: Record<string, string>;
  /** RFC 8058 one-click unsubscribe: the URL a mail client POSTs to. */
  unsubscribeUrl?: string;
}

/**
 * SMTP connections are pooled (nodemailer's pool: a few connections kept
 * open, many mails each), unless SMTP_URL says `pool=false`: a digest run
 * sends thousands of mails, and a connection per mail costs more than the mail.
 */
function pooled(url: string): string {
  if (!/^smtps?:/i.test(url)) return url;
  const parsed = new URL(url);
  if (!parsed.searchParams.has('pool')) parsed.searchParams.set('pool', 'true');
  return parsed.href;
}

/**
 * Sends mail with nodemailer: over SMTP_URL, or, without it, built by
 * nodemailer all the same and stored in the outbox table (admins read it in
 * the web client), so the embedded default works without a mail server.
 */
@Injectable()
export class MailTransport {
  private readonly logger = new Logger('Mail');
  private readonly transporter: Transporter;
  readonly usesOutbox: boolean;

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {
    this.usesOutbox = !config.SMTP_URL;
    this.transporter = config.SMTP_URL
      ? nodemailer.createTransport(pooled(config.SMTP_URL))
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(mail: OutgoingMail): Promise<void> {
    const headers: Record<string, string> = { ...mail.headers };
    const message = {
      from: this.config.MAIL_FROM,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      headers,
      ...(mail.unsubscribeUrl ? { list: { unsubscribe: { url: mail.unsubscribeUrl, comment: 'Unsubscribe' } } } : {}),
    };
    if (mail.unsubscribeUrl) headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    const info = await this.transporter.sendMail(message);
    if (this.usesOutbox) {
      const raw = (info as unknown as { message: Buffer }).message.toString('utf8');
      await affectedBy(
        this.dataSource.manager,
        db.insertInto('outbox_mail').values({ to_address: mail.to, subject: mail.subject, kind: mail.kind, text_body: mail.text, raw }),
      );
    }
  }

  /** A mail that failed every retry: logged and kept in mail_failure (this feature's table). */
  async recordFailure(failure: { accountId: string | null; to: string; kind: string; error: unknown; attempts: number }): Promise<void> {
    const message = failure.error instanceof Error ? failure.error.message : String(failure.error);
    this.logger.warn(`A ${failure.kind} mail to ${failure.accountId ?? failure.to} failed after ${failure.attempts} attempt(s): ${message}`);
    await affectedBy(
      this.dataSource.manager,
      db.insertInto('mail_failure').values({ account_id: failure.accountId, to_address: failure.to, kind: failure.kind, error: message, attempts: failure.attempts }),
    );
  }

  close(): void {
    this.transporter.close();
    this.logger.debug('Mail transport closed.');
  }
}
