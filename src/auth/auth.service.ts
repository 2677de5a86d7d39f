import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppException, badRequest, forbidden, unauthenticated } from '../common/app-exception.js';
import { DomainEvents } from '../events/domain-events.js';
import { Account } from './account.entity.js';
import { avatarPath, toAccountView, type AccountView } from './account-view.js';
import { reencodeAvatar, type AvatarUpload } from './avatars.js';
import { insertAccount, setAvatar, setPasswordHash, updateProfile } from './accounts.js';
import { EmailVerificationService } from './email-verification.service.js';
import { isGuest, type MaybeActor } from './actor.js';
import type { ChangePasswordDto } from './dto/change-password.dto.js';
import type { CreateTokenDto } from './dto/create-token.dto.js';
import type { IssuedTokenView } from './dto/login-session.view.js';
import type { SignInDto } from './dto/sign-in.dto.js';
import type { SignUpDto } from './dto/sign-up.dto.js';
import { LoginSessionsService, type ClientInfo, type IssuedSession } from './login-sessions.service.js';
import type { UpdateProfileDto } from './dto/update-profile.dto.js';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './passwords.js';
import { SignInThrottleService } from './sign-in-throttle.service.js';

const DAY_MS = 24 * 60 * 60_000;

/** The one answer to a failed sign-in, whether the email exists or not. */
const invalidCredentials = () =>
  new AppException(HttpStatus.UNAUTHORIZED, 'invalid_credentials', 'The email or password is incorrect. Check both and try again.');

export interface SignedIn {
  account: AccountView;
  /** The new browser session; the controller puts its secret in the cookie. */
  session: IssuedSession;
}

/** A guest of a live Q&A (a name, valid for one session's Q&A) gets no lasting credentials. */
const guestRefused = () =>
  forbidden('guest_not_allowed', 'Guests of a live Q&A have no password or API tokens. Sign up for an account to get them.');

