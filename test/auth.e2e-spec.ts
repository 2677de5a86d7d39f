import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { adminCreateCommand } from '../src/auth/admin-create.command.js';
import { DEMO_ACCOUNTS, ensureDemoAccounts } from '../src/auth/demo-accounts.js';
import { ADDRESS_RULE } from '../src/auth/sign-in-throttle.js';
import { secretId } from '../src/auth/tokens.js';
import { startTestApp, type TestApp } from './support/app.js';
import { asBearer, bearerFor, createAccount, signedIn, signIn } from './support/people.js';

// This file's app trusts proxy headers, so each test can act from its own
// client address (X-Forwarded-For) and rate limits don't bleed between tests.
const FIRST_ADMIN_EMAIL = `first-admin-${Date.now()}@example.org`;
const ALLOWED = 'https://client.example';

let addressSeq = 0;
/** A fresh client address for one test. */
const newAddress = () => `198.51.100.${++addressSeq}`;

function cookiesOf(res: request.Response): string[] {
  const raw = res.headers['set-cookie'] as unknown;
  return Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
}
function sessionCookie(res: request.Response): string | undefined {
  return cookiesOf(res).find((c) => c.startsWith('agora_session='));
}
const cookieSecret = (cookie: string) => decodeURIComponent(cookie.split(';')[0].slice('agora_session='.length));

