import type { EntityManager } from 'typeorm';
import type { MaybeActor, Actor } from '../auth/actor.js';
import { forbidden, notFound, unauthenticated } from '../common/app-exception.js';
import { Session } from './session.entity.js';

const MAX_INT = 2_147_483_647;

/** A session by numeric id or slug (`/api/sessions/12` or `/api/sessions/sustainable-urban-mobility`); 404 otherwise. */
export async function findSession(manager: EntityManager, idOrSlug: string, lock = false): Promise<Session> {
  let where: { id: number } | { slug: string } | null = null;
  if (/^[1-9][0-9]{0,9}$/.test(idOrSlug) && Number(idOrSlug) <= MAX_INT) where = { id: Number(idOrSlug) };
  else if (/^[a-z0-9]+(-[a-z0-9]+)*$/.test(idOrSlug) && idOrSlug.length <= 120) where = { slug: idOrSlug };
  const session = where
    ? await manager.findOne(Session, { where, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) })
    : null;
  if (!session) throw notFound('The session', 'session_not_found');
  return session;
}

/** Only global admins manage the catalogue. */
export function requireAdmin(actor: MaybeActor, what: string): asserts actor is Actor {
  if (!actor) throw unauthenticated(`Sign in as an admin to ${what}.`);
  if (actor.role !== 'admin') throw forbidden('admin_only', `Only admins can ${what}.`);
}

/** A URL slug from a title: "Challenges & opportunities" -> "challenges-opportunities". */
export function slugify(title: string, fallback = 'session', maxLength = 120): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= maxLength) return slug || fallback;
  const cut = slug.slice(0, maxLength);
  const lastHyphen = cut.lastIndexOf('-');
  return (lastHyphen > maxLength / 2 ? cut.slice(0, lastHyphen) : cut).replace(/-+$/, '');
}
