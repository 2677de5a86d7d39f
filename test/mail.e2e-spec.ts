import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type TestAgent from 'supertest/lib/agent.js';
import { NotificationMail } from '../src/mail/notification-mail.service.js';
import { NotificationTriggers } from '../src/notifications/notification-triggers.js';
import { startTestApp, type TestApp } from './support/app.js';
import { startSmtp } from './support/smtp.js';
import type { ParsedMail } from 'mailparser';
import { addMember, newForum } from './support/fixtures.js';
import { signedIn, type AccountOptions, type TestPerson } from './support/people.js';
import { connectSocket, eventually, sessionCookie, type TestSocket } from './support/sockets.js';
import { postReply } from './support/threads.js';

interface Member {
  account: TestPerson;
  agent: TestAgent;
}

const SETTINGS = { MAIL_COALESCE_SECONDS: '2', MAIL_RETRY_LIMIT: '1', MAIL_RETRY_DELAY_SECONDS: '1', PUBLIC_URL: 'https://agora.example.org' };

describe('Mail (e2e, a real SMTP server)', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let moderator: Member;
  let ben: Member;
  const saved: Record<string, string | undefined> = {};
  const sockets: TestSocket[] = [];

  const person = (opts: AccountOptions = {}) => signedIn(t, opts);
  async function forumWithQuestion(visibility: 'public' | 'invite_only' = 'public') {
    const forum = await newForum(t, { visibility });
    await addMember(t, forum.id, moderator.account.id, 'moderator');
    const q = await moderator.agent.post(`/api/forums/${forum.id}/questions`).send({ title: 'Which services went digital first?' }).expect(201);
    return { forum, questionId: q.body.id as number };
  }

  beforeAll(async () => {
    smtp = await startSmtp((to) => to.startsWith('refused-'));
    for (const [k, v] of Object.entries({ ...SETTINGS, SMTP_URL: `smtp://127.0.0.1:${smtp.port}` })) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    t = await startTestApp();
    await t.app.get(NotificationMail).started();
    // Starting, the notifier catches up with events earlier specs' apps left unhandled (and queues their mails): wait for it.
    await t.app.get(NotificationTriggers).settled();
    // The run's other specs share this database and queued mails (due two minutes later) for their own
    // people; left there, they would be sent here first and delay this spec's jobs.
    await t.dataSource.query(`DELETE FROM pgboss.job WHERE name = 'mail-notify'`);
    moderator = await person({ displayName: 'Marta Moderator' });
    ben = await person({ displayName: 'Ben Okafor' });
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await t?.close();
    await smtp?.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('mails a mention in the recipient\'s language, HTML and text, with a permalink and one-click unsubscribe headers', async () => {
    const { forum, questionId } = await forumWithQuestion();
    const ana = await person({ displayName: 'Ana García', language: 'es' });
    const reply = await postReply(ben.agent, questionId, `@[Ana García](${ana.account.id}) ¿qué opinas?`);
    const mail = await smtp.nextTo(ana.account.email, 0);
    expect(mail.subject).toBe('Ben Okafor te mencionó en «Which services went digital first?»');
    const permalink = `https://agora.example.org/forums/${forum.id}/questions/${questionId}#reply-${reply.id}`;
    expect(mail.text).toContain(permalink);
    expect(mail.html).toContain(`href="${permalink}"`);
    expect(mail.html).toContain('<html lang="es">');
    expect(mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line).toMatch(/<https:\/\/agora\.example\.org\/api\/mail\/unsubscribe\?token=[\w-]+&kind=mentions>/);
    expect(mail.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
  });

  it('coalesces a burst into one mail, and the one-click unsubscribe works signed out, for that kind only', async () => {
    const { questionId } = await forumWithQuestion();
    const cleo = await person({ displayName: 'Cleo Martin', language: 'fr' });
    const hers = await postReply(cleo.agent, questionId, 'Les permis de stationnement');
    for (let i = 1; i <= 5; i++) await postReply(ben.agent, questionId, `Answer ${i}`, hers.id);
    const mail = await smtp.nextTo(cleo.account.email, 0);
    expect(mail.subject).toBe('5 nouvelles notifications sur Agora');
    expect(mail.text).toContain('5 nouveautés dans « Which services went digital first? »');
    expect(mail.text!.match(/Ben Okafor vous a répondu/g)).toHaveLength(5);

    // The header's URL, POSTed as a mail client does (RFC 8058), with no cookie.
    const url = /<([^>]+)>/.exec(mail.headerLines.find((h) => h.key === 'list-unsubscribe')!.line)![1].replace('https://agora.example.org', t.url);
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ kind: 'replies', subscribed: false });
    expect((await cleo.agent.get('/api/me/mail-preferences').expect(200)).body).toEqual({
      frequency: 'immediate', kinds: { replies: false, mentions: true, watching: true, moderation: true, forum: true, digest: true },
    });
    expect((await fetch(url.replace(/token=[^&]+/, 'token=nonsense-token-nonsense-token'), { method: 'POST' })).status).toBe(404);

    // A reply to her is no longer mailed; a mention after it is, alone (the sentinel).
    const dropped = await postReply(ben.agent, questionId, 'One more answer', hers.id);
    await postReply(ben.agent, questionId, `@[Cleo](${cleo.account.id}) see this`);
    const next = await smtp.nextTo(cleo.account.email, 1);
    expect(next.subject).toBe('Ben Okafor vous a mentionné dans « Which services went digital first? »');
    expect(next.text).not.toContain(`#reply-${dropped.id}`);
  });

  it('mails nothing the recipient can no longer read at send time', async () => {
    const secret = await forumWithQuestion('invite_only');
    const open = await forumWithQuestion();
    const dan = await person({ displayName: 'Dan Dupont' });
    await addMember(t, secret.forum.id, dan.account.id);
    await addMember(t, secret.forum.id, ben.account.id);
    const socket = await connectSocket(t.url, { cookie: await sessionCookie(t.url, dan.account) });
    sockets.push(socket);
    const mine = await postReply(dan.agent, secret.questionId, 'Inside the private forum');
    const answer = await postReply(ben.agent, secret.questionId, 'Private answer', mine.id);
    await socket.waitFor('notifications.changed', (m: { notification?: { replyId: string } }) => m.notification?.replyId === answer.id);
    // Removed before the coalescing window ends: that notification must not go out.
    await t.dataSource.query(`UPDATE forum_membership SET state = 'removed' WHERE forum_id = $1 AND account_id = $2`, [secret.forum.id, dan.account.id]);
    const pub = await postReply(dan.agent, open.questionId, 'In the open');
    const sentinel = await postReply(ben.agent, open.questionId, 'Open answer', pub.id);
    const mail = await smtp.nextTo(dan.account.email, 0);
    expect(mail.text).toContain(`#reply-${sentinel.id}`);
    expect(mail.text).not.toContain(`#reply-${answer.id}`);
    expect(mail.text).not.toContain('Private answer');
  });

  it('a daily digest gathers what waited, in one mail; nothing goes out before it', async () => {
    const { questionId } = await forumWithQuestion();
    const eve = await person({ displayName: 'Eve Evans' });
    await eve.agent.put('/api/me/mail-preferences').send({ frequency: 'daily' }).expect(200);
    const hers = await postReply(eve.agent, questionId, 'Mine');
    const a = await postReply(ben.agent, questionId, 'First answer', hers.id);
    const b = await postReply(moderator.agent, questionId, 'Second answer', hers.id);
    await eventually(async () => {
      expect((await eve.agent.get('/api/me/notifications/unread-count').expect(200)).body.unread).toBe(2);
    });
    const run = await t.app.get(NotificationMail).runDigest('daily');
    expect(run.mails).toBeGreaterThanOrEqual(1);
    const mail = await smtp.nextTo(eve.account.email, 0);
    expect(mail.subject).toBe('Your daily Agora digest: 2 new');
    expect(mail.text).toContain(`#reply-${a.id}`);
    expect(mail.text).toContain(`#reply-${b.id}`);
    expect(mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line).toContain('kind=digest');
    // Digested once: a second run sends her nothing more.
    await t.app.get(NotificationMail).runDigest('daily');
    expect(smtp.mailsTo(eve.account.email)).toHaveLength(1);

    const bad = await eve.agent.put('/api/me/mail-preferences').send({ frequency: 'hourly' }).expect(400);
    expect(bad.body.details[0].field).toBe('frequency');
  });

  it('retries a refused send with backoff, then records the failure', async () => {
    const { questionId } = await forumWithQuestion();
    const refused = await person({ displayName: 'Refused', email: `refused-${Date.now()}@example.org` });
    const mine = await postReply(refused.agent, questionId, 'Mine');
    await postReply(ben.agent, questionId, 'Answer', mine.id);
    await eventually(async () => {
      const rows = await t.dataSource.query(`SELECT attempts, error FROM mail_failure WHERE account_id = $1`, [refused.account.id]);
      expect(rows).toEqual([{ attempts: 2, error: expect.stringContaining('Mailbox unavailable') }]);
    }, 50_000);
  }, 60_000);
});

