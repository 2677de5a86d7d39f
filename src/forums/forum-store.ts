import { sql, type Updateable } from 'kysely';
import type { EntityManager } from 'typeorm';
import { affectedBy, db, rowsOf } from '../database/typed-sql.js';
import type { DB } from '../database/schema.js';
import { addSessionModerators } from './membership-store.js';

/**
 * The forum table's writes (issue 11): this file is their only owner. Other
 * features (the live Q&A's hand-over, the moderation rules) call it inside
 * their own transaction.
 */

/** What a new forum is given; the rest takes the column defaults. */
export interface NewForum {
  sessionId: number;
  slug: string;
  title: string;
  description: string;
  visibility: string;
  state: string;
}

/**
 * Adds a forum to a session, its session's moderators (organisers) made its
 * moderators at once: forums created later get them too.
 */
export async function createForum(m: EntityManager, forum: NewForum): Promise<{ id: number; slug: string; title: string }> {
  const [row] = await rowsOf(
    m,
    db
      .insertInto('forum')
      .values({
        session_id: forum.sessionId,
        slug: forum.slug,
        title: forum.title,
        description: forum.description,
        visibility: forum.visibility,
        state: forum.state,
      })
      .returning(['id', 'slug', 'title']),
  );
  await addSessionModerators(m, row.id, forum.sessionId);
  return row;
}

/** The columns a forum's moderators change: what it is (ForumsService.update) and its moderation rules (ForumRulesService). */
export type ForumChanges = Partial<
  Pick<
    Updateable<DB['forum']>,
    | 'title'
    | 'slug'
    | 'description'
    | 'visibility'
    | 'state'
    | 'premoderation'
    | 'premoderate_first_replies'
    | 'flag_threshold'
    | 'slow_mode_seconds'
    | 'max_replies_per_hour'
    | 'member_questions'
  >
>;

/** Changes a forum's columns; updated_at follows. */
export async function updateForum(m: EntityManager, forumId: number, changes: ForumChanges): Promise<void> {
  await affectedBy(m, db.updateTable('forum').set({ ...changes, updated_at: sql<Date>`now()` }).where('id', '=', forumId));
}
