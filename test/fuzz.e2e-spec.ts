import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { LoginSessionsService } from '../src/auth/login-sessions.service.js';
import { startTestApp, type TestApp } from './support/app.js';
import { addMember, newForum, newQuestion } from './support/fixtures.js';
import { newOpenQa } from './support/live-qa.js';
import { createAccount } from './support/people.js';
import { postReply } from './support/threads.js';

/**
 * Property-based fuzzing of every write endpoint in the served OpenAPI
 * document: path parameters (real ids, and junk), bodies shaped by the
 * endpoint's schema (right types, wrong types, nulls, extra fields) or any
 * JSON at all, sent as an admin so the checks past authorization run too.
 * The property: never a 5xx. A failing run prints the request that broke it.
 */
type Schema = { type?: string; $ref?: string; properties?: Record<string, Schema>; items?: Schema; enum?: unknown[]; allOf?: Schema[]; oneOf?: Schema[]; anyOf?: Schema[] };
interface Operation {
  method: 'post' | 'put' | 'patch' | 'delete';
  path: string;
  body: Schema | null;
}

const RUNS_PER_ENDPOINT = 40;

describe('fuzzing every write endpoint from the OpenAPI document', () => {
  let t: TestApp;
  let operations: Operation[] = [];
  let schemas: Record<string, Schema> = {};
  const ids: Record<string, string[]> = {};

  beforeAll(async () => {
    t = await startTestApp();
    const doc = (await t.agent().get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
      components?: { schemas?: Record<string, Schema> };
    };
    schemas = doc.components?.schemas ?? {};
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (!['post', 'put', 'patch', 'delete'].includes(method)) continue;
        operations.push({ method: method as Operation['method'], path, body: op.requestBody?.content?.['application/json']?.schema ?? null });
      }
    }
    // Real things for the path parameters to point at, so requests get past "not found".
    const { session } = await newOpenQa(t, { allowGuests: true });
    const forum = await newForum(t, { sessionId: session.id });
    const { id: questionId } = await newQuestion(t, forum.id);
    const member = await createAccount(t);
    await addMember(t, forum.id, member.id);
    const admin = await createAccount(t, { role: 'admin' });
    await addMember(t, forum.id, admin.id, 'moderator');
    adminId = admin.id;
    const agent = t.agent();
    await agent.post('/api/auth/sign-in').send({ email: admin.email, password: admin.password }).expect(200);
    const reply = await postReply(agent, questionId, 'A reply to fuzz');
    Object.assign(ids, {
      sessions: [String(session.id), session.slug],
      forums: [String(forum.id)],
      questions: [String(questionId)],
      replies: [reply.id],
      members: [member.id],
      accounts: [member.id],
    });
  }, 60_000);
  let adminId = '';
  afterAll(async () => { await t.close(); });

  /** A fresh bearer token of the admin per endpoint (an endpoint may sign out or revoke the one it was given). */
  const adminToken = async () => {
    const issued = await t.app.get(LoginSessionsService).issue(t.dataSource.manager, adminId, 'token', { userAgent: 'fuzz', ip: '127.0.0.1' }, { label: 'fuzz' });
    return issued.secret;
  };

  const resolve = (schema: Schema): Schema => (schema.$ref ? resolve(schemas[schema.$ref.split('/').pop()!] ?? {}) : schema.allOf?.length === 1 ? resolve(schema.allOf[0]) : schema);

  const junk = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.string({ maxLength: 20 }), fc.constant(''), fc.constant('0x10'), fc.constant(-1), fc.array(fc.integer(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));

  const valueFor = (raw: Schema, depth = 0): fc.Arbitrary<unknown> => {
    const schema = resolve(raw);
    const shaped: fc.Arbitrary<unknown>[] = [];
    if (schema.enum?.length) shaped.push(fc.constantFrom(...schema.enum));
    else switch (schema.type) {
      case 'string': shaped.push(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 10 }), fc.uuid(), fc.constant('x'.repeat(25_000))); break;
      case 'integer': shaped.push(fc.integer(), fc.integer({ min: 0, max: 3_600 }), fc.constant(2 ** 31), fc.constant(Number.MAX_SAFE_INTEGER)); break;
      case 'number': shaped.push(fc.integer({ min: 0, max: 100 }), fc.double()); break;
      case 'boolean': shaped.push(fc.boolean()); break;
      case 'array': if (depth < 2) shaped.push(fc.array(valueFor(schema.items ?? {}, depth + 1), { maxLength: 4 })); break;
      default: if (schema.properties && depth < 2) shaped.push(bodyFor(schema, depth + 1));
    }
    // Mostly well-typed (so one bad field at a time gets past the others), sometimes null, sometimes junk.
    return shaped.length ? fc.oneof({ weight: 8, arbitrary: fc.oneof(...shaped) }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: junk }) : junk;
  };

  const bodyFor = (raw: Schema, depth = 0): fc.Arbitrary<unknown> => {
    const schema = resolve(raw);
    const props = Object.entries(schema.properties ?? {});
    const shaped = fc
      .record(Object.fromEntries(props.map(([name, s]) => [name, valueFor(s, depth)])), { requiredKeys: [] })
      .chain((value) => fc.oneof({ weight: 5, arbitrary: fc.constant(value) }, { weight: 1, arbitrary: fc.constant({ ...value, unexpectedField: 1 }) }));
    return depth > 0 ? shaped : fc.oneof({ weight: 5, arbitrary: shaped }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) });
  };

  const paramFor = (path: string, name: string): fc.Arbitrary<string> => {
    const segments = path.split('/');
    const before = segments[segments.indexOf(`{${name}}`) - 1] ?? '';
    const known = name === 'forumId' ? ids.forums : name === 'accountId' ? ids.members : ids[before] ?? [];
    const random = fc.oneof(fc.string({ maxLength: 12 }).map(encodeURIComponent), fc.integer().map(String), fc.constant('0'), fc.constant('99999999999'));
    return known.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: random }) : random;
  };

  it('answers every write with a status below 500', async () => {
    expect(operations.length).toBeGreaterThan(20);
    const failures: string[] = [];
    let succeeded = 0;
    for (const op of operations) {
      const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const token = await adminToken();
      const request = fc.record({
        params: fc.tuple(...names.map((n) => paramFor(op.path, n))),
        body: op.body ? bodyFor(op.body) : fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 1 })),
      });
      await fc.assert(
        fc.asyncProperty(request, async ({ params, body }) => {
          let url = op.path;
          names.forEach((n, i) => (url = url.replace(`{${n}}`, params[i])));
          const res = await fetch(`${t.url}${url}`, {
            method: op.method.toUpperCase(),
            headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          const text = await res.text();
          if (res.status < 300) succeeded++;
          if (res.status >= 500) failures.push(`${op.method.toUpperCase()} ${url} ${JSON.stringify(body)?.slice(0, 300)} -> ${res.status} ${text.slice(0, 200)}`);
          return res.status < 500;
        }),
        { numRuns: RUNS_PER_ENDPOINT, endOnFailure: true },
      ).catch(() => undefined);
    }
    expect(failures).toEqual([]);
    // Not only refusals: the generated input gets through to real writes too.
    expect(succeeded).toBeGreaterThan(50);
  }, 300_000);
});
