import type { EntityManager } from 'typeorm';
import type { Account } from './account.entity.js';
import { findAccountByEmail, insertAccount, setRole } from './accounts.js';

export type EnsureAdminOutcome = 'created' | 'promoted' | 'already_admin';

class AdminPromotionRefused extends Error {}

/**
 * Makes sure an admin with this email exists: creates it (needs a password)
 * or, only when `promote` is set, promotes the existing account (its password
 * is left alone). Emails are not verified, so promoting whoever registered an
 * address must be a deliberate choice. Used by `npm run admin:create`.
 */
export async function createOrPromoteAdmin(
  manager: EntityManager,
  input: { email: string; displayName?: string; password?: string; promote?: boolean },
): Promise<{ account: Account; outcome: EnsureAdminOutcome }> {
  return manager.transaction(async (m) => {
    const existing = await findAccountByEmail(m, input.email);
    if (existing) {
      if (existing.role === 'admin') return { account: existing, outcome: 'already_admin' as const };
      if (!input.promote) {
        throw new AdminPromotionRefused(
          `An account with ${input.email} exists already (signed up by whoever used that address). ` +
            'Check it is the right person, then run again with --promote to make it an admin.',
        );
      }
      await setRole(m, existing.id, 'admin');
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
