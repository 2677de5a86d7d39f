import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { DataSource, type EntityManager } from 'typeorm';
import { notFound, unauthenticated } from '../common/app-exception.js';
import { AppConfig } from '../config/app-config.js';
import { batchedRead } from '../database/batched-reads.js';
import { affectedBy, db, rowsOf } from '../database/typed-sql.js';
import { DomainEvents } from '../events/domain-events.js';
import type { GlobalRole } from './account.entity.js';
import type { Actor, MaybeActor } from './actor.js';
import type { LoginSessionKind } from './login-session.entity.js';
import { LoginSessionView } from './dto/login-session.view.js';
import { API_TOKEN_PREFIX, newSecret, secretId } from './tokens.js';

const DAY_MS = 24 * 60 * 60_000;
/** last_seen_at (and the sliding expiry) is written at most this often per session. */
const TOUCH_INTERVAL_MS = 60_000;

export interface ClientInfo {
  userAgent: string | null;
  ip: string | null;
}

export interface IssuedSession {
  /** The secret for the client (cookie value or bearer token); shown once, never stored. */
  secret: string;
  id: string;
  expiresAt: Date;
}

/** A sign-in as resolve() reads it. */
interface SessionRow {
  expires_at: Date;
  stale: boolean;
  account_id: string;
  display_name: string;
  role: string;
  guest_session_id: number | null;
}

export interface ResolvedSession {
  actor: Actor;
  kind: LoginSessionKind;
  expiresAt: Date;
  /** True when this lookup slid the expiry forward (the cookie should be re-sent). */
  refreshed: boolean;
}

/**
 * Server-side sign-ins. Each request looks its session up in PostgreSQL, so
 * ending a session (sign-out, password change, "end this session") takes
 * effect on the very next request, on every instance.
 */
