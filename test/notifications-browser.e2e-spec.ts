import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from './support/app.js';
import { describeInBrowser, ensureClientBuilt, launchBrowser, personContext, screenshot, watchErrors, closeBrowserScene } from './support/browser.js';
import { addMember, newForum, newQuestion, newSession } from './support/fixtures.js';
import { createAccount, signIn, type TestPerson } from './support/people.js';
import { eventually } from './support/sockets.js';
import { postReply } from './support/threads.js';

/**
 * The bell and the unread jump in the web client (headless Chromium against
 * the real app): a reply to Ana raises the bell's count live on whatever page
 * she is on; the list names it and leads to it; opening a thread she read
 * before lands on the first reply she hasn't read.
 */
describeInBrowser('notifications in the web client', () => {
  let t: TestApp;
  let browser: Browser;
  let ana: TestPerson;
  let ben: TestPerson;
  let forum: { id: number };
  let question: { id: number };
  const contexts: BrowserContext[] = [];

  const pageFor = async (who: TestPerson): Promise<Page> => {
    const context = await personContext(browser, t, { email: who.email, password: who.password, locale: 'en-GB' });
    contexts.push(context);
    return context.newPage();
  };

  beforeAll(async () => {
    ensureClientBuilt();
    t = await startTestApp();
    browser = await launchBrowser();
    [ana, ben] = await Promise.all([createAccount(t, { displayName: 'Ana Ferrer' }), createAccount(t, { displayName: 'Ben Okafor' })]);
    const session = await newSession(t, { title: 'Digital public services' });
    forum = await newForum(t, { sessionId: session.id, title: 'Learning forum on digitalisation' });
    for (const p of [ana, ben]) await addMember(t, forum.id, p.id, 'member');
    question = await newQuestion(t, forum.id, { title: 'How is your administration adapting?' });
  }, 180_000);

  afterAll(() => closeBrowserScene(contexts, browser, t), 30_000);

  it('the bell counts live, lists by thread and leads to the reply; a thread opens at the first unread reply', async () => {
    const anaApi = await signIn(t, ana.email, ana.password);
    const benApi = await signIn(t, ben.email, ben.password);
    const mine = await postReply(anaApi, question.id, 'We began with online permits.');
    const page = await pageFor(ana);
    const errors = watchErrors(page);
    await page.goto('/');
    await page.getByTestId('bell').waitFor();
    expect(await page.getByTestId('bell-count').count()).toBe(0);

    // Ben answers her: the count appears without a reload.
    const answer = await postReply(benApi, question.id, 'Which permits first?', mine.id);
    await expect(page.getByTestId('bell-count').textContent({ timeout: 10_000 })).resolves.toBe('1');
    await page.getByTestId('bell').click();
    const item = page.getByTestId('bell-panel').getByTestId('notification');
    await expect(item.textContent()).resolves.toBe('Ben Okafor replied to you');
    await screenshot(page, 'notifications-bell-open');
    await item.click();
    await page.waitForURL(`**/forums/${forum.id}/questions/${question.id}#reply-${answer.id}`);
    await page.locator(`#reply-${answer.id}`).waitFor();
    // Read there: the count goes.
    await page.getByTestId('bell-count').waitFor({ state: 'detached', timeout: 10_000 });

    // She has now read up to Ben's answer (the page marks what it showed). Two more replies come while she is away.
    await eventually(async () => {
      expect((await anaApi.get(`/api/questions/${question.id}/read-position`)).body.lastReadReplyId).toBe(answer.id);
    }, 10_000);
    await page.goto('/');
    const top = await postReply(benApi, question.id, 'A new top-level thought.');
    const under = await postReply(benApi, question.id, 'And one under my answer.', answer.id);
    await page.goto(`/forums/${forum.id}/questions/${question.id}`);
    // Tree order: mine, answer, under (new), top (new): she lands on `under`.
    await page.waitForURL(`**#reply-${under.id}`, { timeout: 10_000 });
    await page.locator(`#reply-${under.id}`).waitFor();
    expect(await page.locator(`#reply-${top.id}`).count()).toBe(1);
    await screenshot(page, 'notifications-first-unread');
    expect(errors).toEqual([]);
  }, 120_000);

  it('the catalogue marks sessions with new activity in forums I follow; the forum page shows "N new" and questions new since my last visit', async () => {
    const anaApi = await signIn(t, ana.email, ana.password);
    const benApi = await signIn(t, ben.email, ben.password);
    const followed = { title: 'Followed: open data in cities', ...(await newSession(t, { title: 'Followed: open data in cities' })) };
    const other = { title: 'Not followed: rural broadband', ...(await newSession(t, { title: 'Not followed: rural broadband' })) };
    const mineForum = await newForum(t, { sessionId: followed.id, title: 'Open data forum' });
    const otherForum = await newForum(t, { sessionId: other.id, title: 'Broadband forum' });
    for (const f of [mineForum, otherForum]) for (const p of [ana, ben]) await addMember(t, f.id, p.id, 'member');
    const read = await newQuestion(t, mineForum.id, { title: 'Which datasets came first?' });
    const other1 = await newQuestion(t, otherForum.id, { title: 'Who lays the fibre?' });

    // Ana takes part (so she follows the forum), reads the thread and visits the forum page.
    const mine = await postReply(anaApi, read.id, 'Bus timetables.');
    await eventually(async () => {
      expect((await anaApi.get(`/api/me/following/forums/${mineForum.id}`).expect(200)).body.level).toBe('normal');
    }, 10_000);
    await anaApi.put(`/api/questions/${read.id}/read-position`).send({ replyId: mine.id }).expect(200);
    await anaApi.post(`/api/forums/${mineForum.id}/visit`).expect(200);

    // While she is away: two replies in the thread she read, a new question; and activity in a forum she doesn't follow.
    await postReply(benApi, read.id, 'Ours were budgets.');
    await postReply(benApi, read.id, 'And air quality.', mine.id);
    await newQuestion(t, mineForum.id, { title: 'Who keeps the data current?' });
    await postReply(benApi, other1.id, 'The region.');

    // An organiser of their own, so the catalogue filtered by it shows both cards whatever else the run's database holds.
    const organiser = `Unread test hub ${followed.id}`;
    await t.dataSource.query(`UPDATE session SET organiser = $1 WHERE id = ANY($2::int[])`, [organiser, [followed.id, other.id]]);
    const page = await pageFor(ana);
    const errors = watchErrors(page);
    await page.goto(`/?organiser=${encodeURIComponent(organiser)}`);
    const card = (title: string) => page.locator('.session-card', { hasText: title });
    await card(followed.title).locator('.new-activity').waitFor({ timeout: 10_000 });
    await expect(card(followed.title).locator('.new-activity').textContent()).resolves.toBe('New activity in forums you follow');
    // The same answer marked the followed session: the other one has no mark.
    expect(await card(other.title).locator('.new-activity').count()).toBe(0);
    await screenshot(page, 'unread-catalogue');

    await page.goto(`/forums/${mineForum.id}`);
    const row = (title: string) => page.locator('ol.agenda > li', { hasText: title });
    await row('Who keeps the data current?').locator('.badge', { hasText: 'New' }).waitFor({ timeout: 10_000 });
    await expect(row('Which datasets came first?').locator('.unread-count').textContent()).resolves.toBe('2 new');
    expect(await row('Which datasets came first?').locator('.badge', { hasText: /^New$/ }).count()).toBe(0);
    await expect(row('Who keeps the data current?').getAttribute('class')).resolves.toContain('is-new');
    await screenshot(page, 'unread-forum');

    // That was a visit: after a reload the question is no longer new; the thread still has its 2 new until she reads it.
    await page.reload();
    await expect(row('Which datasets came first?').locator('.unread-count').textContent({ timeout: 10_000 })).resolves.toBe('2 new');
    expect(await row('Who keeps the data current?').locator('.badge', { hasText: /^New$/ }).count()).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);

  it('the reply editor offers the forum\'s people after "@", and the chosen mention notifies them', async () => {
    const benApi = await signIn(t, ben.email, ben.password);
    const page = await pageFor(ana);
    const errors = watchErrors(page);
    await page.goto(`/forums/${forum.id}/questions/${question.id}`);
    const editor = page.getByRole('textbox', { name: 'Your reply' });
    await editor.click();
    await editor.pressSequentially('Thanks @Oka');
    const list = page.getByTestId('mention-list');
    await list.getByRole('option', { name: 'Ben Okafor' }).waitFor({ timeout: 10_000 });
    await expect(list.getByRole('option').allTextContents()).resolves.toEqual(['Ben Okafor']);
    await screenshot(page, 'mention-autocomplete');
    await editor.press('Enter');
    await list.waitFor({ state: 'detached' });
    await expect(editor.inputValue()).resolves.toBe(`Thanks @[Ben Okafor](${ben.id}) `);
    await editor.pressSequentially('what do you think?');
    await page.getByRole('button', { name: 'Post reply' }).click();
    await eventually(async () => {
      const body = (await benApi.get('/api/me/notifications?limit=20').expect(200)).body;
      const kinds = body.groups.flatMap((g: { items: { kind: string; actor: { id: string } | null }[] }) => g.items).filter((n: { actor: { id: string } | null }) => n.actor?.id === ana.id).map((n: { kind: string }) => n.kind);
      expect(kinds).toContain('mention');
    }, 10_000);
    expect(errors).toEqual([]);
  }, 60_000);

  it('password reset through the pages: ask on the sign-in page, the link from the outbox, a new password', async () => {
    const cleo = await createAccount(t, { displayName: 'Cleo Martin' });
    const context = await browser.newContext({ baseURL: t.url, locale: 'en-GB' });
    contexts.push(context);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto('/signin');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email').fill(cleo.email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByText('If an account has this address, we have sent it a link.').waitFor();
    // No SMTP_URL in tests: the mail is in the local outbox.
    let token = '';
    await eventually(async () => {
      const [mail] = await t.dataSource.query(`SELECT text_body FROM outbox_mail WHERE to_address = $1 AND kind = 'password_reset'`, [cleo.email]);
      token = /reset-password\?token=([\w-]+)/.exec(mail?.text_body ?? '')![1];
    }, 10_000);
    await page.goto(`/reset-password?token=${token}`);
    await page.getByLabel('New password').fill('a fresh passphrase');
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await page.getByText('Your password is changed').waitFor();
    await signIn(t, cleo.email, 'a fresh passphrase');
    await page.goto(`/reset-password?token=${token}`);
    await page.getByLabel('New password').fill('another passphrase');
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await page.getByText('This link is not valid any more').waitFor();
    expect(errors.filter((e) => !e.includes('400'))).toEqual([]);
  }, 60_000);
});