describe('accounts and sign-in', () => {
  let t: TestApp;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    process.env.TRUST_PROXY = 'true';
    process.env.ALLOWED_ORIGINS = ALLOWED;
    process.env.ADMIN_EMAIL = FIRST_ADMIN_EMAIL;
    process.env.ADMIN_PASSWORD = 'first-admin-password';
    t = await startTestApp();
  });
  afterAll(async () => {
    // Other spec files share this database: leave no failed attempts behind.
    await t.dataSource.query(`DELETE FROM sign_in_attempt`);
    await t.close();
    for (const key of ['TRUST_PROXY', 'ALLOWED_ORIGINS', 'ADMIN_EMAIL', 'ADMIN_PASSWORD']) {
      if (savedEnv[key] === undefined) delete process.env[key];
      else process.env[key] = savedEnv[key];
    }
  });

  const post = (path: string, address = newAddress()) => t.agent().post(path).set('X-Forwarded-For', address);
  const uniqueEmail = (tag: string) => `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.org`;

  describe('sign-up', () => {
    it('creates the account, signs it in with a safe cookie, and never returns the password hash', async () => {
      const agent = t.agent();
      const email = uniqueEmail('ana');
      const res = await agent
        .post('/api/auth/sign-up')
        .send({ email, password: 'correct horse', displayName: '  Ana García ', organisation: 'Barcelona', language: 'es' })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(String), email, displayName: 'Ana García', organisation: 'Barcelona', language: 'es',
        role: 'member', emailVerified: false, isDemo: false, createdAt: expect.any(String),
      });

      const cookie = sessionCookie(res)!;
      expect(cookie).toBeDefined();
      expect(cookie).toMatch(/; HttpOnly/i);
      expect(cookie).toMatch(/; SameSite=Lax/i);
      expect(cookie).toMatch(/; Path=\//i);
      expect(cookie).not.toMatch(/; Secure/i);
      const expires = Date.parse(/Expires=([^;]+)/i.exec(cookie)![1]);
      expect(Math.abs(expires - (Date.now() + 30 * 86_400_000))).toBeLessThan(120_000);

      const me = await agent.get('/api/auth/me').expect(200);
      expect(me.body).toEqual(res.body);
      const [row] = await t.dataSource.query(`SELECT password_hash FROM account WHERE id = $1`, [res.body.id]);
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$/);
      expect(row.password_hash.split('$')[3].split(',').sort()).toEqual(['m=19456', 'p=1', 't=2']);
      expect(JSON.stringify(me.body)).not.toContain(row.password_hash);
    });

    it('defaults the language to English and the organisation to none', async () => {
      const res = await t.agent().post('/api/auth/sign-up').send({ email: uniqueEmail('bo'), password: 'password1', displayName: 'Bo' }).expect(201);
      expect(res.body).toMatchObject({ language: 'en', organisation: null });
    });

    it('marks the cookie Secure when the request came over TLS', async () => {
      const res = await t.agent().post('/api/auth/sign-up').set('X-Forwarded-Proto', 'https')
        .send({ email: uniqueEmail('tls'), password: 'password1', displayName: 'Tls' }).expect(201);
      expect(sessionCookie(res)).toMatch(/; Secure/i);
    });

    it('refuses an email that exists already, whatever its case', async () => {
      const email = uniqueEmail('dup');
      await t.agent().post('/api/auth/sign-up').send({ email, password: 'password1', displayName: 'One' }).expect(201);
      for (const again of [email, email.toUpperCase(), `  ${email.replace('dup', 'DUP')} `]) {
        const res = await t.agent().post('/api/auth/sign-up').send({ email: again, password: 'password2', displayName: 'Two' }).expect(409);
        expect(res.body).toEqual({ statusCode: 409, code: 'email_taken', message: expect.stringMatching(/already exists/) });
      }
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM account WHERE lower(email) = lower($1)`, [email]);
      expect(n).toBe(1);
    });

    const valid = { email: 'valid@example.org', password: 'password1', displayName: 'Valid' };
    it.each([
      ['email', { email: undefined }],
      ['email', { email: 'not-an-email' }],
      ['email', { email: `${'a'.repeat(250)}@example.org` }],
      ['email', { email: 42 }],
      ['password', { password: undefined }],
      ['password', { password: 'short' }],
      ['password', { password: 'x'.repeat(129) }],
      ['password', { password: 12345678 }],
      ['displayName', { displayName: undefined }],
      ['displayName', { displayName: '   ' }],
      ['displayName', { displayName: 'x'.repeat(81) }],
      ['organisation', { organisation: 'x'.repeat(121) }],
      ['organisation', { organisation: 7 }],
      ['language', { language: 'de' }],
      ['role', { role: 'admin' }],
    ])('names the field %s in a validation error (%j)', async (field, change) => {
      const res = await t.agent().post('/api/auth/sign-up').send({ ...valid, ...change }).expect(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM account WHERE email = 'valid@example.org'`);
      expect(n).toBe(0);
    });
  });

  describe('sign-in and sign-out', () => {
    it('signs in with any case of the email and sets the cookie', async () => {
      const p = await createAccount(t);
      const agent = t.agent();
      const res = await agent.post('/api/auth/sign-in').send({ email: p.email.toUpperCase(), password: p.password }).expect(200);
      expect(res.body).toMatchObject({ id: p.id, email: p.email, role: 'member' });
      expect(res.body).not.toHaveProperty('passwordHash');
      expect(sessionCookie(res)).toMatch(/HttpOnly/);
      await agent.get('/api/auth/me').expect(200);
    });

    it('gives the same generic error for an unknown email and a wrong password', async () => {
      // That both cost one Argon2 verification is a unit test (src/auth/passwords.spec.ts), not a timing here.
      const p = await createAccount(t);
      const address = newAddress();
      for (const email of [uniqueEmail('nobody'), p.email]) {
        const res = await post('/api/auth/sign-in', address).send({ email, password: 'not-the-password' }).expect(401);
        expect(res.body).toEqual({ statusCode: 401, code: 'invalid_credentials', message: 'The email or password is incorrect. Check both and try again.' });
        expect(sessionCookie(res)).toBeUndefined();
      }
    });

    it.each([
      ['email', { email: undefined }],
      ['email', { email: '' }],
      ['email', { email: 5 }],
      ['password', { password: undefined }],
      ['password', { password: '' }],
      ['password', { password: 'x'.repeat(1025) }],
      ['remember', { remember: true }],
    ])('names the field %s in a sign-in validation error (%j)', async (field, change) => {
      const res = await post('/api/auth/sign-in').send({ email: 'a@example.org', password: 'password1', ...change }).expect(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('signs out this session at once, leaving the person\'s other sessions alone', async () => {
      const p = await createAccount(t);
      const a = await signIn(t, p.email, p.password);
      const b = await signIn(t, p.email, p.password);
      const res = await a.post('/api/auth/sign-out').expect(204);
      expect(sessionCookie(res)).toMatch(/agora_session=;.*Expires=Thu, 01 Jan 1970/);
      await a.get('/api/auth/me').expect(401);
      await b.get('/api/auth/me').expect(200);
      // Replaying the old cookie after sign-out is refused too.
      const secret = cookieSecret(sessionCookie(await t.agent().post('/api/auth/sign-in').send({ email: p.email, password: p.password }).expect(200))!);
      await request(t.url).post('/api/auth/sign-out').set('Cookie', `agora_session=${secret}`).expect(204);
      await request(t.url).get('/api/auth/me').set('Cookie', `agora_session=${secret}`).expect(401);
      await t.agent().post('/api/auth/sign-out').expect(204); // anonymous: harmless
    });

    it('signs out everywhere: every session and token of the person ends at once', async () => {
      const p = await createAccount(t);
      const a = await signIn(t, p.email, p.password);
      const b = await signIn(t, p.email, p.password);
      const token = await bearerFor(t, p.email, p.password);
      const other = await signedIn(t);
      await a.post('/api/auth/sign-out?everywhere=true').expect(204);
      await a.get('/api/auth/me').expect(401);
      await b.get('/api/auth/me').expect(401);
      await asBearer(t, token).get('/api/auth/me').expect(401);
      await other.agent.get('/api/auth/me').expect(200);
      const res = await other.agent.post('/api/auth/sign-out?everywhere=maybe').expect(400);
      expect(res.body.details).toEqual([{ field: 'everywhere', message: 'everywhere must be true or false' }]);
    });

    it('answers "who am I" with 401 when not signed in', async () => {
      const res = await t.agent().get('/api/auth/me').expect(401);
      expect(res.body.code).toBe('unauthenticated');
    });

    it('answers GET /api/auth/current with 200 either way: the account, or null when signed out or expired', async () => {
      expect((await t.agent().get('/api/auth/current').expect(200)).body).toEqual({ account: null });
      const { account, agent } = await signedIn(t);
      expect((await agent.get('/api/auth/current').expect(200)).body).toEqual({ account: (await agent.get('/api/auth/me').expect(200)).body });
      expect((await agent.get('/api/auth/current').expect(200)).body.account).toMatchObject({ id: account.id, email: account.email });
      await t.dataSource.query(`UPDATE login_session SET expires_at = now() - interval '1 second' WHERE account_id = $1`, [account.id]);
      expect((await agent.get('/api/auth/current').expect(200)).body).toEqual({ account: null });
    });
  });

  describe('sessions on the server', () => {
    it('refuses an expired session and clears its cookie', async () => {
      const { account, agent } = await signedIn(t);
      await agent.get('/api/auth/me').expect(200);
      await t.dataSource.query(`UPDATE login_session SET expires_at = now() - interval '1 second' WHERE account_id = $1`, [account.id]);
      const res = await agent.get('/api/auth/me').expect(401);
      expect(sessionCookie(res)).toMatch(/Expires=Thu, 01 Jan 1970/);
    });

    it('slides the expiry forward on use, writing at most once a minute', async () => {
      const { account, agent } = await signedIn(t);
      const expiry = async () => (await t.dataSource.query(`SELECT expires_at, last_seen_at FROM login_session WHERE account_id = $1`, [account.id]))[0];

      // Used recently: no write.
      await t.dataSource.query(`UPDATE login_session SET expires_at = now() + interval '1 day', last_seen_at = now() - interval '30 seconds' WHERE account_id = $1`, [account.id]);
      const before = await expiry();
      const quiet = await agent.get('/api/auth/me').expect(200);
      expect(sessionCookie(quiet)).toBeUndefined();
      expect(await expiry()).toEqual(before);

      // Not used for over a minute: expiry moves SESSION_TTL_DAYS ahead and the cookie follows.
      await t.dataSource.query(`UPDATE login_session SET expires_at = now() + interval '1 day', last_seen_at = now() - interval '2 minutes' WHERE account_id = $1`, [account.id]);
      const res = await agent.get('/api/auth/me').expect(200);
      const after = await expiry();
      expect(after.expires_at.getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
      expect(Date.now() - after.last_seen_at.getTime()).toBeLessThan(60_000);
      expect(sessionCookie(res)).toMatch(/Expires=/);
    });

    it('lists the person\'s own sessions, marks the current one, and never shows a secret', async () => {
      const p = await createAccount(t);
      const a = t.agent();
      const signInRes = await a.post('/api/auth/sign-in').set('User-Agent', 'Browser A').send({ email: p.email, password: p.password }).expect(200);
      const secretA = cookieSecret(sessionCookie(signInRes)!);
      await signIn(t, p.email, p.password);
      await signedIn(t); // someone else's session must not show

      const res = await a.get('/api/auth/sessions').expect(200);
      expect(res.body).toHaveLength(2);
      const current = res.body.filter((s: { current: boolean }) => s.current);
      expect(current).toEqual([expect.objectContaining({ id: secretId(secretA), kind: 'cookie', userAgent: 'Browser A', label: null })]);
      expect(JSON.stringify(res.body)).not.toContain(secretA);
      await t.agent().get('/api/auth/sessions').expect(401);
    });

    it('ends one of the person\'s sessions at once, and only their own', async () => {
      const p = await createAccount(t);
      const a = await signIn(t, p.email, p.password);
      const b = await signIn(t, p.email, p.password);
      const stranger = await signedIn(t);
      const list = (await a.get('/api/auth/sessions').expect(200)).body as { id: string; current: boolean }[];
      const bId = list.find((s) => !s.current)!.id;

      const notYours = await stranger.agent.delete(`/api/auth/sessions/${bId}`).expect(404);
      expect(notYours.body.code).toBe('login_session_not_found');
      await b.get('/api/auth/me').expect(200);

      await a.delete(`/api/auth/sessions/${bId}`).expect(204);
      await b.get('/api/auth/me').expect(401);
      await a.delete(`/api/auth/sessions/${bId}`).expect(404);

      const bad = await a.delete('/api/auth/sessions/not-an-id').expect(400);
      expect(bad.body.details).toEqual([{ field: 'id', message: expect.stringMatching(/sign-in session id/) }]);

      const currentId = list.find((s) => s.current)!.id;
      const res = await a.delete(`/api/auth/sessions/${currentId}`).expect(204);
      expect(sessionCookie(res)).toMatch(/Expires=Thu, 01 Jan 1970/);
      await a.get('/api/auth/me').expect(401);
      await t.agent().delete(`/api/auth/sessions/${currentId}`).expect(401);
    });
  });

  describe('the profile', () => {
    it('changes display name, organisation and language, and nothing else', async () => {
      const { account, agent } = await signedIn(t);
      const res = await agent.patch('/api/auth/me').send({ displayName: 'Ana G.', organisation: 'Córdoba', language: 'es' }).expect(200);
      expect(res.body).toMatchObject({ id: account.id, email: account.email, displayName: 'Ana G.', organisation: 'Córdoba', language: 'es' });
      await agent.patch('/api/auth/me').send({ organisation: null }).expect(200);
      const me = await agent.get('/api/auth/me').expect(200);
      expect(me.body).toMatchObject({ displayName: 'Ana G.', organisation: null, language: 'es' });
    });

    it.each([
      [{ language: 'de' }, 'language'],
      [{ displayName: '' }, 'displayName'],
      [{ displayName: null }, 'displayName'],
      [{ email: 'new@example.org' }, 'email'],
    ])('refuses %j naming the field', async (body, field) => {
      const { agent } = await signedIn(t);
      const res = await agent.patch('/api/auth/me').send(body).expect(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('needs a sign-in', async () => {
      await t.agent().patch('/api/auth/me').send({ language: 'fr' }).expect(401);
    });
  });

  describe('changing the password', () => {
    it('needs the current password and ends every other session and token at once', async () => {
      const p = await createAccount(t);
      const a = await signIn(t, p.email, p.password);
      const b = await signIn(t, p.email, p.password);
      const token = await bearerFor(t, p.email, p.password);
      const oldCookie = (await a.get('/api/auth/sessions').expect(200)).body.find((s: { current: boolean }) => s.current).id;

      const wrong = await a.post('/api/auth/password').send({ currentPassword: 'not-it', newPassword: 'a-new-password' }).expect(400);
      expect(wrong.body).toMatchObject({ code: 'wrong_password', details: [{ field: 'currentPassword', message: expect.any(String) }] });
      await b.get('/api/auth/me').expect(200);

      const res = await a.post('/api/auth/password').send({ currentPassword: p.password, newPassword: 'a-new-password' }).expect(200);
      expect(res.body).toMatchObject({ id: p.id });
      expect(sessionCookie(res)).toMatch(/HttpOnly/);

      await a.get('/api/auth/me').expect(200); // re-issued cookie
      await b.get('/api/auth/me').expect(401);
      await asBearer(t, token).get('/api/auth/me').expect(401);
      const sessions = (await a.get('/api/auth/sessions').expect(200)).body as { id: string }[];
      expect(sessions).toHaveLength(1);
      expect(sessions[0].id).not.toBe(oldCookie);

      await post('/api/auth/sign-in').send({ email: p.email, password: p.password }).expect(401);
      await post('/api/auth/sign-in').send({ email: p.email, password: 'a-new-password' }).expect(200);
    });

    it('keeps the API token it was changed with, ending the rest', async () => {
      const p = await createAccount(t);
      const browser = await signIn(t, p.email, p.password);
      const token = await bearerFor(t, p.email, p.password);
      const res = await asBearer(t, token).post('/api/auth/password').send({ currentPassword: p.password, newPassword: 'via-a-script' }).expect(200);
      expect(sessionCookie(res)).toBeUndefined();
      await asBearer(t, token).get('/api/auth/me').expect(200);
      await browser.get('/api/auth/me').expect(401);
    });

    it.each([
      ['currentPassword', { currentPassword: undefined }],
      ['currentPassword', { currentPassword: '' }],
      ['newPassword', { newPassword: undefined }],
      ['newPassword', { newPassword: 'short' }],
      ['newPassword', { newPassword: 'x'.repeat(129) }],
    ])('names the field %s in a validation error (%j)', async (field, change) => {
      const { account, agent } = await signedIn(t);
      const res = await agent.post('/api/auth/password').send({ currentPassword: account.password, newPassword: 'long-enough', ...change }).expect(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      await signIn(t, account.email, account.password); // unchanged
    });

    it('needs a signed-in caller', async () => {
      await t.agent().post('/api/auth/password').send({ currentPassword: 'whatever1', newPassword: 'whatever2' }).expect(401);
    });
  });

  describe('rate limiting of sign-in', () => {
    it('refuses an account after 5 failures, from any address, with Retry-After, even with the right password', async () => {
      const p = await createAccount(t);
      for (let i = 0; i < 5; i++) {
        await post('/api/auth/sign-in').send({ email: p.email, password: 'wrong-password' }).expect(401);
      }
      const res = await post('/api/auth/sign-in').send({ email: p.email.toUpperCase(), password: p.password }).expect(429);
      expect(res.body).toEqual({ statusCode: 429, code: 'rate_limited', message: expect.stringMatching(/Wait \d+ second/) });
      const retryAfter = Number(res.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(25);
      expect(retryAfter).toBeLessThanOrEqual(30);
      expect(sessionCookie(res)).toBeUndefined();
      // Another account is unaffected.
      const q = await createAccount(t);
      await post('/api/auth/sign-in').send({ email: q.email, password: q.password }).expect(200);
    });

    it('makes the wait grow with further failures, and lifts it when the window has passed', async () => {
      const p = await createAccount(t);
      const address = newAddress();
      const age = (seconds: number) =>
        t.dataSource.query(`UPDATE sign_in_attempt SET attempted_at = attempted_at - make_interval(secs => $2) WHERE email_key = $1`, [p.email.toLowerCase(), seconds]);
      for (let i = 0; i < 5; i++) await post('/api/auth/sign-in', address).send({ email: p.email, password: 'wrong-password' }).expect(401);
      await post('/api/auth/sign-in', address).send({ email: p.email, password: 'wrong-password' }).expect(429);

      await age(31); // the 30 s wait is over: one more try is allowed, and fails
      await post('/api/auth/sign-in', address).send({ email: p.email, password: 'wrong-password' }).expect(401);
      const res = await post('/api/auth/sign-in', address).send({ email: p.email, password: p.password }).expect(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(55);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);

      await age(16 * 60); // every failure is now outside the 15-minute window
      await post('/api/auth/sign-in', address).send({ email: p.email, password: p.password }).expect(200);
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM sign_in_attempt WHERE email_key = $1`, [p.email.toLowerCase()]);
      expect(n).toBe(0); // success clears the account's record
    });

    it('refuses an address after its free failures across many accounts, while other addresses still sign in', async () => {
      const p = await createAccount(t);
      const address = newAddress();
      for (let i = 0; i < ADDRESS_RULE.freeFailures; i++) {
        await post('/api/auth/sign-in', address).send({ email: uniqueEmail(`spray${i}`), password: 'guess-123' }).expect(401);
      }
      const res = await post('/api/auth/sign-in', address).send({ email: p.email, password: p.password }).expect(429);
      expect(res.body.code).toBe('rate_limited');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      await post('/api/auth/sign-in').send({ email: p.email, password: p.password }).expect(200);
    });

    it('doesn\'t count successful sign-ins', async () => {
      const p = await createAccount(t);
      const address = newAddress();
      for (let i = 0; i < 8; i++) await post('/api/auth/sign-in', address).send({ email: p.email, password: p.password }).expect(200);
    });
  });

  describe('cross-site requests', () => {
    let agent: TestAgent;
    beforeAll(async () => { ({ agent } = await signedIn(t)); });

    it('refuses a cookie-authenticated write with a foreign Origin or Referer', async () => {
      const res = await agent.post('/api/auth/tokens').set('Origin', 'https://evil.example').send({ label: 'x' }).expect(403);
      expect(res.body).toEqual({ statusCode: 403, code: 'cross_site_request', message: expect.any(String) });
      await agent.post('/api/auth/tokens').set('Referer', 'https://evil.example/page').send({ label: 'x' }).expect(403);
      await agent.post('/api/auth/tokens').set('Origin', 'null').send({ label: 'x' }).expect(403);
      await agent.delete(`/api/auth/sessions/${'0'.repeat(64)}`).set('Origin', 'https://evil.example').expect(403);
      await agent.post('/api/auth/sign-out').set('Origin', 'https://evil.example').expect(403);
      await agent.get('/api/auth/me').expect(200); // the forged sign-out didn't happen
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM login_session WHERE label = 'x'`);
      expect(n).toBe(0);
    });

    it('refuses sign-in from a foreign page (login CSRF)', async () => {
      const p = await createAccount(t);
      const res = await post('/api/auth/sign-in').set('Origin', 'https://evil.example').send({ email: p.email, password: p.password }).expect(403);
      expect(sessionCookie(res)).toBeUndefined();
    });

    it('lets same-origin, allowed-origin and header-less writes through', async () => {
      await agent.post('/api/auth/tokens').set('Origin', t.url).send({ label: 'same origin' }).expect(201);
      await agent.post('/api/auth/tokens').set('Referer', `${t.url}/forums/1`).send({ label: 'same referer' }).expect(201);
      await agent.post('/api/auth/tokens').set('Origin', ALLOWED).send({ label: 'allowed' }).expect(201);
      await agent.post('/api/auth/tokens').send({ label: 'script' }).expect(201);
    });

    it('compares against the origin the proxy forwarded', async () => {
      await agent.post('/api/auth/tokens')
        .set('X-Forwarded-Proto', 'https').set('X-Forwarded-Host', 'agora.example.org').set('Origin', 'https://agora.example.org')
        .send({ label: 'behind proxy' }).expect(201);
      await agent.post('/api/auth/tokens')
        .set('X-Forwarded-Proto', 'https').set('X-Forwarded-Host', 'agora.example.org').set('Origin', 'http://agora.example.org')
        .send({ label: 'wrong scheme' }).expect(403);
    });

    it('lets reads and bearer-token requests from anywhere through', async () => {
      await agent.get('/api/auth/me').set('Origin', 'https://evil.example').expect(200);
      const p = await createAccount(t);
      const token = await bearerFor(t, p.email, p.password);
      await asBearer(t, token).post('/api/auth/tokens').set('Origin', 'https://evil.example').send({ label: 'from a script' }).expect(201);
    });
  });

  describe('API tokens', () => {
    it('creates a bearer token shown once, which then authenticates requests', async () => {
      const { account, agent } = await signedIn(t);
      const res = await agent.post('/api/auth/tokens').send({ label: 'nightly export', expiresInDays: 7 }).expect(201);
      expect(res.body).toEqual({ token: expect.stringMatching(/^agora_[A-Za-z0-9_-]{43}$/), id: expect.any(String), label: 'nightly export', expiresAt: expect.any(String) });
      expect(Math.abs(Date.parse(res.body.expiresAt) - (Date.now() + 7 * 86_400_000))).toBeLessThan(120_000);
      const token = res.body.token as string;

      const me = await asBearer(t, token).get('/api/auth/me').expect(200);
      expect(me.body.id).toBe(account.id);
      const listed = (await agent.get('/api/auth/sessions').expect(200)).body as { id: string; kind: string; label: string | null }[];
      expect(listed).toContainEqual(expect.objectContaining({ id: res.body.id, kind: 'token', label: 'nightly export' }));
      expect(JSON.stringify(listed)).not.toContain(token);

      await agent.delete(`/api/auth/sessions/${res.body.id}`).expect(204);
      await asBearer(t, token).get('/api/auth/me').expect(401);
    });

    it('keeps cookie secrets and tokens apart, and ignores the cookie when a bearer header is sent', async () => {
      const p = await createAccount(t);
      const res = await t.agent().post('/api/auth/sign-in').send({ email: p.email, password: p.password }).expect(200);
      const cookieSecretValue = cookieSecret(sessionCookie(res)!);
      const token = await bearerFor(t, p.email, p.password);
      await asBearer(t, cookieSecretValue).get('/api/auth/me').expect(401);
      await request(t.url).get('/api/auth/me').set('Cookie', `agora_session=${token}`).expect(401);
      await request(t.url).get('/api/auth/me').set('Cookie', `agora_session=${cookieSecretValue}`).set('Authorization', 'Bearer agora_nonsense').expect(401);
      await asBearer(t, 'agora_nonsense').get('/api/auth/me').expect(401);
    });

    it('refuses an expired token', async () => {
      const p = await createAccount(t);
      const token = await bearerFor(t, p.email, p.password);
      await t.dataSource.query(`UPDATE login_session SET expires_at = now() - interval '1 second' WHERE id = $1`, [secretId(token)]);
      await asBearer(t, token).get('/api/auth/me').expect(401);
    });

    it.each([
      ['label', {}],
      ['label', { label: '   ' }],
      ['label', { label: 'x'.repeat(101) }],
      ['expiresInDays', { label: 'ok', expiresInDays: 0 }],
      ['expiresInDays', { label: 'ok', expiresInDays: 366 }],
      ['expiresInDays', { label: 'ok', expiresInDays: 1.5 }],
      ['expiresInDays', { label: 'ok', expiresInDays: 'soon' }],
    ])('names the field %s in a validation error (%j)', async (field, body) => {
      const { agent } = await signedIn(t);
      const res = await agent.post('/api/auth/tokens').send(body).expect(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('needs a signed-in caller', async () => {
      await t.agent().post('/api/auth/tokens').send({ label: 'x' }).expect(401);
    });
  });

  describe('admins and demo accounts', () => {
    it('creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD at start', async () => {
      const agent = await signIn(t, FIRST_ADMIN_EMAIL, 'first-admin-password');
      const me = await agent.get('/api/auth/me').expect(200);
      expect(me.body).toMatchObject({ email: FIRST_ADMIN_EMAIL, role: 'admin', isDemo: false });
    });

    it('admin:create creates an admin, promotes a member only with --promote, and needs a password only for a new account', async () => {
      const email = uniqueEmail('cli-admin');
      await adminCreateCommand.run(t.app, { email, name: 'Cli Admin', password: 'cli-password' });
      const agent = await signIn(t, email, 'cli-password');
      expect((await agent.get('/api/auth/me').expect(200)).body).toMatchObject({ role: 'admin', displayName: 'Cli Admin' });

      const member = await createAccount(t);
      // Emails are unverified: promoting an existing account needs --promote.
      await expect(adminCreateCommand.run(t.app, { email: member.email })).rejects.toThrow(/--promote/);
      const stillMember = await signIn(t, member.email, member.password);
      expect((await stillMember.get('/api/auth/me').expect(200)).body.role).toBe('member');
      await adminCreateCommand.run(t.app, { email: member.email.toUpperCase(), promote: true });
      const promoted = await signIn(t, member.email, member.password);
      expect((await promoted.get('/api/auth/me').expect(200)).body.role).toBe('admin');
      await adminCreateCommand.run(t.app, { email: member.email }); // already admin: no change, no error

      const saved = process.env.ADMIN_PASSWORD;
      delete process.env.ADMIN_PASSWORD;
      try {
        await expect(adminCreateCommand.run(t.app, { email: uniqueEmail('nopw') })).rejects.toThrow(/needs a password/);
      } finally {
        process.env.ADMIN_PASSWORD = saved;
      }
      await expect(adminCreateCommand.run(t.app, { email: 'not-an-email' })).rejects.toThrow(/--email/);
      await expect(adminCreateCommand.run(t.app, { email: uniqueEmail('shortpw'), password: 'short' })).rejects.toThrow(/between 8 and 128/);
    });

    it('ensureDemoAccounts creates the demo member, moderator and admin once, with known passwords', async () => {
      // The demo-data spec may have run first in this database: only accounts made here are removed after.
      const before: { id: string }[] = await t.dataSource.query(`SELECT id FROM account WHERE is_demo`);
      const ids = await ensureDemoAccounts(t.dataSource);
      try {
        expect(await ensureDemoAccounts(t.dataSource)).toEqual(ids);
        for (const demo of DEMO_ACCOUNTS) {
          const agent = await signIn(t, demo.email, demo.password);
          const me = await agent.get('/api/auth/me').expect(200);
          expect(me.body).toMatchObject({ id: ids[demo.key], role: demo.role, isDemo: true });
        }
      } finally {
        // The run's database is shared: leave the demo accounts to the demo-data spec.
        const existed = new Set(before.map((r) => r.id));
        await t.dataSource.query(`DELETE FROM account WHERE id = ANY($1)`, [Object.values(ids).filter((id) => !existed.has(id))]);
      }
    });
  });

  it('documents every auth endpoint in the OpenAPI document', async () => {
    const res = await t.agent().get('/api/docs-json').expect(200);
    for (const path of ['/api/auth/sign-up', '/api/auth/sign-in', '/api/auth/sign-out', '/api/auth/me', '/api/auth/password', '/api/auth/sessions', '/api/auth/sessions/{id}', '/api/auth/tokens']) {
      expect(Object.keys(res.body.paths)).toContain(path);
    }
    expect(JSON.stringify(res.body.components.schemas.AccountView)).not.toMatch(/password/i);
  });
});
