import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MaybeActor } from '../auth/actor.js';
import { badRequest } from '../common/app-exception.js';
import { decodeCursor, encodeCursor, isIdText } from '../common/cursor.js';
import { namedQuery, preparedQuery } from '../common/named-query.js';
import { shownTextCondition } from '../discussions/reply-visibility.js';
import { ForumAccessService } from '../forums/forum-access.service.js';
import { SEARCH_KINDS, type SearchKind, type SearchQuery } from './dto/search.query.js';
import type { SearchGroupView, SearchHitView, SearchResultView } from './dto/search.views.js';
import { highlightedHtml, speakerView } from './search-views.js';
import { TSQUERY_SQL } from '../common/full-text.js';
import { HEADLINE_CHARS, KINDS, RANKED_CANDIDATES, scoreSql, SNIPPET_OPTIONS, TITLE_OPTIONS, type Visibility } from './search-sql.js';

interface HitRow {
  sort_id: string;
  at: Date;
  session_id: number;
  session_slug: string;
  session_title: string;
  forum_id: number | null;
  forum_title: string | null;
  question_id: number | null;
  language: string | null;
  state: string | null;
  author_id: string | null;
  author_name: string | null;
  author_organisation: string | null;
  author_avatar_at: Date | null;
  title_hl: string;
  snippet_hl: string;
}

interface Access {
  /** The CTE of the caller's forum ids (none for admins), first in the match's WITH. */
  forumIds: string;
  visibility: Visibility;
  params: Record<string, unknown>;
}

const isScore = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * One search over sessions, forums, questions, replies and live questions.
 * What the caller may see is decided by the same rules as every other read:
 * ForumAccessService's readable and moderated forums, reply-visibility's
 * shown text, and the live Q&A's public states.
 */
