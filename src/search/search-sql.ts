import { PUBLIC_QUESTION_SQL } from '../live-qa/qa-policy.js';
import type { SearchKind, SearchQuery } from './dto/search.query.js';

/**
 * The SQL of search, one spec per kind. Every kind's rows carry a STORED
 * `search_vector` (migration 1796400000000-Search), so a query is an index
 * probe plus the same access conditions every other read uses.
 */


/**
 * Relevance with recency, without now() so a page's cursor stays valid: the
 * log of ts_rank plus the age in units of 180 days, i.e. a text half a year
 * newer counts as e (2.7) times as relevant.
 */
export const scoreSql = (vector: string, at: string) => `(ln(1e-6 + ts_rank(${vector}, query.tsq)) + date_part('epoch', ${at}) / 15552000)`;

/**
 * How many matches are ranked: the newest ones the caller may see. Recency is half of the score, so
 * for a word in tens of thousands of texts the newest few hundred hold most of the best results
 * (bench/search.ts measures how many);
 * rarer queries have fewer matches than this and are ranked in full. Paging stops after this many.
 */
export const RANKED_CANDIDATES = 500;

/** Start and stop marks of highlighted words: private-use characters, turned into <mark> after escaping. */
export const MARK_START = '\uE000';
export const MARK_STOP = '\uE001';
const marks = `StartSel=${MARK_START}, StopSel=${MARK_STOP}`;
export const TITLE_OPTIONS = `HighlightAll=true, ${marks}`;
export const SNIPPET_OPTIONS = `MaxFragments=2, MaxWords=30, MinWords=12, FragmentDelimiter=" … ", ${marks}`;

/**
 * How much of a text its snippet is cut from: ts_headline re-parses the text it is given, so a long
 * reply would cost its whole length for each result shown; the match itself is the stored vector's.
 * A word matched only past this point gives a snippet of the text's start, unhighlighted.
 */
export const HEADLINE_CHARS = 2000;

/**
 * What the caller may see, as SQL conditions (built by SearchService from the forum ids
 * ForumAccessService's query reads once per statement, so no condition runs a subquery per row).
 */
export interface Visibility {
  /** The caller may read the forum whose id the column holds. */
  readable(forumId: string): string;
  /** The caller may be shown the text of reply `alias` (reply-visibility's shownTextCondition). */
  shownText(alias: string): string;
  /**
   * The same two rules as ForumAccessService's SQL conditions on forum alias `f` (a subquery or two per
   * row), checked again on the page's rows only, in the page's own snapshot: the ids were read by the
   * match, an earlier statement, and a forum closed to the caller (or a moderator demoted) in between must not show.
   */
  exactReadable: string;
  exactShownText(alias: string): string;
}

export interface KindSpec {
  /** The tables of a result's columns (joined again for the page's rows only). */
  from: string;
  /** The tables the match, rank and conditions need (default: `from`); kept small, as it is read for every match. */
  matchFrom?: (filters: SearchQuery) => string;
  vector: string;
  at: string;
  sortId: string;
  /** Columns every row returns: kind-specific ids, title/body texts and the headline configuration. */
  columns: string;
  /** null: the filters rule this kind out (e.g. `author` for sessions). */
  conditions(filters: SearchQuery, visibility: Visibility): string[] | null;
  /** Access conditions checked again on the page's rows (over `from`), see Visibility. */
  recheck?(visibility: Visibility): string[];
}

const cityInSession = `EXISTS (SELECT 1 FROM unnest(s.cities) c WHERE lower(public.unaccent(c)) = lower(public.unaccent(:city)))`;
const cityOfAuthor = (alias: string) => `lower(public.unaccent(coalesce(${alias}.organisation, ''))) LIKE '%' || lower(public.unaccent(:cityLike)) || '%' ESCAPE '\\'`;
const inSession = `(s.id::text = :session OR s.slug = :session)`;
const range = (f: SearchQuery, at: string) => [...(f.from ? [`${at} >= :from::timestamptz`] : []), ...(f.to ? [`${at} < :to::timestamptz`] : [])];
const speaker = (alias: string) =>
  `${alias}.id AS author_id, ${alias}.display_name AS author_name, ${alias}.organisation AS author_organisation, ${alias}.avatar_updated_at AS author_avatar_at`;

