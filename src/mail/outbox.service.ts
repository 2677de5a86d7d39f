import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isAdmin, type MaybeActor } from '../auth/actor.js';
import { forbidden, unauthenticated } from '../common/app-exception.js';
import type { OutboxPage } from './dto/mail.views.js';

/** The local outbox (outbox_mail): where mail goes without SMTP_URL; admins read it. */
@Injectable()
export class OutboxService {
  constructor(private readonly dataSource: DataSource) {}

  async list(actor: MaybeActor, limit = 200): Promise<OutboxPage> {
    if (!actor) throw unauthenticated('Sign in as an admin to read the outbox.');
    if (!isAdmin(actor)) throw forbidden('not_admin', 'Only admins can read the outbox.');
    const rows: { id: string; to_address: string; subject: string; kind: string; text_body: string; created_at: Date }[] = await this.dataSource.query(
      `SELECT id, to_address, subject, kind, text_body, created_at FROM outbox_mail ORDER BY id DESC LIMIT $1`,
      [limit],
    );
    return { items: rows.map((r) => ({ id: String(r.id), to: r.to_address, subject: r.subject, kind: r.kind, text: r.text_body, createdAt: r.created_at })) };
  }
}
