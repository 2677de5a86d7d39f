import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { io, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import { startTestApp, type TestApp } from './support/app.js';
import { ensureClientBuilt } from './support/browser.js';
import { addMember, newForum, newQuestion } from './support/fixtures.js';
import { newOpenQa } from './support/live-qa.js';
import { createAccount, signIn } from './support/people.js';
import { sessionCookie } from './support/sockets.js';
import { postReply } from './support/threads.js';

/**
 * Input that used to get through (a 500, or read as something else): each
 * is now a 4xx naming the field, and nothing is written.
 */
describe('bad input', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The CSP case reads the page the app serves from client/dist; build it when this spec runs first.
    ensureClientBuilt();
    t = await startTestApp();
  }, 180_000);
  afterAll(async () => { await t.close(); });

  /** Opens a socket and resolves with 'connected' or the refusal's data. */
  const handshake = (options: Partial<ManagerOptions & SocketOptions>) =>
    new Promise<unknown>((resolve) => {
      const raw = io(t.url, { path: '/socket.io', reconnection: false, forceNew: true, ...options });
      raw.once('connect', () => (raw.close(), resolve('connected')));
      raw.once('connect_error', (error: Error & { data?: unknown }) => (raw.close(), resolve(error.data)));
    });
  const fieldsOf = (body: { details?: { field: string }[] }) => [...new Set((body.details ?? []).map((d) => d.field))];

  it('PATCH /api/sessions/:id/qa with null for a setting is 400 naming it, and changes nothing', async () => {
    const { session, mod } = await newOpenQa(t, { premoderation: true, allowGuests: true, slowModeSeconds: 30 });
    const before = (await mod.get(`/api/sessions/${session.id}/qa`).expect(200)).body;
    for (const field of ['premoderation', 'allowGuests', 'slowModeSeconds', 'state', 'sessionState']) {
      const res = await mod.patch(`/api/sessions/${session.id}/qa`).send({ [field]: null });
      expect([field, res.status, res.body.code, fieldsOf(res.body)]).toEqual([field, 400, 'validation_failed', [field]]);
    }
    // Nothing half-written: a valid change beside a null is not applied either.
    const mixed = await mod.patch(`/api/sessions/${session.id}/qa`).send({ state: 'closed', allowGuests: null });
    expect([mixed.status, fieldsOf(mixed.body)]).toEqual([400, ['allowGuests']]);
    expect((await mod.get(`/api/sessions/${session.id}/qa`).expect(200)).body).toEqual(before);
  });

  describe('credentials', () => {
    it('an Authorization header that is not one "Bearer <token>" is 401 naming it, over HTTP', async () => {
      for (const value of ['Bearer two words', 'Basic dXNlcjpwYXNz', 'Bearer']) {
        const res = await t.agent().get('/api/auth/me').set('Authorization', value);
        expect([value, res.status, res.body.code, fieldsOf(res.body)]).toEqual([value, 401, 'unauthenticated', ['Authorization']]);
      }
    });

    it('a non-string auth.token or a malformed Authorization header is refused at the socket handshake', async () => {
      for (const token of [123, { t: 'x' }, ['a'], null, 'two words']) {
        const data = await handshake({ transports: ['websocket'], auth: { token } });
        expect([JSON.stringify(token), data]).toEqual([JSON.stringify(token), expect.objectContaining({ status: 401, code: 'unauthenticated', details: [expect.objectContaining({ field: 'auth.token' })] })]);
      }
      // Node's client can send headers: a bearer value with a space is refused too, and a well-formed
      // unknown one as before; no credential at all is an anonymous connection.
      for (const [authorization, expected] of [['Bearer two words', 'Authorization'], ['Bearer agora_unknown', null]] as const) {
        const data = await handshake({ transports: ['polling'], extraHeaders: { authorization } });
        expect(data).toMatchObject({ status: 401, code: 'unauthenticated', ...(expected ? { details: [expect.objectContaining({ field: expected })] } : {}) });
      }
      await expect(handshake({ transports: ['websocket'] })).resolves.toBe('connected');
    });
  });

  describe('bodies', () => {
    let questionId: number;
    let agent: Awaited<ReturnType<typeof signIn>>;
    let cookie: string;
    const count = async () => Number((await t.dataSource.query(`SELECT count(*) FROM reply WHERE question_id = $1`, [questionId]))[0].count);
    beforeAll(async () => {
      const forum = await newForum(t);
      questionId = (await newQuestion(t, forum.id)).id;
      const person = await createAccount(t);
      await addMember(t, forum.id, person.id);
      agent = await signIn(t, person.email, person.password);
      cookie = await sessionCookie(t.url, person);
    });

    it('an id past PostgreSQL int4 is 400 naming it (mark a thread read, search within a forum), not a 500', async () => {
      const read = await agent.post('/api/me/notifications/read').send({ questionId: 620060243007178000000, all: true });
      expect([read.status, read.body.code, fieldsOf(read.body)]).toEqual([400, 'validation_failed', ['questionId']]);
      const search = await agent.get('/api/search').query({ q: 'budget', forum: '3000000000' });
      expect([search.status, search.body.code, fieldsOf(search.body)]).toEqual([400, 'validation_failed', ['forum']]);
    });

    it('a form-encoded body to a JSON endpoint is 415 naming Content-Type, and nothing is written', async () => {
      const res = await agent.post(`/api/questions/${questionId}/replies`).type('form').send('body=Hello%20there');
      expect([res.status, res.body.code, fieldsOf(res.body)]).toEqual([415, 'unsupported_media_type', ['Content-Type']]);
      const plain = await agent.post(`/api/questions/${questionId}/replies`).set('Content-Type', 'text/plain').send('{"body":"Hello"}');
      expect(plain.status).toBe(415);
      expect(await count()).toBe(0);
    });

    it('invalid UTF-8 in a JSON body is 400 and nothing is stored, while valid UTF-8 is kept as sent', async () => {
      const bad = Buffer.concat([Buffer.from('{"body":"caf'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
      // Sent as raw bytes (supertest would serialise a Buffer as JSON).
      const res = await fetch(`${t.url}/api/questions/${questionId}/replies`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: bad });
      const body = (await res.json()) as { code: string; details?: { field: string }[] };
      expect([res.status, body.code, fieldsOf(body)]).toEqual([400, 'validation_failed', ['(body)']]);
      expect(await count()).toBe(0);
      const malformed = await agent.post(`/api/questions/${questionId}/replies`).set('Content-Type', 'application/json').send('{"body": ');
      expect([malformed.status, fieldsOf(malformed.body)]).toEqual([400, ['(body)']]);
      const ok = await postReply(agent, questionId, 'café ✓');
      expect(ok.bodyHtml).toBe('<p>café ✓</p>');
    });
  });

  it('ids written other than the plain decimal way are refused, not read as another id', async () => {
    const forum = await newForum(t);
    const { id: questionId } = await newQuestion(t, forum.id);
    await t.agent().get(`/api/questions/${questionId}`).expect(200);
    for (const id of [`0x${questionId.toString(16)}`, `+${questionId}`, `0${questionId}`, `%20${questionId}`, `${questionId}.0`, `${questionId}e0`]) {
      const res = await t.agent().get(`/api/questions/${id}`);
      expect([id, res.status, res.body.code, fieldsOf(res.body)]).toEqual([id, 400, 'validation_failed', ['id']]);
    }
    const flags = await t.agent().get(`/api/forums/0${forum.id}/questions`);
    expect([flags.status, fieldsOf(flags.body)]).toEqual([400, ['forumId']]);
  });

  it('API answers carry X-Content-Type-Options: nosniff, errors included', async () => {
    for (const path of ['/api/health', '/api/no-such-thing', '/api/sessions']) {
      const res = await t.agent().get(path);
      expect([path, res.headers['x-content-type-options']]).toEqual([path, 'nosniff']);
    }
  });

  it("the page's CSP allows no inline style attributes", async () => {
    const res = await t.agent().get('/').expect(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('style-src-attr');
  });
});
