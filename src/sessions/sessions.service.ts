import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import type { MaybeActor } from '../auth/actor.js';
import { badRequest, conflict, type FieldProblem } from '../common/app-exception.js';
import { decodeCursor, encodeCursor, isPositiveInt, isTimestampOrNull, sqlTimestampKey } from '../common/cursor.js';
import { TSQUERY_SQL } from '../common/full-text.js';
import { namedQuery } from '../common/named-query.js';
import { ForumAccessService } from '../forums/forum-access.service.js';
import { LiveQaService } from '../live-qa/live-qa.service.js';
import { FORUM_SUMMARY_COLUMNS, toForumSummary, type ForumSummaryRow } from '../forums/forum-queries.js';
import type { ListSessionsQuery, SessionFiltersQuery } from './dto/session-filters.query.js';
import type { CreateSessionDto, SessionDateInput, SessionDocumentInput, UpdateSessionDto } from './dto/session-input.dto.js';
import type { FacetCount, SessionDateView, SessionDetailView, SessionFacets, SessionPage, SessionSummaryView } from './dto/session.view.js';
import { SessionDocument } from './session-document.entity.js';
import { findSession, requireAdmin, slugify } from './session-lookup.js';
import { createSession, replaceDates, replaceDocuments, updateSession, type SessionChanges } from './session-store.js';
import type { Session } from './session.entity.js';

interface SessionRow {
  id: number;
  slug: string;
  kind: Session['kind'];
  title: string;
  summary: string;
  organiser: string;
  partners: string[];
  cities: string[];
  topics: string[];
  languages: Session['languages'];
  state: Session['state'];
  created_at: Date;
  updated_at: Date;
  first_key: string | null;
  forum_count: string | number;
  members_forum_count: string | number;
}

type FilterName = keyof SessionFiltersQuery;

const slugTaken = () => conflict('session_slug_taken', 'Another session already uses this slug. Choose another one.');

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * WHERE conditions (alias `s`) for the catalogue filters. `except` leaves one
 * filter out, so a facet counts the values the other filters allow.
 */
function filterSql(f: SessionFiltersQuery, except?: FilterName): { sql: string; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  const use = (name: FilterName) => f[name] !== undefined && name !== except;
  if (use('topic')) { where.push(`s.topics @> ARRAY[:topic]::text[]`); params.topic = f.topic; }
  if (use('city')) { where.push(`s.cities @> ARRAY[:city]::text[]`); params.city = f.city; }
  if (use('language')) { where.push(`s.languages @> ARRAY[:language]::text[]`); params.language = f.language; }
  if (use('organiser')) { where.push(`lower(s.organiser) = lower(:organiser)`); params.organiser = f.organiser; }
  if (use('state')) { where.push(`s.state = :state`); params.state = f.state; }
  if (use('kind')) { where.push(`s.kind = :kind`); params.kind = f.kind; }
  if (use('q')) {
    // Every word appears in the title or the summary, or the words match the session's full-text
    // search_vector (any of the three languages, stems and accents folded: "movilidad sostenible").
    const words = f.q!.split(/\s+/).filter(Boolean).slice(0, 10);
    words.forEach((word, i) => {
      params[`word${i}`] = `%${escapeLike(word)}%`;
    });
    const substrings = words.map((_, i) => `(s.title ILIKE :word${i} OR s.summary ILIKE :word${i})`).join(' AND ') || 'TRUE';
    where.push(`((${substrings}) OR s.search_vector @@ ${TSQUERY_SQL})`);
    params.q = f.q;
  }
  return { sql: where.length ? where.join(' AND ') : 'TRUE', params };
}

