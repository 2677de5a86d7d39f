import type pg from 'pg';
import { API_TOKEN_PREFIX, newSecret, secretId } from '../../src/auth/tokens.js';
import { HttpError } from './http.js';
import type { Credential } from './sockets.js';

/** A reply's own path segment: its id in base 36, zero-padded to 8 characters (see the ForumCore migration). */
export function pathSegment(id: bigint | number): string {
  return id.toString(36).padStart(8, '0');
}

export const COUNTER_SHARDS = 16;

/** A session, made directly in SQL. */
export async function createSession(db: pg.ClientBase, label: string, state: 'scheduled' | 'live' | 'ended' = 'ended'): Promise<{ sessionId: number; slug: string }> {
  const slug = `bench-${label}-${Date.now().toString(36)}`;
  const session = await db.query<{ id: number }>(
    `INSERT INTO session (slug, kind, title, summary, organiser, cities, topics, state)
     VALUES ($1, 'webinar', $2, 'Benchmark fixture.', 'Agora benchmark', '{Barcelona,Lisbon}', '{digitalisation}', $3)
     RETURNING id`,
    [slug, `Benchmark session (${label})`, state],
  );
  return { sessionId: session.rows[0].id, slug };
}

/** A session with one public, open forum, made directly in SQL. */
export async function createForum(db: pg.ClientBase, label: string): Promise<{ sessionId: number; forumId: number }> {
  const { sessionId, slug } = await createSession(db, label);
  const forum = await db.query<{ id: number }>(
    `INSERT INTO forum (session_id, slug, title, visibility, state)
     VALUES ($1, $2, $3, 'public', 'open') RETURNING id`,
    [sessionId, slug, `Benchmark forum (${label})`],
  );
  return { sessionId, forumId: forum.rows[0].id };
}

/** Questions with their 16 counter shards at zero. */
export async function createQuestions(db: pg.ClientBase, forumId: number, titles: string[]): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO question (forum_id, position, title, body_source, body_html)
     SELECT $1, t.ord - 1, t.title, '', '' FROM unnest($2::text[]) WITH ORDINALITY AS t(title, ord)
     ORDER BY t.ord RETURNING id`,
    [forumId, titles],
  );
  const ids = rows.map((r) => r.id);
  await db.query(
    `INSERT INTO thread_counter (question_id, shard, forum_id, reply_count)
     SELECT q, s, $2, 0 FROM unnest($1::int[]) AS q, generate_series(0, ${COUNTER_SHARDS - 1}) AS s`,
    [ids, forumId],
  );
  return ids;
}

/** Accounts made in SQL (they never sign in; they only author generated replies). */
export async function createAccounts(db: pg.ClientBase, count: number, label: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO account (email, display_name, password_hash)
     SELECT 'bench-' || $2 || '-' || i || '@example.org', 'Bench member ' || i, 'not-a-real-hash'
     FROM generate_series(1, $1::int) AS i RETURNING id`,
    [count, label],
  );
  return rows.map((r) => r.id);
}

/** An API token per account, made in SQL (login_session rows): what each account presents as a bearer or socket `auth.token`. */
export async function createApiTokens(db: pg.ClientBase, accountIds: string[], label: string): Promise<string[]> {
  const tokens = accountIds.map(() => newSecret(API_TOKEN_PREFIX));
  for (let i = 0; i < tokens.length; i += 5000) {
    await db.query(
      `INSERT INTO login_session (id, account_id, kind, label, expires_at)
       SELECT t.id, t.account_id, 'token', $3, now() + interval '30 days'
       FROM unnest($1::text[], $2::uuid[]) AS t(id, account_id)`,
      [tokens.slice(i, i + 5000).map(secretId), accountIds.slice(i, i + 5000), label],
    );
  }
  return tokens;
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

/** Joins a session's Q&A as `count` guests over HTTP (20 at a time); their session cookies. */
export async function joinAsGuests(url: string, slug: string, count: number): Promise<Credential[]> {
  const out: Credential[] = new Array(count);
  let next = 0;
  await Promise.all(Array.from({ length: 20 }, async () => {
    while (next < count) {
      const i = next++;
      const res = await fetch(`${url}/api/sessions/${slug}/qa/guests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: url },
        body: JSON.stringify({ displayName: `Attendee ${i + 1}` }),
      });
      const text = await res.text();
      if (res.status !== 201) throw new HttpError(res.status, text, 'POST …/qa/guests');
      const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('agora_session='));
      if (!cookie) throw new Error(`no agora_session cookie from POST …/qa/guests: ${text.slice(0, 200)}`);
      out[i] = { cookie };
    }
  }));
  return out;
}
