import { Column, Entity, PrimaryColumn } from 'typeorm';

export type LoginSessionKind = 'cookie' | 'token';

/**
 * One sign-in: a browser session (cookie) or an API token (bearer). The id is
 * the SHA-256 of the secret the client holds; the secret itself is never stored.
 */
@Entity('login_session')
export class LoginSession {
  @PrimaryColumn('text')
  id: string;

  @Column('uuid', { name: 'account_id' })
  accountId: string;

  @Column('text')
  kind: LoginSessionKind;

  /** A name the person gave an API token ("nightly export"); null for browser sessions. */
  @Column('text', { nullable: true })
  label: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'last_seen_at' })
  lastSeenAt: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;

  @Column('text', { name: 'user_agent', nullable: true })
  userAgent: string | null;

  @Column('text', { nullable: true })
  ip: string | null;
}
