import { afterAll, beforeAll, expect } from '@jest/globals';
import type TestAgent from 'supertest/lib/agent.js';
import type { ForumEventView } from '../../src/events/forum-event.js';
import { startTestApp, type TestApp } from './app.js';
import { addMember, newForum, newQuestion } from './fixtures.js';
import { signedIn, type TestPerson } from './people.js';
import { connectSocket, pause, sessionCookie, type TestSocket } from './sockets.js';
import { postReply, type ReplyItem } from './threads.js';

/**
 * Moderation tests' cast: a moderator, an author, a reader and an admin,
 * each with an HTTP agent and a live socket; a fresh public forum per test
 * (they all join it) so every test reads its own event stream.
 */
export interface Person {
  account: TestPerson;
  agent: TestAgent;
  socket: TestSocket;
}

export interface Cast {
  moderator: Person;
  author: Person;
  reader: Person;
  admin: Person;
  /** Forums the sockets follow now (a socket follows at most 50: stage() lets go of older ones). */
  followed: number[];
  close(): void;
}

export type Via = 'http' | 'socket';
export const VIAS: Via[] = ['http', 'socket'];

async function castOf(t: TestApp): Promise<Cast> {
  const person = async (name: string, role: 'member' | 'admin' = 'member'): Promise<Person> => {
    const { account, agent } = await signedIn(t, { displayName: name, role });
    const socket = await connectSocket(t.url, { cookie: await sessionCookie(t.url, account) });
    return { account, agent, socket };
  };
  const [moderator, author, reader, admin] = await Promise.all([person('Moderator'), person('Author'), person('Reader'), person('Admin', 'admin')]);
  return { moderator, author, reader, admin, followed: [], close: () => [moderator, author, reader, admin].forEach((p) => p.socket.close()) };
}

/**
 * Starts the app and the cast before a spec's tests and stops them after;
 * read `scene.t` and `scene.cast` in the tests (set once beforeAll has run).
 */
export function moderationScene(): { t: TestApp; cast: Cast } {
  const scene = {} as { t: TestApp; cast: Cast };
  beforeAll(async () => {
    scene.t = await startTestApp();
    scene.cast = await castOf(scene.t);
  }, 60_000);
  afterAll(async () => {
    scene.cast?.close();
    await scene.t?.close();
  });
  return scene;
}

export interface Stage {
  forumId: number;
  questionId: number;
}

/** A fresh public forum with the cast in it (the moderator as moderator) and one question; every socket follows it. */
export async function stage(t: TestApp, cast: Cast, opts: { visibility?: 'public' | 'members' | 'invite_only' } = {}): Promise<Stage> {
  const forum = await newForum(t, { visibility: opts.visibility ?? 'public' });
  await addMember(t, forum.id, cast.moderator.account.id, 'moderator');
  for (const p of [cast.author, cast.reader]) await addMember(t, forum.id, p.account.id, 'member');
  const question = await newQuestion(t, forum.id);
  const people = [cast.moderator, cast.author, cast.reader, cast.admin];
  while (cast.followed.length >= 40) {
    const old = cast.followed.shift()!;
    for (const p of people) expect(await p.socket.request('forum.unsubscribe', { forumId: old })).toEqual({ forumId: old, subscribed: false });
  }
  for (const p of people) {
    let ack = await p.socket.request('forum.subscribe', { forumId: forum.id });
    // Sockets may subscribe 30 times in a burst, then one every 200 ms: a long spec waits its turn.
    while (ack.error?.code === 'rate_limited') {
      await pause(ack.error.retryAfterMs);
      ack = await p.socket.request('forum.subscribe', { forumId: forum.id });
    }
    expect(ack).toMatchObject({ forumId: forum.id });
  }
  cast.followed.push(forum.id);
  return { forumId: forum.id, questionId: question.id };
}

/** Sends an act over HTTP or the socket and returns the answer as `{ status, body }` (the socket's error status, or 200). */
export async function act(person: Person, via: Via, body: object): Promise<{ status: number; body: any }> {
  if (via === 'http') {
    const res = await person.agent.post('/api/moderation/acts').send(body);
    return { status: res.status, body: res.body };
  }
  const ack = await person.socket.request('moderation.act', body);
  return ack.error ? { status: ack.error.status, body: { code: ack.error.code, ...ack.error } } : { status: 200, body: ack.result };
}

/** An act that must succeed; returns its result. */
export async function actOk(person: Person, via: Via, body: object): Promise<any> {
  const res = await act(person, via, body);
  if (res.status !== 200) throw new Error(`${JSON.stringify(body)} via ${via} got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Waits for the first event of `type` on the socket in that forum matching `match`. */
export async function eventOf(socket: TestSocket, forumId: number, type: string, match: (e: ForumEventView) => boolean = () => true): Promise<ForumEventView> {
  await socket.waitFor('forum.events', (m: { forumId: number; events: ForumEventView[] }) => m.forumId === forumId && m.events.some((e) => e.type === type && match(e)));
  return socket.forumEvents(forumId).find((e) => e.type === type && match(e))!;
}

/** Event types the socket has received in the forum so far. */
export const typesOf = (socket: TestSocket, forumId: number) => socket.forumEvents(forumId).map((e) => e.type);

/** The record rows of a forum, oldest first. */
export async function recordRows(t: TestApp, forumId: number): Promise<{ act: string; actor_id: string | null; target_kind: string; target_id: string; reason: string | null; before: any; after: any }[]> {
  return t.dataSource.query(`SELECT act, actor_id, target_kind, target_id, reason, before, after FROM audit_record WHERE stream = 'forum' AND forum_id = $1 ORDER BY id`, [forumId]);
}

/** The thread as this agent reads it (tree order). */
export async function thread(agent: TestAgent, questionId: number): Promise<ReplyItem[]> {
  return (await agent.get(`/api/questions/${questionId}/replies?limit=100`).expect(200)).body.items;
}

export async function replyCount(agent: TestAgent, questionId: number): Promise<number> {
  return (await agent.get(`/api/questions/${questionId}`).expect(200)).body.replyCount;
}

export { postReply };
