import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { InstanceChecker, type DataSource, type EntityManager } from 'typeorm';
import type { GlobalRole } from '../../src/common/actor.js';
import { API_TOKEN_PREFIX, newSecret, secretId } from '../../src/auth/tokens.js';
import type { ForumRole, MembershipState } from '../../src/forums/forum-membership.entity.js';
import type { ForumState, ForumVisibility } from '../../src/forums/forum.entity.js';
import type { SessionKind, SessionState } from '../../src/sessions/session.entity.js';

/**
 * Test and benchmark data, written straight into the database (the APIs that
 * create these are tested on their own): sessions, forums, memberships,
 * questions, bulk accounts and API tokens.
 *
 * Every function takes whatever the caller holds: a TestApp (or anything with
 * a `dataSource`), a TypeORM DataSource or EntityManager (a transaction's,
 * to write inside it), or a pg client (the benchmarks').
 */
export type Db = { dataSource: DataSource } | DataSource | EntityManager | pg.ClientBase;

/** Runs one statement and returns its rows (those of RETURNING for a write). */
async function rows<T>(db: Db, sql: string, params: unknown[] = []): Promise<T[]> {
  // TypeORM's structured result holds the rows whatever the statement kind (its plain one is [rows, count] for an UPDATE).
  if (InstanceChecker.isDataSource(db) || 'getRepository' in db) {
    const manager = InstanceChecker.isDataSource(db) ? db.manager : db;
    const runner = manager.queryRunner ?? manager.dataSource.createQueryRunner();
    try {
      return (await runner.query(sql, params, true)).records as T[];
    } finally {
      if (!manager.queryRunner) await runner.release();
    }
  }
  if ('dataSource' in db) return rows(db.dataSource, sql, params);
  return (await db.query(sql, params)).rows as T[];
}

const tag = () => randomUUID().slice(0, 8);

// ---- sessions and forums --------------------------------------------------------

export interface SessionOptions {
  slug?: string;
  title?: string;
  kind?: SessionKind;
  summary?: string;
  organiser?: string;
  /** Default: the column's ('scheduled'). */
  state?: SessionState;
  cities?: string[];
  topics?: string[];
}

export async function newSession(db: Db, opts: SessionOptions = {}): Promise<{ id: number; slug: string }> {
  const slug = opts.slug ?? `test-session-${tag()}`;
  const [row] = await rows<{ id: number }>(
    db,
    `INSERT INTO session (slug, kind, title, summary, organiser, cities, topics, state)
     VALUES ($1, $2, $3, $4, $5, $6, $7, COALESCE($8, 'scheduled')) RETURNING id`,
    [
      slug,
      opts.kind ?? 'webinar',
      opts.title ?? `Test session ${slug}`,
      opts.summary ?? 'A test session.',
      opts.organiser ?? 'Test Learning Hub',
      opts.cities ?? [],
      opts.topics ?? [],
      opts.state ?? null,
    ],
  );
  return { id: row.id, slug };
}

export interface ForumOptions {
  /** The forum's session; default a new one made with `session`. */
  sessionId?: number;
  session?: SessionOptions;
  slug?: string;
  title?: string;
  /** Default public. */
  visibility?: ForumVisibility;
  /** Default open. */
  state?: ForumState;
}

export interface NewForum {
  id: number;
  sessionId: number;
  slug: string;
}

