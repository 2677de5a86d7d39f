import { sql } from 'kysely';
import { QueryFailedError, type EntityManager } from 'typeorm';
import { conflict } from '../common/app-exception.js';
import { affectedBy, db, rowsOf } from '../database/typed-sql.js';
import { Account, type GlobalRole, type Language } from './account.entity.js';
import { hashPassword } from './passwords.js';

/*
 * The account table's writes (issue 11: one owner per table). Every other
 * file, in auth or another feature, calls these inside its own transaction.
 */

export interface NewAccount {
  email: string;
  password: string;
  displayName: string;
  organisation?: string | null;
  language?: Language;
  role?: GlobalRole;
  isDemo?: boolean;
}

const isEmailTaken = (error: unknown) =>
  error instanceof QueryFailedError &&
  (error as { code?: string }).code === '23505' &&
  (error as { constraint?: string }).constraint === 'account_email_key';

const emailTaken = () =>
  conflict('email_taken', 'An account with this email already exists. Sign in instead, or sign up with another email.');

/**
 * Creates an account with an Argon2id hash of its password. Used by sign-up,
 * the first-admin bootstrap, the CLI and the demo seed. The email's
 * uniqueness (without regard to case) is the database's unique index.
 */
export async function insertAccount(manager: EntityManager, input: NewAccount): Promise<Account> {
  const passwordHash = await hashPassword(input.password);
  try {
    const [row] = await rowsOf(
      manager,
      db
        .insertInto('account')
        .values({
          email: input.email.trim(),
          display_name: input.displayName.trim(),
          organisation: input.organisation?.trim() || null,
          language: input.language ?? 'en',
          role: input.role ?? 'member',
          password_hash: passwordHash,
          is_demo: input.isDemo ?? false,
        })
        .returning('id'),
    );
    return (await manager.findOneByOrFail(Account, { id: row.id }));
  } catch (error) {
    if (isEmailTaken(error)) throw emailTaken();
    throw error;
  }
}

/** A live Q&A guest's account (no email, no password), counting only in that session's Q&A. */
export async function insertGuestAccount(m: EntityManager, sessionId: number, displayName: string): Promise<{ id: string; display_name: string }> {
  const [row] = await rowsOf(
    m,
    db
      .insertInto('account')
      .values({ kind: 'guest', guest_session_id: sessionId, display_name: displayName, role: 'member', language: 'en' })
      .returning(['id', 'display_name']),
  );
  return row;
}

/** The fields of one's profile a person may change; those left out stay as they are. */
export interface ProfileChanges {
  displayName?: string;
  organisation?: string | null;
  language?: Language;
  bio?: string;
  spokenLanguages?: Language[];
}

/** Writes the given profile fields (none given: nothing is written). */
export async function updateProfile(m: EntityManager, accountId: string, changes: ProfileChanges): Promise<void> {
  const columns = {
    display_name: changes.displayName,
    organisation: changes.organisation,
    language: changes.language,
    bio: changes.bio,
    spoken_languages: changes.spokenLanguages,
  };
  const set = Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
  if (!Object.keys(set).length) return;
  await affectedBy(m, db.updateTable('account').set({ ...set, updated_at: sql<Date>`now()` }).where('id', '=', accountId));
}

export async function setRole(m: EntityManager, accountId: string, role: GlobalRole): Promise<void> {
  await affectedBy(m, db.updateTable('account').set({ role, updated_at: sql<Date>`now()` }).where('id', '=', accountId));
}

export async function setPasswordHash(m: EntityManager, accountId: string, passwordHash: string): Promise<void> {
  await affectedBy(m, db.updateTable('account').set({ password_hash: passwordHash, updated_at: sql<Date>`now()` }).where('id', '=', accountId));
}

/** Replaces the avatar (a re-encoded image), or removes it with null (back to initials). */
export async function setAvatar(m: EntityManager, accountId: string, image: Buffer | null): Promise<void> {
  await affectedBy(
    m,
    db
      .updateTable('account')
      .set({ avatar: image, avatar_updated_at: image ? sql<Date>`clock_timestamp()` : null, updated_at: sql<Date>`now()` })
      .where('id', '=', accountId),
  );
}

/** Marks the address verified, only while the account still has `email`; false when it has another. */
export async function markEmailVerified(m: EntityManager, accountId: string, email: string): Promise<boolean> {
  const changed = await affectedBy(
    m,
    db
      .updateTable('account')
      .set({ email_verified_at: sql<Date>`COALESCE(email_verified_at, now())` })
      .where('id', '=', accountId)
      .where(sql<boolean>`lower(email) = lower(${email})`),
  );
  return changed > 0;
}

/** The account with this email (any case), or null. The password hash is not loaded. */
export function findAccountByEmail(manager: EntityManager, email: string): Promise<Account | null> {
  return manager.createQueryBuilder(Account, 'a').where('lower(a.email) = lower(:email)', { email: email.trim() }).getOne();
}
