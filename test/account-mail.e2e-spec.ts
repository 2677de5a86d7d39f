import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type TestAgent from 'supertest/lib/agent.js';
import { JobQueue } from '../src/database/job-queue.js';
import { NotificationTriggers } from '../src/notifications/notification-triggers.js';
import { startTestApp, type TestApp } from './support/app.js';
import { addMember, newForum } from './support/fixtures.js';
import { signedIn, type TestPerson } from './support/people.js';
import { startSmtp } from './support/smtp.js';

interface Member {
  account: TestPerson;
  agent: TestAgent;
}

const SETTINGS = { PUBLIC_URL: 'https://agora.example.org' };

/** Address verification and invitation mails, into a real SMTP server on loopback read with mailparser. */
describe('Account mails (e2e, a real SMTP server)', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let moderator: Member;
  const saved: Record<string, string | undefined> = {};

  const verifyTokenIn = (text: string | undefined) => /https:\/\/agora\.example\.org\/verify-email\?token=([\w-]+)/.exec(text ?? '')![1];
  const me = async (p: Member) => (await p.agent.get('/api/auth/me').expect(200)).body as { emailVerified: boolean };

  /** Asks for a confirmation mail, waits for it, and opens its link signed out. */
  async function verify(p: Member): Promise<void> {
    const seen = smtp.mailsTo(p.account.email).length;
    await p.agent.post('/api/auth/verify-email').expect(202);
    const mail = await smtp.nextTo(p.account.email, seen);
    await t.agent().post('/api/auth/verify-email/confirm').send({ token: verifyTokenIn(mail.text) }).expect(200);
  }

  beforeAll(async () => {
    smtp = await startSmtp();
    for (const [k, v] of Object.entries({ ...SETTINGS, SMTP_URL: `smtp://127.0.0.1:${smtp.port}` })) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    t = await startTestApp();
    moderator = await signedIn(t, { displayName: 'Marta Moderator' });
  });

  afterAll(async () => {
    // The accepted invitation's notification is made after the answer: let it finish before the database goes.
    await t?.app.get(NotificationTriggers).settled();
    await t?.close();
    await smtp?.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('verifies an address with a mailed single-use link, in the account\'s language, that works signed out', async () => {
    const ana = await signedIn(t, { displayName: 'Anaïs Roux', language: 'fr' });
    expect((await me(ana)).emailVerified).toBe(false);
    await t.agent().post('/api/auth/verify-email').expect(401);

    await ana.agent.post('/api/auth/verify-email').expect(202);
    const mail = await smtp.nextTo(ana.account.email, 0);
    expect(mail.subject).toBe('Confirmez votre adresse e-mail pour Agora');
    expect(mail.html).toContain('<html lang="fr">');
    const token = verifyTokenIn(mail.text);
    expect(mail.html).toContain(`href="https://agora.example.org/verify-email?token=${token}"`);
    expect((await me(ana)).emailVerified).toBe(false);

    await t.agent().post('/api/auth/verify-email/confirm').send({ token }).expect(200, { emailVerified: true });
    expect((await me(ana)).emailVerified).toBe(true);
    // Single use.
    const again = await t.agent().post('/api/auth/verify-email/confirm').send({ token }).expect(400);
    expect(again.body).toMatchObject({ code: 'invalid_verification_token' });
    expect(JSON.stringify(again.body)).toContain('token');
    const bad = await t.agent().post('/api/auth/verify-email/confirm').send({ token: 'x' }).expect(400);
    expect(JSON.stringify(bad.body)).toContain('token');
  });

  it('signing up mails the address a confirmation link in the chosen language (HTML and text); opening it verifies the address', async () => {
    const email = `sign-up-${Date.now()}@example.org`;
    const agent = t.agent();
    await agent.post('/api/auth/sign-up').send({ email, password: 'password1', displayName: 'Lucía Nueva', language: 'es' }).expect(201);
    expect((await agent.get('/api/auth/me').expect(200)).body.emailVerified).toBe(false);
    const mail = await smtp.nextTo(email, 0);
    expect(mail.subject).toBe('Confirma tu dirección de correo en Agora');
    expect(mail.text).toContain('Para confirmar que esta dirección es tuya, abre este enlace antes de un día:');
    expect(mail.html).toContain('<html lang="es">');
    const token = verifyTokenIn(mail.text);
    expect(mail.html).toContain(`href="https://agora.example.org/verify-email?token=${token}"`);
    // The link's page confirms it, signed out.
    await t.agent().post('/api/auth/verify-email/confirm').send({ token }).expect(200, { emailVerified: true });
    expect((await agent.get('/api/auth/me').expect(200)).body.emailVerified).toBe(true);
  });

  it('a mail job queued in a transaction exists only if it commits (sendIn runs on the transaction)', async () => {
    const jobs = t.app.get(JobQueue);
    await jobs.define('test-send-in');
    const marker = `send-in-${Date.now()}`;
    await expect(t.dataSource.transaction(async (m) => {
      await jobs.sendIn(m, 'test-send-in', { marker: `${marker}-rolled-back` });
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    await t.dataSource.transaction((m) => jobs.sendIn(m, 'test-send-in', { marker: `${marker}-committed` }));
    const rows: { marker: string }[] = await t.dataSource.query(`SELECT data->>'marker' AS marker FROM pgboss.job WHERE name = 'test-send-in'`);
    expect(rows.map((r) => r.marker)).toEqual([`${marker}-committed`]);
    await expect(jobs.sendIn(t.dataSource.manager, 'test-send-in', {})).rejects.toThrow('needs a transaction');
  });

  it('an expired link verifies nothing', async () => {
    const ben = await signedIn(t, { displayName: 'Ben Late' });
    await ben.agent.post('/api/auth/verify-email').expect(202);
    const token = verifyTokenIn((await smtp.nextTo(ben.account.email, 0)).text);
    await t.dataSource.query(`UPDATE email_verification SET expires_at = now() - interval '1 second' WHERE account_id = $1`, [ben.account.id]);
    await t.agent().post('/api/auth/verify-email/confirm').send({ token }).expect(400);
    expect((await me(ben)).emailVerified).toBe(false);
  });

  it('mails an addressed invitation in the recipient\'s language; only a verified address may accept it without the link', async () => {
    const forum = await newForum(t, { visibility: 'invite_only', title: 'Foro de movilidad' });
    await addMember(t, forum.id, moderator.account.id, 'moderator');
    const lucia = await signedIn(t, { displayName: 'Lucía Pérez', language: 'es' });
    const other = await signedIn(t, { displayName: 'Otto Other' });

    const created = await moderator.agent.post(`/api/forums/${forum.id}/invitations`).send({ email: lucia.account.email }).expect(201);
    const mail = await smtp.nextTo(lucia.account.email, 0);
    expect(mail.subject).toBe('Te invitan a «Foro de movilidad» en Agora');
    expect(mail.text).toContain('Marta Moderator te invita a participar en el foro «Foro de movilidad».');
    const link = `https://agora.example.org${created.body.url}`;
    expect(mail.text).toContain(link);
    expect(mail.html).toContain(`href="${link}"`);
    const invitationId = created.body.invitation.id as number;
    // The mail was a job queued in the invitation's own transaction (a crash after the commit loses nothing).
    const jobs = await t.dataSource.query(`SELECT state FROM pgboss.job WHERE name = 'mail-invitation' AND (data->>'invitationId')::int = $1`, [invitationId]);
    expect(jobs).toHaveLength(1);

    // Unverified: nothing listed, and no accepting by address alone.
    expect((await lucia.agent.get('/api/me/invitations').expect(200)).body.items).toEqual([]);
    const refused = await lucia.agent.post(`/api/me/invitations/${invitationId}/accept`).expect(403);
    expect(refused.body.code).toBe('email_not_verified');
    await lucia.agent.get(`/api/forums/${forum.id}`).expect(404);

    // Someone else, verified, can't take it.
    await verify(other);
    expect((await other.agent.post(`/api/me/invitations/${invitationId}/accept`).expect(403)).body.code).toBe('invitation_for_someone_else');
    expect((await other.agent.get('/api/me/invitations').expect(200)).body.items).toEqual([]);

    // Verified: it is listed and accepted by address.
    await verify(lucia);
    const mine = (await lucia.agent.get('/api/me/invitations').expect(200)).body.items;
    expect(mine.map((i: { id: number }) => i.id)).toEqual([invitationId]);
    const accepted = await lucia.agent.post(`/api/me/invitations/${invitationId}/accept`).expect(200);
    expect(accepted.body).toMatchObject({ alreadyMember: false, forum: { id: forum.id } });
    await lucia.agent.get(`/api/forums/${forum.id}`).expect(200);
    expect((await lucia.agent.get('/api/me/invitations').expect(200)).body.items).toEqual([]);
  });
});