/** Accounts and sign-in: sign-up, sign-in, sign-out, who am I, change password, API tokens. */
@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: LoginSessionsService,
    private readonly throttle: SignInThrottleService,
    private readonly domainEvents: DomainEvents,
    private readonly verification: EmailVerificationService,
  ) {}

  /** Creates an account and signs it in; a link to confirm its address is mailed once it commits. */
  async signUp(actor: MaybeActor, dto: SignUpDto, client: ClientInfo): Promise<SignedIn> {
    await this.verification.ready();
    const result = await this.dataSource.transaction(async (m) => {
      const account = await insertAccount(m, {
        email: dto.email,
        password: dto.password,
        displayName: dto.displayName,
        organisation: dto.organisation,
        language: dto.language,
      });
      const session = await this.sessions.issue(m, account.id, 'cookie', client);
      await this.verification.queueForNewAccount(m, account.id);
      return { account: toAccountView(account), session };
    });
    await this.replaced(actor);
    return result;
  }

  /**
   * Checks the password and starts a browser session. Rate limited per email
   * and per address; every failure gets the same answer, and an unknown email
   * costs a hash verification too, so neither the message nor the timing
   * tells whether the account exists.
   */
  async signIn(actor: MaybeActor, dto: SignInDto, client: ClientInfo): Promise<SignedIn> {
    const attempt = await this.throttle.begin(dto.email, client.ip ?? 'unknown');
    const row = await this.dataSource
      .createQueryBuilder(Account, 'a')
      .addSelect('a.passwordHash')
      .where('lower(a.email) = lower(:email)', { email: dto.email })
      .getOne();
    const ok = row ? await verifyPassword(row.passwordHash, dto.password) : await verifyAgainstDummy(dto.password);
    if (!row || !ok) {
      await attempt.failed();
      throw invalidCredentials();
    }
    await attempt.succeeded();
    const session = await this.dataSource.transaction((m) => this.sessions.issue(m, row.id, 'cookie', client));
    await this.replaced(actor);
    return { account: toAccountView(row), session };
  }

  /**
   * Ends the sign-in this request was made with, at once, or with
   * `everywhere` every sign-in of the account (browsers and API tokens).
   * Signing out when not signed in is harmless.
   */
  async signOut(actor: MaybeActor, everywhere = false): Promise<void> {
    if (!actor) return;
    if (everywhere) {
      await this.sessions.endAllOf(this.dataSource.manager, actor.accountId, null);
      // Every socket of the person, on every instance, leaves its rooms at once.
      this.domainEvents.emit('account.signedOut', { accountId: actor.accountId, keepSessionId: null });
    } else {
      await this.sessions.endCurrent(actor);
    }
  }

  async me(actor: MaybeActor): Promise<AccountView> {
    const account = await this.current(actor);
    if (!account) throw unauthenticated('You are not signed in.');
    return account;
  }

  /** The signed-in account, or null when nobody is (being signed out is not an error). */
  async current(actor: MaybeActor): Promise<AccountView | null> {
    if (!actor) return null;
    const account = await this.dataSource.manager.findOneBy(Account, { id: actor.accountId });
    return account ? toAccountView(account) : null;
  }

  /** Updates the caller's own profile; fields left out stay as they are, `organisation: null` clears it. */
  async updateProfile(actor: MaybeActor, dto: UpdateProfileDto): Promise<AccountView> {
    if (!actor) throw unauthenticated('You are not signed in.');
    for (const field of ['displayName', 'language'] as const) {
      if (dto[field] === null) throw badRequest('validation_failed', `Invalid input: ${field} can't be empty.`, [{ field, message: `${field} can't be null` }]);
    }
    const { languages, ...fields } = dto;
    await updateProfile(this.dataSource.manager, actor.accountId, { ...fields, spokenLanguages: languages });
    return this.me(actor);
  }

  /** Replaces one's avatar with the uploaded image, checked and re-encoded to a small square (see avatars.ts). */
  async setAvatar(actor: MaybeActor, upload: AvatarUpload | undefined): Promise<{ avatarUrl: string }> {
    if (!actor) throw unauthenticated('You are not signed in.');
    if (isGuest(actor)) throw guestRefused();
    const image = await reencodeAvatar(upload);
    await setAvatar(this.dataSource.manager, actor.accountId, image);
    const { avatarUpdatedAt } = await this.dataSource.manager.findOneByOrFail(Account, { id: actor.accountId });
    return { avatarUrl: avatarPath(actor.accountId, avatarUpdatedAt)! };
  }

  /** Back to initials. */
  async removeAvatar(actor: MaybeActor): Promise<void> {
    if (!actor) throw unauthenticated('You are not signed in.');
    await setAvatar(this.dataSource.manager, actor.accountId, null);
  }

  /**
   * Changes the password after checking the current one, and ends every
   * other sign-in of the person (other browsers, API tokens) in the same
   * transaction. A browser session is re-issued under a new secret; a
   * request made with an API token keeps that token.
   */
  async changePassword(actor: MaybeActor, dto: ChangePasswordDto, client: ClientInfo): Promise<{ account: AccountView; session: IssuedSession | null }> {
    if (!actor) throw unauthenticated();
    if (isGuest(actor)) throw guestRefused();
    const row = await this.dataSource
      .createQueryBuilder(Account, 'a')
      .addSelect('a.passwordHash')
      .where('a.id = :id', { id: actor.accountId })
      .getOne();
    if (!row) throw unauthenticated();
    if (!(await verifyPassword(row.passwordHash, dto.currentPassword))) {
      throw new AppException(HttpStatus.BAD_REQUEST, 'wrong_password', 'The current password is incorrect, so the password was not changed.', [
        { field: 'currentPassword', message: 'currentPassword is incorrect' },
      ]);
    }
    const passwordHash = await hashPassword(dto.newPassword);
    const result = await this.dataSource.transaction(async (m) => {
      const [current] = await m.query(`SELECT kind FROM login_session WHERE id = $1 AND expires_at > now() FOR UPDATE`, [actor.sessionId]);
      if (!current) throw unauthenticated('Your sign-in has ended. Sign in again to change your password.');
      await setPasswordHash(m, actor.accountId, passwordHash);
      if (current.kind === 'token') {
        await this.sessions.endAllOf(m, actor.accountId, actor.sessionId);
        return { account: toAccountView(row), session: null };
      }
      await this.sessions.endAllOf(m, actor.accountId, null);
      const session = await this.sessions.issue(m, actor.accountId, 'cookie', client);
      return { account: toAccountView(row), session };
    });
    // After commit: the ended sign-ins' sockets are disconnected on every instance (a kept API token's stay).
    this.domainEvents.emit('account.signedOut', { accountId: actor.accountId, keepSessionId: result.session ? null : actor.sessionId });
    return result;
  }

  /** Creates an API token for scripts; its secret is returned this once. */
  async createToken(actor: MaybeActor, dto: CreateTokenDto, client: ClientInfo): Promise<IssuedTokenView> {
    if (!actor) throw unauthenticated('Sign in to create an API token.');
    if (isGuest(actor)) throw guestRefused();
    const issued = await this.dataSource.transaction((m) =>
      this.sessions.issue(m, actor.accountId, 'token', client, { ttlMs: (dto.expiresInDays ?? 90) * DAY_MS, label: dto.label }),
    );
    return { token: issued.secret, id: issued.id, label: dto.label, expiresAt: issued.expiresAt };
  }

  /** A browser that signs in again drops its previous session rather than leaving it orphaned. */
  private async replaced(actor: MaybeActor): Promise<void> {
    if (actor) await this.sessions.endBrowserSession(actor.sessionId);
  }
}