@Injectable()
export class LoginSessionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly domainEvents: DomainEvents,
  ) {}

  /**
   * One statement for the sign-ins looked up at the same moment: every
   * request and socket handshake asks, and a thousand sockets back from a
   * network drop ask at once.
   */
  private readonly lookUp = batchedRead<{ id: string; kind: LoginSessionKind }, SessionRow | null>(async (keys) => {
    const rows: (SessionRow & { id: string; kind: LoginSessionKind })[] = await this.dataSource.query(
      `SELECT s.id, s.kind, s.expires_at, s.last_seen_at < now() - make_interval(secs => $2) AS stale,
              a.id AS account_id, a.display_name, a.role, a.guest_session_id
         FROM login_session s JOIN account a ON a.id = s.account_id
        WHERE s.id = ANY($1::text[]) AND s.expires_at > now()`,
      [[...new Set(keys.map((k) => k.id))], TOUCH_INTERVAL_MS / 1000],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    // A secret presented as the other kind (a cookie's as a bearer token) finds nothing.
    return keys.map((k) => {
      const row = byId.get(k.id);
      return row && row.kind === k.kind ? row : null;
    });
  });

  get cookieTtlMs(): number {
    return this.config.SESSION_TTL_DAYS * DAY_MS;
  }

  /** Starts a sign-in for an account; call inside the transaction that authenticated it. */
  async issue(
    manager: EntityManager,
    accountId: string,
    kind: LoginSessionKind,
    client: ClientInfo,
    options: { ttlMs?: number; label?: string | null } = {},
  ): Promise<IssuedSession> {
    const secret = newSecret(kind === 'token' ? API_TOKEN_PREFIX : '');
    const id = secretId(secret);
    const ttlMs = options.ttlMs ?? this.cookieTtlMs;
    const [row] = await rowsOf(
      manager,
      db
        .insertInto('login_session')
        .values({
          id,
          account_id: accountId,
          kind,
          label: options.label ?? null,
          expires_at: sql<Date>`now() + make_interval(secs => ${Math.round(ttlMs / 1000)})`,
          user_agent: client.userAgent?.slice(0, 500) ?? null,
          ip: client.ip?.slice(0, 100) ?? null,
        })
        .returning('expires_at'),
    );
    return { secret, id, expiresAt: row.expires_at };
  }

  /**
   * The signed-in actor for a secret presented as `kind`, or null when it is
   * unknown, expired or of the other kind (a cookie secret is not a bearer
   * token). Browser sessions slide: each use (at most once a minute) pushes
   * the expiry SESSION_TTL_DAYS ahead.
   */
  async resolve(secret: string, kind: LoginSessionKind): Promise<ResolvedSession | null> {
    if (secret.length > 200) return null;
    const id = secretId(secret);
    const row = await this.lookUp({ id, kind });
    if (!row) return null;
    let expiresAt: Date = row.expires_at;
    let refreshed = false;
    if (row.stale) {
      // A guest's sign-in doesn't slide: it is for one session's Q&A and ends GUEST_TTL_MS after it was issued.
      const slides = kind === 'cookie' && row.guest_session_id === null;
      const touched = await rowsOf(
        this.dataSource.manager,
        db
          .updateTable('login_session')
          .set({
            last_seen_at: sql<Date>`now()`,
            expires_at: sql<Date>`CASE WHEN ${slides} THEN now() + make_interval(secs => ${Math.round(this.cookieTtlMs / 1000)}) ELSE expires_at END`,
          })
          .where('id', '=', id)
          .where('expires_at', '>', sql<Date>`now()`)
          .returning('expires_at'),
      );
      if (!touched.length) return null; // ended between the two statements
      expiresAt = touched[0].expires_at;
      refreshed = slides;
    }
    return {
      actor: {
        accountId: row.account_id,
        displayName: row.display_name,
        role: row.role as GlobalRole,
        sessionId: id,
        ...(row.guest_session_id === null ? {} : { guestSessionId: row.guest_session_id as number }),
      },
      kind,
      expiresAt,
      refreshed,
    };
  }

  /** The caller's unexpired sign-ins, newest first, the current one marked. */
  async list(actor: MaybeActor): Promise<LoginSessionView[]> {
    if (!actor) throw unauthenticated();
    const rows = await this.dataSource.query(
      `SELECT id, kind, label, created_at, last_seen_at, expires_at, user_agent, ip
         FROM login_session WHERE account_id = $1 AND expires_at > now()
        ORDER BY last_seen_at DESC, created_at DESC`,
      [actor.accountId],
    );
    return rows.map(
      (r: Record<string, unknown>): LoginSessionView => ({
        id: r.id as string,
        kind: r.kind as LoginSessionKind,
        label: (r.label as string | null) ?? null,
        current: r.id === actor.sessionId,
        createdAt: r.created_at as Date,
        lastSeenAt: r.last_seen_at as Date,
        expiresAt: r.expires_at as Date,
        userAgent: (r.user_agent as string | null) ?? null,
        ip: (r.ip as string | null) ?? null,
      }),
    );
  }

  /** Ends one of the caller's own sign-ins; 404 for anyone else's. Returns whether it was the current one. */
  async end(actor: MaybeActor, id: string): Promise<{ current: boolean }> {
    if (!actor) throw unauthenticated();
    const count = await affectedBy(this.dataSource.manager, db.deleteFrom('login_session').where('id', '=', id).where('account_id', '=', actor.accountId));
    if (!count) throw notFound('The sign-in session', 'login_session_not_found');
    this.domainEvents.emit('signIn.ended', { sessionId: id }); // its sockets are disconnected on every instance
    return { current: id === actor.sessionId };
  }

  /** Ends the sign-in a request was made under (sign-out). */
  async endCurrent(actor: MaybeActor): Promise<void> {
    if (!actor) return;
    await affectedBy(this.dataSource.manager, db.deleteFrom('login_session').where('id', '=', actor.sessionId));
    this.domainEvents.emit('signIn.ended', { sessionId: actor.sessionId });
  }

  /** Ends a browser session (never an API token) by id. */
  async endBrowserSession(id: string): Promise<void> {
    await affectedBy(this.dataSource.manager, db.deleteFrom('login_session').where('id', '=', id).where('kind', '=', 'cookie'));
    this.domainEvents.emit('signIn.ended', { sessionId: id });
  }

  /** Ends every sign-in of an account except one (or all, with exceptId null). */
  async endAllOf(manager: EntityManager, accountId: string, exceptId: string | null): Promise<void> {
    await affectedBy(manager, db.deleteFrom('login_session').where('account_id', '=', accountId).where('id', 'is distinct from', exceptId));
  }

  /** Drops expired sessions (housekeeping; expired ones are already refused). */
  async pruneExpired(): Promise<void> {
    await affectedBy(this.dataSource.manager, db.deleteFrom('login_session').where('expires_at', '<', sql<Date>`now() - interval '1 day'`)).catch(() => undefined);
  }
}

declare module '../events/domain-events.js' {
  interface DomainEventMap {
    /** One sign-in (cookie session or API token) ended: its sockets are told and closed. */
    'signIn.ended': { sessionId: string };
    /** Every sign-in of an account ended (sign out everywhere, a password change), except `keepSessionId` if given. */
    'account.signedOut': { accountId: string; keepSessionId: string | null };
  }
}
