import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MaybeActor } from '../auth/actor.js';
import { findAvatar, findPublicProfile } from '../auth/profiles.js';
import { notFound } from '../common/app-exception.js';
import { decodeCursor, encodeCursor, isIdText, isTimestamp, sqlTimestampKey } from '../common/cursor.js';
import { namedQuery } from '../common/named-query.js';
import { shownTextCondition } from '../discussions/reply-visibility.js';
import { ForumAccessService } from '../forums/forum-access.service.js';
import type { PersonQuestionView, PersonRepliesPage, PersonView } from './dto/people.dto.js';

const PAGE = 20;
const personNotFound = () => notFound('The person', 'person_not_found');

/** Initials for an avatar placeholder: the first letter of the first two words ("Ana García" → "AG"). */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter((w) => /\p{L}|\p{N}/u.test(w));
  return words.slice(0, 2).map((w) => Array.from(w.replace(/^[^\p{L}\p{N}]+/u, ''))[0] ?? '').join('').toLocaleUpperCase() || '?';
}

interface PlaceRow {
  session_slug: string;
  session_title: string;
  forum_id: number;
  forum_title: string;
  question_id: number;
  question_title: string;
  created_at: Date;
}
const placeOf = (r: PlaceRow) => ({
  sessionSlug: r.session_slug, sessionTitle: r.session_title, forumId: r.forum_id, forumTitle: r.forum_title,
  questionId: r.question_id, questionTitle: r.question_title,
});

/**
 * A member's profile and what they wrote, as the viewer may see it: the
 * forums' readable condition and reply-visibility's shown-text rule, as in
 * every other read.
 */
@Injectable()
export class PeopleService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly forumAccess: ForumAccessService,
  ) {}

  async profile(actor: MaybeActor, personId: string): Promise<PersonView> {
    const profile = await findPublicProfile(this.dataSource.manager, personId);
    if (!profile) throw personNotFound();
    return { ...profile, initials: initialsOf(profile.displayName), replies: await this.replies(actor, personId), questions: await this.questions(actor, personId) };
  }

  async avatar(personId: string): Promise<Buffer> {
    const image = await findAvatar(this.dataSource.manager, personId);
    if (!image) throw notFound('The avatar', 'avatar_not_found');
    return image;
  }

  private access(actor: MaybeActor) {
    const readable = this.forumAccess.readableForumsCondition(actor);
    const moderated = this.forumAccess.moderatedForumsCondition(actor);
    return {
      readable: readable.sql,
      shownText: shownTextCondition(moderated.sql, 'r', actor ? ':viewerId' : undefined),
      params: { ...readable.params, ...moderated.params, ...(actor ? { viewerId: actor.accountId } : {}) },
    };
  }

  /** Their replies the viewer may read, newest first; keyset-paginated. */
  async replies(actor: MaybeActor, personId: string, cursor?: string): Promise<PersonRepliesPage> {
    const access = this.access(actor);
    const params: Record<string, unknown> = { ...access.params, personId, pageSize: PAGE + 1 };
    let after = 'TRUE';
    if (cursor) {
      const [at, id] = decodeCursor<[string, string]>(cursor, [isTimestamp, isIdText]);
      after = '(r.created_at, r.id) < (:afterAt::timestamptz, :afterId::bigint)';
      Object.assign(params, { afterAt: at, afterId: id });
    }
    const rows = await namedQuery<PlaceRow & { id: string; body_html: string; state: string; at_key: string }>(
      this.dataSource.manager,
      `SELECT r.id::text AS id, r.body_html, r.state, r.created_at, ${sqlTimestampKey('r.created_at')} AS at_key,
              s.slug AS session_slug, s.title AS session_title, f.id AS forum_id, f.title AS forum_title, q.id AS question_id, q.title AS question_title
         FROM reply r JOIN forum f ON f.id = r.forum_id JOIN question q ON q.id = r.question_id JOIN session s ON s.id = f.session_id
        WHERE r.author_id = :personId AND ${access.readable} AND ${access.shownText} AND ${after}
        ORDER BY r.created_at DESC, r.id DESC
        LIMIT :pageSize`,
      params,
    );
    const page = rows.slice(0, PAGE);
    const last = page.at(-1);
    return {
      items: page.map((r) => ({
        ...placeOf(r), id: r.id, bodyHtml: r.body_html, state: r.state, createdAt: r.created_at,
        path: `/forums/${r.forum_id}/questions/${r.question_id}#reply-${r.id}`,
      })),
      nextCursor: rows.length > PAGE && last ? encodeCursor([last.at_key, last.id]) : null,
    };
  }

  private async questions(actor: MaybeActor, personId: string): Promise<PersonQuestionView[]> {
    const access = this.access(actor);
    const rows = await namedQuery<PlaceRow>(
      this.dataSource.manager,
      `SELECT q.created_at, s.slug AS session_slug, s.title AS session_title, f.id AS forum_id, f.title AS forum_title, q.id AS question_id, q.title AS question_title
         FROM question q JOIN forum f ON f.id = q.forum_id JOIN session s ON s.id = f.session_id
        WHERE q.author_id = :personId AND ${access.readable}
        ORDER BY q.created_at DESC, q.id DESC
        LIMIT ${PAGE}`,
      { ...access.params, personId },
    );
    return rows.map((r) => ({ ...placeOf(r), createdAt: r.created_at, path: `/forums/${r.forum_id}/questions/${r.question_id}` }));
  }
}