export const KINDS: Record<SearchKind, KindSpec> = {
  session: {
    from: `session s LEFT JOIN LATERAL (SELECT min(d.starts_at) AS first_at FROM session_date d WHERE d.session_id = s.id) x ON TRUE`,
    vector: 's.search_vector',
    at: 'coalesce(x.first_at, s.created_at)',
    sortId: 's.id',
    columns: `s.id AS session_id, s.slug AS session_slug, s.title AS session_title, NULL::integer AS forum_id, NULL::text AS forum_title,
      NULL::integer AS question_id, s.title AS title, s.summary AS body, public.agora_search_config(s.languages[1]) AS config,
      NULL::text AS language, NULL::text AS state, NULL::uuid AS author_id, NULL::text AS author_name, NULL::text AS author_organisation,
      NULL::timestamptz AS author_avatar_at`,
    conditions: (f) => {
      if (f.forum || f.author) return null;
      return [
        ...(f.session ? [inSession] : []),
        ...(f.city ? [cityInSession] : []),
        ...(f.language ? [`s.languages @> ARRAY[:language]::text[]`] : []),
        ...range(f, 'coalesce(x.first_at, s.created_at)'),
      ];
    },
  },
  forum: {
    from: `forum f JOIN session s ON s.id = f.session_id`,
    vector: 'f.search_vector',
    at: 'f.created_at',
    sortId: 'f.id',
    columns: `s.id AS session_id, s.slug AS session_slug, s.title AS session_title, f.id AS forum_id, f.title AS forum_title,
      NULL::integer AS question_id, f.title AS title, f.description AS body, public.agora_search_config(s.languages[1]) AS config,
      NULL::text AS language, NULL::text AS state, NULL::uuid AS author_id, NULL::text AS author_name, NULL::text AS author_organisation,
      NULL::timestamptz AS author_avatar_at`,
    recheck: (v) => [v.exactReadable],
    conditions: (f, v) => {
      if (f.author) return null;
      return [
        v.readable('f.id'),
        ...(f.session ? [inSession] : []),
        ...(f.forum ? ['f.id = :forum'] : []),
        ...(f.city ? [cityInSession] : []),
        ...(f.language ? [`s.languages @> ARRAY[:language]::text[]`] : []),
        ...range(f, 'f.created_at'),
      ];
    },
  },
  question: {
    from: `question q JOIN forum f ON f.id = q.forum_id JOIN session s ON s.id = f.session_id LEFT JOIN account a ON a.id = q.author_id`,
    vector: 'q.search_vector',
    at: 'q.created_at',
    sortId: 'q.id',
    columns: `s.id AS session_id, s.slug AS session_slug, s.title AS session_title, f.id AS forum_id, f.title AS forum_title,
      q.id AS question_id, q.title AS title, q.body_source AS body, public.agora_search_config(s.languages[1]) AS config,
      NULL::text AS language, NULL::text AS state, ${speaker('a')}`,
    recheck: (v) => [v.exactReadable],
    conditions: (f, v) => [
      v.readable('q.forum_id'),
      ...(f.session ? [inSession] : []),
      ...(f.forum ? ['q.forum_id = :forum'] : []),
      ...(f.author ? ['q.author_id = :author'] : []),
      ...(f.city ? [cityInSession] : []),
      ...(f.language ? [`s.languages @> ARRAY[:language]::text[]`] : []),
      ...range(f, 'q.created_at'),
    ],
  },
  reply: {
    from: `reply r JOIN question q ON q.id = r.question_id JOIN forum f ON f.id = r.forum_id JOIN session s ON s.id = f.session_id
      JOIN account a ON a.id = r.author_id`,
    // Only the session filter needs more than the reply row: access and every other filter read reply's own columns.
    matchFrom: (f) => (f.session ? `reply r JOIN forum f ON f.id = r.forum_id JOIN session s ON s.id = f.session_id` : 'reply r'),
    vector: 'r.search_vector',
    at: 'r.created_at',
    sortId: 'r.id',
    columns: `s.id AS session_id, s.slug AS session_slug, s.title AS session_title, f.id AS forum_id, f.title AS forum_title,
      q.id AS question_id, q.title AS title, r.body_source AS body, public.agora_search_config(r.language) AS config,
      r.language AS language, r.state AS state, ${speaker('a')}`,
    recheck: (v) => [v.exactReadable, v.exactShownText('r')],
    conditions: (f, v) => [
      v.readable('r.forum_id'),
      v.shownText('r'),
      ...(f.session ? [inSession] : []),
      ...(f.forum ? ['r.forum_id = :forum'] : []),
      ...(f.author ? ['r.author_id = :author'] : []),
      ...(f.city ? [`EXISTS (SELECT 1 FROM account ca WHERE ca.id = r.author_id AND ${cityOfAuthor('ca')})`] : []),
      ...(f.language ? ['r.language = :language'] : []),
      ...range(f, 'r.created_at'),
    ],
  },
  live_question: {
    // Public states only (the live Q&A's own rule, PUBLIC_QUESTION_SQL on alias q); anonymous askers stay anonymous.
    from: `live_question q JOIN session s ON s.id = q.session_id LEFT JOIN account a ON a.id = q.asker_id AND NOT q.anonymous`,
    vector: 'q.search_vector',
    at: 'q.created_at',
    sortId: 'q.id',
    columns: `s.id AS session_id, s.slug AS session_slug, s.title AS session_title, NULL::integer AS forum_id, NULL::text AS forum_title,
      NULL::integer AS question_id, q.body AS title, q.body AS body, public.agora_search_config(s.languages[1]) AS config,
      NULL::text AS language, NULL::text AS state, ${speaker('a')}`,
    conditions: (f, v) => {
      if (f.forum) return null;
      return [
        PUBLIC_QUESTION_SQL,
        ...(f.session ? [inSession] : []),
        ...(f.author ? ['q.asker_id = :author AND NOT q.anonymous'] : []),
        ...(f.city ? [`a.id IS NOT NULL AND ${cityOfAuthor('a')}`] : []),
        ...(f.language ? [`s.languages @> ARRAY[:language]::text[]`] : []),
        ...range(f, 'q.created_at'),
      ];
    },
  },
};
