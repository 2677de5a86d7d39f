import { sql } from 'kysely';
import type { EntityManager } from 'typeorm';
import { affectedBy, db, rowsOf } from '../database/typed-sql.js';
import type { Session } from './session.entity.js';
import type { DocumentKind } from './session-document.entity.js';
import type { Language } from '../auth/account.entity.js';

/**
 * The writes of sessions and their dates and documents (issue 11), and
 * nowhere else: the live Q&A changes a session's state through here, in its
 * own transaction.
 */

type SessionFields = Pick<Session, 'slug' | 'kind' | 'title' | 'summary' | 'organiser' | 'partners' | 'cities' | 'topics' | 'languages' | 'state'>;

/** Adds a session to the catalogue; returns its id. */
export async function createSession(m: EntityManager, session: SessionFields): Promise<number> {
  const [row] = await rowsOf(m, db.insertInto('session').values(session).returning('id'));
  return row.id;
}

/** The fields of a session an admin (or, for its state, the live Q&A's moderators) changes. */
export type SessionChanges = Partial<SessionFields>;

/** Changes a session's fields; updated_at follows (with no field given, the session is only touched). */
export async function updateSession(m: EntityManager, sessionId: number, changes: SessionChanges): Promise<void> {
  await affectedBy(m, db.updateTable('session').set({ ...changes, updated_at: sql<Date>`now()` }).where('id', '=', sessionId));
}

/** Replaces the session's dates with these, in this order. */
export async function replaceDates(m: EntityManager, sessionId: number, dates: { startsAt: Date; endsAt: Date }[]): Promise<void> {
  await affectedBy(m, db.deleteFrom('session_date').where('session_id', '=', sessionId));
  if (!dates.length) return;
  await affectedBy(m, db.insertInto('session_date').values(dates.map((d) => ({ session_id: sessionId, starts_at: d.startsAt, ends_at: d.endsAt }))));
}

/** Replaces the session's documents with these, in this order. */
export async function replaceDocuments(
  m: EntityManager,
  sessionId: number,
  documents: { kind: DocumentKind; language: Language; title: string; url: string }[],
): Promise<void> {
  await affectedBy(m, db.deleteFrom('session_document').where('session_id', '=', sessionId));
  if (!documents.length) return;
  await affectedBy(m, db.insertInto('session_document').values(documents.map((d) => ({ session_id: sessionId, kind: d.kind, language: d.language, title: d.title, url: d.url }))));
}
