import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import type { GlobalRole, Language } from '../../src/auth/account.entity.js';
import { insertAccount } from '../../src/auth/accounts.js';
import type { TestApp } from './app.js';

/**
 * Test people. createAccount() writes the account straight into the database
 * (real Argon2id hash); signIn() goes through the real sign-in endpoint and
 * returns a supertest agent that carries the session cookie.
 */
export interface TestPerson {
  id: string;
  email: string;
  password: string;
  displayName: string;
  role: GlobalRole;
}

export interface AccountOptions {
  role?: GlobalRole;
  email?: string;
  displayName?: string;
  password?: string;
  organisation?: string;
  language?: Language;
}

let counter = 0;

/** A new account with a unique email (unless given), default role member. */
export async function createAccount(t: TestApp, opts: AccountOptions = {}): Promise<TestPerson> {
  counter += 1;
  const tag = `${Date.now().toString(36)}${counter}${randomUUID().slice(0, 6)}`;
  const email = opts.email ?? `person-${tag}@example.org`;
  const password = opts.password ?? `pw-${tag}-secret`;
  const displayName = opts.displayName ?? `Person ${counter}`;
  const role = opts.role ?? 'member';
  const account = await insertAccount(t.dataSource.manager, {
    email, password, displayName, role, organisation: opts.organisation, language: opts.language,
  });
  return { id: account.id, email, password, displayName, role };
}

/** A supertest agent signed in as this person through POST /api/auth/sign-in (fails loudly if refused). */
export async function signIn(t: TestApp, email: string, password: string): Promise<TestAgent> {
  const agent = t.agent();
  const res = await agent.post('/api/auth/sign-in').send({ email, password });
  if (res.status !== 200) throw new Error(`signIn(${email}) got ${res.status}: ${JSON.stringify(res.body)}`);
  return agent;
}

/** createAccount + signIn in one call. */
export async function signedIn(t: TestApp, opts: AccountOptions = {}): Promise<{ account: TestPerson; agent: TestAgent }> {
  const account = await createAccount(t, opts);
  return { account, agent: await signIn(t, account.email, account.password) };
}

/** An API token for this person, via POST /api/auth/tokens from a signed-in agent. */
export async function bearerFor(t: TestApp, email: string, password: string, label = 'test token'): Promise<string> {
  const agent = await signIn(t, email, password);
  const res = await agent.post('/api/auth/tokens').send({ label });
  if (res.status !== 201) throw new Error(`bearerFor(${email}) got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}

/** A plain (cookie-less) request builder with `Authorization: Bearer <token>` set, e.g. `asBearer(t, token).get('/api/auth/me')`. */
export function asBearer(t: TestApp, token: string) {
  const auth = { Authorization: `Bearer ${token}` };
  const r = request(t.url);
  return {
    get: (path: string) => r.get(path).set(auth),
    post: (path: string) => r.post(path).set(auth),
    put: (path: string) => r.put(path).set(auth),
    patch: (path: string) => r.patch(path).set(auth),
    delete: (path: string) => r.delete(path).set(auth),
  };
}