/** A forum (on a new session unless one is given); default public and open. */
export async function newForum(db: Db, opts: ForumOptions = {}): Promise<NewForum> {
  const sessionId = opts.sessionId ?? (await newSession(db, opts.session)).id;
  const slug = opts.slug ?? `test-forum-${tag()}`;
  const [row] = await rows<{ id: number }>(
    db,
    `INSERT INTO forum (session_id, slug, title, visibility, state) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [sessionId, slug, opts.title ?? `Forum ${slug}`, opts.visibility ?? 'public', opts.state ?? 'open'],
  );
  return { id: row.id, sessionId, slug };
}

export async function setForumState(db: Db, forumId: number, state: ForumState): Promise<void> {
  await rows(db, `UPDATE forum SET state = $2 WHERE id = $1`, [forumId, state]);
}

/** Makes (or changes) a membership; `state: 'removed'` for a removed member. */
export async function addMember(
  db: Db,
  forumId: number,
  accountId: string,
  role: ForumRole = 'member',
  state: MembershipState = 'active',
): Promise<void> {
  await rows(
    db,
    `INSERT INTO forum_membership (forum_id, account_id, role, state) VALUES ($1, $2, $3, $4)
     ON CONFLICT (forum_id, account_id) DO UPDATE SET role = EXCLUDED.role, state = EXCLUDED.state, updated_at = now()`,
    [forumId, accountId, role, state],
  );
}

// ---- questions ------------------------------------------------------------------

/** thread_counter has this many rows per question once replies are counted (CHECK shard BETWEEN 0 AND 15). */
export const COUNTER_SHARDS = 16;

export interface QuestionOptions {
  title?: string;
  locked?: boolean;
  closed?: boolean;
  pinned?: boolean;
}

/** A question at the end of the forum's list (the API path is tested in discussions.e2e-spec). */
export async function newQuestion(db: Db, forumId: number, opts: QuestionOptions = {}): Promise<{ id: number }> {
  const [row] = await rows<{ id: number }>(
    db,
    `INSERT INTO question (forum_id, position, title, locked, closed, pinned)
     VALUES ($1, (SELECT COALESCE(max(position), -1) + 1 FROM question WHERE forum_id = $1), $2, $3, $4, $5) RETURNING id`,
    [forumId, opts.title ?? `Question ${tag()}`, opts.locked ?? false, opts.closed ?? false, opts.pinned ?? false],
  );
  return { id: row.id };
}

/**
 * Questions at the end of the forum's list, in the order of `titles`. With
 * `counterShards`, their 16 thread_counter rows are made at zero up front (as
 * a thread that has had replies has them; the app makes them on the first
 * reply of each shard).
 */
export async function newQuestions(db: Db, forumId: number, titles: string[], opts: { counterShards?: boolean } = {}): Promise<number[]> {
  const made = await rows<{ id: number }>(
    db,
    `INSERT INTO question (forum_id, position, title)
     SELECT $1, (SELECT COALESCE(max(position), -1) FROM question WHERE forum_id = $1) + t.ord, t.title
     FROM unnest($2::text[]) WITH ORDINALITY AS t(title, ord)
     ORDER BY t.ord RETURNING id`,
    [forumId, titles],
  );
  const ids = made.map((r) => r.id);
  if (opts.counterShards) {
    await rows(
      db,
      `INSERT INTO thread_counter (question_id, shard, forum_id, reply_count)
       SELECT q, s, $2, 0 FROM unnest($1::int[]) AS q, generate_series(0, ${COUNTER_SHARDS - 1}) AS s`,
      [ids, forumId],
    );
  }
  return ids;
}

export async function setQuestionFlags(db: Db, questionId: number, flags: { locked?: boolean; closed?: boolean }): Promise<void> {
  await rows(
    db,
    `UPDATE question SET locked = COALESCE($2, locked), closed = COALESCE($3, closed) WHERE id = $1`,
    [questionId, flags.locked ?? null, flags.closed ?? null],
  );
}

// ---- replies written in bulk ------------------------------------------------------

/** A reply's own path segment: its id in base 36, zero-padded to 8 characters (see the ForumCore migration). */
export function pathSegment(id: bigint | number): string {
  return id.toString(36).padStart(8, '0');
}

const SENTENCES = [
  'In our city the open data portal started with transport timetables and grew from there.',
  'We ran a pilot with three districts before procurement, and the lessons were mostly about people, not software.',
  'Has anyone measured the uptake among older residents? Our numbers drop sharply above 65.',
  'The hardest part was agreeing on a shared data model between municipal departments.',
  'Interoperability clauses in the tender saved us when the first vendor went out of business.',
  'We publish every algorithm used in public services in a register, with a plain-language summary.',
  'Digital literacy workshops in libraries worked better than any online campaign.',
  'I agree, and I would add that budget lines for maintenance are usually forgotten.',
  'Could you share the concept note in Spanish? Our team would like to adapt it.',
  'Privacy impact assessments are now mandatory for every new sensor deployment here.',
  'The metropolitan authority coordinates, but each municipality keeps its own platform.',
  'Our citizen panel asked for fewer apps and one account for every service.',
];

/** A realistic reply body (markdown) of 1 to 4 sentences, and its HTML. */
export function replyBody(rand: () => number): { source: string; html: string } {
  const count = 1 + Math.floor(rand() * 4);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(SENTENCES[Math.floor(rand() * SENTENCES.length)]);
  const source = parts.join(' ');
  return { source, html: `<p>${source}</p>\n` };
}

// ---- accounts and tokens in bulk ------------------------------------------------------

/**
 * `count` accounts that never sign in (no real password hash; they only
 * author generated rows or present a token from newApiTokens): emails
 * `<label>-<i>@example.org` and names `<displayName> <i>`, i from 1. For
 * people who sign in, see people.ts.
 */
export async function newAccounts(
  db: Db,
  count: number,
  names: { label: string; displayName?: string; role?: GlobalRole },
): Promise<string[]> {
  const made = await rows<{ id: string }>(
    db,
    `INSERT INTO account (email, display_name, password_hash, role)
     SELECT $2 || '-' || i || '@example.org', $3 || ' ' || i, 'not-a-real-hash', $4
     FROM generate_series(1, $1::int) AS i ORDER BY i RETURNING id`,
    [count, names.label, names.displayName ?? 'Member', names.role ?? 'member'],
  );
  return made.map((r) => r.id);
}

/** An API token per account (login_session rows): what each account presents as a bearer or socket `auth.token`. */
export async function newApiTokens(db: Db, accountIds: string[], label: string): Promise<string[]> {
  const tokens = accountIds.map(() => newSecret(API_TOKEN_PREFIX));
  for (let i = 0; i < tokens.length; i += 5000) {
    await rows(
      db,
      `INSERT INTO login_session (id, account_id, kind, label, expires_at)
       SELECT t.id, t.account_id, 'token', $3, now() + interval '30 days'
       FROM unnest($1::text[], $2::uuid[]) AS t(id, account_id)`,
      [tokens.slice(i, i + 5000).map(secretId), accountIds.slice(i, i + 5000), label],
    );
  }
  return tokens;
}

// ---- the benchmarks' names ------------------------------------------------------

/**
 * What a benchmark's rows are called, so a later run can find them again
 * (bench/search.ts reuses its forums by title and its authors by email).
 */
export const bench = {
  session: (label: string, state: SessionState = 'ended'): SessionOptions => ({
    slug: `bench-${label}-${Date.now().toString(36)}`,
    title: `Benchmark session (${label})`,
    summary: 'Benchmark fixture.',
    organiser: 'Agora benchmark',
    cities: ['Barcelona', 'Lisbon'],
    topics: ['digitalisation'],
    state,
  }),
  forum(label: string): ForumOptions {
    const session = bench.session(label);
    return { session, slug: session.slug, title: `Benchmark forum (${label})` };
  },
  accounts: (label: string) => ({ label: `bench-${label}`, displayName: 'Bench member' }),
};
