import { DataSource, type EntityManager } from 'typeorm';
import type { GlobalRole, Language } from './account.entity.js';
import { findAccountByEmail, insertAccount } from './accounts.js';

export interface DemoAccount {
  key: 'member' | 'member2' | 'moderator' | 'admin';
  email: string;
  /** Published on purpose: demo accounts exist only with the demo data. */
  password: string;
  displayName: string;
  organisation: string;
  language: Language;
  role: GlobalRole;
}

/**
 * The demo people a newcomer signs in as. Two members, so two browsers can
 * watch each other's replies arrive; the moderator is a global member whom
 * the demo seed makes a moderator of the demo forums.
 */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { key: 'member', email: 'member@agora.example', password: 'agora-member', displayName: 'Marta Ruiz (demo member)', organisation: 'Barcelona Metropolitan Area', language: 'es', role: 'member' },
  { key: 'member2', email: 'member2@agora.example', password: 'agora-member2', displayName: 'Amina Diallo (demo member)', organisation: 'City of Dakar', language: 'fr', role: 'member' },
  { key: 'moderator', email: 'moderator@agora.example', password: 'agora-moderator', displayName: 'Li Wei (demo moderator)', organisation: 'Metropolis Learning Hub Chengdu', language: 'en', role: 'member' },
  { key: 'admin', email: 'admin@agora.example', password: 'agora-admin', displayName: 'Agora demo admin', organisation: 'Metropolis', language: 'en', role: 'admin' },
];

export type DemoAccountIds = Record<DemoAccount['key'], string>;

/**
 * Creates the demo accounts that don't exist yet (is_demo = true) and returns
 * the ids of all of them. Idempotent: the demo seed calls it on every load.
 */
export async function ensureDemoAccounts(db: DataSource | EntityManager): Promise<DemoAccountIds> {
  const manager = db instanceof DataSource ? db.manager : db;
  const ids = {} as DemoAccountIds;
  for (const demo of DEMO_ACCOUNTS) {
    const existing = await findAccountByEmail(manager, demo.email);
    const account = existing ?? (await insertAccount(manager, { ...demo, isDemo: true }));
    ids[demo.key] = account.id;
  }
  return ids;
}

/** Lines for the start banner telling a newcomer how to sign in. */
export function demoSignInHints(): string[] {
  return DEMO_ACCOUNTS.map((d) => `  ${(d.role === 'admin' ? 'admin' : d.key === 'moderator' ? 'moderator' : 'member').padEnd(9)} ${d.email} / ${d.password}`);
}
