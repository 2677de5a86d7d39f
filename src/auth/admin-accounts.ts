import type { EntityManager } from 'typeorm';
import { Account } from './account.entity.js';
import { findAccountByEmail, insertAccount } from './accounts.js';

export type EnsureAdminOutcome = 'created' | 'promoted' | 'already_admin';

/**
 * Makes sure an admin with this email exists: creates it (needs a password)
 * or promotes the existing account. An existing account's password is left
 * alone. Used by `npm run admin:create`.
 */
export async function createOrPromoteAdmin(
  manager: EntityManager,
  input: { email: string; displayName?: string; password?: string },
): Promise<{ account: Account; outcome: EnsureAdminOutcome }> {
  return manager.transaction(async (m) => {
    const existing = await findAccountByEmail(m, input.email);
    if (existing) {
      if (existing.role === 'admin') return { account: existing, outcome: 'already_admin' as const };
      await m.update(Account, { id: existing.id }, { role: 'admin' });
      return { account: { ...existing, role: 'admin' as const }, outcome: 'promoted' as const };
    }
    if (!input.password) throw new Error('A new admin needs a password: pass --password or set ADMIN_PASSWORD.');
    const account = await insertAccount(m, {
      email: input.email,
      password: input.password,
      displayName: input.displayName?.trim() || input.email.split('@')[0],
      role: 'admin',
    });
    return { account, outcome: 'created' as const };
  });
}