/** The session catalogue: listing, facets, details, and admin edits. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly forumAccess: ForumAccessService,
    private readonly liveQa: LiveQaService,
  ) {}

  /** A page of sessions, newest first date first (sessions without dates last), then by id; keyset-paginated. */
  async list(actor: MaybeActor, query: ListSessionsQuery): Promise<SessionPage> {
    const filters = filterSql(query);
    const readable = this.forumAccess.readableForumsCondition(actor);
    const conditions = [filters.sql];
    const limit = query.limit ?? 20;
    const params: Record<string, unknown> = { ...filters.params, ...readable.params, pageSize: limit + 1 };
    if (query.cursor) {
      const [at, id] = decodeCursor<[string | null, number]>(query.cursor, [isTimestampOrNull, isPositiveInt]);
      if (at === null) {
        conditions.push(`(x.first_at IS NULL AND s.id < :afterId)`);
      } else {
        conditions.push(`(x.first_at < :afterAt::timestamptz OR (x.first_at = :afterAt::timestamptz AND s.id < :afterId) OR x.first_at IS NULL)`);
        params.afterAt = at;
      }
      params.afterId = id;
    }
    const rows = await namedQuery<SessionRow>(
      this.dataSource.manager,
      `SELECT s.*, ${sqlTimestampKey('x.first_at')} AS first_key,
         (SELECT count(*) FROM forum f WHERE f.session_id = s.id AND ${readable.sql}) AS forum_count,
         (SELECT count(*) FROM forum f WHERE f.session_id = s.id AND ${this.forumAccess.forumsShownBySigningInCondition(actor)}) AS members_forum_count
       FROM session s
       LEFT JOIN LATERAL (SELECT min(d.starts_at) AS first_at FROM session_date d WHERE d.session_id = s.id) x ON TRUE
       WHERE ${conditions.join(' AND ')}
       ORDER BY x.first_at DESC NULLS LAST, s.id DESC
       LIMIT :pageSize`,
      params,
    );
    const page = rows.slice(0, limit);
    const dates = await this.datesOf(this.dataSource.manager, page.map((r) => r.id));
    const last = page.at(-1);
    return {
      items: page.map((row) => this.toSummary(row, dates.get(row.id) ?? [])),
      nextCursor: rows.length > limit && last ? encodeCursor([last.first_key, last.id]) : null,
    };
  }

  /** Counts of sessions per topic, organiser, city, kind, language and state, for the filters the client shows. */
  async facets(_actor: MaybeActor, filters: SessionFiltersQuery): Promise<SessionFacets> {
    const m = this.dataSource.manager;
    const facet = async (name: FilterName, valueSql: string, from = ''): Promise<FacetCount[]> => {
      const where = filterSql(filters, name);
      const rows = await namedQuery<{ value: string; count: string }>(
        m,
        `SELECT ${valueSql} AS value, count(*) AS count FROM session s ${from} WHERE ${where.sql}
         GROUP BY 1 ORDER BY count(*) DESC, 1`,
        where.params,
      );
      return rows.map((r) => ({ value: r.value, count: Number(r.count) }));
    };
    const all = filterSql(filters);
    const [total] = await namedQuery<{ count: string }>(m, `SELECT count(*) AS count FROM session s WHERE ${all.sql}`, all.params);
    return {
      total: Number(total.count),
      topics: await facet('topic', 't', `CROSS JOIN LATERAL unnest(s.topics) t`),
      organisers: await facet('organiser', 's.organiser'),
      cities: await facet('city', 'c', `CROSS JOIN LATERAL unnest(s.cities) c`),
      kinds: await facet('kind', 's.kind'),
      languages: await facet('language', 'l', `CROSS JOIN LATERAL unnest(s.languages) l`),
      states: await facet('state', 's.state'),
    };
  }

  /** One session with its dates, documents and the forums the caller may see. */
  async get(actor: MaybeActor, idOrSlug: string, manager: EntityManager = this.dataSource.manager): Promise<SessionDetailView> {
    const session = await findSession(manager, idOrSlug);
    const readable = this.forumAccess.readableForumsCondition(actor);
    const [dates, documents, forums, [shownBySigningIn]] = [
      await this.datesOf(manager, [session.id]),
      await manager.find(SessionDocument, { where: { sessionId: session.id }, order: { language: 'ASC', kind: 'ASC', id: 'ASC' } }),
      await namedQuery<ForumSummaryRow>(
        manager,
        `SELECT ${FORUM_SUMMARY_COLUMNS} FROM forum f WHERE f.session_id = :sessionId AND ${readable.sql} ORDER BY f.id`,
        { ...readable.params, sessionId: session.id },
      ),
      await namedQuery<{ n: string }>(
        manager,
        `SELECT count(*) AS n FROM forum f WHERE f.session_id = :sessionId AND ${this.forumAccess.forumsShownBySigningInCondition(actor)}`,
        { sessionId: session.id },
      ),
    ];
    return {
      ...this.toSummary({ ...session, forum_count: forums.length, members_forum_count: shownBySigningIn.n }, dates.get(session.id) ?? []),
      documents: documents.map((d) => ({ id: d.id, kind: d.kind, language: d.language, title: d.title, url: d.url })),
      forums: forums.map(toForumSummary),
      createdAt: session.createdAt,
      updatedAt: session.updatedAt,
    };
  }

  /** Adds a session to the catalogue (admins). */
  async create(actor: MaybeActor, dto: CreateSessionDto): Promise<SessionDetailView> {
    requireAdmin(actor, 'add sessions to the catalogue');
    this.checkDatesAndDocuments(dto);
    const id = await this.write(async (m) => {
      const slug = dto.slug ?? (await this.freeSlug(m, slugify(dto.title)));
      await this.assertSlugFree(m, slug);
      const sessionId = await createSession(m, {
        slug,
        kind: dto.kind,
        title: dto.title,
        summary: dto.summary ?? '',
        organiser: dto.organiser,
        partners: dto.partners ?? [],
        cities: dto.cities ?? [],
        topics: dto.topics ?? [],
        languages: dto.languages ?? ['en'],
        state: dto.state ?? 'scheduled',
      });
      await this.replaceDatesAndDocuments(m, sessionId, dto);
      return sessionId;
    });
    return this.get(actor, String(id));
  }

  /** Changes a session (admins): any field; `dates` and `documents`, when given, replace the lists. */
  async update(actor: MaybeActor, idOrSlug: string, dto: UpdateSessionDto): Promise<SessionDetailView> {
    requireAdmin(actor, 'change sessions');
    const required = (['slug', 'kind', 'title', 'organiser', 'languages', 'state'] as const).filter((k) => dto[k] === null);
    if (required.length) {
      const details = required.map((field) => ({ field, message: `${field} cannot be cleared` }));
      throw badRequest('validation_failed', `Invalid input: ${details.map((d) => d.message).join('; ')}.`, details);
    }
    this.checkDatesAndDocuments(dto);
    let afterCommit = () => {};
    const id = await this.write(async (m) => {
      const session = await findSession(m, idOrSlug, true);
      if (dto.slug && dto.slug !== session.slug) await this.assertSlugFree(m, dto.slug);
      const changes: SessionChanges = {};
      for (const key of ['slug', 'kind', 'title', 'organiser', 'languages', 'state'] as const) {
        if (dto[key] !== undefined) (changes as Record<string, unknown>)[key] = dto[key];
      }
      if (dto.summary !== undefined) changes.summary = dto.summary ?? '';
      for (const key of ['partners', 'cities', 'topics'] as const) {
        if (dto[key] !== undefined) changes[key] = dto[key] ?? [];
      }
      // updated_at moves even when no field did (the dates or documents may have).
      await updateSession(m, session.id, changes);
      // null clears a list; undefined leaves it alone.
      await this.replaceDatesAndDocuments(m, session.id, {
        dates: dto.dates === null ? [] : dto.dates,
        documents: dto.documents === null ? [] : dto.documents,
      });
      // Ending a session hands its live Q&A's open questions over to its forum, in this transaction.
      if (dto.state === 'ended' && session.state !== 'ended') afterCommit = await this.liveQa.sessionEnded(m, actor, { ...session, ...changes });
      return session.id;
    });
    afterCommit();
    return this.get(actor, String(id));
  }

  private toSummary(row: Omit<SessionRow, 'first_key' | 'created_at' | 'updated_at'>, dates: SessionDateView[]): SessionSummaryView {
    return {
      id: row.id,
      slug: row.slug,
      kind: row.kind,
      title: row.title,
      summary: row.summary,
      organiser: row.organiser,
      partners: row.partners,
      cities: row.cities,
      topics: row.topics,
      languages: row.languages,
      state: row.state,
      dates,
      forumCount: Number(row.forum_count),
      membersForumCount: Number(row.members_forum_count),
    };
  }

  private async datesOf(m: EntityManager, sessionIds: number[]): Promise<Map<number, SessionDateView[]>> {
    const byId = new Map<number, SessionDateView[]>();
    if (!sessionIds.length) return byId;
    const rows = await m.query(
      `SELECT session_id, starts_at, ends_at FROM session_date WHERE session_id = ANY($1) ORDER BY session_id, starts_at`,
      [sessionIds],
    );
    for (const r of rows as { session_id: number; starts_at: Date; ends_at: Date }[]) {
      const list = byId.get(r.session_id) ?? [];
      list.push({ startsAt: r.starts_at, endsAt: r.ends_at });
      byId.set(r.session_id, list);
    }
    return byId;
  }

  /** Checks the rules the DTO can't express alone: each date ends after it starts; no two alike. */
  private checkDatesAndDocuments(dto: { dates?: SessionDateInput[] | null; documents?: SessionDocumentInput[] | null }): void {
    const problems: FieldProblem[] = [];
    const starts = new Set<number>();
    (dto.dates ?? []).forEach((d, i) => {
      const start = Date.parse(d.startsAt);
      if (Date.parse(d.endsAt) <= start) problems.push({ field: `dates.${i}.endsAt`, message: `dates.${i}.endsAt must be after startsAt` });
      if (starts.has(start)) problems.push({ field: `dates.${i}.startsAt`, message: `dates.${i}.startsAt repeats another date's start` });
      starts.add(start);
    });
    const urls = new Set<string>();
    (dto.documents ?? []).forEach((d, i) => {
      if (urls.has(d.url)) problems.push({ field: `documents.${i}.url`, message: `documents.${i}.url repeats another document's URL` });
      urls.add(d.url);
    });
    if (problems.length) throw badRequest('validation_failed', `Invalid input: ${problems.map((p) => p.message).join('; ')}.`, problems);
  }

  private async replaceDatesAndDocuments(
    m: EntityManager,
    sessionId: number,
    dto: { dates?: SessionDateInput[]; documents?: SessionDocumentInput[] },
  ): Promise<void> {
    if (dto.dates) await replaceDates(m, sessionId, dto.dates.map((d) => ({ startsAt: new Date(d.startsAt), endsAt: new Date(d.endsAt) })));
    if (dto.documents) await replaceDocuments(m, sessionId, dto.documents);
  }

  /** The slug, or the slug with the first free numeric suffix. */
  private async freeSlug(m: EntityManager, base: string): Promise<string> {
    const taken = new Set(
      ((await m.query(`SELECT slug FROM session WHERE slug = $1 OR slug LIKE $2`, [base, `${escapeLike(base)}-%`])) as { slug: string }[]).map((r) => r.slug),
    );
    if (!taken.has(base)) return base;
    for (let n = 2; ; n++) {
      const candidate = `${base.slice(0, 120 - String(n).length - 1)}-${n}`;
      if (!taken.has(candidate)) return candidate;
    }
  }

  private async assertSlugFree(m: EntityManager, slug: string): Promise<void> {
    const [taken] = await m.query(`SELECT 1 FROM session WHERE slug = $1`, [slug]);
    if (taken) throw slugTaken();
  }

  /** Runs a write in one transaction; a slug taken meanwhile (unique violation) is a 409 too. */
  private async write<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      if (error instanceof QueryFailedError && (error as { code?: string }).code === '23505' && /session_slug_key/.test(String((error as { constraint?: string }).constraint))) {
        throw slugTaken();
      }
      throw error;
    }
  }
}
