import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { sql, type RawBuilder } from 'kysely';
import { DataSource, type EntityManager } from 'typeorm';
import type { MaybeActor } from '../auth/actor.js';
import { notFound, unauthenticated } from '../common/app-exception.js';
import { affectedBy, db } from '../database/typed-sql.js';
import type { MailPreferencesDto } from './dto/mail.dto.js';
import type { MailPreferencesView } from './dto/mail.views.js';
import { MAIL_KINDS, type MailKind } from './mail-render.js';

type MailFrequency = 'immediate' | 'daily' | 'weekly' | 'none';

export interface MailPreference {
  accountId: string;
  frequency: MailFrequency;
  mutedKinds: MailKind[];
  unsubscribeToken: string;
}

interface PreferenceRow {
  account_id: string;
  frequency: MailFrequency;
  muted_kinds: MailKind[];
  unsubscribe_token: string;
}

const toPreference = (r: PreferenceRow): MailPreference => ({
  accountId: r.account_id, frequency: r.frequency, mutedKinds: r.muted_kinds, unsubscribeToken: r.unsubscribe_token,
});

/** Per member: how notifications are mailed, which kinds not at all (mail_preference, this feature's table). */
@Injectable()
export class MailPreferencesService {
  constructor(private readonly dataSource: DataSource) {}

  /** Members' preferences, made with the defaults (each as it happens, every kind) where they have none yet. */
  async of(accountIds: string[], m: EntityManager = this.dataSource.manager): Promise<Map<string, MailPreference>> {
    const ids = [...new Set(accountIds)];
    if (!ids.length) return new Map();
    const tokens = ids.map(() => randomBytes(24).toString('base64url'));
    const fresh = sql<{ account_id: string; unsubscribe_token: string }>`unnest(${ids}::uuid[], ${tokens}::text[])`.as<'u'>(sql`u(account_id, unsubscribe_token)`);
    await affectedBy(
      m,
      db
        .insertInto('mail_preference')
        .columns(['account_id', 'unsubscribe_token'])
        .expression((eb) => eb.selectFrom(fresh).selectAll())
        .onConflict((oc) => oc.column('account_id').doNothing()),
    );
    const rows: PreferenceRow[] = await m.query(`SELECT * FROM mail_preference WHERE account_id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.account_id, toPreference(r)]));
  }

  private signedIn(actor: MaybeActor): string {
    if (!actor || actor.guestSessionId !== undefined) throw unauthenticated('Sign in to change how Agora mails you.');
    return actor.accountId;
  }

  async get(actor: MaybeActor): Promise<MailPreferencesView> {
    const accountId = this.signedIn(actor);
    return toView((await this.of([accountId])).get(accountId)!);
  }

  async set(actor: MaybeActor, dto: MailPreferencesDto): Promise<MailPreferencesView> {
    const accountId = this.signedIn(actor);
    const current = (await this.of([accountId])).get(accountId)!;
    const muted = new Set(current.mutedKinds);
    for (const [kind, on] of Object.entries(dto.kinds ?? {}) as [MailKind, boolean | undefined][]) {
      if (on === true) muted.delete(kind);
      if (on === false) muted.add(kind);
    }
    await this.update(accountId, { frequency: dto.frequency ?? current.frequency, muted_kinds: [...muted] });
    return this.get(actor);
  }

  /** What a link's token and kind mean (the unsubscribe page shows it before the click). */
  async describeLink(token: string, kind: MailKind | 'all'): Promise<{ kind: MailKind | 'all'; subscribed: boolean }> {
    const pref = await this.byToken(token);
    return { kind, subscribed: kind === 'all' ? pref.frequency !== 'none' : !pref.mutedKinds.includes(kind) };
  }

  /** One-click unsubscribe from one kind of mail (or all), by the link's token: no sign-in needed. */
  async unsubscribe(token: string, kind: MailKind | 'all'): Promise<{ kind: MailKind | 'all'; subscribed: false }> {
    const pref = await this.byToken(token);
    if (kind === 'all') {
      await this.update(pref.accountId, { frequency: 'none' });
    } else {
      await this.update(pref.accountId, { muted_kinds: sql<string[]>`array_append(array_remove(muted_kinds, ${kind}), ${kind})` });
    }
    return { kind, subscribed: false };
  }

  private async update(accountId: string, changes: { frequency?: MailFrequency; muted_kinds?: MailKind[] | RawBuilder<string[]> }): Promise<void> {
    await affectedBy(this.dataSource.manager, db.updateTable('mail_preference').set({ ...changes, updated_at: sql<Date>`now()` }).where('account_id', '=', accountId));
  }

  private async byToken(token: string): Promise<MailPreference> {
    const [row]: PreferenceRow[] = await this.dataSource.query(`SELECT * FROM mail_preference WHERE unsubscribe_token = $1`, [token]);
    if (!row) throw notFound('The unsubscribe link', 'unsubscribe_link_not_found');
    return toPreference(row);
  }
}

function toView(p: MailPreference): MailPreferencesView {
  return { frequency: p.frequency, kinds: Object.fromEntries(MAIL_KINDS.map((k) => [k, !p.mutedKinds.includes(k)])) as Record<MailKind, boolean> };
}
