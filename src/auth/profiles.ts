import type { EntityManager } from 'typeorm';
import type { Language } from './account.entity.js';
import { avatarPath } from './account-view.js';

/** What anyone may read of a person: who they are and who they speak for. Never the email. */
export interface PublicProfile {
  id: string;
  displayName: string;
  organisation: string | null;
  languages: Language[];
  bio: string;
  avatarUrl: string | null;
  memberSince: Date;
}

/** A person's public profile; null for unknown ids and for live Q&A guests (a name for one session, no profile). */
export async function findPublicProfile(manager: EntityManager, accountId: string): Promise<PublicProfile | null> {
  const [row] = await manager.query(
    `SELECT id, display_name, organisation, spoken_languages, bio, avatar_updated_at, created_at FROM account WHERE id = $1 AND kind = 'person'`,
    [accountId],
  );
  if (!row) return null;
  return {
    id: row.id, displayName: row.display_name, organisation: row.organisation, languages: row.spoken_languages, bio: row.bio,
    avatarUrl: avatarPath(row.id, row.avatar_updated_at), memberSince: row.created_at,
  };
}

/** The stored (re-encoded WebP) avatar, or null. */
export async function findAvatar(manager: EntityManager, accountId: string): Promise<Buffer | null> {
  const [row] = await manager.query(`SELECT avatar FROM account WHERE id = $1 AND kind = 'person' AND avatar IS NOT NULL`, [accountId]);
  return row?.avatar ?? null;
}
