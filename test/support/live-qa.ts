import type TestAgent from 'supertest/lib/agent.js';
import { QaEventLog } from '../../src/live-qa/qa-stream.js';
import type { TestApp } from './app.js';
import { newSession } from './fixtures.js';
import { createAccount, signIn, type TestPerson } from './people.js';
import type { TestSocket } from './sockets.js';

/** Live Q&A test helpers: a session with a moderator and an open Q&A, guests, and the Q&A events a socket received. */

export interface QaFixture {
  session: { id: number; slug: string };
  moderator: TestPerson;
  mod: TestAgent;
}

/** A new session whose moderator (session_moderator) has opened its Q&A with these settings. */
export async function newOpenQa(t: TestApp, settings: Record<string, unknown> = {}): Promise<QaFixture> {
  const session = await newSession(t);
  const moderator = await createAccount(t, { displayName: 'Moderator Marta' });
  await t.dataSource.query(`INSERT INTO session_moderator (session_id, account_id) VALUES ($1, $2)`, [session.id, moderator.id]);
  const mod = await signIn(t, moderator.email, moderator.password);
  const res = await mod.patch(`/api/sessions/${session.id}/qa`).send({ state: 'open', ...settings });
  if (res.status !== 200) throw new Error(`opening the Q&A got ${res.status}: ${JSON.stringify(res.body)}`);
  return { session, moderator, mod };
}

export interface TestGuest {
  id: string;
  agent: TestAgent;
  /** Cookie header for sockets. */
  cookie: string;
}

/** Joins a Q&A as a guest through the API (the moderators must allow guests). */
export async function joinAsGuest(t: TestApp, sessionId: number, displayName: string): Promise<TestGuest> {
  const agent = t.agent();
  const res = await agent.post(`/api/sessions/${sessionId}/qa/guests`).send({ displayName });
  if (res.status !== 201) throw new Error(`joining as guest got ${res.status}: ${JSON.stringify(res.body)}`);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = setCookie.find((c) => c.startsWith('agora_session='))!.split(';')[0];
  return { id: res.body.account.id, agent, cookie };
}

export interface QaEventView {
  seq: number;
  type: string;
  questionId: number | null;
  payload: any;
  at: string;
}

/** The `qa.events` a socket received for a session, flattened, in arrival order. */
export function qaEvents(socket: TestSocket, sessionId: number): QaEventView[] {
  return socket.received
    .filter((r) => r.event === 'qa.events' && (r.data as { sessionId: number }).sessionId === sessionId)
    .flatMap((r) => (r.data as { events: QaEventView[] }).events);
}

/** Resolves once an event matching `match` has arrived (rejects after the timeout, listing what did). */
export async function waitForQaEvent(socket: TestSocket, sessionId: number, match: (e: QaEventView) => boolean, timeoutMs = 5_000): Promise<QaEventView> {
  await socket.waitFor('qa.events', (m: { sessionId: number; events: QaEventView[] }) => m.sessionId === sessionId && m.events.some(match), timeoutMs).catch(() => {
    throw new Error(`No matching qa event; got ${JSON.stringify(qaEvents(socket, sessionId).map((e) => [e.seq, e.type, e.questionId]))}`);
  });
  return qaEvents(socket, sessionId).find(match)!;
}

/**
 * Proves "nothing (more) arrived" without a sleep: the moderator saves the
 * Q&A unchanged, which tells every follower `qa.updated`. A stream is
 * delivered in order, so once a socket has that sentinel, whatever earlier
 * events it was sent have arrived. Resolves with each socket's Q&A events
 * that came before the sentinel.
 */
export async function qaEventsBeforeSentinel(t: TestApp, mod: TestAgent, sessionId: number, sockets: TestSocket[]): Promise<QaEventView[][]> {
  const res = await mod.patch(`/api/sessions/${sessionId}/qa`).send({});
  if (res.status !== 200) throw new Error(`saving the Q&A got ${res.status}: ${JSON.stringify(res.body)}`);
  const seq = await t.app.get(QaEventLog).position(sessionId);
  return Promise.all(
    sockets.map(async (s) => {
      await waitForQaEvent(s, sessionId, (e) => e.seq === seq);
      const events = qaEvents(s, sessionId);
      return events.slice(0, events.findIndex((e) => e.seq === seq));
    }),
  );
}

/** Runs `work` over `items`, at most `limit` at a time. */
export async function inBatches<T, R>(items: T[], limit: number, work: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += limit) out.push(...(await Promise.all(items.slice(i, i + limit).map((item, j) => work(item, i + j)))));
  return out;
}