@Injectable()
export class SearchService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly forumAccess: ForumAccessService,
  ) {}

  async search(actor: MaybeActor, query: SearchQuery): Promise<SearchResultView> {
    if (query.cursor && !query.kind) {
      throw badRequest('validation_failed', 'Invalid input: cursor pages one kind; give kind too.', [{ field: 'cursor', message: 'cursor needs kind' }]);
    }
    if (query.from && query.to && Date.parse(query.from) >= Date.parse(query.to)) {
      throw badRequest('validation_failed', 'Invalid input: to must be after from.', [{ field: 'to', message: 'to must be after from' }]);
    }
    const kinds = query.kind ? [query.kind] : [...SEARCH_KINDS];
    const limit = query.limit ?? (query.kind ? 20 : 5);
    const access = this.visibility(actor, query);
    const groups: SearchGroupView[] = [];
    for (const kind of kinds) {
      const group = await this.searchKind(access, kind, query, limit);
      if (group.items.length > 0 || query.kind) groups.push(group);
    }
    return { q: query.q, groups };
  }

  /**
   * The forums the caller reads and moderates, as a CTE (`forum_ids`) of the match's own
   * statement: read once per statement (no round trip of their own), they give
   * `forum_id = ANY(...)` conditions (no subquery per matching row), with the exact SQL rules
   * for the page's rows (see Visibility).
   */
  private visibility(actor: MaybeActor, query: SearchQuery): Access {
    // A forum filter narrows the lists to that forum, so the index sees one forum id, not every readable one.
    const ids = this.forumAccess.forumIdsQuery(actor, query.forum === undefined ? undefined : ':forum');
    const anyOf = (list: 'readable' | 'moderated') => (column: string) =>
      ids ? `${column} = ANY((SELECT ${list} FROM forum_ids)::int[])` : 'TRUE';
    const moderates = anyOf('moderated');
    const readable = this.forumAccess.readableForumsCondition(actor);
    const moderated = this.forumAccess.moderatedForumsCondition(actor);
    const viewer = actor ? ':viewerId' : undefined;
    return {
      forumIds: ids ? `forum_ids AS MATERIALIZED (${ids.sql}),` : '',
      visibility: {
        readable: anyOf('readable'),
        shownText: (alias) => shownTextCondition(moderates(`${alias}.forum_id`), alias, viewer),
        exactReadable: readable.sql,
        exactShownText: (alias) => shownTextCondition(moderated.sql, alias, viewer),
      },
      params: { ...ids?.params, ...readable.params, ...moderated.params, ...(actor ? { viewerId: actor.accountId } : {}) },
    };
  }

  private async searchKind(access: Access, kind: SearchKind, query: SearchQuery, limit: number): Promise<SearchGroupView> {
    const spec = KINDS[kind];
    const { forumIds, visibility, params: accessParams } = access;
    const conditions = spec.conditions(query, visibility);
    if (!conditions) return { kind, items: [], nextCursor: null };
    const params: Record<string, unknown> = {
      ...accessParams, q: query.q, pageSize: limit + 1, session: query.session, forum: query.forum, author: query.author,
      city: query.city, cityLike: query.city === undefined ? undefined : escapeLike(query.city), language: query.language,
      from: query.from, to: query.to,
    };
    const page: string[] = [];
    if (query.cursor) {
      const [score, id] = decodeCursor<[number, string]>(query.cursor, [isScore, isIdText]);
      page.push('(h.score, h.sort_id) < (:afterScore::float8, :afterId::bigint)');
      Object.assign(params, { afterScore: score, afterId: id });
    }
    // Two statements. The match: the newest RANKED_CANDIDATES matches the caller may see (ids rise
    // with creation, so a common word walks the primary key backwards instead of ranking tens of
    // thousands of rows), ranked on the few columns the conditions need. It spells the tsquery out
    // rather than reading the CTE so the planner sees its words: it estimates how common they are
    // and picks the primary key walk or the GIN index accordingly, so it is planned every time.
    const ranked = await namedQuery<{ sort_id: string; score: number }>(
      this.dataSource.manager,
      `WITH ${forumIds} query AS (SELECT ${TSQUERY_SQL} AS tsq)
       SELECT h.sort_id::text AS sort_id, h.score FROM (
         SELECT c.sort_id, ${scoreSql('c.vector', 'c.at')} AS score
           FROM query, (
             SELECT ${spec.sortId}::bigint AS sort_id, ${spec.at} AS at, ${spec.vector} AS vector
               FROM ${spec.matchFrom?.(query) ?? spec.from}
              WHERE ${[`${spec.vector} @@ ${TSQUERY_SQL}`, ...conditions].join(' AND ')}
              ORDER BY ${spec.sortId} DESC
              LIMIT ${RANKED_CANDIDATES}) c
       ) h
       WHERE ${page.length ? page.join(' AND ') : 'TRUE'}
       ORDER BY h.score DESC, h.sort_id DESC
       LIMIT :pageSize`,
      params,
    );
    const shown = ranked.slice(0, limit);
    const last = shown.at(-1);
    const nextCursor = ranked.length > limit && last ? encodeCursor([Number(last.score), last.sort_id]) : null;
    if (shown.length === 0) return { kind, items: [], nextCursor };
    // Then the shown rows in full (texts, authors) and their headlines, which re-parse the text. Its
    // plan is the same whatever the ids (primary key lookups), so it is a prepared statement: its
    // joins are planned once per connection, not per search. The access rules are checked again
    // here, in this statement's snapshot (see Visibility).
    const full = await preparedQuery<HitRow>(
      this.dataSource.manager,
      `WITH query AS (SELECT ${TSQUERY_SQL} AS tsq)
       SELECT x.*, x.sort_id::text AS sort_id,
              ts_headline(x.config, x.title, query.tsq, '${TITLE_OPTIONS}') AS title_hl,
              ts_headline(x.config, left(x.body, ${HEADLINE_CHARS}), query.tsq, '${SNIPPET_OPTIONS}') AS snippet_hl
         FROM query, (SELECT ${spec.sortId} AS sort_id, ${spec.at} AS at, ${spec.columns} FROM ${spec.from}
                WHERE ${[`${spec.sortId} = ANY(:ids::bigint[])`, ...(spec.recheck?.(visibility) ?? [])].join(' AND ')}) x`,
      { ...accessParams, q: query.q, ids: shown.map((r) => r.sort_id) },
    );
    const byId = new Map(full.map((row) => [row.sort_id, row]));
    return {
      kind,
      items: shown.flatMap((r) => {
        const row = byId.get(r.sort_id);
        return row ? [toHit(kind, row)] : [];
      }),
      nextCursor,
    };
  }
}

function toHit(kind: SearchKind, row: HitRow): SearchHitView {
  const id = row.sort_id;
  const path =
    kind === 'session' ? `/sessions/${encodeURIComponent(row.session_slug)}`
    : kind === 'live_question' ? `/sessions/${encodeURIComponent(row.session_slug)}/qa`
    : kind === 'forum' ? `/forums/${row.forum_id}`
    : kind === 'question' ? `/forums/${row.forum_id}/questions/${row.question_id}`
    : `/forums/${row.forum_id}/questions/${row.question_id}#reply-${id}`;
  return {
    kind,
    id,
    titleHtml: highlightedHtml(row.title_hl),
    snippetHtml: highlightedHtml(row.snippet_hl),
    path,
    session: { id: row.session_id, slug: row.session_slug, title: row.session_title },
    forum: row.forum_id === null ? null : { id: row.forum_id, title: row.forum_title! },
    questionId: row.question_id,
    author: speakerView(row),
    language: row.language,
    state: row.state === 'visible' ? null : row.state,
    at: row.at,
  };
}
