import { QueryFailedError, type EntityManager } from 'typeorm';
import { conflict } from '../common/app-exception.js';
import { Account, type GlobalRole, type Language } from './account.entity.js';
import { hashPassword } from './passwords.js';

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
    const [row] = await manager.query(
      `INSERT INTO account (email, display_name, organisation, language, role, password_hash, is_demo)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [input.email.trim(), input.displayName.trim(), input.organisation?.trim() || null, input.language ?? 'en', input.role ?? 'member', passwordHash, input.isDemo ?? false],
    );
    return (await manager.findOneByOrFail(Account, { id: row.id }));
  } catch (error) {
    if (isEmailTaken(error)) throw emailTaken();
    throw error;
  }
}

/** The account with this email (any case), or null. The password hash is not loaded. */
export function findAccountByEmail(manager: EntityManager, email: string): Promise<Account | null> {
  return manager.createQueryBuilder(Account, 'a').where('lower(a.email) = lower(:email)', { email: email.trim() }).getOne();
}