describe('Password reset by mail (e2e, a real SMTP server)', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    smtp = await startSmtp(() => false);
    for (const [k, v] of Object.entries({ ...SETTINGS, SMTP_URL: `smtp://127.0.0.1:${smtp.port}` })) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    t = await startTestApp();
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  const tokenOf = (mail: ParsedMail) => /reset-password\?token=([\w-]+)/.exec(mail.text ?? '')![1];

  it('answers the same whether or not the address exists, mails a single-use link in the person\'s language, and ends every sign-in', async () => {
    const { account, agent: oldSession } = await signedIn(t, { language: 'fr' });
    const unknown = `nobody-${Date.now()}@example.org`;
    const forUnknown = await t.agent().post('/api/auth/password-reset').send({ email: unknown }).expect(202);
    const forKnown = await t.agent().post('/api/auth/password-reset').send({ email: account.email.toUpperCase() }).expect(202);
    expect(forKnown.body).toEqual(forUnknown.body);
    const mail = await smtp.nextTo(account.email, 0);
    expect(mail.subject).toBe('Réinitialisez votre mot de passe Agora');
    expect(mail.html).toContain('https://agora.example.org/reset-password?token=');
    const token = tokenOf(mail);

    const weak = await t.agent().post('/api/auth/password-reset/confirm').send({ token, password: 'short' }).expect(400);
    expect(weak.body.details[0].field).toBe('password');
    await t.agent().post('/api/auth/password-reset/confirm').send({ token, password: 'a brand new passphrase' }).expect(200);
    const again = await t.agent().post('/api/auth/password-reset/confirm').send({ token, password: 'yet another passphrase' }).expect(400);
    expect(again.body).toMatchObject({ code: 'invalid_reset_token', details: [{ field: 'token' }] });
    await t.agent().post('/api/auth/sign-in').send({ email: account.email, password: account.password }).expect(401);
    await t.agent().post('/api/auth/sign-in').send({ email: account.email, password: 'a brand new passphrase' }).expect(200);
    expect((await oldSession.get('/api/me/notifications/unread-count')).status).toBe(401);
    // Nothing went to the unknown address (the known one's mail was sent after it).
    expect(smtp.mailsTo(unknown)).toHaveLength(0);
  });

  it('sends at most three links an hour per account, answering the same', async () => {
    const { account } = await signedIn(t);
    const answers = await Promise.all(Array.from({ length: 5 }, () => t.agent().post('/api/auth/password-reset').send({ email: account.email })));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    await smtp.nextTo(account.email, 2);
    await eventually(async () => {
      const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM password_reset WHERE account_id = $1`, [account.id]);
      expect(count).toBe(3);
    });
    expect((await t.agent().post('/api/auth/password-reset').send({ email: 'not an email' }).expect(400)).body.details[0].field).toBe('email');
  });
});
